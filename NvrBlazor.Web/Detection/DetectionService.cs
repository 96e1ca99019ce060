using NvrBlazor.Domain.Detection;
using NvrBlazor.Web.Cameras;
using NvrBlazor.Web.Motion;

namespace NvrBlazor.Web.Detection;

/// <summary>
/// Nvr:Detection. <paramref name="ModelsPath"/>: the folder tools/models/install-models.sh fills (empty: data/models);
/// a frame of a camera with motion is analysed at most <paramref name="MaxFpsPerCamera"/> times a second, by
/// <paramref name="MaxConcurrent"/> workers for all cameras; detections under <paramref name="MinScore"/> are dropped.
/// </summary>
public sealed record DetectionOptions(string ModelsPath, double MaxFpsPerCamera, int MaxConcurrent, float MinScore)
{
    public static DetectionOptions FromConfiguration(IConfiguration configuration, StorageFolders folders)
    {
        var path = configuration["Nvr:Detection:ModelsPath"];
        return new DetectionOptions(
            string.IsNullOrWhiteSpace(path) ? Path.Combine(folders.DataPath, "models") : Path.GetFullPath(path),
            SettingNumbers.Read(configuration, "Nvr:Detection:MaxFpsPerCamera", 2.0, 0.1, 10),
            SettingNumbers.Read(configuration, "Nvr:Detection:MaxConcurrent", 1, 1, 16),
            SettingNumbers.Read(configuration, "Nvr:Detection:MinScore", 0.5f, 0.05f, 0.99f));
    }
}

/// <summary>Whether object detection can run (the model file is there and loads; libjpeg-turbo is loaded), and if not, why: logged once and shown in health.</summary>
public sealed partial class ObjectDetection : IDisposable
{
    private NanoDetModel? checkedModel;

    public ObjectDetection(DetectionOptions options, ServerMotionSupport jpeg, ILogger<ObjectDetection> logger)
    {
        Options = options;
        ModelPath = Path.Combine(options.ModelsPath, NanoDetModel.FileName);
        if (!jpeg.Available)
            Problem = "Object detection is off: it needs libjpeg-turbo, like server motion detection (see its message).";
        else if (!File.Exists(ModelPath))
            Problem = $"Object detection is off: no model at {ModelPath}. Install it with tools/models/install-models.sh {options.ModelsPath} (run.sh does), or set Nvr:Detection:ModelsPath.";
        else
        {
            try
            {
                checkedModel = new NanoDetModel(ModelPath);
            }
            catch (Exception e) when (e is Microsoft.ML.OnnxRuntime.OnnxRuntimeException or IOException or InvalidOperationException or DllNotFoundException or TypeInitializationException)
            {
                Problem = $"Object detection is off: the model {ModelPath} could not be loaded ({e.Message}). Reinstall it with tools/models/install-models.sh {options.ModelsPath}.";
            }
        }
        if (Problem is null)
            LogOn(logger, ModelPath, options.MaxFpsPerCamera, options.MaxConcurrent);
        else
            LogOff(logger, Problem);
    }

    public DetectionOptions Options { get; }
    public string ModelPath { get; }
    public bool Available => Problem is null;
    public string? Problem { get; }

    /// <summary>The detector's one queue for all cameras (DetectionService fills and drains it; health shows its size).</summary>
    public NewestPerCamera<LiveFrame> Queue { get; } = new();

    /// <summary>A model for one worker: the first gets the one loaded to check the file, so it is not loaded twice.</summary>
    public NanoDetModel OpenModel() => Interlocked.Exchange(ref checkedModel, null) ?? new NanoDetModel(ModelPath);

    public void Dispose() => Interlocked.Exchange(ref checkedModel, null)?.Dispose();

    [LoggerMessage(EventId = 510, Level = LogLevel.Information,
        Message = "Object detection is on: {Model}, at most {Fps} frames a second per camera while it moves, {Workers} at a time (Nvr:Detection).")]
    private static partial void LogOn(ILogger logger, string model, double fps, int workers);

    [LoggerMessage(EventId = 511, Level = LogLevel.Warning, Message = "{Problem}")]
    private static partial void LogOff(ILogger logger, string problem);
}

