namespace NvrBlazor.Tests.Support;

public static class TestPaths
{
    /// <summary>The repository root: the folder holding NvrBlazor.sln above the test binaries.</summary>
    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary>
    /// The app the server tests run: NVR_WEB_APP_FOLDER (test.sh points it at the published app, as the
    /// image runs it), otherwise the web project's own build output in the tests' configuration.
    /// </summary>
    public static string WebAppFolder
    {
        get
        {
            if (Environment.GetEnvironmentVariable("NVR_WEB_APP_FOLDER") is { Length: > 0 } published)
                return published;
            var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;
            var folder = Path.Combine(RepositoryRoot, "NvrBlazor.Web", "bin", configuration, "net10.0");
            if (!File.Exists(Path.Combine(folder, "NvrBlazor.Web.dll")))
                throw new InvalidOperationException($"NvrBlazor.Web is not built at {folder}; build the solution first.");
            return folder;
        }
    }

    /// <summary>Screenshots and other files a person may want to look at after a run (TestResults/artifacts).</summary>
    public static string Artifacts
    {
        get
        {
            var folder = Environment.GetEnvironmentVariable("NVR_TEST_ARTIFACTS") is { Length: > 0 } configured
                ? configured
                : Path.Combine(RepositoryRoot, "TestResults", "artifacts");
            Directory.CreateDirectory(folder);
            return folder;
        }
    }

    /// <summary>
    /// The detection models (NVR_TEST_MODELS, which test.sh fills with tools/models/install-models.sh), or an
    /// exception saying how to get them: a detection test never passes without its model.
    /// </summary>
    public static string DetectionModels
    {
        get
        {
            var folder = Environment.GetEnvironmentVariable("NVR_TEST_MODELS") is { Length: > 0 } configured
                ? configured
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "nvrblazor", "models");
            if (!File.Exists(Path.Combine(folder, "SHA256SUMS")))
                throw new InvalidOperationException($"No detection models in {folder}: run tools/models/install-models.sh {folder} (test.sh does).");
            return folder;
        }
    }

    public static string NewTempFolder(string purpose)
    {
        var folder = Path.Combine(Path.GetTempPath(), "nvr-tests", $"{purpose}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        return folder;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "NvrBlazor.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException($"NvrBlazor.sln not found above {AppContext.BaseDirectory}.");
    }
}
