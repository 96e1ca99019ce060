using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NvrBlazor.Web.Data;
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
        ClipReason Reason = ClipReason.Motion, ClipState State = ClipState.Complete, double DurationSeconds = 4, string? Labels = null);

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

    /// <summary>A clip for bulk seeding: its file is <see cref="Bytes"/> bytes of noise (a recording state clip gets a .part), optionally with a thumbnail.</summary>
    public sealed record Bulk(int? CameraId, string CameraName, DateTimeOffset Start, int Bytes, bool Protected = false, bool Thumbnail = false, ClipState State = ClipState.Complete);

    /// <summary>
    /// Thousands of small real files and their rows in one transaction, laid out as the recorder lays them
    /// out (for housekeeping tests and benchmarks, where the content of a clip does not matter).
    /// </summary>
    public static async Task<List<Clip>> AddManyAsync(string recordingsPath, IServiceProvider services, IEnumerable<Bulk> specs)
    {
        var random = new Random(7);
        var clips = new List<Clip>();
        foreach (var spec in specs)
        {
            var relative = ClipFiles.NewClipPath(recordingsPath, spec.CameraId ?? 0, spec.CameraName, spec.Start);
            var full = Path.Combine(recordingsPath, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            var content = new byte[spec.Bytes];
            random.NextBytes(content);
            await File.WriteAllBytesAsync(spec.State == ClipState.Recording ? full + ClipFiles.PartSuffix : full, content);
            string? thumbnail = null;
            if (spec.Thumbnail)
            {
                thumbnail = ClipFiles.ThumbnailOf(relative);
                await File.WriteAllBytesAsync(Path.Combine(recordingsPath, thumbnail), content.AsSpan(0, Math.Min(100, content.Length)).ToArray());
            }
            clips.Add(new Clip
            {
                CameraId = spec.CameraId, CameraName = spec.CameraName, Start = spec.Start,
                End = spec.State == ClipState.Recording ? null : spec.Start.AddSeconds(10), DurationSeconds = 10, FrameRate = 10, Frames = 100,
                Bytes = spec.State == ClipState.Recording ? 0 : spec.Bytes, Path = relative, ThumbnailPath = thumbnail, State = spec.State, Protected = spec.Protected,
            });
        }
        await using var db = await services.GetRequiredService<IDbContextFactory<NvrDbContext>>().CreateDbContextAsync();
        db.Clips.AddRange(clips);
        await db.SaveChangesAsync();
        return clips;
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
                Labels = spec.Labels,
            };
            await store.AddAsync(clip);
            clips.Add(clip);
        }
        return clips;
    }
}
