namespace NvrBlazor.Web.Users;

/// <summary>Section "Nvr:Users": password and lockout policy.</summary>
public sealed class UsersOptions
{
    public int MinPasswordLength { get; set; } = 10;
    public int LockoutAttempts { get; set; } = 5;
    public int LockoutMinutes { get; set; } = 5;
}
