using System.Text;

namespace NvrBlazor.Web.Recording;

/// <summary>
/// Where clips live: recordings/&lt;camera-slug&gt;-&lt;camera id&gt;/&lt;yyyy-MM-dd&gt;/&lt;HH-mm-ss&gt;.mp4 (local
/// time of the server), written as .mp4.part until ffmpeg has finished, with a .jpg thumbnail beside it.
/// The id keeps two cameras with similar names apart; clips keep their folder when a camera is renamed.
/// </summary>
public static class ClipFiles
{
    public const string PartSuffix = ".part";
    public const string DamagedFolder = "_damaged";

    public static string CameraFolder(int cameraId, string cameraName) => $"{Slug(cameraName)}-{cameraId}";

    /// <summary>A free relative path for a clip starting at <paramref name="start"/> ("-2", "-3"... when a clip of that second exists).</summary>
    public static string NewClipPath(string recordingsRoot, int cameraId, string cameraName, DateTimeOffset start)
    {
        var local = start.ToLocalTime();
        var folder = Path.Combine(CameraFolder(cameraId, cameraName), local.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        var name = local.ToString("HH-mm-ss", System.Globalization.CultureInfo.InvariantCulture);
        for (var n = 1; ; n++)
        {
            var relative = Path.Combine(folder, n == 1 ? $"{name}.mp4" : $"{name}-{n}.mp4");
            var full = Path.Combine(recordingsRoot, relative);
            if (!File.Exists(full) && !File.Exists(full + PartSuffix))
                return relative;
        }
    }

    /// <summary>When a clip starts, from its path (&lt;camera&gt;/yyyy-MM-dd/HH-mm-ss[-n].mp4, server local time); null for other names.</summary>
    public static DateTimeOffset? StartOf(string relative)
    {
        var parts = relative.Split(Path.DirectorySeparatorChar);
        if (parts.Length < 2)
            return null;
        var name = Path.GetFileNameWithoutExtension(parts[^1]);
        var text = $"{parts[^2]} {(name.Length > 8 ? name[..8] : name)}";
        return DateTime.TryParseExact(text, "yyyy-MM-dd HH-mm-ss", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeLocal, out var local)
            ? new DateTimeOffset(local)
            : null;
    }

    public static string ThumbnailOf(string clipPath) => Path.ChangeExtension(clipPath, ".jpg");

    /// <summary>
    /// The real path of a file named by a clip row, or null when it would lie outside the recordings
    /// folder: "..", an absolute path or a symbolic link anywhere on the way cannot lead a download or a
    /// deletion elsewhere. The file need not exist.
    /// </summary>
    public static string? ResolveInside(string recordingsRoot, string relative)
    {
        if (string.IsNullOrEmpty(relative) || Path.IsPathRooted(relative))
            return null;
        try
        {
            var root = RealPath(Path.GetFullPath(recordingsRoot));
            var real = RealPath(Path.GetFullPath(Path.Combine(root, relative)));
            return real.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal) ? real : null;
        }
        catch (IOException)
        {
            return null; // a link loop: nothing there is ours
        }
    }

    /// <summary>Deletes a clip's file, its unfinished .part and its thumbnail (each only inside the recordings folder). Returns the bytes freed.</summary>
    public static long DeleteFilesOf(string recordingsRoot, string clipPath)
    {
        long freed = 0;
        foreach (var relative in new[] { clipPath, clipPath + PartSuffix, ThumbnailOf(clipPath) })
        {
            if (ResolveInside(recordingsRoot, relative) is not { } full || !File.Exists(full))
                continue;
            freed += new FileInfo(full).Length;
            File.Delete(full);
        }
        return freed;
    }

    /// <summary>
    /// Every file under the recordings folder except _damaged/, without following symbolic links:
    /// Directory.EnumerateFiles follows links to folders, which would let a link lead repair or
    /// housekeeping outside. Links (to files or folders) are handed to <paramref name="onLink"/> instead.
    /// </summary>
    public static List<FileInfo> Walk(string recordingsRoot, Action<FileSystemInfo>? onLink = null)
    {
        var root = new DirectoryInfo(recordingsRoot);
        var files = new List<FileInfo>();
        var folders = new Stack<DirectoryInfo>([root]);
        while (folders.TryPop(out var folder))
        {
            foreach (var entry in folder.EnumerateFileSystemInfos())
            {
                if (entry.LinkTarget is not null)
                    onLink?.Invoke(entry);
                else if (entry is FileInfo file)
                    files.Add(file);
                else if (entry is DirectoryInfo directory && !(ReferenceEquals(folder, root) && entry.Name == DamagedFolder))
                    folders.Push(directory);
            }
        }
        return files;
    }

    /// <summary>The path with every symbolic link on the way replaced by where it points (what realpath(3) gives).</summary>
    private static string RealPath(string fullPath)
    {
        var current = Path.GetPathRoot(fullPath) ?? "/";
        foreach (var part in fullPath[current.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            current = Path.Combine(current, part);
            FileSystemInfo entry = Directory.Exists(current) ? new DirectoryInfo(current) : new FileInfo(current);
            if (entry.LinkTarget is not null)
                current = RealPath(Path.GetFullPath(entry.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? current));
        }
        return current;
    }

    /// <summary>The camera id at the end of a camera folder's name ("front-door-3" is 3), for files found without a row.</summary>
    public static int? CameraIdOfFolder(string folderName)
    {
        var dash = folderName.LastIndexOf('-');
        return dash >= 0 && int.TryParse(folderName.AsSpan(dash + 1), out var id) && id > 0 ? id : null;
    }

    public static string Slug(string name)
    {
        var slug = new StringBuilder();
        foreach (var c in name.ToLowerInvariant())
        {
            if (char.IsAsciiLetterOrDigit(c))
                slug.Append(c);
            else if (slug.Length > 0 && slug[^1] != '-')
                slug.Append('-');
            if (slug.Length >= 40)
                break;
        }
        var text = slug.ToString().Trim('-');
        return text.Length == 0 ? "camera" : text;
    }
}
