using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace NvrBlazor.Domain.Users;

/// <summary>
/// API keys for programs: "nvrk_" and 32 random bytes as URL-safe text, shown once; only the SHA-256 is stored
/// (a long random key needs no slow hash: guessing is hopeless anyway). A program sends it as
/// <c>Authorization: Bearer &lt;key&gt;</c>, or as the password of HTTP Basic authentication for clients that
/// only know user:password URLs (VLC, ffmpeg, OpenCV, Home Assistant's MJPEG camera).
/// </summary>
public static class ApiKeyText
{
    public const string Prefix = "nvrk_";
    /// <summary>The prefix and 43 characters of base64url.</summary>
    public const int Length = 48;
    /// <summary>How much of a key the list shows, so a person can tell their keys apart.</summary>
    public const int ShownLength = 12;

    public static (string Key, string Hash) Create()
    {
        var key = Prefix + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        return (key, Hash(key));
    }

    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    public static string Shown(string key) => key[..ShownLength];

    /// <summary>
    /// The key in an Authorization header: "Bearer &lt;key&gt;", or "Basic base64(anything:&lt;key&gt;)". Null when the
    /// header carries no key (another scheme, or a Basic password that is not a key); an error when it is a
    /// key-shaped value that cannot be one (wrong length or characters), so the caller learns what was wrong.
    /// </summary>
    public static (string? Key, string? Error) FromAuthorization(string? header)
    {
        if (string.IsNullOrWhiteSpace(header))
            return (null, null);
        var space = header.IndexOf(' ');
        if (space <= 0)
            return (null, null);
        var scheme = header[..space];
        var value = header[(space + 1)..].Trim();
        string candidate;
        if (scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase))
            candidate = value;
        else if (scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase))
        {
            string decoded;
            try
            {
                decoded = Encoding.UTF8.GetString(Convert.FromBase64String(value));
            }
            catch (FormatException)
            {
                return (null, "the Basic credentials are not base64");
            }
            var colon = decoded.IndexOf(':');
            candidate = colon < 0 ? "" : decoded[(colon + 1)..];
            if (!candidate.StartsWith(Prefix, StringComparison.Ordinal))
                return (null, null);
        }
        else
            return (null, null);

        if (!candidate.StartsWith(Prefix, StringComparison.Ordinal))
            return (null, $"an API key starts with \"{Prefix}\"");
        if (candidate.Length != Length || !candidate.AsSpan(Prefix.Length).ContainsOnlyBase64Url())
            return (null, $"an API key is {Length} characters of letters, digits, '-' and '_'");
        return (candidate, null);
    }

    private static bool ContainsOnlyBase64Url(this ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not '-' and not '_')
                return false;
        }
        return true;
    }
}
