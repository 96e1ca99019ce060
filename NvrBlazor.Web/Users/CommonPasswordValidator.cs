using Microsoft.AspNetCore.Identity;

namespace NvrBlazor.Web.Users;

/// <summary>
/// Refuses a password that contains the user name (`victim1234` for `victim`) or is one of the most common
/// passwords (Users/common-passwords.txt, shipped beside the app, compared without case).
/// </summary>
public sealed class CommonPasswordValidator : IPasswordValidator<NvrUser>
{
    public const string ListFile = "common-passwords.txt";

    private static readonly Lazy<HashSet<string>> Common = new(() =>
        File.ReadLines(Path.Combine(AppContext.BaseDirectory, ListFile))
            .Where(line => line.Length > 0 && !line.StartsWith("# ", StringComparison.Ordinal))
            .ToHashSet(StringComparer.Ordinal));

    public Task<IdentityResult> ValidateAsync(UserManager<NvrUser> manager, NvrUser user, string? password)
    {
        if (string.IsNullOrEmpty(password))
            return Task.FromResult(IdentityResult.Success);
        var name = user.UserName ?? "";
        if (name.Length >= 3 && password.Contains(name, StringComparison.OrdinalIgnoreCase))
            return Task.FromResult(IdentityResult.Failed(new IdentityError { Code = "PasswordContainsUserName", Description = "The password must not contain the user name." }));
        if (Common.Value.Contains(password.ToLowerInvariant()))
            return Task.FromResult(IdentityResult.Failed(new IdentityError { Code = "PasswordTooCommon", Description = "This password is one of the most common passwords; choose another (a few unrelated words make a good one)." }));
        return Task.FromResult(IdentityResult.Success);
    }
}
