using System.Security.Cryptography;
using System.Text;

namespace NvrBlazor.Domain.Ingest;

/// <summary>
/// Per-camera secrets for NvrBlazor's own protocol: 32 random bytes as URL-safe text, shown once;
/// only the SHA-256 is stored. A long random token needs no slow hash: guessing is hopeless anyway.
/// </summary>
public static class CameraToken
{
    public static (string Token, string Hash) Create()
    {
        var token = "nvr_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return (token, Hash(token));
    }

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
