using System.Diagnostics;
using System.Net;
using NvrBlazor.Domain.Metrics;
using NvrBlazor.Domain.Users;
using NvrBlazor.Web.Cameras;
using NvrBlazor.Web.Recording;

namespace NvrBlazor.Web.Metrics;

/// <summary>Section "Nvr:Metrics".</summary>
public sealed class MetricsOptions
{
    /// <summary>
    /// A caller on this machine (a local Prometheus) may read /metrics without signing in, unless its
    /// request carries reverse-proxy headers. Set false when a proxy on this machine forwards requests
    /// without adding X-Forwarded-For: it would otherwise make every caller look local.
    /// </summary>
    public bool AllowLoopback { get; set; } = true;
}

/// <summary>
/// GET /metrics: Prometheus text with every camera's frame counters, viewers, recorder queues, clips,
/// housekeeping runs and the process's CPU, memory and GC figures (docs/performance.md, README).
/// </summary>
public static class MetricsEndpoint
{
    public const string Path = "/metrics";
    private static readonly string[] ProxyHeaders = ["X-Forwarded-For", "X-Forwarded-Host", "X-Real-IP", "Forwarded"];

    public static IServiceCollection AddMetrics(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(configuration.GetSection("Nvr:Metrics").Get<MetricsOptions>() ?? new MetricsOptions());
        services.AddSingleton<ServerCounters>();
        return services;
    }

    /// <summary>200 for an Admin, or for a local caller without proxy headers when allowed; else 401 (not signed in) or 403.</summary>
    public static int Access(HttpContext context, MetricsOptions options)
    {
        if (context.User.IsInRole(Roles.Admin))
            return StatusCodes.Status200OK;
        var local = context.Connection.RemoteIpAddress is { } address && IPAddress.IsLoopback(address)
            && !ProxyHeaders.Any(h => context.Request.Headers.ContainsKey(h));
        if (options.AllowLoopback && local)
            return StatusCodes.Status200OK;
        return context.User.Identity?.IsAuthenticated == true ? StatusCodes.Status403Forbidden : StatusCodes.Status401Unauthorized;
    }

    public static IEndpointConventionBuilder MapMetrics(this WebApplication app) =>
        app.MapGet(Path, (HttpContext context, MetricsOptions options, CameraHub hub, RecordingService recording, ServerCounters counters) =>
        {
            var status = Access(context, options);
            return status == StatusCodes.Status200OK
                ? Results.Text(Write(hub, recording, counters), PrometheusText.ContentType)
                : Results.StatusCode(status);
        }).AllowAnonymous().ExcludeFromDescription();

