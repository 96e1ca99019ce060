using NvrBlazor.Domain.Users;
using System.Security.Claims;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;
using NvrBlazor.Web.Shell;

namespace NvrBlazor.Web.Users.Pages;

public partial class UsersAdmin
{
    [Inject] private UserAdministration Administration { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private TimeProvider Clock { get; set; } = default!;
    [Inject] private SignInGuard Guard { get; set; } = default!;
    [Inject] private NvrBlazor.Web.Live.CameraAccess Access { get; set; } = default!;
    [Inject] private NvrBlazor.Web.Cameras.CameraRegistry Registry { get; set; } = default!;
    [CascadingParameter] private Task<AuthenticationState> AuthenticationState { get; set; } = default!;

    private IReadOnlyList<UserRow> users = [];
    private NewUserInput input = new();
    private bool adding;
    private (string Message, string Password)? secret;
    private DateTimeOffset now;
    private AdminActor actor = new("", "");
    private IReadOnlyList<FailedSignIn> failures = [];

    protected override async Task OnInitializedAsync()
    {
        var principal = (await AuthenticationState).User;
        actor = new AdminActor(principal.FindFirstValue(ClaimTypes.NameIdentifier) ?? "", principal.Identity?.Name ?? "");
        await ReloadAsync();
    }

    private IReadOnlyDictionary<string, (bool AllCameras, int Granted)> grants = new Dictionary<string, (bool, int)>();
    private UserRow? grantsFor;
    private bool grantAll;
    private HashSet<int> grantedIds = [];
    private IReadOnlyList<Camera> allCameras = [];

    private async Task ReloadAsync()
    {
        now = Clock.GetUtcNow();
        users = await Administration.ListAsync();
        failures = Guard.Recent.Take(20).ToList();
        grants = await Access.SummariesAsync(CancellationToken.None);
    }

    private string GrantSummary(UserRow row) => grants.GetValueOrDefault(row.Id) switch
    {
        (true, _) => "All cameras",
        (_, 0) => "None",
        (_, var count) => $"{count} camera{(count == 1 ? "" : "s")}",
    };

    private async Task EditGrantsAsync(UserRow row)
    {
        allCameras = (await Registry.ListAsync(CancellationToken.None)).Where(c => c.State != CameraState.Disabled).ToList();
        var (all, ids) = await Access.GrantsAsync(row.Id, CancellationToken.None);
        grantAll = all;
        grantedIds = ids.ToHashSet();
        grantsFor = row;
    }

    private async Task SaveGrantsAsync()
    {
        if (grantsFor is null)
            return;
        var saved = await Access.SetGrantsAsync(grantsFor.Id, grantAll, grantAll ? [] : grantedIds.ToList(), actor.Name, CancellationToken.None);
        Snackbar.Say(saved, saved ? $"Cameras of '{grantsFor.UserName}' saved." : "That user no longer exists.");
        grantsFor = null;
        await ReloadAsync();
    }

    /// <summary>Opens the form (a second click keeps it open: a double click must not close what the first opened); Cancel closes it.</summary>
    private async Task StartAddingAsync()
    {
        if (adding)
            return;
        allCameras = (await Registry.ListAsync(CancellationToken.None)).Where(c => c.State != CameraState.Disabled).ToList();
        adding = true;
    }

    private static void Toggle(HashSet<int> ids, int id, bool on)
    {
        if (on)
            ids.Add(id);
        else
            ids.Remove(id);
    }

    private async Task CreateAsync()
    {
        var submitted = input;
        var outcome = await Administration.CreateAsync(actor, new NewUser(submitted.UserName, submitted.Email, submitted.Role, submitted.Password, submitted.MustChangePassword));
        if (!await ShowAsync(outcome))
            return;
        // The cameras chosen in the same form: granted as soon as the account exists.
        if (submitted.Role != Roles.Admin && users.FirstOrDefault(u => u.UserName == submitted.UserName.Trim()) is { } created
            && (submitted.AllCameras || submitted.CameraIds.Count > 0))
        {
            await Access.SetGrantsAsync(created.Id, submitted.AllCameras, submitted.AllCameras ? [] : submitted.CameraIds.ToList(), actor.Name, CancellationToken.None);
            await ReloadAsync();
        }
        input = new NewUserInput();
        adding = false;
    }

    private async Task ChangeRoleAsync(UserRow row, string role)
    {
        if (role == row.Role)
            return;
        await ShowAsync(await Administration.ChangeRoleAsync(actor, row.Id, role));
    }

    private async Task ResetPasswordAsync(UserRow row)
    {
        if (!await Dialogs.ConfirmAsync("Reset password", $"Give '{row.UserName}' a new generated password? Their current one stops working.", "Reset"))
            return;
        var outcome = await Administration.ResetPasswordAsync(actor, row.Id);
        if (await ShowAsync(outcome) && outcome.Secret is not null)
            secret = (outcome.Message, outcome.Secret);
    }

    private async Task SetLockedAsync(UserRow row, bool locked) =>
        await ShowAsync(await Administration.SetLockedAsync(actor, row.Id, locked));

    private async Task DeleteAsync(UserRow row)
    {
        if (!await Dialogs.ConfirmAsync("Delete user", $"Delete the user '{row.UserName}'? This cannot be undone.", "Delete"))
            return;
        await ShowAsync(await Administration.DeleteAsync(actor, row.Id));
    }

    /// <summary>Shows the outcome, reloads the grid (a refused role change snaps back), and says whether it succeeded.</summary>
    private async Task<bool> ShowAsync(AdminOutcome outcome)
    {
        if (outcome.Secret is null)
        {
            Snackbar.Say(outcome.Succeeded, outcome.Message);
        }
        await ReloadAsync();
        return outcome.Succeeded;
    }

    private sealed class NewUserInput
    {
        public string UserName { get; set; } = "";
        public string? Email { get; set; }
        public string Role { get; set; } = Roles.Viewer;
        public string Password { get; set; } = PasswordGenerator.Generate();
        public bool MustChangePassword { get; set; } = true;
        public bool AllCameras { get; set; }
        public HashSet<int> CameraIds { get; } = [];
    }
}
