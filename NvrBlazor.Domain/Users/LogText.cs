using System.Text;

namespace NvrBlazor.Domain.Users;

/// <summary>
/// Text from outside (a user name typed at sign-in, a camera's hostName) made safe for one log line: control
/// characters (a newline would forge a second line) become \uXXXX escapes, and it is cut at a length.
/// </summary>
public static class LogText
{
    public static string Safe(string? text, int max = 100)
    {
        if (string.IsNullOrEmpty(text))
            return "";
        var cut = text.Length > max ? text[..max] : text;
        if (!cut.Any(char.IsControl))
            return text.Length > max ? cut + "…" : cut;
        var safe = new StringBuilder(cut.Length + 16);
        foreach (var c in cut)
            safe.Append(char.IsControl(c) ? $"\\u{(int)c:x4}" : c);
        return text.Length > max ? safe.Append('…').ToString() : safe.ToString();
    }

    public static bool HasControl(string text) => text.Any(char.IsControl);
}