    public static string Write(CameraHub hub, RecordingService recording, ServerCounters counters)
    {
        var cameras = hub.All.OrderBy(c => c.Id).ToList();
        var text = new PrometheusText();
        void PerCamera(string name, MetricType type, string help, Func<CameraLive, double> value)
        {
            text.Family(name, type, help);
            foreach (var camera in cameras)
                text.Sample(value(camera), Labels(camera));
        }

        void PerCameraBy(string name, string help, string label, params (string Value, Func<CameraLive, double> Of)[] kinds)
        {
            text.Family(name, MetricType.Counter, help);
            foreach (var camera in cameras)
            {
                foreach (var (kind, of) in kinds)
                    text.Sample(of(camera), [.. Labels(camera), (label, kind)]);
            }
        }

        PerCamera("nvr_camera_online", MetricType.Gauge, "1 while the camera is connected.", c => c.Online ? 1 : 0);
        PerCamera("nvr_camera_frames_received_total", MetricType.Counter, "Frames taken in from the camera.", c => Interlocked.Read(ref c.Counters.FramesReceived));
        PerCamera("nvr_camera_received_bytes_total", MetricType.Counter, "JPEG bytes taken in from the camera.", c => Interlocked.Read(ref c.Counters.BytesReceived));
        PerCameraBy("nvr_camera_frames_refused_total", "Frames refused at ingest, by reason (Nvr:Ingest:MaxFps, not a JPEG).", "reason",
            ("over_max_fps", c => Interlocked.Read(ref c.Counters.DroppedOverMaxFps)), ("not_jpeg", c => Interlocked.Read(ref c.Counters.NotJpeg)));
        PerCamera("nvr_camera_frames_without_timestamp_total", MetricType.Counter, "Frames kept without the camera's capture time (timed by the server).", c => Interlocked.Read(ref c.Counters.NoTimestamp));
        PerCamera("nvr_camera_oversized_messages_total", MetricType.Counter, "Messages over Nvr:Ingest:MaxMessageBytes (the connection was closed with 1009).", c => Interlocked.Read(ref c.Counters.OversizedMessages));
        PerCamera("nvr_camera_broken_json_total", MetricType.Counter, "Text messages that looked like JSON but did not parse.", c => Interlocked.Read(ref c.Counters.BrokenJson));
        PerCamera("nvr_camera_frames_delivered_total", MetricType.Counter, "Frames written to live viewers, once per viewer.", c => Interlocked.Read(ref c.Counters.FramesDelivered));
        PerCameraBy("nvr_camera_frames_dropped_total", "Frames dropped after ingest: by a live viewer's queue (that viewer reads too slowly) or by the recorder (queue full).", "by",
            ("viewer", c => Interlocked.Read(ref c.Counters.DroppedForViewers)), ("recorder", c => Interlocked.Read(ref c.Counters.DroppedByRecorder)));
        PerCamera("nvr_camera_viewers", MetricType.Gauge, "Live viewers subscribed to the camera.", c => Interlocked.Read(ref c.Counters.Viewers));
        PerCamera("nvr_camera_recording", MetricType.Gauge, "1 while a clip of the camera is being written.", c => c.Recording ? 1 : 0);
        var queues = recording.QueueBytes();
        PerCamera("nvr_recorder_queue_bytes", MetricType.Gauge, "Frame bytes waiting for the camera's recorder (bounded by Nvr:Recording:QueueMaxMb).", c => queues.GetValueOrDefault(c.Id));

        text.Family("nvr_clips_total", MetricType.Counter, "Clips finished since the server started, by outcome.")
            .Sample(counters.ClipsCompleted, ("outcome", "complete"))
            .Sample(counters.ClipsFailed, ("outcome", "failed"));
        text.Family("nvr_job_runs_total", MetricType.Counter, "Housekeeping runs finished since the server started, by job and outcome.");
        foreach (var ((job, outcome), count) in counters.JobRuns.OrderBy(r => r.Key.Job, StringComparer.Ordinal).ThenBy(r => r.Key.Outcome))
            text.Sample(count, ("job", job), ("outcome", outcome.ToString().ToLowerInvariant()));
        text.Family("nvr_live_sockets", MetricType.Gauge, "Open live-view sockets (browser pages).").Sample(counters.LiveSockets);
        text.Family("nvr_ingest_connects_refused_total", MetricType.Counter, "Camera connection attempts answered 429 (Nvr:Ingest:ConnectBurst, ConnectsPerSecond).").Sample(counters.ConnectsRefused);

        WriteProcess(text);
        return text.ToString();
    }

    private static (string, string)[] Labels(CameraLive camera) => [("camera", camera.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("name", camera.Name)];

    private static void WriteProcess(PrometheusText text)
    {
        using var process = Process.GetCurrentProcess();
        text.Family("process_cpu_seconds_total", MetricType.Counter, "CPU time of the server process (user and system).").Sample(process.TotalProcessorTime.TotalSeconds);
        text.Family("process_resident_memory_bytes", MetricType.Gauge, "Resident memory of the server process.").Sample(process.WorkingSet64);
        text.Family("process_resident_memory_peak_bytes", MetricType.Gauge, "Highest resident memory of the server process since it started.").Sample(process.PeakWorkingSet64);
        text.Family("process_start_time_seconds", MetricType.Gauge, "When the server process started (Unix seconds).").Sample(new DateTimeOffset(process.StartTime).ToUnixTimeSeconds());
        text.Family("dotnet_gc_collections_total", MetricType.Counter, "Garbage collections by generation.");
        for (var generation = 0; generation <= GC.MaxGeneration; generation++)
            text.Sample(GC.CollectionCount(generation), ("generation", generation.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        text.Family("dotnet_gc_allocated_bytes_total", MetricType.Counter, "Bytes allocated on the managed heap since the server started.").Sample(GC.GetTotalAllocatedBytes());
        text.Family("dotnet_gc_heap_bytes", MetricType.Gauge, "Managed heap size after the last collection.").Sample(GC.GetGCMemoryInfo().HeapSizeBytes);
        text.Family("dotnet_gc_pause_seconds_total", MetricType.Counter, "Time the runtime was paused for garbage collection.").Sample(GC.GetTotalPauseDuration().TotalSeconds);
        text.Family("dotnet_threadpool_threads", MetricType.Gauge, "Thread-pool threads.").Sample(ThreadPool.ThreadCount);
    }
}
