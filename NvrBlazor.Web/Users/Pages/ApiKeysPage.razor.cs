using System.Security.Claims;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;
using NvrBlazor.Web.Shell;

namespace NvrBlazor.Web.Users.Pages;

public partial class ApiKeysPage
{
    [Inject] private ApiKeyStore Store { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;
    [CascadingParameter] private Task<AuthenticationState> AuthenticationState { get; set; } = default!;

    private IReadOnlyList<ApiKey> keys = [];
    private string? name;
    private string? error;
    private (string Name, string Key)? created;
    private string userId = "";
    private string userName = "";

    /// <summary>Shown in the example URL.</summary>
    private string Host => new Uri(Navigation.BaseUri).Authority;

    protected override async Task OnInitializedAsync()
    {
        var user = (await AuthenticationState).User;
        userId = user.FindFirstValue(ClaimTypes.NameIdentifier) ?? "";
        userName = user.Identity?.Name ?? "?";
        keys = await Store.ListAsync(userId, CancellationToken.None);
    }

    private async Task CreateAsync()
    {
        var (row, key, problem) = await Store.CreateAsync(userId, userName, name, CancellationToken.None);
        error = problem;
        if (row is not null && key is not null)
        {
            created = (row.Name, key);
            name = null;
            keys = await Store.ListAsync(userId, CancellationToken.None);
        }
    }

    private async Task RevokeAsync(ApiKey key)
    {
        if (!await Dialogs.ConfirmAsync("Revoke key", $"Revoke \"{key.Name}\"? Programs using it stop working at once.", "Revoke"))
            return;
        await Store.RevokeAsync(userId, userName, key.Id, CancellationToken.None);
        if (created?.Name == key.Name)
            created = null;
        keys = await Store.ListAsync(userId, CancellationToken.None);
    }
}
