using NvrBlazor.Domain.Ingest;
using NvrBlazor.Domain.Motion;
using NvrBlazor.Domain.Recording;
using NvrBlazor.Web.Cameras;
using NvrBlazor.Web.Hosting;
using NvrBlazor.Web.Motion;

namespace NvrBlazor.Web.Recording;

/// <summary>What every camera's recorder shares.</summary>
public sealed record RecorderParts(
    Ffmpeg Ffmpeg, ClipStore Store, ClipRecovery Recovery, DiskSpaceGuard Disk, RecordingHolds Holds, StorageFolders Folders,
    RecordingOptions Options, TimeProvider Clock, ILogger Logger, bool ServerMotionAvailable, ServerCounters Counters,
    CancellationToken ServerStopping, Events.NvrEvents? Events = null)
{
    public RecorderQueueBudget QueueBudget { get; } = new(Options.TotalQueueMaxBytes);
}

/// <summary>
/// Records one camera: its frames arrive through a queue bounded in bytes; while idle they fill the
/// pre-roll; the Domain state machine says when a clip starts and ends (motion, manual, continuous,
/// rollover); a <see cref="ClipWriter"/> feeds them to ffmpeg. Finishing a clip (ffmpeg's exit, the
/// rename, the row) runs beside the next clip, so a rollover never waits. Failures end the clip as
/// failed with the reason, keep what plays, and the next clip starts normally.
/// </summary>
public sealed partial class CameraRecorder : IAsyncDisposable
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan NoFramesLimit = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan RetryAfterStartFailure = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan FinishTimeout = TimeSpan.FromSeconds(30);
    /// <summary>While the server stops, within the host's shutdown timeout (15 s).</summary>
    private static readonly TimeSpan FinishTimeoutWhenStopping = TimeSpan.FromSeconds(10);
    /// <summary>How long a stopping recorder keeps writing the frames still queued for it before it ends the clip at the last one written.</summary>
    private static readonly TimeSpan DrainAtMost = TimeSpan.FromSeconds(2);
    private const long PreRollMaxBytes = 48L * 1024 * 1024;

    private readonly CameraLive camera;
    private readonly RecorderParts parts;
    private readonly RecorderQueue queue;
    private volatile ClipWriter? clip;
    private readonly MotionAnalyzer? analyzer;
    private readonly CancellationTokenSource stop = new();
    private readonly List<Task> finishing = [];
    private readonly Task running;
    private volatile CameraRecordingSettings settings;
    private volatile string closeReason = "recording stopped";
    private int manualRequest; // 0 none, 1 start, 2 stop
    private CameraRecordingSettings applied;
    private RecorderStateMachine machine;
    private PreRollBuffer<LiveFrame> preRoll;
    private long seenMotionStarts;
    private bool toldMotion;
    private MotionEvent? motionEvent;
    // What the object detector saw during the open motion event, and the detector's look last taken in.
    private NvrBlazor.Domain.Detection.DetectionTally? eventObjects;
    private DetectionLook? seenLook;
    // The chosen objects already announced (ObjectDetected) during the open motion event.
    private readonly HashSet<string> announced = new(StringComparer.Ordinal);
    private MotionScore? seenScore;
    private DateTimeOffset lastFrameAt;
    private DateTimeOffset retryAfter;

    public CameraRecorder(CameraLive camera, CameraRecordingSettings settings, RecorderParts parts)
    {
        this.camera = camera;
        this.parts = parts;
        this.settings = applied = settings;
        machine = new RecorderStateMachine(settings.Recording);
        preRoll = new PreRollBuffer<LiveFrame>(settings.Recording.PreRoll, PreRollMaxBytes);
        seenMotionStarts = camera.MotionStarts;
        lastFrameAt = parts.Clock.GetUtcNow();
        // A recorder stuck on an ffmpeg that takes nothing must not wait for it forever: killing that
        // ffmpeg unblocks the write, and the clip fails with the overflow as its reason.
        queue = new RecorderQueue(parts.Options.QueueMaxBytes, parts.QueueBudget, camera.Recorder, () => clip?.Encoder?.Kill());
        camera.Attach(queue);
        if (parts.ServerMotionAvailable)
            analyzer = new MotionAnalyzer(camera, settings.Motion, parts.Options.MaxAnalysisFps, parts.Logger);
        running = Task.Run(RunAsync);
    }

    public int CameraId => camera.Id;
    /// <summary>Bytes of frames waiting for this recorder (bounded by Nvr:Recording:QueueMaxMb).</summary>
    public long QueueBytes => queue.Bytes;
    public bool Running => !running.IsCompleted;
    public bool ManualRecording => machine.Reason == ClipReason.Manual;
    /// <summary>The clip being written now (relative path), which housekeeping must leave alone.</summary>
    public string? OpenClipPath => clip?.Row?.Path;

    public void Update(CameraRecordingSettings next)
    {
        if (next != settings)
            settings = next;
    }

    /// <summary>An admin pressed Record or Stop; applied by the recorder's loop within a quarter second.</summary>
    public void SetManual(bool record) => Interlocked.Exchange(ref manualRequest, record ? 1 : 2);

    private async Task RunAsync()
    {
        try
        {
            // The recorder wakes on its own tick, never per frame: frames carry their arrival time, so
            // handling a quarter second of them at once changes nothing in the clip, and 50 cameras do
            // not cost 500 wake-ups a second.
            using var ticks = new PeriodicTimer(Tick, parts.Clock);
            while (await ticks.WaitForNextTickAsync(stop.Token))
            {
                var now = parts.Clock.GetUtcNow();
                await ApplyRequestsAsync(now);
                if (queue.TakeOverflow())
                    await FailQueueOverflowAsync(now);
                var framesSeen = false;
                while (queue.TryRead(out var frame))
                {
                    framesSeen = true;
                    await OnFrameAsync(frame);
                }
                if (!framesSeen)
                    await OnTickAsync(parts.Clock.GetUtcNow());
                CollectFinished();
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            await DrainAsync();
        }
        catch (Exception e)
        {
            LogRecorderFailed(parts.Logger, camera.Name, e);
        }
        finally
        {
            await CloseAsync(closeReason);
        }
    }

    /// <summary>Writes what was still queued when the recorder was told to stop (the camera's last moments), for a bounded time.</summary>
    private async Task DrainAsync()
    {
        var until = parts.Clock.GetUtcNow() + DrainAtMost;
        while (clip is not null && parts.Clock.GetUtcNow() < until && queue.TryRead(out var frame))
        {
            lastFrameAt = frame.CapturedAt;
            await WriteAsync(frame);
        }
    }

    private async Task ApplyRequestsAsync(DateTimeOffset now)
    {
        var next = settings;
        if (!ReferenceEquals(next, applied))
        {
            if (next.Recording.PreRoll != applied.Recording.PreRoll)
                preRoll = new PreRollBuffer<LiveFrame>(next.Recording.PreRoll, PreRollMaxBytes);
            applied = next;
            analyzer?.Update(next.Motion);
            await ApplyAsync(machine.Change(next.Recording, now), now);
        }
        switch (Interlocked.Exchange(ref manualRequest, 0))
        {
            case 1:
                LogManual(parts.Logger, camera.Name, "started");
                await ApplyAsync(machine.OnManual(true, now), now);
                break;
            case 2:
                LogManual(parts.Logger, camera.Name, "stopped");
                await ApplyAsync(machine.OnManual(false, now), now);
                break;
        }
    }

    private async Task OnFrameAsync(LiveFrame frame)
    {
        var at = frame.CapturedAt;
        lastFrameAt = at;
        await FollowMotionAsync(at);
        await ApplyAsync(machine.OnFrame(at), at);
        if (clip is not null)
            await WriteAsync(frame);
        else
            preRoll.Add(at, frame.Jpeg.Length, frame);
    }

    private async Task OnTickAsync(DateTimeOffset now)
    {
        await FollowMotionAsync(now);
        if (machine.State != RecorderState.Idle && now - lastFrameAt > NoFramesLimit)
        {
            var end = PictureEnd(now);
            await ApplyAsync(machine.Close(end, $"no frames from the camera for {NoFramesLimit.TotalSeconds:0} s"), end);
            return;
        }
        await ApplyAsync(machine.OnFrame(now), now);
    }

    /// <summary>Tells the state machine about motion changes, opens and closes motion events, and collects thumbnail candidates.</summary>
    private async Task FollowMotionAsync(DateTimeOffset at)
    {
        var starts = camera.MotionStarts;
        var motion = camera.Motion;
        var score = camera.LastScore;
        if (score is not null && !ReferenceEquals(score, seenScore))
        {
            seenScore = score;
            if (clip is not null && score.Frame.CapturedAt >= clip.Start)
                clip.Consider(ThumbnailChoice.Rank(score.Box), score.Frame.Jpeg);
            if (motionEvent is { Source: MotionOrigin.Server } open)
                open.PeakScore = Math.Max(open.PeakScore ?? 0, score.Score);
        }
        if (starts != seenMotionStarts)
        {
            // A start since the last look, even if it already ended: never miss a short event.
            seenMotionStarts = starts;
            if (!toldMotion)
                await MotionChangedAsync(true, at);
        }
        // After a start (the event is open for a look that came with it), before an end (a look made while the motion lasted counts for it).
        await FollowDetectionsAsync();
        if (motion != toldMotion)
            await MotionChangedAsync(motion, at);
    }

    /// <summary>
    /// The object detector's newest look: its labels go to the open motion event and the open clip, and the frame of
    /// a clip's best detection is its thumbnail (above any motion-only choice: it shows what was there). A label the
    /// camera's settings choose, during motion, is what the Detected recording mode waits for.
    /// </summary>
    private async Task FollowDetectionsAsync()
    {
        var look = camera.Detections.Latest;
        if (look is null || ReferenceEquals(look, seenLook))
            return;
        seenLook = look;
        if (look.Found.Count == 0)
            return;
        if (motionEvent is not null)
        {
            (eventObjects ??= new(0)).Add(look.Found);
            var matching = applied.Objects.Matching(look.Found).ToList();
            if (matching.Count > 0)
            {
                await ApplyAsync(machine.OnObjects(look.Frame.CapturedAt), look.Frame.CapturedAt);
                AnnounceObjects(look, matching);
            }
        }
        if (clip is not null && look.Frame.CapturedAt >= clip.Start && clip.Objects.Add(look.Found))
        {
            var box = clip.Objects.Best!.Box;
            var edge = JpegHeader.TryReadSize(look.Frame.Jpeg) is not { } size
                || box.X <= 1 || box.Y <= 1 || box.Right >= size.Width - 1 || box.Bottom >= size.Height - 1;
            clip.Consider(ThumbnailChoice.DetectedRank(clip.Objects.Best.Score, edge), look.Frame.Jpeg, [.. look.Found.Select(o => o.Box)]);
        }
    }

    /// <summary>
    /// Tells the event stream (notifications, MQTT) that a chosen object was seen: once per motion event, and again
    /// only for a chosen label not seen yet in it (a car after the person).
    /// </summary>
    private void AnnounceObjects(DetectionLook look, List<NvrBlazor.Domain.Detection.DetectedObject> matching)
    {
        var labels = matching.Select(d => d.Label).Distinct().ToList();
        // Every label is marked as announced (Count visits them all): a person and a car in one look are told once.
        if (labels.Count(announced.Add) == 0)
            return;
        var best = matching[0];
        // The zone where the best one stands, by name, when the camera has zones: "in Driveway".
        var zone = JpegHeader.TryReadSize(look.Frame.Jpeg) is { } size ? camera.Zones.ZoneOf(best.Box, size.Width, size.Height) : null;
        parts.Events?.Publish(new Domain.Notifications.NvrEvent
        {
            Kind = Domain.Notifications.EventKinds.ObjectDetected, At = look.Frame.CapturedAt, CameraId = camera.Id, CameraName = camera.Name,
            Labels = labels, Score = Math.Round(best.Score, 2), ClipId = clip?.Row?.Id, Zone = zone,
            Message = string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"{char.ToUpperInvariant(labels[0][0])}{string.Join(", ", labels)[1..]} seen {(zone is null ? "" : $"in {zone} ")}on {camera.Name} ({best.Score:P0}) at {look.Frame.CapturedAt.ToLocalTime():HH:mm:ss}"),
        });
    }

    private async Task MotionChangedAsync(bool motion, DateTimeOffset seenAt)
    {
        // The recorder may be a little behind the camera (ffmpeg's start takes a moment): the change
        // counts from when it happened, not from the frame being processed when it was noticed.
        var at = camera.MotionChangedAt is { } changed && changed > seenAt ? changed : seenAt;
        toldMotion = motion;
        if (motion)
            motionEvent ??= new MotionEvent { CameraId = camera.Id, Start = at, Source = camera.MotionOrigin };
        await ApplyAsync(machine.OnMotion(motion, at), at);
        if (motion && clip is not null && camera.LastFrame is { } now && motionEvent?.Source == MotionOrigin.Camera)
            clip.Consider(0, now.Jpeg); // the camera gives no score: its first frame with motion is the picture
        if (!motion)
            await EndMotionEventAsync(at);
    }

    private async Task EndMotionEventAsync(DateTimeOffset at)
    {
        if (motionEvent is not { } ended)
            return;
        motionEvent = null;
        announced.Clear();
        ended.End = at;
        if (eventObjects?.Best is { } best)
        {
            ended.Labels = eventObjects.Labels;
            ended.BestScore = Math.Round(best.Score, 3);
            ended.Box = NvrBlazor.Domain.Detection.DetectionTally.Format(best.Box);
        }
        eventObjects = null;
        ended.ClipId ??= clip?.Row?.Id;
        await Guard(() => parts.Store.AddAsync(ended), "saving a motion event");
    }

    private async Task ApplyAsync(IReadOnlyList<RecorderAction> actions, DateTimeOffset at)
    {
        foreach (var action in actions)
        {
            switch (action)
            {
                case EndClip end:
                    await EndClipAsync(end.At, end.Why);
                    break;
                case StartClip start:
                    await StartClipAsync(start, at);
                    break;
            }
        }
    }

    private async Task StartClipAsync(StartClip start, DateTimeOffset at)
    {
        if (parts.ServerStopping.IsCancellationRequested || parts.Disk.Low || at < retryAfter || parts.Holds.Why(camera.Id) is not null)
        {
            // No clip now; the machine goes back to idle and tries again at the next motion.
            var manual = machine.Manual;
            machine.Close(at, "not recording");
            toldMotion = false;
            if (manual)
                Interlocked.CompareExchange(ref manualRequest, 1, 0); // asked again at the next look, until it can start
            return;
        }
        var earlier = preRoll.TakeAll().Where(f => f.At >= start.From).Select(f => f.Item).ToList();
        clip = new ClipWriter(start.Reason, ClipWriter.RateOf(earlier, ClipWriter.ClaimedFpsOf(camera)), camera, parts.Folders.RecordingsPath);
        camera.Recorder.Recording = true;
        if (motionEvent is not null && earlier.Count > 0)
            clip.Consider(0, earlier[^1].Jpeg);
        foreach (var frame in earlier)
        {
            if (clip is null)
                break;
            await WriteAsync(frame);
        }
    }

    private async Task WriteAsync(LiveFrame frame)
    {
        var current = clip!;
        if (current.Row is not null && current.Size is { } size && JpegHeader.TryReadSize(frame.Jpeg) is { } now && now != size)
        {
            // ffmpeg's encoder cannot change size mid-file: this clip ends and the next takes over at this frame.
            await EndClipAsync(frame.CapturedAt, $"the camera changed its picture from {size.Width}x{size.Height} to {now.Width}x{now.Height}");
            clip = current = new ClipWriter(current.Reason, current.Fps, camera, parts.Folders.RecordingsPath);
            camera.Recorder.Recording = true;
        }
        try
        {
            if (current.Row is null)
            {
                if (current.Hold(frame))
                    await OpenAsync(current);
                return;
            }
            await current.AddAsync(frame, CancellationToken.None);
        }
        catch (FfmpegException e) when (e.Exit?.StoppedBySignal == true)
        {
            EndStoppedClip(frame.CapturedAt);
        }
        catch (FfmpegException) when (queue.TakeOverflow())
        {
            // Killed because its queue overflowed: that is the reason to record.
            await FailQueueOverflowAsync(frame.CapturedAt);
        }
        catch (FfmpegException e)
        {
            await ClipFailedAsync(frame.CapturedAt, e.Message);
        }
        catch (IOException e)
        {
            await ClipFailedAsync(frame.CapturedAt, $"the clip file could not be written: {e.Message}");
        }
    }

    private async Task OpenAsync(ClipWriter opening)
    {
        await opening.OpenAsync(parts.Ffmpeg, parts.Store, CancellationToken.None);
        LogClipStarted(parts.Logger, camera.Name, opening.Row!.Path, opening.Reason, opening.Fps);
    }

    private async Task EndClipAsync(DateTimeOffset at, string why)
    {
        if (clip is not { } ending)
            return;
        try
        {
            if (ending.Row is null && ending.HasPending)
                await OpenAsync(ending); // a clip shorter than the rate measurement still keeps its frames
        }
        catch (Exception e) when (e is FfmpegException or IOException)
        {
            await ClipFailedAsync(at, e.Message);
            return;
        }
        clip = null;
        camera.Recorder.Recording = false;
        if (ending.Row is null)
            return; // no frame ever came: nothing was written
        try
        {
            await ending.EndFramesAsync(at, CancellationToken.None);
        }
        catch (FfmpegException e) when (e.Exit?.StoppedBySignal != true)
        {
            finishing.Add(FailAsync(ending, e.Message));
            return;
        }
        catch (FfmpegException)
        {
            // ffmpeg got the stop signal itself and finished its file: FinishAsync takes its length from the file.
        }
        finishing.Add(FinishAsync(ending, why));
    }

    /// <summary>
    /// ffmpeg got SIGTERM itself (the whole process group is stopping) and finished its file: the clip is
    /// complete up to there. Motion still going on opens the next clip, unless the server is stopping.
    /// </summary>
    private void EndStoppedClip(DateTimeOffset at)
    {
        var ending = clip!;
        clip = null;
        camera.Recorder.Recording = false;
        machine.Close(at, "ffmpeg stopped");
        toldMotion = false;
        finishing.Add(FinishAsync(ending, parts.ServerStopping.IsCancellationRequested ? "the server is stopping" : "ffmpeg was stopped by a signal"));
    }

    /// <summary>The clip's ffmpeg died or its file cannot be written: fail it, keep what plays, and let the next motion record normally.</summary>
    private async Task ClipFailedAsync(DateTimeOffset at, string reason)
    {
        var failed = clip!;
        clip = null;
        camera.Recorder.Recording = false;
        machine.Close(at, "clip failed");
        toldMotion = false; // motion still going on starts a new clip at the next frame
        if (machine.Manual)
            Interlocked.CompareExchange(ref manualRequest, 1, 0); // so does a manual recording nobody stopped
        if (failed.Duration < TimeSpan.FromSeconds(2))
            retryAfter = at + RetryAfterStartFailure; // it failed at once (ffmpeg missing?): do not hammer it
        if (failed.Row is not null)
            finishing.Add(FailAsync(failed, reason));
    }

    private async Task FailQueueOverflowAsync(DateTimeOffset at)
    {
        var waiting = queue.Discard();
        LogOverflow(parts.Logger, camera.Name, parts.Options.QueueMaxMb);
        if (clip is not null)
            await ClipFailedAsync(at, $"the recorder could not keep up: more than {parts.Options.QueueMaxMb} MB of frames waited for ffmpeg (Nvr:Recording:QueueMaxMb), or all recorders together held {parts.Options.TotalQueueMaxMb} MB (Nvr:Recording:TotalQueueMaxMb); {waiting / 1024 / 1024} MB were dropped");
    }

    private async Task FinishAsync(ClipWriter finished, string why)
    {
        var exit = await finished.Encoder!.FinishAsync(parts.ServerStopping.IsCancellationRequested ? FinishTimeoutWhenStopping : FinishTimeout);
        // Stopped by a signal, ffmpeg wrote the end of its file but not every frame it was handed: the file says how long it is.
        var seconds = exit.Succeeded ? finished.Duration.TotalSeconds
            : exit.StoppedBySignal && File.Exists(finished.PartPath) ? await parts.Ffmpeg.DurationAsync(finished.PartPath, CancellationToken.None)
            : null;
        if (seconds is null || !File.Exists(finished.PartPath))
        {
            await FailAsync(finished, exit.Describe());
            return;
        }
        await Guard(async () =>
        {
            File.Move(finished.PartPath, finished.FullPath, overwrite: true);
            await finished.SaveBestThumbnailAsync();
            var row = finished.Row!;
            row.State = ClipState.Complete;
            row.DurationSeconds = seconds.Value;
            row.End = row.Start + TimeSpan.FromSeconds(seconds.Value);
            row.Frames = exit.Succeeded ? finished.FramesWritten : (long)Math.Round(seconds.Value * finished.Fps);
            row.Bytes = new FileInfo(finished.FullPath).Length;
            row.Labels = finished.Objects.Labels;
            await parts.Store.SaveAsync(row);
            parts.Counters.ClipFinished(complete: true);
            LogClipDone(parts.Logger, camera.Name, row.Path, row.DurationSeconds, row.Bytes / 1024, why);
            parts.Events?.Publish(new Domain.Notifications.NvrEvent
            {
                Kind = Domain.Notifications.EventKinds.ClipCompleted, At = row.End ?? row.Start, CameraId = camera.Id, CameraName = camera.Name,
                ClipId = row.Id, ClipStart = row.Start, DurationSeconds = row.DurationSeconds, Reason = row.Reason.ToString().ToLowerInvariant(),
                ThumbnailUrl = row.ThumbnailPath is null ? null : $"/api/clips/{row.Id}/thumbnail", DownloadUrl = $"/api/clips/{row.Id}/download",
                Labels = row.Labels is null ? null : NvrBlazor.Domain.Detection.DetectionTally.Split(row.Labels),
                Message = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{camera.Name}: {row.DurationSeconds:0} s clip ({row.Reason.ToString().ToLowerInvariant()}) at {row.Start.ToLocalTime():HH:mm:ss}"),
            });
        }, $"finishing clip {finished.Row!.Path}");
    }

    private async Task FailAsync(ClipWriter failed, string reason)
    {
        if (failed.Encoder is { } encoder)
            await encoder.FinishAsync(TimeSpan.FromSeconds(5));
        if (reason.Contains("No space left on device", StringComparison.OrdinalIgnoreCase))
            parts.Disk.ReportFull(reason);
        await Guard(async () =>
        {
            var row = failed.Row!;
            var kept = await parts.Recovery.SalvageAsync(failed.PartPath, failed.FullPath, CancellationToken.None);
            row.State = ClipState.Failed;
            row.Error = (reason + (kept is { } seconds ? $" The {seconds:0.0} s written before that were kept." : " Nothing playable was written.")).Ellipsis(2000);
            row.DurationSeconds = kept ?? 0;
            row.End = row.Start + TimeSpan.FromSeconds(kept ?? 0);
            row.Frames = kept is { } s ? (long)Math.Round(s * failed.Fps) : 0;
            row.Bytes = File.Exists(failed.FullPath) ? new FileInfo(failed.FullPath).Length : 0;
            if (kept is null && File.Exists(failed.PartPath))
                File.Delete(failed.PartPath);
            await failed.SaveBestThumbnailAsync();
            await parts.Store.SaveAsync(row);
            parts.Counters.ClipFinished(complete: false);
            LogClipFailed(parts.Logger, camera.Name, row.Path, row.Error);
        }, $"recording the failure of clip {failed.Row!.Path}");
    }


    private async Task Guard(Func<Task> work, string what)
    {
        try
        {
            await work();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or Microsoft.EntityFrameworkCore.DbUpdateException or Microsoft.Data.Sqlite.SqliteException)
        {
            LogStepFailed(parts.Logger, camera.Name, what, e.Message);
        }
    }

    private void CollectFinished() => finishing.RemoveAll(t => t.IsCompleted);

    /// <summary>Where the open clip's picture ends: one frame after the last frame written, or now.</summary>
    private DateTimeOffset PictureEnd(DateTimeOffset now) =>
        clip is { Fps: > 0 } open && lastFrameAt + TimeSpan.FromSeconds(1.0 / open.Fps) is var last && last < now ? last : now;

    /// <summary>
    /// The recorder stops: the clip ends at the last frame written (never a frozen picture padded up to now:
    /// a camera that went offline, or frames left queued, end where the picture ends), the motion event
    /// closes, and every clip still finishing is waited for.
    /// </summary>
    private async Task CloseAsync(string why)
    {
        var at = PictureEnd(parts.Clock.GetUtcNow());
        try
        {
            await ApplyAsync(machine.Close(at, why), at);
            await EndClipAsync(at, why);
            await EndMotionEventAsync(at);
            await Task.WhenAll(finishing);
        }
        catch (Exception e)
        {
            LogRecorderFailed(parts.Logger, camera.Name, e);
        }
        camera.Recorder.Recording = false;
    }

    /// <summary>Ends the open clip cleanly (ffmpeg finishes its file) and waits for every clip still finishing.</summary>
    public async ValueTask DisposeAsync() => await StopAsync("recording stopped");

    public async Task StopAsync(string why)
    {
        closeReason = why;
        camera.Unsubscribe(queue);
        await stop.CancelAsync();
        await running;
        queue.Discard(); // what the bounded drain did not reach: counted as dropped, its share of the memory budget given back
        if (analyzer is not null)
            await analyzer.DisposeAsync();
        stop.Dispose();
    }

    [LoggerMessage(EventId = 400, Level = LogLevel.Information, Message = "Camera '{Camera}': recording {Path} ({Reason}, {Fps} fps).")]
    private static partial void LogClipStarted(ILogger logger, string camera, string path, ClipReason reason, int fps);

    [LoggerMessage(EventId = 401, Level = LogLevel.Information, Message = "Camera '{Camera}': clip {Path} complete, {Seconds:0.0} s, {KiloBytes} KB ({Why}).")]
    private static partial void LogClipDone(ILogger logger, string camera, string path, double seconds, long kiloBytes, string why);

    [LoggerMessage(EventId = 402, Level = LogLevel.Error, Message = "Camera '{Camera}': clip {Path} failed: {Error}")]
    private static partial void LogClipFailed(ILogger logger, string camera, string path, string error);

    [LoggerMessage(EventId = 403, Level = LogLevel.Error, Message = "Camera '{Camera}': the recorder could not keep up; more than {MaxMb} MB of frames were waiting (Nvr:Recording:QueueMaxMb). The clip ends as failed.")]
    private static partial void LogOverflow(ILogger logger, string camera, long maxMb);

    [LoggerMessage(EventId = 404, Level = LogLevel.Error, Message = "Camera '{Camera}': {What} failed: {Error}")]
    private static partial void LogStepFailed(ILogger logger, string camera, string what, string error);

    [LoggerMessage(EventId = 405, Level = LogLevel.Critical, Message = "Camera '{Camera}': the recorder stopped on an unexpected error; it restarts within a few seconds.")]
    private static partial void LogRecorderFailed(ILogger logger, string camera, Exception exception);

    [LoggerMessage(EventId = 406, Level = LogLevel.Information, Message = "Camera '{Camera}': manual recording {What}.")]
    private static partial void LogManual(ILogger logger, string camera, string what);
}
