using Microsoft.Extensions.DependencyInjection;
using NvrBlazor.Domain.Recording;
using NvrBlazor.Web.Cameras;
using NvrBlazor.Web.Recording;

namespace NvrBlazor.Tests.Support;

/// <summary>
/// Clips for the review tests, put where the recorder puts them: a real MP4 made by ffmpeg copied into
/// the server's recordings folder under the recorder's own path scheme, and its row written through
/// the app's own ClipStore. (The recorder itself is tested with real cameras in RecordingTests.)
/// </summary>
public static class ClipSeeder
{
    public sealed record Spec(int CameraId, string CameraName, DateTimeOffset Start, string SourceFile, string? Thumbnail = null,
        ClipReason Reason = ClipReason.Motion, ClipState State = ClipState.Complete, double DurationSeconds = 4);

    private static readonly SemaphoreSlim Making = new(1, 1);
    private static (string Video, string Thumbnail)? sample;

    /// <summary>A 4 s 320x240 H.264 MP4 at 10 fps (testsrc2, a clock on screen) and a JPEG of its first frame, made once per run.</summary>
    public static async Task<(string Video, string Thumbnail)> SampleAsync()
    {
        await Making.WaitAsync();
        try
        {
            if (sample is { } made)
                return made;
            var folder = TestPaths.NewTempFolder("sample-clip");
            var video = Path.Combine(folder, "sample.mp4");
            var thumbnail = Path.Combine(folder, "sample.jpg");
            await Media.RunAsync("ffmpeg", "-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=10:duration=4",
                "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p", "-movflags", "+faststart", video);
            await Media.RunAsync("ffmpeg", "-hide_banner", "-loglevel", "error", "-i", video, "-frames:v", "1", "-q:v", "4", thumbnail);
            sample = (video, thumbnail);
            return (video, thumbnail);
        }
        finally
        {
            Making.Release();
        }
    }

    /// <summary>A camera the admin added (an agent camera, active).</summary>
    public static async Task<int> CameraAsync(NvrServer server, string name)
    {
        await using var app = await InProcessApp.BuildAsync(server);
        var (camera, _) = await app.Services.GetRequiredService<CameraRegistry>().CreateAsync(name, CameraKind.Agent, "test", CancellationToken.None);
        return camera.Id;
    }

    public static async Task AddMotionAsync(NvrServer server, MotionEvent motion)
    {
        await using var app = await InProcessApp.BuildAsync(server);
        await app.Services.GetRequiredService<ClipStore>().AddAsync(motion);
    }

    public static async Task<List<Clip>> AddAsync(NvrServer server, params Spec[] specs)
    {
        await using var app = await InProcessApp.BuildAsync(server);
        var store = app.Services.GetRequiredService<ClipStore>();
        var clips = new List<Clip>();
        foreach (var spec in specs)
        {
            var relative = ClipFiles.NewClipPath(server.RecordingsPath, spec.CameraId, spec.CameraName, spec.Start);
            var full = Path.Combine(server.RecordingsPath, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.Copy(spec.SourceFile, spec.State == ClipState.Recording ? full + ClipFiles.PartSuffix : full);
            string? thumbnail = null;
            if (spec.Thumbnail is not null)
            {
                thumbnail = ClipFiles.ThumbnailOf(relative);
                File.Copy(spec.Thumbnail, Path.Combine(server.RecordingsPath, thumbnail));
            }
            var clip = new Clip
            {
                CameraId = spec.CameraId, CameraName = spec.CameraName, Start = spec.Start,
                End = spec.State == ClipState.Recording ? null : spec.Start.AddSeconds(spec.DurationSeconds),
                DurationSeconds = spec.DurationSeconds, FrameRate = 10, Frames = (long)(spec.DurationSeconds * 10),
                Bytes = new FileInfo(spec.SourceFile).Length, Path = relative, ThumbnailPath = thumbnail, Reason = spec.Reason, State = spec.State,
            };
            await store.AddAsync(clip);
            clips.Add(clip);
        }
        return clips;
    }
}
