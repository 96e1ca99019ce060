namespace NvrBlazor.Web.Common;

/// <summary>
/// The two folders NvrBlazor writes to, resolved to absolute paths and proven writable before
/// anything else starts: the data folder (database, keys, certificate) and the recordings folder.
/// </summary>
public sealed class StorageFolders
{
    private StorageFolders(string dataPath, string recordingsPath)
    {
        DataPath = dataPath;
        RecordingsPath = recordingsPath;
    }

    public string DataPath { get; }
    public string RecordingsPath { get; }
    public string DatabasePath => Path.Combine(DataPath, "nvr.db");
    /// <summary>Hangfire's job storage: a file of its own, because its unprefixed tables (Job, State, Set...) would clash with ours.</summary>
    public string JobsDatabasePath => Path.Combine(DataPath, "jobs.db");
    public string KeysPath => Path.Combine(DataPath, "keys");
    public string InitialAdminPasswordPath => Path.Combine(DataPath, "initial-admin-password.txt");
    public string SelfSignedCertificatePath => Path.Combine(DataPath, "https-selfsigned.pfx");

    /// <summary>Relative paths are taken from the content root (the repository root under `dotnet run`, the app folder in the image).</summary>
    public static StorageFolders Prepare(IConfiguration configuration, string contentRoot)
    {
        var data = Resolve(configuration, "Nvr:DataPath", "data", contentRoot);
        var recordings = Resolve(configuration, "Nvr:RecordingsPath", "recordings", contentRoot);
        // The data folder holds password hashes, signing keys and the certificate key: owner only.
        EnsureWritable(data, "Nvr:DataPath", OwnerOnly);
        EnsureWritable(Path.Combine(data, "keys"), "Nvr:DataPath", OwnerOnly);
        EnsureWritable(recordings, "Nvr:RecordingsPath", null);
        return new StorageFolders(data, recordings);
    }

    private static string Resolve(IConfiguration configuration, string key, string fallback, string contentRoot)
    {
        var value = configuration[key];
        if (string.IsNullOrWhiteSpace(value))
            value = fallback;
        return Path.GetFullPath(value, contentRoot);
    }

    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>Creates the folder if missing (with <paramref name="newFolderMode"/>; an existing folder keeps the operator's mode) and proves it writable.</summary>
    private static void EnsureWritable(string folder, string setting, UnixFileMode? newFolderMode)
    {
        var probe = Path.Combine(folder, $".write-test-{Environment.ProcessId}");
        try
        {
            if (!Directory.Exists(folder))
            {
                if (newFolderMode is { } mode && !OperatingSystem.IsWindows())
                    Directory.CreateDirectory(folder, mode);
                else
                    Directory.CreateDirectory(folder);
            }
            File.WriteAllText(probe, "ok");
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            var variable = setting.Replace(":", "__", StringComparison.Ordinal);
            throw new StartupException(
                $"The folder '{folder}' is not writable ({e.Message}). Set {setting} (environment variable {variable}) " +
                "to a folder this user can write, or fix its permissions.", e);
        }
    }
}

/// <summary>A problem that stops the app at startup, with a message that tells the operator what to change.</summary>
public sealed class StartupException(string message, Exception? inner = null) : Exception(message, inner);
