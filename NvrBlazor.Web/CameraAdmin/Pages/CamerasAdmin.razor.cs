using NvrBlazor.Web.Cameras;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using NvrBlazor.Web.Hosting;
using NvrBlazor.Web.Recording;
using NvrBlazor.Web.Retention;
using MudBlazor;
using NvrBlazor.Web.Shell;

namespace NvrBlazor.Web.CameraAdmin.Pages;

public partial class CamerasAdmin
{
    private static readonly TimeSpan RefreshEvery = TimeSpan.FromSeconds(2);
    private IDisposable? listChanges, activity;
    private IReadOnlyList<Camera> rows = [];

    [Inject] private CameraRegistry Registry { get; set; } = default!;
    [Inject] private CameraHub Hub { get; set; } = default!;
    [Inject] private TimeProvider Clock { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;
    [Inject] private IConfiguration Configuration { get; set; } = default!;
    [Inject] private RecordingService Recording { get; set; } = default!;
    [Inject] private RetentionOptions Retention { get; set; } = default!;
    [Inject] private RecordingHolds Holds { get; set; } = default!;
    [Inject] private ClipStore Clips { get; set; } = default!;
    [Inject] private PageUpdates Updates { get; set; } = default!;
    [CascadingParameter] private Task<AuthenticationState> AuthenticationState { get; set; } = default!;

    private readonly CancellationTokenSource disposed = new();
    private List<CameraDto> cameras = [];
    private int? renaming;
    private string newName = "";
    private string actor = "";
    private bool adding;
    private string newCameraName = "";
    private CameraKind newCameraKind = CameraKind.Agent;
    private string? oneTimeUrl;
    private string? oneTimeFor;

    private string Host => new Uri(Navigation.BaseUri).Host;
    private int HttpPort => EndpointOptions.FromConfiguration(Configuration).HttpPort;

    private string Summary =>
        $"{cameras.Count(c => c.Online)} of {cameras.Count} online · {cameras.Count(c => c.State == CameraState.Pending)} pending";

    protected override async Task OnInitializedAsync()
    {
        actor = (await AuthenticationState).User.Identity?.Name ?? "?";
        await ReloadAsync();
    }

    protected override void OnAfterRender(bool firstRender)
    {
        if (!firstRender)
            return;
        // The list is read again when it changes; live figures (online, fps, frames) come from memory, at most every 2 s.
        listChanges = Updates.Subscribe(TimeSpan.FromMilliseconds(300), () => InvokeAsync(async () => { await ReloadAsync(); StateHasChanged(); }), PageTopic.Cameras);
        activity = Updates.Subscribe(RefreshEvery, () => InvokeAsync(async () => { await RefigureAsync(); StateHasChanged(); }), PageTopic.CameraActivity);
    }

    private async Task ReloadAsync()
    {
        rows = await Registry.ListAsync(disposed.Token);
        Refigure();
    }

    /// <summary>Live figures without pushing video through the circuit, previews fetched by the browser. A camera the list does not know yet (a new ESP32) reloads it.</summary>
    private async Task RefigureAsync()
    {
        if (Hub.All.Any(live => rows.All(row => row.Id != live.Id)))
            await ReloadAsync();
        else
            Refigure();
    }

    private void Refigure()
    {
        var now = Clock.GetUtcNow();
        cameras = rows
            .Select(c => CamerasApi.ToDto(c, Hub.Find(c.Id), now))
            .OrderBy(c => c.State == CameraState.Pending ? 0 : 1).ThenBy(c => c.Name, StringComparer.OrdinalIgnoreCase)
            .ToList();
    }

    private async Task SetStateAsync(CameraDto camera, CameraState state)
    {
        await Registry.SetStateAsync(camera.Id, state, actor, disposed.Token);
        Notify(true, $"'{camera.Name}' is now {state.ToString().ToLowerInvariant()}.");
        await ReloadAsync();
    }

    private async Task CreateAsync()
    {
        var name = newCameraName.Trim();
        if (name.Length is 0 or > 100)
        {
            Notify(false, "A camera name has 1 to 100 characters.");
            return;
        }
        if (newCameraKind == CameraKind.Pull)
        {
            await CreatePullAsync(name);
            return;
        }
        var (camera, token) = await Registry.CreateAsync(name, newCameraKind, actor, disposed.Token);
        if (token is not null)
            ShowAddress(camera.Name, camera.Id, token);
        else
            Notify(true, $"Created browser camera '{camera.Name}'. An admin publishes to it over /ingest?camera={camera.Id} with their own sign-in.");
        adding = false;
        newCameraName = "";
        await ReloadAsync();
    }

    [Inject] private NvrBlazor.Web.Pull.PullCredentials Credentials { get; set; } = default!;
    private PullSourceForm.Model pullForm = new();
    private int? editingPull;

    private async Task CreatePullAsync(string name)
    {
        var input = CamerasApi.ParsePull(pullForm.ToInput());
        if (input.Problem is not null)
        {
            Notify(false, input.Problem);
            return;
        }
        var camera = await Registry.CreatePullAsync(name, input.Source!, Credentials.Protect(input.User, input.Password), actor, disposed.Token);
        Notify(true, $"Added '{camera.Name}': the server pulls it from {input.Source!.Url}. Its card says so if the camera cannot be reached.");
        adding = false;
        newCameraName = "";
        pullForm = new();
        await ReloadAsync();
    }

    private void EditPull(CameraDto camera)
    {
        editingPull = editingPull == camera.Id ? null : camera.Id;
        if (camera.Pull is { } pull)
            pullForm = PullSourceForm.Model.Of(pull);
    }

    private async Task SavePullAsync(CameraDto camera)
    {
        var typed = pullForm.ToInput();
        var input = CamerasApi.ParsePull(typed);
        if (input.Problem is not null)
        {
            Notify(false, input.Problem);
            return;
        }
        var keepLogin = string.IsNullOrEmpty(typed.User) && input.User is null && !pullForm.RemoveLogin;
        if (await Registry.SetPullAsync(camera.Id, input.Source!, Credentials.Protect(input.User, input.Password), keepLogin, actor, disposed.Token) is null)
        {
            Notify(false, "That camera no longer exists.");
            return;
        }
        editingPull = null;
        pullForm = new();
        Notify(true, $"Source of '{camera.Name}' saved; the server pulls it anew.");
        await ReloadAsync();
    }

    private async Task RotateAsync(CameraDto camera)
    {
        if (!await Dialogs.ConfirmAsync("New token", $"Give '{camera.Name}' a new token? The old one stops working at once and its connection is closed.", "New token"))
            return;
        if (await Registry.RotateTokenAsync(camera.Id, actor, disposed.Token) is { } token)
            ShowAddress(camera.Name, camera.Id, token);
        await ReloadAsync();
    }

    /// <summary>The address an agent pastes, token included, built from how this admin reached the server.</summary>
    private void ShowAddress(string name, int id, string token)
    {
        var page = new Uri(Navigation.BaseUri);
        oneTimeFor = name;
        oneTimeUrl = CamerasApi.ConnectUrl(page.Scheme == Uri.UriSchemeHttps, page.Authority, id, token);
    }

    private async Task RenameAsync(CameraDto camera)
    {
        var refusal = await Registry.RenameAsync(camera.Id, newName, actor, disposed.Token);
        Notify(refusal is null, refusal ?? $"Renamed to '{newName.Trim()}'.");
        if (refusal is null)
            renaming = null;
        await ReloadAsync();
    }

    private async Task DeleteAsync(CameraDto camera)
    {
        if (!await Dialogs.ConfirmAsync("Delete camera", $"Delete the camera '{camera.Name}'? If it connects again it comes back as a new pending camera.", "Delete"))
            return;
        // A second question, so keeping the clips (the safe answer) is what closing the dialog does.
        var deleteClips = await Dialogs.ShowMessageBoxAsync("Its clips", $"Also delete every clip recorded by '{camera.Name}'? Kept clips stay viewable under its name.",
            yesText: "Delete its clips too", cancelText: "Keep the clips") == true;
        await Registry.DeleteAsync(camera.Id, actor, deleteClips ? Clips.DeleteAllOfCameraAsync : null, disposed.Token);
        Notify(true, deleteClips ? $"Deleted '{camera.Name}' and its clips." : $"Deleted '{camera.Name}'; its clips are kept.");
        await ReloadAsync();
    }

    private static readonly NvrBlazor.Domain.Recording.RecordingMode[] Modes = Enum.GetValues<NvrBlazor.Domain.Recording.RecordingMode>();
    private static readonly NvrBlazor.Domain.Motion.MotionSource[] Sources = Enum.GetValues<NvrBlazor.Domain.Motion.MotionSource>();
    private int? editingRecording;
    private int? editingZones;

    private static string ModeText(NvrBlazor.Domain.Recording.RecordingMode mode) => mode switch
    {
        NvrBlazor.Domain.Recording.RecordingMode.Off => "Off",
        NvrBlazor.Domain.Recording.RecordingMode.Motion => "On motion",
        NvrBlazor.Domain.Recording.RecordingMode.Continuous => "Continuously",
        NvrBlazor.Domain.Recording.RecordingMode.Detected => "On motion with a detected object",
        _ => mode.ToString(),
    };

    private async Task ZonesDoneAsync(string? saved)
    {
        editingZones = null;
        if (saved is not null)
        {
            Notify(true, saved);
            await ReloadAsync();
        }
    }
    private RecordingForm recordingForm = new();

    private async Task EditRecordingAsync(CameraDto camera)
    {
        if (editingRecording == camera.Id)
        {
            editingRecording = null;
            return;
        }
        if (await Registry.FindAsync(camera.Id, disposed.Token) is not { } row)
            return;
        recordingForm = RecordingForm.Of(RecordingSettingsDto.Of(row), CameraRetentionSettings.Of(row));
        editingRecording = camera.Id;
    }

    private async Task SaveRecordingAsync(CameraDto camera)
    {
        var settings = recordingForm.ToDto().ToSettings();
        var retention = recordingForm.ToRetention();
        if ((settings.Problem() ?? retention.Problem()) is { } problem)
        {
            Notify(false, problem);
            return;
        }
        if (!await Registry.SetRecordingAsync(camera.Id, settings.Recording, settings.Source, settings.Motion, settings.Objects, actor, disposed.Token)
            || !await Registry.SetRetentionAsync(camera.Id, retention.KeepDays, retention.MaxGb, retention.OnLimit, actor, disposed.Token))
        {
            Notify(false, "That camera no longer exists.");
            return;
        }
        Recording.SettingsChanged();
        editingRecording = null;
        Notify(true, $"Recording settings of '{camera.Name}' saved; they apply within a second, its retention at the next retention run.");
        await ReloadAsync();
    }

    /// <summary>The editable copy of a camera's recording settings behind the form.</summary>
    private sealed class RecordingForm
    {
        public NvrBlazor.Domain.Recording.RecordingMode Mode { get; set; }
        public NvrBlazor.Domain.Motion.MotionSource Source { get; set; }
        public int Sensitivity { get; set; }
        public double MinAreaPercent { get; set; }
        public int PreRoll { get; set; }
        public int PostRoll { get; set; }
        public int MaxClip { get; set; }
        public string Objects { get; set; } = "person";
        public double MinScore { get; set; }
        public bool Faces { get; set; }
        public int? KeepDays { get; set; }
        public double? MaxGb { get; set; }
        public NvrBlazor.Domain.Retention.LimitAction OnLimit { get; set; }

        public static RecordingForm Of(RecordingSettingsDto dto, CameraRetentionSettings retention) => new()
        {
            Mode = dto.Mode, Source = dto.MotionSource, Sensitivity = dto.Sensitivity, MinAreaPercent = dto.MinAreaPercent,
            PreRoll = dto.PreRollSeconds, PostRoll = dto.PostRollSeconds, MaxClip = dto.MaxClipSeconds,
            Objects = string.Join(", ", dto.DetectLabels ?? ["person"]), MinScore = dto.DetectMinScore ?? NvrBlazor.Domain.Detection.ObjectTrigger.DefaultMinScore, Faces = dto.DetectFaces ?? false,
            KeepDays = retention.KeepDays, MaxGb = retention.MaxGb, OnLimit = retention.OnLimit,
        };

        public RecordingSettingsDto ToDto() => new(Mode, Source, Sensitivity, MinAreaPercent, PreRoll, PostRoll, MaxClip, (Objects ?? "").Split(','), MinScore, Faces);

        public CameraRetentionSettings ToRetention() => new(KeepDays, MaxGb, OnLimit);
    }

    private void Notify(bool ok, string text) => Snackbar.Say(ok, text);

    private static Color StateColor(CameraState state) => state switch
    {
        CameraState.Active => Color.Primary,
        CameraState.Pending => Color.Warning,
        _ => Color.Error,
    };

    /// <summary>What the camera sent wrong, in words, for the admin who has to fix the camera.</summary>
    private static string Problems(CameraDto camera)
    {
        var c = camera.Counters;
        var parts = new List<string>();
        if (c.NotJpeg > 0) parts.Add($"{c.NotJpeg} frames that were not JPEG");
        if (c.NoTimestamp > 0) parts.Add($"{c.NoTimestamp} frames without timestamp");
        if (c.BrokenJson > 0) parts.Add($"{c.BrokenJson} unreadable status messages");
        if (c.OversizedMessages > 0) parts.Add($"{c.OversizedMessages} oversized messages");
        if (c.DroppedOverMaxFps > 0) parts.Add($"{c.DroppedOverMaxFps} frames dropped over the frame-rate limit");
        return string.Join(" · ", parts);
    }

    public void Dispose()
    {
        listChanges?.Dispose();
        activity?.Dispose();
        disposed.Cancel();
        disposed.Dispose();
    }
}
