using System.Net;
using NvrBlazor.Tests.Support;

namespace NvrBlazor.Tests.Integration;

/// <summary>
/// A server killed (SIGKILL) in the middle of a housekeeping run leaves nothing stuck. Runs alone after the
/// parallel tests: reconcile probes a few hundred files with ffprobe, which would starve the timing-sensitive
/// recording tests beside it on 2 cores.
/// </summary>
[Collection(HeavyTests.Name)]
public sealed class HousekeepingKillTests
{
    [Fact]
    public async Task A_server_killed_during_a_run_closes_it_as_failed_and_keeps_its_schedules()
    {
        await using var server = await NvrServer.StartAsync();
        using var admin = new NvrClient(server.BaseUri);
        await admin.SignInOrThrowAsync("admin", NvrServer.AdminPassword);
        await Eventually.ValueAsync(() => Housekeeping.JobsAsync(admin), jobs => jobs.Single(j => j.Name == "reconcile").LastSuccess is not null,
            TimeSpan.FromSeconds(60), "the startup reconcile");
        // Files with no row that reconcile must probe one by one with ffprobe: a run that lasts long enough to be cut off.
        var folder = Path.Combine(server.RecordingsPath, "junk-9", "2026-11-01");
        Directory.CreateDirectory(folder);
        var noise = new byte[2048];
        new Random(3).NextBytes(noise);
        for (var i = 0; i < 150; i++)
        {
            var file = Path.Combine(folder, $"{i / 3600:00}-{i / 60 % 60:00}-{i % 60:00}.mp4");
            await File.WriteAllBytesAsync(file, noise);
            File.SetLastWriteTimeUtc(file, DateTime.UtcNow.AddHours(-3));
        }
        using (var run = await admin.Http.PostAsync("/api/jobs/reconcile/run", null))
            Assert.Equal(HttpStatusCode.Accepted, run.StatusCode);
        await Eventually.ValueAsync(() => Task.FromResult(Directory.Exists(Path.Combine(server.RecordingsPath, "_damaged"))), moved => moved,
            TimeSpan.FromSeconds(30), "the manual reconcile to be under way");
        await server.KillHardAsync();
        Assert.True(Directory.EnumerateFiles(folder).Any(), "the run was cut off before it finished");

        await server.StartAsync();
        using var again = new NvrClient(server.BaseUri);
        await again.SignInOrThrowAsync("admin", NvrServer.AdminPassword);
        var jobs = await Housekeeping.JobsAsync(again);
        var reconcile = jobs.Single(j => j.Name == "reconcile");
        var cut = reconcile.Runs.Single(r => r.Trigger == "manual");
        Assert.Equal(("failed", "the server stopped during this run", "admin"), (cut.Outcome, cut.Error, cut.RequestedBy));
        Assert.DoesNotContain(reconcile.Runs, r => r.Outcome == "running" && r.Id <= cut.Id);
        Assert.All(jobs, j => Assert.NotNull(j.NextRun)); // the recurring schedules are still registered
        Assert.Contains("1 housekeeping run(s) left queued or running by the previous start were dropped", server.Output);

        // The new start's own reconcile finishes the work; then Run now works as ever.
        await Eventually.ValueAsync(() => Housekeeping.JobsAsync(again), js => js.Single(j => j.Name == "reconcile").Runs.Any(r => r.Trigger == "startup" && r.Id > cut.Id && r.Outcome != "running"),
            TimeSpan.FromSeconds(120), "the second start's reconcile");
        var manual = await Housekeeping.RunAsync(again, "reconcile");
        Assert.Equal("succeeded", manual.Outcome);
        Assert.Empty(Directory.EnumerateFiles(folder));
        var retention = await Housekeeping.RunAsync(again, "retention");
        Assert.Equal("succeeded", retention.Outcome);
    }
}
