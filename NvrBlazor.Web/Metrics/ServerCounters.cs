using System.Collections.Concurrent;
using NvrBlazor.Web.Retention;

namespace NvrBlazor.Web.Metrics;

/// <summary>
/// Server-wide counters since the server started that belong to no single camera's live state (those
/// are <see cref="Cameras.FrameCounters"/>): clips finished, housekeeping runs, refused connects, open
/// live sockets. Written by the parts that do the work, read by /metrics.
/// </summary>
public sealed class ServerCounters
{
    private readonly ConcurrentDictionary<(string Job, JobOutcome Outcome), long> jobRuns = new();
    private long clipsCompleted, clipsFailed, connectsRefused, liveSockets;

    public long ClipsCompleted => Interlocked.Read(ref clipsCompleted);
    public long ClipsFailed => Interlocked.Read(ref clipsFailed);
    /// <summary>Camera connection attempts answered 429 (Nvr:Ingest:ConnectBurst / ConnectsPerSecond).</summary>
    public long ConnectsRefused => Interlocked.Read(ref connectsRefused);
    public long LiveSockets => Interlocked.Read(ref liveSockets);
    public IReadOnlyDictionary<(string Job, JobOutcome Outcome), long> JobRuns => jobRuns;

    public void ClipFinished(bool complete) => Interlocked.Increment(ref complete ? ref clipsCompleted : ref clipsFailed);

    public void JobFinished(string job, JobOutcome outcome) => jobRuns.AddOrUpdate((job, outcome), 1, (_, n) => n + 1);

    public void ConnectRefused() => Interlocked.Increment(ref connectsRefused);

    public void LiveSocketOpened() => Interlocked.Increment(ref liveSockets);

    public void LiveSocketClosed() => Interlocked.Decrement(ref liveSockets);
}
