using Microsoft.AspNetCore.Http.HttpResults;
using NvrBlazor.Domain.Motion;
using NvrBlazor.Domain.Recording;
using NvrBlazor.Domain.Users;
using NvrBlazor.Web.Cameras;

namespace NvrBlazor.Web.Recording;

/// <summary>A camera's recording settings as the API and the admin page show them (seconds and percent, not TimeSpans).</summary>
/// <param name="Mode">off, motion, continuous, or detected (on motion once the object detector saw one of <paramref name="DetectLabels"/>).</param>
/// <param name="DetectLabels">The detector's labels that count for this camera (default person); omitted: person.</param>
/// <param name="DetectMinScore">Their minimum score, 0.05-0.99; omitted: 0.5.</param>
/// <param name="DetectFaces">Also look for faces on the people found (label "face"); omitted: off.</param>
public sealed record RecordingSettingsDto(
    RecordingMode Mode, MotionSource MotionSource, int Sensitivity, double MinAreaPercent, int PreRollSeconds, int PostRollSeconds, int MaxClipSeconds,
    IReadOnlyList<string>? DetectLabels = null, double? DetectMinScore = null, bool? DetectFaces = null)
{
    public static RecordingSettingsDto Of(Camera camera) => new(camera.RecordingMode, camera.MotionSource, camera.MotionSensitivity,
        camera.MotionMinAreaPercent, camera.PreRollSeconds, camera.PostRollSeconds, camera.MaxClipSeconds,
        NvrBlazor.Domain.Detection.DetectionTally.Split(camera.DetectLabels), camera.DetectMinScore, camera.DetectFaces);

    public CameraRecordingSettings ToSettings() => new(
        new RecordingSettings(Mode, TimeSpan.FromSeconds(PreRollSeconds), TimeSpan.FromSeconds(PostRollSeconds), TimeSpan.FromSeconds(MaxClipSeconds)),
        MotionSource, new MotionSettings(Sensitivity, MinAreaPercent), NvrBlazor.Domain.Detection.ObjectTrigger.From(DetectLabels, DetectMinScore, DetectFaces ?? false));
}

/// <summary>RetentionHold: why retention keeps this camera from starting clips (it is set to stop recording at a storage limit), or null.</summary>
public sealed record RecordingStatusDto(RecordingSettingsDto Settings, bool Recording, bool Manual, string? DiskAlert, bool ServerMotionAvailable, string? RetentionHold);

public sealed record ManualRecording(bool Record);

/// <summary>/api/cameras/{id}/recording (settings, Admin) and /api/cameras/{id}/record (manual Record/Stop, Admin).</summary>
public static class RecordingApi
{
    public static RouteGroupBuilder MapRecordingApi(this WebApplication app)
    {
        var group = app.MapGroup("/api/cameras/{id:int}").RequireAuthorization(policy => policy.RequireRole(Roles.Admin));
        group.MapGet("/recording", GetAsync);
        group.MapPut("/recording", PutAsync).DisableAntiforgery();
        group.MapPost("/record", RecordAsync).DisableAntiforgery();
        return group;
    }

    private static async Task<Results<Ok<RecordingStatusDto>, NotFound>> GetAsync(
        int id, CameraRegistry registry, CameraHub hub, RecordingService recording, DiskSpaceGuard disk, RecordingHolds holds, CancellationToken cancellationToken)
    {
        if (await registry.FindAsync(id, cancellationToken) is not { } camera)
            return TypedResults.NotFound();
        return TypedResults.Ok(new RecordingStatusDto(RecordingSettingsDto.Of(camera), hub.Find(id)?.Recording ?? false,
            recording.IsManual(id), disk.Alert, recording.ServerMotionAvailable, holds.Why(id)));
    }

    private static async Task<Results<Ok<RecordingSettingsDto>, NotFound, BadRequest<ProblemMessage>>> PutAsync(
        int id, RecordingSettingsDto body, HttpContext context, CameraRegistry registry, RecordingService recording, CancellationToken cancellationToken)
    {
        var settings = body.ToSettings();
        if (settings.Problem() is { } problem)
            return TypedResults.BadRequest(new ProblemMessage(problem));
        if (!await registry.SetRecordingAsync(id, settings.Recording, settings.Source, settings.Motion, settings.Objects, context.User.Identity?.Name ?? "?", cancellationToken))
            return TypedResults.NotFound();
        recording.SettingsChanged();
        return TypedResults.Ok(body with { DetectLabels = settings.Objects.Labels, DetectMinScore = settings.Objects.MinScore, DetectFaces = settings.Objects.Faces });
    }

    private static async Task<Results<Accepted<ManualRecording>, NotFound, Conflict<ProblemMessage>>> RecordAsync(
        int id, ManualRecording body, CameraRegistry registry, RecordingService recording, CancellationToken cancellationToken)
    {
        if (await registry.FindAsync(id, cancellationToken) is null)
            return TypedResults.NotFound();
        return recording.SetManual(id, body.Record)
            ? TypedResults.Accepted($"/api/cameras/{id}/recording", body)
            : TypedResults.Conflict(new ProblemMessage("This camera cannot record now: it must be active (approved) and online."));
    }
}
