using NvrBlazor.Web.Hosting;
using Microsoft.EntityFrameworkCore;
using NvrBlazor.Domain.Ingest;
using NvrBlazor.Web.Data;
using NvrBlazor.Web.Ingest;

namespace NvrBlazor.Web.Cameras;

public sealed record Admission(Camera? Camera, string? Refusal);

/// <summary>The Cameras table: admission of connecting cameras and the changes admins make.</summary>
public sealed partial class CameraRegistry(
    IServiceScopeFactory scopes, CameraHub hub, Audit.AuditLog audit, PageUpdates updates, TimeProvider clock, ILogger<CameraRegistry> logger)
{
    /// <summary>A camera that registered itself and was never approved is forgotten after this long unseen.</summary>
    public static readonly TimeSpan PendingExpiry = TimeSpan.FromHours(24);

    /// <summary>
    /// An ESP32 camera identified itself (hostName, or "ip:address" without a clock). Unknown ones are
    /// registered according to Nvr:Ingest:Esp32Admission (at most Nvr:Ingest:MaxPending waiting; unapproved
    /// ones unseen for a day are forgotten); disabled ones are refused. An approved camera that comes back
    /// from outside its address policy is put back to pending with the reason. Every change of a known
    /// camera's address is in the audit log.
    /// </summary>
    public async Task<Admission> AdmitEsp32Async(string hostName, string? remoteAddress, Esp32Admission admission, int maxPending, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<NvrDbContext>();
            var camera = await db.Cameras.FirstOrDefaultAsync(c => c.HostName == hostName, cancellationToken);
            var now = clock.GetUtcNow();
            string? moved = null;
            if (camera is null)
            {
                if (admission == Esp32Admission.Closed)
                    return new Admission(null, "unknown camera, and Nvr:Ingest:Esp32Admission is Closed: an admin must add it first");
                if (admission == Esp32Admission.Pending)
                {
                    // Few rows (capped), and SQLite cannot compare DateTimeOffset columns: the age is judged here.
                    var waiting = await db.Cameras.Where(c => c.State == CameraState.Pending).ToListAsync(cancellationToken);
                    var expired = waiting.Where(c => c.Kind == CameraKind.Esp32 && c.PendingReason == null && c.LastSeenAt is { } seen && now - seen > PendingExpiry).ToList();
                    db.Cameras.RemoveRange(expired);
                    if (waiting.Count - expired.Count >= maxPending)
                        return new Admission(null, $"too many cameras are waiting for approval ({maxPending}, Nvr:Ingest:MaxPending): approve or reject them on Admin > Cameras");
                }
                camera = new Camera
                {
                    Name = hostName,
                    Kind = CameraKind.Esp32,
                    HostName = hostName,
                    State = admission == Esp32Admission.Open ? CameraState.Active : CameraState.Pending,
                    CreatedAt = clock.GetUtcNow(),
                };
                db.Cameras.Add(camera);
                LogNewCamera(logger, hostName, remoteAddress, camera.State);
                updates.Changed(PageTopic.Cameras);
            }
            else if (hub.Find(camera.Id) is { } live && live.IsStreaming(now) && live.RemoteAddress != remoteAddress)
            {
                // Someone else claims a camera that streams right now: nothing about it changes (not its address, not its state).
                return new Admission(null, live.RefuseSecondConnection(remoteAddress, now));
            }
            else if (camera.LastRemoteAddress != remoteAddress && camera.State != CameraState.Disabled)
            {
                moved = $"address {camera.LastRemoteAddress ?? "none"} → {remoteAddress ?? "unknown"}";
                if (camera.State == CameraState.Active && CameraAddressRules.Refuse(camera.AddressPolicy, camera.LastRemoteAddress, remoteAddress) is { } why)
                {
                    camera.State = CameraState.Pending;
                    camera.PendingReason = $"Pending again: {why}. Approve it if that is the camera.".Ellipsis(200);
                    moved += "; back to pending (outside its address policy)";
                    LogBackToPending(logger, camera.Name, why);
                }
            }
            if (camera.State == CameraState.Disabled)
                return new Admission(camera, "this camera is disabled by an admin");
            camera.LastSeenAt = now;
            camera.LastRemoteAddress = remoteAddress;
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                if (moved is not null)
                    await audit.CameraAddressAsync(camera.Id, camera.Name, moved, cancellationToken);
                return new Admission(camera, null);
            }
            catch (DbUpdateException) when (attempt == 0)
            {
                // The same new camera connected twice at once: the other connection registered it; read it again.
            }
        }
    }

    /// <summary>
    /// A camera's connection ended: its last-seen time and resolution (the frames' own, or what its status claimed) are
    /// kept, so they survive a restart. A failure is logged, never thrown: it is a nicety the next connection writes again.
    /// </summary>
    public async Task RememberLastSeenAsync(CameraLive live)
    {
        var claimed = FrameSizes.FromStatus(live.StatusValue("framesize"));
        var size = live.FrameSize ?? (claimed is null ? null : (claimed.Width, claimed.Height));
        int? width = size?.Width, height = size?.Height;
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<NvrDbContext>();
            await db.Cameras.Where(c => c.Id == live.Id).ExecuteUpdateAsync(set => set
                .SetProperty(c => c.LastSeenAt, clock.GetUtcNow())
                .SetProperty(c => c.Width, c => width ?? c.Width)
                .SetProperty(c => c.Height, c => height ?? c.Height), CancellationToken.None);
        }
        catch (Exception e) when (e is DbUpdateException or Microsoft.Data.Sqlite.SqliteException or InvalidOperationException or ObjectDisposedException)
        {
            LogNotSaved(logger, live.Name, e.Message);
        }
    }

    public async Task<IReadOnlyList<Camera>> ListAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NvrDbContext>();
        return await db.Cameras.AsNoTracking().OrderBy(c => c.Name).ToListAsync(cancellationToken);
    }

    public async Task<Camera?> FindAsync(int id, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NvrDbContext>();
        return await db.Cameras.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, cancellationToken);
    }

    /// <summary>Approve (Active), disable or put back to pending. Disabling closes the camera's connection with the reason.</summary>
    public async Task<Camera?> SetStateAsync(int id, CameraState state, string actor, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NvrDbContext>();
        var camera = await db.Cameras.FirstOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (camera is null)
            return null;
        var before = camera.State;
        camera.State = state;
        if (state != CameraState.Pending)
            camera.PendingReason = null;
        await db.SaveChangesAsync(cancellationToken);
        var live = hub.For(camera);
        if (state == CameraState.Disabled)
            live.CloseSession("this camera was disabled by an admin");
        LogStateChange(logger, actor, camera.Name, state);
        await audit.AdminAsync(actor, AuditAction.Camera, $"{StateVerb(before, state)}: {before} → {state}", cancellationToken, camera.Id, camera.Name);
        updates.Changed(PageTopic.Cameras);
        return camera;
    }

    /// <summary>
    /// An admin adds a camera that speaks NvrBlazor's protocol: an agent gets a token (returned once,
    /// stored as a hash); a browser camera publishes with its admin's sign-in instead.
    /// </summary>
    public async Task<(Camera Camera, string? Token)> CreateAsync(string name, CameraKind kind, string actor, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NvrDbContext>();
        var (token, hash) = kind == CameraKind.Agent ? CameraToken.Create() : (null, null);
        var camera = new Camera { Name = name.Trim(), Kind = kind, TokenHash = hash, State = CameraState.Active, CreatedAt = clock.GetUtcNow() };
        db.Cameras.Add(camera);
        await db.SaveChangesAsync(cancellationToken);
        LogCreated(logger, actor, camera.Name, kind);
        await audit.AdminAsync(actor, AuditAction.Camera, $"added ({kind.ToString().ToLowerInvariant()} camera)", cancellationToken, camera.Id, camera.Name);
        updates.Changed(PageTopic.Cameras);
        return (camera, token);
    }

    /// <summary>An admin adds a camera the server pulls (MJPEG, snapshot or RTSP); <paramref name="protectedLogin"/> is already protected.</summary>
    public async Task<Camera> CreatePullAsync(string name, NvrBlazor.Domain.Pull.PullSource source, string? protectedLogin, string actor, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NvrDbContext>();
        var camera = new Camera { Name = name.Trim(), Kind = CameraKind.Pull, State = CameraState.Active, CreatedAt = clock.GetUtcNow() };
        SetPull(camera, source, protectedLogin);
        db.Cameras.Add(camera);
        await db.SaveChangesAsync(cancellationToken);
        LogCreated(logger, actor, camera.Name, CameraKind.Pull);
        await audit.AdminAsync(actor, AuditAction.Camera, $"added (pull camera, {NvrBlazor.Domain.Pull.PullSource.Describe(source.Kind)} from {source.Url})", cancellationToken, camera.Id, camera.Name);
        updates.Changed(PageTopic.Cameras);
        return camera;
    }

    /// <summary>A pull camera's new source; <paramref name="keepLogin"/> keeps the stored user and password (the form leaves them empty). Null when not a pull camera.</summary>
    public async Task<Camera?> SetPullAsync(int id, NvrBlazor.Domain.Pull.PullSource source, string? protectedLogin, bool keepLogin, string actor, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NvrDbContext>();
        var camera = await db.Cameras.FirstOrDefaultAsync(c => c.Id == id && c.Kind == CameraKind.Pull, cancellationToken);
        if (camera is null)
            return null;
        SetPull(camera, source, keepLogin ? camera.PullCredentials : protectedLogin);
        await db.SaveChangesAsync(cancellationToken);
        await audit.AdminAsync(actor, AuditAction.Camera, $"source: {NvrBlazor.Domain.Pull.PullSource.Describe(source.Kind)} from {source.Url} at {source.Fps} fps", cancellationToken, camera.Id, camera.Name);
        updates.Changed(PageTopic.Cameras);
        return camera;
    }

    private static void SetPull(Camera camera, NvrBlazor.Domain.Pull.PullSource source, string? protectedLogin)
    {
        camera.PullKind = source.Kind;
        camera.PullUrl = source.Url;
        camera.PullFps = source.Fps;
        camera.PullWidth = source.Width;
        camera.PullCredentials = protectedLogin;
    }

    /// <summary>A new token for an agent camera; the old one stops working at once and its connection is closed.</summary>
    public async Task<string?> RotateTokenAsync(int id, string actor, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NvrDbContext>();
        var camera = await db.Cameras.FirstOrDefaultAsync(c => c.Id == id && c.Kind == CameraKind.Agent, cancellationToken);
        if (camera is null)
            return null;
        var (token, hash) = CameraToken.Create();
        camera.TokenHash = hash;
        await db.SaveChangesAsync(cancellationToken);
        hub.Find(id)?.CloseSession("the camera's token was replaced");
        LogRotated(logger, actor, camera.Name);
        await audit.AdminAsync(actor, AuditAction.Camera, "new token (the old one stopped working)", cancellationToken, camera.Id, camera.Name);
        updates.Changed(PageTopic.Cameras);
        return token;
    }

    public async Task<Camera?> FindByTokenAsync(string token, CancellationToken cancellationToken)
    {
        var hash = CameraToken.Hash(token);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NvrDbContext>();
        return await db.Cameras.AsNoTracking().FirstOrDefaultAsync(c => c.TokenHash == hash, cancellationToken);
    }

    public async Task<string?> RenameAsync(int id, string name, string actor, CancellationToken cancellationToken)
    {
        name = name.Trim();
        if (name.Length is 0 or > 100)
            return "A camera name has 1 to 100 characters.";
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NvrDbContext>();
        var camera = await db.Cameras.FirstOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (camera is null)
            return "That camera no longer exists.";
        var old = camera.Name;
        camera.Name = name;
        await db.SaveChangesAsync(cancellationToken);
        hub.For(camera);
        LogRenamed(logger, actor, old, name);
        await audit.AdminAsync(actor, AuditAction.Camera, $"renamed: '{old}' → '{name}'", cancellationToken, camera.Id, name);
        updates.Changed(PageTopic.Cameras);
        return null;
    }

    /// <summary>A camera's recording, motion and object detection settings (checked by the caller: Recording.CameraRecordingSettings.Problem).</summary>
    public async Task<bool> SetRecordingAsync(int id, NvrBlazor.Domain.Recording.RecordingSettings recording, NvrBlazor.Domain.Motion.MotionSource source,
        NvrBlazor.Domain.Motion.MotionSettings motion, NvrBlazor.Domain.Detection.ObjectTrigger objects, string actor, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NvrDbContext>();
        var camera = await db.Cameras.FirstOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (camera is null)
            return false;
        var before = RecordingText(camera);
        camera.RecordingMode = recording.Mode;
        camera.MotionSource = source;
        camera.MotionSensitivity = motion.Sensitivity;
        camera.MotionMinAreaPercent = motion.MinAreaPercent;
        camera.PreRollSeconds = (int)recording.PreRoll.TotalSeconds;
        camera.PostRollSeconds = (int)recording.PostRoll.TotalSeconds;
        camera.MaxClipSeconds = (int)recording.MaxClipLength.TotalSeconds;
        camera.DetectLabels = objects.Stored;
        camera.DetectMinScore = objects.MinScore;
        camera.DetectFaces = objects.Faces;
        await db.SaveChangesAsync(cancellationToken);
        hub.For(camera); // whose motion counts changes at once, for the camera's tile as for its recorder
        LogRecordingSettings(logger, actor, camera.Name, recording.Mode, source);
        await audit.AdminAsync(actor, AuditAction.Settings, "recording: " + Changes(before, RecordingText(camera)), cancellationToken, camera.Id, camera.Name);
        updates.Changed(PageTopic.Cameras);
        return true;
    }

    /// <summary>A camera's masks and zones (checked by the caller: Domain.Zones.CameraZones.From); the motion and object detectors follow at once.</summary>
    public async Task<bool> SetZonesAsync(int id, NvrBlazor.Domain.Zones.CameraZones zones, string actor, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NvrDbContext>();
        var camera = await db.Cameras.FirstOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (camera is null)
            return false;
        var before = NvrBlazor.Domain.Zones.CameraZones.Parse(camera.Zones, out _);
        camera.Zones = zones.Stored;
        await db.SaveChangesAsync(cancellationToken);
        hub.For(camera);
        LogZones(logger, actor, camera.Name, zones.ToString());
        await audit.AdminAsync(actor, AuditAction.Settings, $"zones: {before} → {zones}", cancellationToken, camera.Id, camera.Name);
        updates.Changed(PageTopic.Cameras);
        return true;
    }

    /// <summary>A camera's retention (checked by the caller): keepDays null = the default, maxGb null = no limit of its own.</summary>
    public async Task<bool> SetRetentionAsync(int id, int? keepDays, double? maxGb, NvrBlazor.Domain.Retention.LimitAction onLimit, string actor, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NvrDbContext>();
        var camera = await db.Cameras.FirstOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (camera is null)
            return false;
        var before = RetentionText(camera);
        camera.RetentionDays = keepDays;
        camera.RetentionMaxGb = maxGb;
        camera.OnStorageLimit = onLimit;
        await db.SaveChangesAsync(cancellationToken);
        LogRetentionSettings(logger, actor, camera.Name, keepDays?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "default",
            maxGb?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none", onLimit);
        await audit.AdminAsync(actor, AuditAction.Settings, "retention: " + Changes(before, RetentionText(camera)), cancellationToken, camera.Id, camera.Name);
        updates.Changed(PageTopic.Cameras);
        return true;
    }

    /// <summary>
    /// Removes the camera from the registry and closes its connection (its recorder ends the open clip).
    /// Its clips are kept, under the camera's name, unless <paramref name="deleteClips"/> is given: it deletes them
    /// (Recording.ClipStore.DeleteAllOfCameraAsync, given by the caller) and answers how many.
    /// </summary>
    public async Task<bool> DeleteAsync(int id, string actor, Func<int, CancellationToken, Task<int>>? deleteClips, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NvrDbContext>();
        var camera = await db.Cameras.FirstOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (camera is null)
            return false;
        db.Cameras.Remove(camera);
        await db.SaveChangesAsync(cancellationToken);
        hub.Remove(id);
        var deleted = deleteClips is null ? 0 : await deleteClips(id, cancellationToken);
        LogDeleted(logger, actor, camera.Name, deleteClips is not null ? $"its {deleted} clips deleted" : "its clips kept");
        await audit.AdminAsync(actor, AuditAction.Camera, deleteClips is not null ? $"deleted, with its {deleted} clips" : "deleted (its clips kept)", cancellationToken, null, camera.Name);
        updates.Changed(PageTopic.Cameras);
        return true;
    }

    private static string StateVerb(CameraState before, CameraState after) => after switch
    {
        CameraState.Active => "approved",
        CameraState.Disabled => before == CameraState.Pending ? "rejected" : "disabled",
        _ => "set pending",
    };

    /// <summary>The settings an admin edits, as name and value in a fixed order, for the audit line's before → after.</summary>
    private static (string Name, string Value)[] RecordingText(Camera camera) =>
    [
        ("mode", camera.RecordingMode.ToString()), ("motion from", camera.MotionSource.ToString()),
        ("sensitivity", camera.MotionSensitivity.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ("min. area %", camera.MotionMinAreaPercent.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ("pre-roll s", camera.PreRollSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ("post-roll s", camera.PostRollSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ("longest clip s", camera.MaxClipSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ("objects", camera.DetectLabels), ("min. score", camera.DetectMinScore.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("faces", camera.DetectFaces ? "on" : "off"),
    ];

    private static (string Name, string Value)[] RetentionText(Camera camera) =>
    [
        ("keep days", camera.RetentionDays?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "default"),
        ("max. GB", camera.RetentionMaxGb?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"),
        ("at a limit", camera.OnStorageLimit.ToString()),
    ];

    /// <summary>Only what changed, "pre-roll s 5 → 3; mode Motion → Continuous" (an audit line has 200 characters).</summary>
    private static string Changes((string Name, string Value)[] before, (string Name, string Value)[] after)
    {
        var changed = before.Zip(after).Where(p => p.First.Value != p.Second.Value).Select(p => $"{p.First.Name} {p.First.Value} → {p.Second.Value}").ToList();
        return changed.Count == 0 ? "saved unchanged" : string.Join("; ", changed);
    }

    [LoggerMessage(EventId = 315, Level = LogLevel.Warning, Message = "Camera '{Camera}': last-seen time not saved ({Error}).")]
    private static partial void LogNotSaved(ILogger logger, string camera, string error);

    [LoggerMessage(EventId = 308, Level = LogLevel.Information, Message = "{Actor} set where camera '{Camera}' watches: {Zones}.")]
    private static partial void LogZones(ILogger logger, string actor, string camera, string zones);

    [LoggerMessage(EventId = 307, Level = LogLevel.Information, Message = "{Actor} set the retention of camera '{Camera}': keep {Days} days, size limit {MaxGb} GB, at a limit: {OnLimit}.")]
    private static partial void LogRetentionSettings(ILogger logger, string actor, string camera, string days, string maxGb, NvrBlazor.Domain.Retention.LimitAction onLimit);

    [LoggerMessage(EventId = 306, Level = LogLevel.Information, Message = "{Actor} changed the recording settings of camera '{Camera}' (mode {Mode}, motion source {Source}).")]
    private static partial void LogRecordingSettings(ILogger logger, string actor, string camera, NvrBlazor.Domain.Recording.RecordingMode mode, NvrBlazor.Domain.Motion.MotionSource source);

    [LoggerMessage(EventId = 304, Level = LogLevel.Information, Message = "{Actor} added {Kind} camera '{Camera}'.")]
    private static partial void LogCreated(ILogger logger, string actor, string camera, CameraKind kind);

    [LoggerMessage(EventId = 305, Level = LogLevel.Information, Message = "{Actor} replaced the token of camera '{Camera}'; the old token no longer works.")]
    private static partial void LogRotated(ILogger logger, string actor, string camera);

    [LoggerMessage(EventId = 302, Level = LogLevel.Information, Message = "{Actor} renamed camera '{Old}' to '{New}'.")]
    private static partial void LogRenamed(ILogger logger, string actor, string old, string @new);

    [LoggerMessage(EventId = 303, Level = LogLevel.Information, Message = "{Actor} deleted camera '{Camera}' ({Clips}).")]
    private static partial void LogDeleted(ILogger logger, string actor, string camera, string clips);

    [LoggerMessage(EventId = 300, Level = LogLevel.Information, Message = "New ESP32 camera '{HostName}' from {RemoteAddress} registered as {State}.")]
    private static partial void LogNewCamera(ILogger logger, string hostName, string? remoteAddress, CameraState state);

    [LoggerMessage(EventId = 301, Level = LogLevel.Information, Message = "{Actor} set camera '{Camera}' to {State}.")]
    private static partial void LogStateChange(ILogger logger, string actor, string camera, CameraState state);

    /// <summary>Where an approved ESP32 camera may reconnect from (Admin only).</summary>
    public async Task<Camera?> SetAddressPolicyAsync(int id, CameraAddressPolicy policy, string actor, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NvrDbContext>();
        var camera = await db.Cameras.FirstOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (camera is null)
            return null;
        camera.AddressPolicy = policy;
        await db.SaveChangesAsync(cancellationToken);
        LogAddressPolicy(logger, actor, camera.Name, policy);
        await audit.AdminAsync(actor, AuditAction.Camera, $"address policy: {policy}", cancellationToken, camera.Id, camera.Name);
        updates.Changed(PageTopic.Cameras);
        return camera;
    }

    [LoggerMessage(EventId = 340, Level = LogLevel.Warning, Message = "Camera '{Camera}' is pending again: {Why}. An admin approves it on Admin > Cameras if that is the camera (or sets its address policy to Any).")]
    private static partial void LogBackToPending(ILogger logger, string camera, string why);

    [LoggerMessage(EventId = 341, Level = LogLevel.Information, Message = "{Actor} set the address policy of camera '{Camera}' to {Policy}.")]
    private static partial void LogAddressPolicy(ILogger logger, string actor, string camera, CameraAddressPolicy policy);
}
