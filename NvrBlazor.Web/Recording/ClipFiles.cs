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

    public static string ThumbnailOf(string clipPath) => Path.ChangeExtension(clipPath, ".jpg");

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
