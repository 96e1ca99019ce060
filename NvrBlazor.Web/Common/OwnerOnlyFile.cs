namespace NvrBlazor.Web.Common;

/// <summary>Writes secrets (generated password, certificate) readable by the owning user only (mode 0600).</summary>
public static class OwnerOnlyFile
{
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes)
    {
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var stream = new FileStream(path, options))
            stream.Write(bytes);
        // UnixCreateMode applies only to new files; an existing file keeps its mode unless we set it.
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    public static void WriteAllText(string path, string text) =>
        WriteAllBytes(path, System.Text.Encoding.UTF8.GetBytes(text));
}
