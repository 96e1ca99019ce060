using System.Net;
using System.Net.Http.Json;
using NvrBlazor.Tests.Support;
using Xunit.Abstractions;

namespace NvrBlazor.Tests.Integration;

/// <summary>One camera's recorder never holds up another's: nine recorders far behind go offline while a tenth camera connects.</summary>
[Collection(HeavyTests.Name)]
public class IndependentRecordersTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Nine_recorders_far_behind_going_offline_do_not_delay_a_tenth_camera_and_their_clips_end_at_their_last_frame()
    {
        // An ffmpeg that starts taking a clip's frames only after 8 s: every recorder falls 8 s behind.
        var wrapper = await RecordingScript.FfmpegStandInAsync("sleep 8");
        await using var server = await NvrServer.StartAsync(RecordingScript.Settings(("Nvr__Ffmpeg__Path", wrapper)));
        using var admin = new NvrClient(server.BaseUri);
        await admin.SignInOrThrowAsync("admin", NvrServer.AdminPassword);
        var jpeg = await TestJpeg.CreateAsync(320, 240);

        var behind = new List<(FakeEsp32Camera Camera, int Id)>();
        for (var i = 0; i < 9; i++)
        {
            var camera = new FakeEsp32Camera($"behind-{i}");
            await camera.ConnectAsync(new Uri(server.BaseUri, "ws"));
            behind.Add((camera, await RecordingScript.CameraIdAsync(admin, camera.HostName)));
        }
        foreach (var (_, id) in behind)
            Assert.Equal(HttpStatusCode.Accepted, await RecordingScript.RecordAsync(admin, id, true));
        var sending = System.Diagnostics.Stopwatch.StartNew();
        await Task.WhenAll(behind.Select(b => RecordingScript.StreamAsync(b.Camera, 10, 5, _ => jpeg)));
        var sent = sending.Elapsed.TotalSeconds; // 5 s, more when this machine is too busy to keep the schedule
        foreach (var (camera, _) in behind)
            await camera.DisposeAsync(); // offline, with about 5 s of frames still waiting for their ffmpeg

        var tenth = new FakeEsp32Camera("on-time");
        await tenth.ConnectAsync(new Uri(server.BaseUri, "ws"));
        var tenthId = await RecordingScript.CameraIdAsync(admin, tenth.HostName);
        var asked = DateTimeOffset.UtcNow;
        Assert.Equal(HttpStatusCode.Accepted, await RecordingScript.RecordAsync(admin, tenthId, true));
        var accepted = DateTimeOffset.UtcNow;
        var streaming = RecordingScript.StreamAsync(tenth, 10, 6, _ => jpeg);
        var started = (await RecordingScript.ClipsWhenAsync(server, tenthId, c => c.Count == 1, "the tenth camera's clip")).Single();
        output.WriteLine($"tenth: recorder took Record after {(accepted - asked).TotalSeconds:0.0} s; clip starts {(started.Start - asked).TotalSeconds:0.0} s after it was asked for");
        Assert.True(accepted - asked < TimeSpan.FromSeconds(2), $"the tenth camera's recorder came {(accepted - asked).TotalSeconds:0.0} s late");
        Assert.True(started.Start - asked < TimeSpan.FromSeconds(2), $"the tenth camera's clip started {(started.Start - asked).TotalSeconds:0.0} s after Record");
        await streaming;
        await tenth.DisposeAsync();

        var clips = await Eventually.ValueAsync(() => ClipRows.ClipsAsync(server), c => c.Count == 10 && c.All(r => r.State != ClipRows.Recording),
            TimeSpan.FromSeconds(60), "every clip finished");
        foreach (var clip in clips.Where(c => c.CameraId != tenthId))
        {
            output.WriteLine(clip.ToString());
            Assert.Equal(ClipRows.Complete, clip.State);
            var facts = await Media.ProbeAsync(RecordingScript.FullPath(server, clip));
            // At most the time the cameras took to send: never a frozen picture padded up to when the recorder caught up (8 s and more).
            Assert.InRange(facts.Duration, 0.1, sent + 0.6);
        }
    }
}
