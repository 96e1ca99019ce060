using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using NvrBlazor.Web.Cameras;
using NvrBlazor.Web.Recording;
using Prometheus;

namespace NvrBlazor.Web.Metrics;

/// <summary>
/// Fills the server's own prometheus-net registry (not the library's static default one, so two servers in
/// one process — tests — keep apart). Per-camera figures and the process's CPU, memory and GC figures are read
/// from their owners just before each scrape; server-wide counters are written as things happen
/// (<see cref="ServerCounters"/>). Every name is documented in the README.
/// </summary>
public sealed class NvrMetrics
{
    private static readonly string[] CameraLabels = ["camera", "name"];
    private readonly CameraHub hub;
    private readonly RecordingService recording;
    private readonly List<Action<IReadOnlyList<CameraLive>>> perCamera = [];
    private readonly Lock scrape = new();
    private IReadOnlyDictionary<int, long> queueBytes = new Dictionary<int, long>();

    public CollectorRegistry Registry { get; }

    public NvrMetrics(CollectorRegistry registry, CameraHub hub, RecordingService recording)
    {
        Registry = registry;
        this.hub = hub;
        this.recording = recording;
        var factory = Prometheus.Metrics.WithCustomRegistry(Registry);
        DefineCameraMetrics(factory);
        DefineProcessMetrics(factory);
        Registry.AddBeforeCollectCallback(Collect);
    }

    private void DefineCameraMetrics(IMetricFactory factory)
    {
        Gauge("nvr_camera_online", "1 while the camera is connected.", c => c.Online ? 1 : 0);
        Counter("nvr_camera_frames_received_total", "Frames taken in from the camera.", c => Interlocked.Read(ref c.Counters.FramesReceived));
        Counter("nvr_camera_received_bytes_total", "JPEG bytes taken in from the camera.", c => Interlocked.Read(ref c.Counters.BytesReceived));
        CounterBy("nvr_camera_frames_refused_total", "Frames refused at ingest, by reason (Nvr:Ingest:MaxFps, not a JPEG).", "reason",
            ("over_max_fps", c => Interlocked.Read(ref c.Counters.DroppedOverMaxFps)), ("not_jpeg", c => Interlocked.Read(ref c.Counters.NotJpeg)));
        Counter("nvr_camera_frames_without_timestamp_total", "Frames kept without the camera's capture time (timed by the server).", c => Interlocked.Read(ref c.Counters.NoTimestamp));
        Counter("nvr_camera_oversized_messages_total", "Messages over Nvr:Ingest:MaxMessageBytes (the connection was closed with 1009).", c => Interlocked.Read(ref c.Counters.OversizedMessages));
        Counter("nvr_camera_broken_json_total", "Text messages that looked like JSON but did not parse.", c => Interlocked.Read(ref c.Counters.BrokenJson));
        Counter("nvr_camera_frames_delivered_total", "Frames written to live viewers, once per viewer.", c => Interlocked.Read(ref c.ViewerCounters.FramesDelivered));
        CounterBy("nvr_camera_frames_dropped_total", "Frames dropped after ingest: by a live viewer's queue (that viewer reads too slowly) or by the recorder (queue full).", "by",
            ("viewer", c => Interlocked.Read(ref c.ViewerCounters.DroppedForViewers)), ("recorder", c => Interlocked.Read(ref c.Recorder.DroppedFrames)));
        Gauge("nvr_camera_viewers", "Live viewers subscribed to the camera.", c => Interlocked.Read(ref c.ViewerCounters.Viewers));
        Gauge("nvr_camera_recording", "1 while a clip of the camera is being written.", c => c.Recording ? 1 : 0);
        Gauge("nvr_recorder_queue_bytes", "Frame bytes waiting for the camera's recorder (bounded by Nvr:Recording:QueueMaxMb).", c => queueBytes.GetValueOrDefault(c.Id));

        void Gauge(string name, string help, Func<CameraLive, double> value) =>
            Track(factory.CreateGauge(name, help, CameraLabels), (gauge, camera) => gauge.WithLabels(Labels(camera)).Set(value(camera)));

        void Counter(string name, string help, Func<CameraLive, double> value) =>
            Track(factory.CreateCounter(name, help, CameraLabels), (counter, camera) => counter.WithLabels(Labels(camera)).IncTo(value(camera)));

        void CounterBy(string name, string help, string label, params (string Value, Func<CameraLive, double> Of)[] kinds) =>
            Track(factory.CreateCounter(name, help, [.. CameraLabels, label]), (counter, camera) =>
            {
                foreach (var (kind, of) in kinds)
                    counter.WithLabels([.. Labels(camera), kind]).IncTo(of(camera));
            });
    }

