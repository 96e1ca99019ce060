using System.Globalization;
using System.Text;

namespace NvrBlazor.Domain.Clips;

/// <summary>
/// The names a clip gets when it leaves the NVR: "&lt;camera&gt;_&lt;yyyy-MM-dd_HH-mm-ss&gt;.mp4" in the
/// server's local time (the time the camera showed), readable and safe on every file system.
/// </summary>
public static class ClipNames
{
    public static string Download(string cameraName, DateTimeOffset localStart) =>
        $"{SafeCamera(cameraName)}_{localStart.ToString("yyyy-MM-dd_HH-mm-ss", CultureInfo.InvariantCulture)}.mp4";

    /// <summary>
    /// The camera's name with what file systems, shells and ZIP tools stumble over (path separators,
    /// control characters, reserved punctuation, spaces) turned into "-"; letters of any script are kept.
    /// </summary>
    public static string SafeCamera(string cameraName)
    {
        var safe = new StringBuilder();
        foreach (var c in cameraName.Trim())
        {
            var keep = char.IsLetterOrDigit(c) || c is '-' or '.' or '(' or ')';
            if (keep)
                safe.Append(c);
            else if (safe.Length > 0 && safe[^1] != '-')
                safe.Append('-');
            if (safe.Length >= 60)
                break;
        }
        var text = safe.ToString().Trim('-', '.');
        return text.Length == 0 ? "camera" : text;
    }

    /// <summary>Hands out names for the entries of one archive: a second clip of the same camera and second becomes "..._2.mp4".</summary>
    public sealed class Unique
    {
        private readonly HashSet<string> used = new(StringComparer.OrdinalIgnoreCase);

        public string Next(string name)
        {
            if (used.Add(name))
                return name;
            var stem = Path.GetFileNameWithoutExtension(name);
            var extension = Path.GetExtension(name);
            for (var n = 2; ; n++)
            {
                var candidate = $"{stem}_{n}{extension}";
                if (used.Add(candidate))
                    return candidate;
            }
        }
    }
}
