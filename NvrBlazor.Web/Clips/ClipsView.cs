using System.Globalization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using NvrBlazor.Web.Cameras;
using NvrBlazor.Web.Live;

namespace NvrBlazor.Web.Clips;

/// <summary>
/// What the clip pages share: the user's rights and cameras read on the server for every load (a grant
/// taken away a second ago counts now), the catalog that applies them, and how times and sizes read.
/// </summary>
public abstract class ClipsView : ComponentBase
{
    [Inject] protected CameraAccess Access { get; set; } = default!;
    [Inject] protected ClipCatalog Catalog { get; set; } = default!;
    [Inject] protected NavigationManager Navigation { get; set; } = default!;
    [CascadingParameter] private Task<AuthenticationState> AuthenticationState { get; set; } = default!;

    protected ViewerRights? Rights { get; private set; }
    protected IReadOnlyList<Camera> Cameras { get; private set; } = [];
    protected bool IsAdmin => Rights?.IsAdmin == true;

    /// <summary>True once the circuit runs the page (after prerendering): pages put it in data-interactive for tests and scripts.</summary>
    protected bool Interactive { get; private set; }

    protected override void OnAfterRender(bool firstRender)
    {
        if (firstRender)
        {
            Interactive = true;
            StateHasChanged();
        }
    }

    protected async Task LoadRightsAsync()
    {
        Rights = await Access.RightsAsync((await AuthenticationState).User, CancellationToken.None);
        Cameras = await Access.VisibleAsync(Rights, CancellationToken.None);
    }

    /// <summary>Camera ids from a "camera" query value ("3,5"): the ones this user may see.</summary>
    protected List<int> VisibleIds(string? cameraQuery) =>
        (cameraQuery ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries)
            .Select(t => int.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : 0)
            .Where(id => Cameras.Any(c => c.Id == id)).Distinct().ToList();

    /// <summary>A label from the address, if the detector knows it (person, car, ...); anything else is ignored.</summary>
    protected static string? KnownLabel(string? query) =>
        query?.Trim().ToLowerInvariant() is { } label && NvrBlazor.Domain.Detection.DetectorLabels.Known(label) ? label : null;

    public static string Time(DateTimeOffset at) => at.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    public static string Size(long bytes) => bytes switch
    {
        >= 1L << 30 => $"{bytes / (double)(1L << 30):0.00} GB",
        >= 1L << 20 => $"{bytes / (double)(1L << 20):0.0} MB",
        >= 1L << 10 => $"{bytes / 1024.0:0} KB",
        _ => $"{bytes} B",
    };

    public static string Duration(double seconds) =>
        seconds >= 3600 ? TimeSpan.FromSeconds(Math.Round(seconds)).ToString(@"h\:mm\:ss", CultureInfo.InvariantCulture)
        : seconds >= 60 ? TimeSpan.FromSeconds(Math.Round(seconds)).ToString(@"m\:ss", CultureInfo.InvariantCulture)
        : string.Create(CultureInfo.InvariantCulture, $"{seconds:0.0} s");

    public static string ReasonText(NvrBlazor.Domain.Recording.ClipReason reason) => reason.ToString().ToLowerInvariant();
}
