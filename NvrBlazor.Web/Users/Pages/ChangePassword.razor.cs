using Microsoft.AspNetCore.Components;
using System.ComponentModel.DataAnnotations;

namespace NvrBlazor.Web.Users.Pages;

public partial class ChangePassword
{
    [CascadingParameter] private HttpContext HttpContext { get; set; } = default!;
    [SupplyParameterFromForm] private PasswordInput? Input { get; set; }
    [SupplyParameterFromQuery] private string? ReturnUrl { get; set; }

    private string? error;
    private bool mustChange;

    protected override void OnInitialized()
    {
        Input ??= new();
        mustChange = HttpContext.User.HasClaim(NvrClaimsPrincipalFactory.MustChangePasswordClaim, "true");
    }

    private async Task ChangeAsync()
    {
        if (Input!.NewPassword != Input!.ConfirmPassword)
        {
            error = "The two new passwords differ.";
            return;
        }
        if (Input!.NewPassword == Input!.CurrentPassword)
        {
            error = "Choose a password different from the current one.";
            return;
        }
        var user = await UserManager.GetUserAsync(HttpContext.User);
        if (user is null)
        {
            Navigation.NavigateTo("/login", forceLoad: true);
            return;
        }
        var result = await UserManager.ChangePasswordAsync(user, Input!.CurrentPassword, Input!.NewPassword);
        if (!result.Succeeded)
        {
            error = string.Join(" ", result.Errors.Select(e => e.Code == "PasswordMismatch" ? "The current password is wrong." : e.Description));
            return;
        }
        user.MustChangePassword = false;
        await UserManager.UpdateAsync(user);
        // ChangePasswordAsync renewed the security stamp; a fresh cookie keeps this browser signed in.
        await SignInManager.RefreshSignInAsync(user);
        Logger.LogInformation("User '{UserName}' changed their password.", user.UserName);
        Navigation.NavigateTo(LocalUrl.OrHome(ReturnUrl), forceLoad: true);
    }

    private sealed class PasswordInput
    {
        [Required(ErrorMessage = "Enter your current password.")]
        public string CurrentPassword { get; set; } = "";

        [Required(ErrorMessage = "Enter a new password.")]
        public string NewPassword { get; set; } = "";

        [Required(ErrorMessage = "Repeat the new password.")]
        public string ConfirmPassword { get; set; } = "";
    }
}