/// <summary>
/// Runs NanoDet on the cameras whose motion is on (the camera's own report or the server's detector): ten times a
/// second it offers each such camera's newest frame, if it has a new one and its last look is at least
/// 1/MaxFpsPerCamera old, to one queue for all cameras (<see cref="NewestPerCamera{T}"/>: a newer frame replaces a
/// waiting one, so the queue never grows past the number of cameras); MaxConcurrent workers take from it. Ingest and
/// live view never wait for it: they only store the newest frame, as they do anyway.
/// </summary>
public sealed partial class DetectionService(ObjectDetection detection, CameraHub hub, TimeProvider clock, ILogger<DetectionService> logger) : BackgroundService
{
    private static readonly TimeSpan Look = TimeSpan.FromMilliseconds(100);
    private readonly Dictionary<int, (LiveFrame Frame, DateTimeOffset At)> offered = [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!detection.Available)
            return;
        var workers = Enumerable.Range(0, detection.Options.MaxConcurrent).Select(_ => Task.Run(() => WorkAsync(stoppingToken), stoppingToken)).ToList();
        var spacing = TimeSpan.FromSeconds(1 / detection.Options.MaxFpsPerCamera);
        using var timer = new PeriodicTimer(Look, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                var now = clock.GetUtcNow();
                var cameras = hub.All;
                if (offered.Count > cameras.Count)
                {
                    // A camera was deleted: forget when its frames were offered.
                    foreach (var gone in offered.Keys.Where(id => hub.Find(id) is null).ToList())
                        offered.Remove(gone);
                }
                foreach (var camera in cameras)
                {
                    if (!camera.Motion || camera.LastFrame is not { } frame)
                        continue;
                    if (offered.TryGetValue(camera.Id, out var last) && (ReferenceEquals(last.Frame, frame) || now - last.At < spacing))
                        continue;
                    offered[camera.Id] = (frame, now);
                    if (detection.Queue.Offer(camera.Id, frame))
                        Interlocked.Increment(ref camera.Detections.Skipped);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        await Task.WhenAll(workers);
    }

    private async Task WorkAsync(CancellationToken stoppingToken)
    {
        using var model = detection.OpenModel();
        using var faces = new FaceFinder(Path.Combine(detection.Options.ModelsPath, BlazeFaceModel.FileName), logger);
        try
        {
            while (true)
            {
                var (id, frame) = await detection.Queue.TakeAsync(stoppingToken);
                if (hub.Find(id) is not { } camera)
                    continue;
                try
                {
                    camera.Detections.Report(new DetectionLook(frame, Analyse(model, faces, camera, frame), clock.GetUtcNow()));
                }
                catch (InvalidDataException e)
                {
                    LogUnreadable(logger, camera.Name, e.Message);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // Whatever one frame does to a model is that frame's problem: the worker goes on with the next.
                    LogLookFailed(logger, camera.Name, e);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>
    /// One look: NanoDet on the frame, boxes in the frame's own pixels; only what stands where the camera watches (its
    /// masks and zones) counts; for a camera that asks for faces, BlazeFace on the head and shoulders of up to
    /// <see cref="FaceFinder.MostPeople"/> of the people who count (a face counts with its person).
    /// </summary>
    private List<DetectedObject> Analyse(NanoDetModel model, FaceFinder faces, CameraLive camera, LiveFrame frame)
    {
        var minScore = detection.Options.MinScore;
        var picture = model.Decode(frame.Jpeg);
        var pixels = picture.Pixels.Span;
        var (width, height) = (picture.Width, picture.Height);
        var decoded = model.Detect(pixels, width, height, minScore);
        var size = NvrBlazor.Domain.Ingest.JpegHeader.TryReadSize(frame.Jpeg) ?? (width, height);
        var full = OnnxModel.ToFullSize(decoded, size, width, height);
        var zones = camera.Zones;
        var counted = Enumerable.Range(0, full.Count).Where(i => !zones.Any || zones.Counts(full[i].Box, size.Width, size.Height)).ToList();
        var found = counted.Select(i => full[i]).ToList();
        if (camera.DetectFaces)
            found.AddRange(OnnxModel.ToFullSize([.. faces.OnPeople([.. counted.Select(i => decoded[i])], pixels, width, height, minScore)], size, width, height));
        return found;
    }

    [LoggerMessage(EventId = 514, Level = LogLevel.Warning, Message = "Camera '{Camera}': the object detector failed on a frame; it goes on with the next.")]
    private static partial void LogLookFailed(ILogger logger, string camera, Exception exception);

    [LoggerMessage(EventId = 513, Level = LogLevel.Warning, Message = "{Problem}")]
    internal static partial void LogFacesOff(ILogger logger, string problem);

    [LoggerMessage(EventId = 512, Level = LogLevel.Debug, Message = "Camera '{Camera}': a frame was not analysed for objects: {Problem}")]
    private static partial void LogUnreadable(ILogger logger, string camera, string problem);
}

/// <summary>
/// BlazeFace for one detector worker, loaded the first time a camera asks for faces. Without its model file (or when it
/// does not load) faces are off, said once in the log; people are still found.
/// </summary>
public sealed class FaceFinder(string path, ILogger logger) : IDisposable
{
    /// <summary>Faces are looked for on at most this many people of a frame, the most certain first (5 ms each).</summary>
    public const int MostPeople = 3;
    private BlazeFaceModel? model;
    private bool failed;

    public IEnumerable<DetectedObject> OnPeople(IReadOnlyList<DetectedObject> found, ReadOnlySpan<byte> rgb, int width, int height, float minScore)
    {
        var people = found.Where(d => d.Label == "person").OrderByDescending(d => d.Score).Take(MostPeople).ToList();
        if (people.Count == 0 || Model() is not { } faces)
            return [];
        var result = new List<DetectedObject>();
        foreach (var person in people)
            result.AddRange(faces.DetectInPerson(rgb, width, height, person.Box, minScore));
        return result;
    }

    private BlazeFaceModel? Model()
    {
        if (model is not null || failed)
            return model;
        try
        {
            return model = new BlazeFaceModel(path);
        }
        catch (Exception e) when (e is Microsoft.ML.OnnxRuntime.OnnxRuntimeException or IOException or InvalidOperationException)
        {
            failed = true;
            DetectionService.LogFacesOff(logger, $"Face detection is off: the model {path} could not be loaded ({e.Message}). Install it with tools/models/install-models.sh.");
            return null;
        }
    }

    public void Dispose() => model?.Dispose();
}

public static class DetectionServiceCollectionExtensions
{
    public static IServiceCollection AddDetection(this IServiceCollection services, IConfiguration configuration, StorageFolders folders)
    {
        services.AddSingleton(DetectionOptions.FromConfiguration(configuration, folders));
        services.AddSingleton<ObjectDetection>();
        services.AddHostedService<DetectionService>();
        return services;
    }
}
