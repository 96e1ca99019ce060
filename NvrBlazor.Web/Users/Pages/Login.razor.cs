using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Identity;
using NvrBlazor.Domain.Users;
using System.ComponentModel.DataAnnotations;

namespace NvrBlazor.Web.Users.Pages;

public partial class Login
{
    [CascadingParameter] private HttpContext HttpContext { get; set; } = default!;
    [SupplyParameterFromForm] private LoginInput? Input { get; set; }
    [SupplyParameterFromQuery] private string? ReturnUrl { get; set; }

    private string? error;

    protected override void OnInitialized() => Input ??= new();

    private async Task SignInAsync()
    {
        var name = Input!.UserName.Trim();
        var address = HttpContext.Connection.RemoteIpAddress;
        // The same answers, and about the same time, whether or not the account exists (no user-name discovery).
        var verdict = Guard.Check(name, address);
        if (verdict.Refused)
        {
            Guard.Failed(name, address, SignInGuard.Outcomes.Throttled);
            Logger.LogWarning("Sign-in refused: too many failed sign-ins for user '{UserName}' from {Address} (Nvr:Users:LockoutAttempts, Nvr:Users:LockoutMinutes).", LogText.Safe(name), address);
            error = $"Too many failed sign-ins for this user name from your address. Try again after {verdict.RetryAt!.Value.ToLocalTime():HH:mm}, or from another device.";
            return;
        }
        if (verdict.Delay > TimeSpan.Zero)
            await Task.Delay(verdict.Delay);

        var user = await UserManager.FindByNameAsync(name);
        if (user is null)
        {
            // The same work as for a real account, on a stand-in that is not in the database, so that an unknown
            // name answers no faster than a wrong password.
            await SignInManager.PasswordSignInAsync(TimingStandIn.Value, Input!.Password, false, lockoutOnFailure: false);
            await FailAsync(name, address);
            return;
        }
        // An account is locked only by an admin: failed sign-ins are throttled by address instead, so a stranger cannot lock anyone out.
        var result = await SignInManager.PasswordSignInAsync(user, Input!.Password, Input!.RememberMe, lockoutOnFailure: false);
        if (result.IsLockedOut)
        {
            if (!await UserManager.CheckPasswordAsync(user, Input!.Password))
            {
                await FailAsync(name, address);
                return;
            }
            Guard.Failed(name, address, SignInGuard.Outcomes.LockedByAdmin);
            Logger.LogWarning("Sign-in refused: user '{UserName}' is locked by an admin (from {Address}).", LogText.Safe(name), address);
            await Audit.AdminAsync(user.UserName!, AuditAction.SignInFailed, $"refused: the account is locked (from {address})", CancellationToken.None);
            error = "This account is locked. Ask an admin to unlock it.";
            return;
        }
        if (!result.Succeeded)
        {
            await FailAsync(name, address);
            return;
        }
        Guard.Succeeded(name, address);
        await Audit.AdminAsync(user.UserName!, AuditAction.SignIn, $"signed in from {address}", CancellationToken.None);

        user.LastSignInAt = Clock.GetUtcNow();
        await UserManager.UpdateAsync(user);
        var target = LocalUrl.OrHome(ReturnUrl);
        Navigation.NavigateTo(user.MustChangePassword
            ? $"{PasswordChangeGate.ChangePasswordPath}?returnUrl={Uri.EscapeDataString(target)}"
            : target, forceLoad: true);
    }

    /// <summary>A wrong user name or password: counted by the guard, logged, and one audit line under the name that was typed.
    /// Refusals of a throttled address are not audited: a password-guessing flood would fill the log.</summary>
    private async Task FailAsync(string name, System.Net.IPAddress? address)
    {
        Guard.Failed(name, address, SignInGuard.Outcomes.WrongPassword);
        Logger.LogWarning("Sign-in failed for user '{UserName}' from {Address}.", LogText.Safe(name), address);
        await Audit.AdminAsync(LogText.Safe(name), AuditAction.SignInFailed, $"wrong user name or password (from {address})", CancellationToken.None);
        error = "Wrong user name or password.";
    }

    /// <summary>A user that is in no database, with the hash of a random password: signing in as it costs what a wrong password costs.</summary>
    private static readonly Lazy<NvrUser> TimingStandIn = new(() =>
    {
        var user = new NvrUser { UserName = "-", SecurityStamp = Guid.NewGuid().ToString() };
        user.PasswordHash = new PasswordHasher<NvrUser>().HashPassword(user, Guid.NewGuid().ToString());
        return user;
    });

    private sealed class LoginInput
    {
        [Required(ErrorMessage = "Enter your user name.")]
        public string UserName { get; set; } = "";

        [Required(ErrorMessage = "Enter your password.")]
        public string Password { get; set; } = "";

        public bool RememberMe { get; set; }
    }
}
