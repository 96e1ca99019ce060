using Prometheus;
using NvrBlazor.Web.Retention;

namespace NvrBlazor.Web.Common;

/// <summary>
/// Server-wide counters since the server started that belong to no single camera's live state (those
/// are <see cref="Cameras.FrameCounters"/>): clips finished, housekeeping runs, refused connects, open
/// live sockets. Written by the parts that do the work; they are prometheus-net metrics of the server's
/// own registry (filled by <see cref="NvrMetrics"/>), which /metrics exports.
/// </summary>
public sealed class ServerCounters
{
    private readonly Counter clips, jobRuns, connectsRefused;
    private readonly Gauge liveSockets;

    public ServerCounters(CollectorRegistry registry)
    {
        var factory = Prometheus.Metrics.WithCustomRegistry(registry);
        clips = factory.CreateCounter("nvr_clips_total", "Clips finished since the server started, by outcome.", "outcome");
        // Both outcomes from the start: a scraper sees 0 failed rather than no series.
        clips.WithLabels("complete");
        clips.WithLabels("failed");
        jobRuns = factory.CreateCounter("nvr_job_runs_total", "Housekeeping runs finished since the server started, by job and outcome.", "job", "outcome");
        liveSockets = factory.CreateGauge("nvr_live_sockets", "Open live-view sockets (browser pages).");
        connectsRefused = factory.CreateCounter("nvr_ingest_connects_refused_total", "Camera connection attempts answered 429 (Nvr:Ingest:ConnectBurst, ConnectsPerSecond).");
    }

    public void ClipFinished(bool complete) => clips.WithLabels(complete ? "complete" : "failed").Inc();

    /// <summary>A housekeeping run ended; <paramref name="outcome"/> as the label shows it (succeeded, partial, failed).</summary>
    public void JobFinished(string job, string outcome) => jobRuns.WithLabels(job, outcome).Inc();

    public void ConnectRefused() => connectsRefused.Inc();

    public void LiveSocketOpened() => liveSockets.Inc();

    public void LiveSocketClosed() => liveSockets.Dec();
}
