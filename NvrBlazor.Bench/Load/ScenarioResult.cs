namespace NvrBlazor.Bench.Load;

/// <summary>What one scenario measured. Counts cover the whole run; rates, CPU, latency and allocation the measuring window.</summary>
public sealed record ScenarioResult(Scenario Scenario)
{
    public string? Error { get; init; }
    public bool Crashed { get; init; }
    public double AverageJpegBytes { get; init; }
    // Whole run, exact.
    public long Sent { get; init; }
    public long ReceivedByServer { get; init; }
    public long RefusedByServer { get; init; }
    public long Expected { get; init; }
    public long Delivered { get; init; }
    public long ExpectedInWindow { get; init; }
    public long DeliveredInWindowToViewers { get; init; }
    public long DroppedForViewers { get; init; }
    public long DroppedByRecorder { get; init; }
    // The measuring window.
    public double WindowSeconds { get; init; }
    public double ReceivedInWindow { get; init; }
    public double DeliveredInWindow { get; init; }
    public int LatencySamples { get; init; }
    public double P50 { get; init; }
    public double P99 { get; init; }
    public double Max { get; init; }
    public double ServerCpuSeconds { get; init; }
    public double FfmpegCpuSeconds { get; init; }
    public double BenchCpuSeconds { get; init; }
    public long BaselineRss { get; init; }
    public long WindowStartRss { get; init; }
    public long SteadyRss { get; init; }
    public long PeakRss { get; init; }
    public long EndRss { get; init; }
    /// <summary>The managed heap after the last collection, when the window opened and when it closed.</summary>
    public double HeapAtStart { get; init; }
    public double HeapAtEnd { get; init; }
    /// <summary>Resident memory sampled through the window, in order.</summary>
    public IReadOnlyList<long> RssSamples { get; init; } = [];
    /// <summary>The highest resident memory in the window's first half, and in its second half.</summary>
    public (long FirstHalf, long SecondHalf) RssHalves => RssSamples.Count < 2 ? (PeakRss, PeakRss)
        : (RssSamples.Take(RssSamples.Count / 2).Max(), RssSamples.Skip(RssSamples.Count / 2).Max());
    public double Gen0 { get; init; }
    public double Gen1 { get; init; }
    public double Gen2 { get; init; }
    public double AllocatedBytes { get; init; }
    public double ClipsComplete { get; init; }
    public double ClipsFailed { get; init; }
    public double WorstSendLateMs { get; init; }
    public string Notes { get; init; } = "";

    public double CpuPercentOfCore => ServerCpuSeconds / WindowSeconds * 100;
    public double MicrosecondsPerDelivered => DeliveredInWindow > 0 ? ServerCpuSeconds / DeliveredInWindow * 1e6 : double.NaN;
    public double MicrosecondsPerReceived => ReceivedInWindow > 0 ? ServerCpuSeconds / ReceivedInWindow * 1e6 : double.NaN;
    public double AllocatedPerDelivered => DeliveredInWindow > 0 ? AllocatedBytes / DeliveredInWindow : double.NaN;
    public double AllocatedPerReceived => ReceivedInWindow > 0 ? AllocatedBytes / ReceivedInWindow : double.NaN;
    public double DeliveredPerSecond => DeliveredInWindow / WindowSeconds;
    public long Missing => Expected - Delivered;
    public long MissingInWindow => ExpectedInWindow - DeliveredInWindowToViewers;
    /// <summary>What the default recorder holds per camera while idle: 5 s of pre-roll at the camera's rate (not in continuous recording).</summary>
    public double PreRollBytesPerCamera => Scenario.Twist == Twist.Record ? 0 : 5 * Scenario.Fps * AverageJpegBytes;
    public double MemoryPerCameraBeyondPreRoll => ((double)(SteadyRss - BaselineRss) / Scenario.Cameras) - PreRollBytesPerCamera;
    /// <summary>CPU (server and its ffmpeg processes) per camera-second recorded.</summary>
    public double RecordCpuPerCameraSecond => (ServerCpuSeconds + FfmpegCpuSeconds) / (Scenario.Cameras * WindowSeconds);
}
