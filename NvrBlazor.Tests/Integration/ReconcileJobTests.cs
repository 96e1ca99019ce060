using Microsoft.Extensions.DependencyInjection;
using NvrBlazor.Tests.Support;
using NvrBlazor.Web.Recording;
using Xunit.Abstractions;

namespace NvrBlazor.Tests.Integration;

/// <summary>
/// The reconcile job on a real server, after the kinds of damage a crash or a person with a shell leaves:
/// a row whose file is gone, an .mp4 without a row, stale .part files (playable and not), a row left
/// "recording", symbolic links pointing outside, a row pointing outside, and empty folders.
/// </summary>
public sealed class ReconcileJobTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Reconcile_repairs_what_a_crash_or_a_hand_left_and_touches_nothing_outside()
    {
        await using var server = await NvrServer.StartAsync(NvrServer.HousekeepingOff());
        using var admin = new NvrClient(server.BaseUri);
        await admin.SignInOrThrowAsync("admin", NvrServer.AdminPassword);
        var yard = await ClipSeeder.CameraAsync(server, "Yard");
        var (video, thumbnail) = await ClipSeeder.SampleAsync();
        var old = DateTime.UtcNow - TimeSpan.FromHours(1);
        var day = new DateTimeOffset(2026, 11, 20, 0, 0, 0, TimeSpan.Zero);

        var seeded = await ClipSeeder.AddAsync(server,
            new ClipSeeder.Spec(yard, "Yard", day.AddHours(8), video, thumbnail),                                // its file will be deleted by hand
            new ClipSeeder.Spec(yard, "Yard", day.AddHours(9), video, thumbnail),                                // intact
            new ClipSeeder.Spec(yard, "Yard", day.AddHours(-20), video, thumbnail, State: ClipState.Recording)); // left "recording" by a crash
        var (gone, intact, stuck) = (seeded[0], seeded[1], seeded[2]);
        File.Delete(Path.Combine(server.RecordingsPath, gone.Path));
        File.SetLastWriteTimeUtc(Path.Combine(server.RecordingsPath, stuck.Path + ClipFiles.PartSuffix), old);

        var folder = Path.Combine(server.RecordingsPath, ClipFiles.CameraFolder(yard, "Yard"), "2026-11-20");
        string Put(string name, string? from, bool stale = true, string? text = null)
        {
            var path = Path.Combine(folder, name);
            if (from is not null)
                File.Copy(from, path);
            else
                File.WriteAllText(path, text);
            // File.Copy keeps the source's time: a shared test video made minutes earlier would look settled.
            File.SetLastWriteTimeUtc(path, stale ? old : DateTime.UtcNow);
            return path;
        }
        Put("10-00-00.mp4", video);                              // copied in by hand: indexed
        var fresh = Put("10-30-00.mp4", video, stale: false);   // just written: left for the next run
        Put("11-00-00.mp4.part", video);                         // a part without a row: remuxed and indexed
        Put("12-00-00.mp4.part", null, text: "not a video");     // nothing playable: set aside

        var outside = TestPaths.NewTempFolder("outside");
        var secret = Path.Combine(outside, "secret.mp4");
        File.Copy(video, secret);
        var notes = Path.Combine(outside, "notes.txt");
        File.WriteAllText(notes, "keep me");
        var outsidePart = Path.Combine(outside, "old.mp4.part"); // reached only through the folder link: must not be "repaired" away
        File.WriteAllText(outsidePart, "not ours");
        File.SetLastWriteTimeUtc(outsidePart, old);
        File.CreateSymbolicLink(Path.Combine(folder, "13-00-00.mp4"), secret);
        Directory.CreateSymbolicLink(Path.Combine(server.RecordingsPath, "elsewhere"), outside);
        await using (var app = await InProcessApp.BuildAsync(server))
        {
            var store = app.Services.GetRequiredService<ClipStore>();
            foreach (var path in new[] { Path.Combine("elsewhere", "secret.mp4"), Path.GetRelativePath(server.RecordingsPath, notes) })
                await store.AddAsync(new Clip { CameraId = yard, CameraName = "Yard", Start = day.AddHours(14), Path = path, Bytes = 100, State = ClipState.Complete });
            await store.AddAsync(new Clip { CameraId = yard, CameraName = "Yard", Start = day.AddHours(15), Path = Path.Combine(ClipFiles.CameraFolder(yard, "Yard"), "2026-11-20", "15-00-00.mp4"),
                State = ClipState.Failed, Error = "ffmpeg could not start" }); // a failure record: never had a file, stays
        }
        var empty = Path.Combine(server.RecordingsPath, "old-camera-9", "2026-01-01");
        Directory.CreateDirectory(empty);
        Directory.SetLastWriteTimeUtc(empty, old);
        Directory.SetLastWriteTimeUtc(Path.GetDirectoryName(empty)!, old);

        var run = await Housekeeping.RunAsync(admin, "reconcile");
        output.WriteLine(run.Summary);

        Assert.Equal("succeeded", run.Outcome);
        Assert.Equal("3 row(s) without a file removed; 1 file(s) without a row indexed; 2 unfinished clip(s) repaired; " +
                     "1 unplayable file(s) moved to _damaged/; 2 empty folder(s) removed; 2 symbolic link(s) left alone.", run.Summary);
        Assert.Equal(3, run.ClipsDeleted);

        var rows = (await ClipRows.ClipsAsync(server)).ToDictionary(r => r.Path);
        string Relative(string name) => Path.Combine(ClipFiles.CameraFolder(yard, "Yard"), "2026-11-20", name);
        // The row whose file was deleted is gone, and so is the thumbnail it left.
        Assert.DoesNotContain(gone.Path, rows.Keys);
        Assert.False(File.Exists(Path.Combine(server.RecordingsPath, gone.ThumbnailPath!)));
        Assert.Equal(ClipRows.Complete, rows[intact.Path].State);
        // The clip copied in is indexed under its camera, starting when its name says, with ffprobe's duration.
        var indexed = rows[Relative("10-00-00.mp4")];
        Assert.Equal((yard, "Yard", ClipRows.Complete), (indexed.CameraId, indexed.CameraName, indexed.State));
        Assert.Equal(new DateTimeOffset(new DateTime(2026, 11, 20, 10, 0, 0, DateTimeKind.Local)), indexed.Start);
        Assert.InRange(indexed.DurationSeconds, 3.9, 4.1);
        Assert.Equal(new FileInfo(video).Length, indexed.Bytes);
        Assert.DoesNotContain(Relative("10-30-00.mp4"), rows.Keys);
        Assert.True(File.Exists(fresh));
        // Stale parts: the playable one became a clip, the other waits in _damaged/ for a person to look at.
        Assert.Equal(ClipRows.Complete, rows[Relative("11-00-00.mp4")].State);
        Assert.False(File.Exists(Path.Combine(folder, "11-00-00.mp4.part")));
        Assert.True(File.Exists(Path.Combine(folder, "11-00-00.mp4")));
        Assert.Equal("not a video", File.ReadAllText(Path.Combine(server.RecordingsPath, "_damaged", Relative("12-00-00.mp4.part"))));
        Assert.Equal(ClipRows.Complete, rows[stuck.Path].State);
        Assert.True(File.Exists(Path.Combine(server.RecordingsPath, stuck.Path)));
        // Links are neither followed nor indexed nor deleted; rows pointing outside are dropped; nothing outside changed.
        Assert.DoesNotContain(Relative("13-00-00.mp4"), rows.Keys);
        Assert.DoesNotContain(rows.Keys, p => p.StartsWith("elsewhere", StringComparison.Ordinal) || p.StartsWith("..", StringComparison.Ordinal));
        Assert.NotNull(new FileInfo(Path.Combine(folder, "13-00-00.mp4")).LinkTarget);
        Assert.Equal(await File.ReadAllBytesAsync(video), await File.ReadAllBytesAsync(secret));
        Assert.Equal("keep me", File.ReadAllText(notes));
        Assert.Equal(3, Directory.EnumerateFileSystemEntries(outside).Count());
        Assert.Equal("not ours", File.ReadAllText(outsidePart));
        // The failure record stays; the empty folders are gone.
        Assert.Equal(ClipRows.Failed, rows[Relative("15-00-00.mp4")].State);
        Assert.False(Directory.Exists(Path.Combine(server.RecordingsPath, "old-camera-9")));
        Assert.Contains("symbolic link to", server.Output);

        // A second run finds nothing more to do but the file that has settled meanwhile is still fresh.
        var again = await Housekeeping.RunAsync(admin, "reconcile");
        Assert.StartsWith("0 row(s) without a file removed; 0 file(s) without a row indexed; 0 unfinished clip(s) repaired; 0 unplayable", again.Summary);
    }
}
