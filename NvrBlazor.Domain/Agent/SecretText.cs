using System.Text.RegularExpressions;

namespace NvrBlazor.Domain.Agent;

/// <summary>
/// Takes the user and password out of every address in a text (<c>rtsp://admin:hunter2@cam/1</c> becomes
/// <c>rtsp://***@cam/1</c>) before it is logged or sent to the server: a camera URL's credentials are as secret as
/// a token, and ffmpeg repeats the input address in its error messages.
/// </summary>
public static partial class SecretText
{
    public static string Redact(string text) => UserInfo().Replace(text, "${scheme}://***@");

    [GeneratedRegex(@"(?<scheme>[A-Za-z][A-Za-z0-9+.\-]*)://[^/\s@]+@")]
    private static partial Regex UserInfo();
}