    /// <summary>At each scrape: the series of cameras gone since the last one are dropped, then each camera's are written.</summary>
    private void Track<TChild>(Collector<TChild> collector, Action<Collector<TChild>, CameraLive> write) where TChild : ChildBase =>
        perCamera.Add(cameras =>
        {
            Forget(collector, cameras);
            foreach (var camera in cameras)
                write(collector, camera);
        });

    private void DefineProcessMetrics(IMetricFactory factory)
    {
        var cpu = factory.CreateCounter("process_cpu_seconds_total", "CPU time of the server process (user and system).");
        var resident = factory.CreateGauge("process_resident_memory_bytes", "Resident memory of the server process.");
        var peak = factory.CreateGauge("process_resident_memory_peak_bytes", "Highest resident memory of the server process since it started.");
        var started = factory.CreateGauge("process_start_time_seconds", "When the server process started (Unix seconds).");
        var collections = factory.CreateCounter("dotnet_gc_collections_total", "Garbage collections by generation.", ["generation"]);
        var allocated = factory.CreateCounter("dotnet_gc_allocated_bytes_total", "Bytes allocated on the managed heap since the server started.");
        var heap = factory.CreateGauge("dotnet_gc_heap_bytes", "Managed heap size after the last collection.");
        var pause = factory.CreateCounter("dotnet_gc_pause_seconds_total", "Time the runtime was paused for garbage collection.");
        var threads = factory.CreateGauge("dotnet_threadpool_threads", "Thread-pool threads.");
        var jitTime = factory.CreateCounter("dotnet_jit_compilation_seconds_total", "Time the runtime spent compiling methods (the JIT), on all threads.");
        var jitMethods = factory.CreateCounter("dotnet_jit_methods_total", "Methods the JIT compiled, counting each recompilation of a hot method as optimised code.");
        Registry.AddBeforeCollectCallback(() =>
        {
            using var process = Process.GetCurrentProcess();
            cpu.IncTo(process.TotalProcessorTime.TotalSeconds);
            resident.Set(process.WorkingSet64);
            peak.Set(process.PeakWorkingSet64);
            started.Set(new DateTimeOffset(process.StartTime).ToUnixTimeSeconds());
            for (var generation = 0; generation <= GC.MaxGeneration; generation++)
                collections.WithLabels(generation.ToString(CultureInfo.InvariantCulture)).IncTo(GC.CollectionCount(generation));
            allocated.IncTo(GC.GetTotalAllocatedBytes());
            heap.Set(GC.GetGCMemoryInfo().HeapSizeBytes);
            pause.IncTo(GC.GetTotalPauseDuration().TotalSeconds);
            threads.Set(ThreadPool.ThreadCount);
            jitTime.IncTo(JitInfo.GetCompilationTime().TotalSeconds);
            jitMethods.IncTo(JitInfo.GetCompiledMethodCount());
        });
    }

    private void Collect()
    {
        var cameras = hub.All.OrderBy(c => c.Id).ToList();
        lock (scrape)
        {
            queueBytes = recording.QueueBytes();
            foreach (var update in perCamera)
                update(cameras);
        }
    }

    /// <summary>
    /// Drops the series of cameras that were deleted or renamed since the last scrape (a renamed camera's
    /// counters continue under its new name; Prometheus sees a new series, as it should).
    /// </summary>
    private static void Forget<TChild>(Collector<TChild> collector, IReadOnlyList<CameraLive> cameras) where TChild : ChildBase
    {
        foreach (var labels in collector.GetAllLabelValues().ToList())
        {
            if (!cameras.Any(c => Id(c) == labels[0] && c.Name == labels[1]))
                collector.RemoveLabelled(labels);
        }
    }

    private static string Id(CameraLive camera) => camera.Id.ToString(CultureInfo.InvariantCulture);

    private static string[] Labels(CameraLive camera) => [Id(camera), camera.Name];
}
