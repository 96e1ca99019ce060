using Microsoft.AspNetCore.DataProtection;

namespace NvrBlazor.Web.Pull;

/// <summary>A pull camera's user and password: what the server sends to the camera, and nothing else.</summary>
public sealed record PullLogin(string User, string Password)
{
    /// <summary>Never the password: a record's own ToString would print it into any log line or exception that shows the object.</summary>
    public override string ToString() => $"{User}:***";
}

/// <summary>
/// Keeps pull cameras' credentials protected at rest with ASP.NET Core data protection (the key ring is in the data
/// folder, owner-only): the database alone does not give them away. Only the puller unprotects them, to talk to the camera.
/// </summary>
public sealed class PullCredentials(IDataProtectionProvider protection)
{
    private readonly IDataProtector protector = protection.CreateProtector("NvrBlazor.Pull.Credentials");

    public string? Protect(string? user, string? password) =>
        string.IsNullOrEmpty(user) ? null : protector.Protect(user + "\n" + (password ?? ""));

    /// <summary>The login, or null when the camera has none or the key ring that protected it is gone (the admin types it again).</summary>
    public PullLogin? Unprotect(string? stored)
    {
        if (stored is null)
            return null;
        try
        {
            var parts = protector.Unprotect(stored).Split('\n', 2);
            return new PullLogin(parts[0], parts.Length > 1 ? parts[1] : "");
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return null;
        }
    }
}
