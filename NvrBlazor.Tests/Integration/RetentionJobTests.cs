using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using NvrBlazor.Tests.Support;
using NvrBlazor.Web.Data;
using NvrBlazor.Web.Recording;
using Xunit.Abstractions;

namespace NvrBlazor.Tests.Integration;

/// <summary>
/// The retention job on a real server over thousands of small real files and rows: what the forecast
/// lists is exactly what the run deletes, disk and database agree afterwards, and the run is in the history.
/// </summary>
public sealed class RetentionJobTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_run_deletes_exactly_the_forecast_clips_and_leaves_disk_and_index_in_agreement()
    {
        await using var server = await NvrServer.StartAsync(NvrServer.HousekeepingOff());
        using var admin = new NvrClient(server.BaseUri);
        await admin.SignInOrThrowAsync("admin", NvrServer.AdminPassword);
        var garden = await ClipSeeder.CameraAsync(server, "Garden");   // default policy: 14 days
        var garage = await ClipSeeder.CameraAsync(server, "Garage");   // 3 days, at most 1 MiB, deletes oldest
        var porch = await ClipSeeder.CameraAsync(server, "Porch");     // 14 days, at most 0.5 MiB, stops recording instead
        await PutRetentionAsync(admin, garage, new { keepDays = 3, maxGb = 1.0 / 1024, onLimit = "deleteOldest" });
        await PutRetentionAsync(admin, porch, new { keepDays = (int?)null, maxGb = 0.5 / 1024, onLimit = "stopRecording" });

        var now = DateTimeOffset.UtcNow;
        var random = new Random(11);
        int Size() => random.Next(3000, 5000);
        var specs = new List<ClipSeeder.Bulk>();
        for (var i = 0; i < 1000; i++) // Garden: 30 days back; every 50th old clip protected
            specs.Add(new(garden, "Garden", now - TimeSpan.FromDays(30) + TimeSpan.FromMinutes(43.2 * i), Size(), Protected: i % 50 == 0, Thumbnail: i % 3 == 0));
        specs.Add(new(garden, "Garden", now - TimeSpan.FromDays(40), 4000, State: ClipState.Recording)); // still being written: never touched
        for (var i = 0; i < 1000; i++) // Garage: 10 days back
            specs.Add(new(garage, "Garage", now - TimeSpan.FromDays(10) + TimeSpan.FromMinutes(14.4 * i), Size(), Thumbnail: i % 2 == 0));
        for (var i = 0; i < 500; i++) // Porch: 5 days back, ~2 MB over a 0.5 MB limit
            specs.Add(new(porch, "Porch", now - TimeSpan.FromDays(5) + TimeSpan.FromMinutes(14.4 * i), Size()));
        for (var i = 0; i < 200; i++) // a deleted camera's clips, 20-40 days old: the default policy
            specs.Add(new(null, "Old shed", now - TimeSpan.FromDays(40) + TimeSpan.FromHours(2.4 * i), Size()));
        // Motion events: some lead to clips, most to none (recording off); each pruned or kept by its camera's days.
        var expectedMotion = new Dictionary<string, bool>(); // by the event's Labels (used here as its name): kept?
        await using (var app = await InProcessApp.BuildAsync(server))
        {
            var clips = await ClipSeeder.AddManyAsync(server.RecordingsPath, app.Services, specs);
            var store = app.Services.GetRequiredService<ClipStore>();
            async Task MotionAsync(string name, int? camera, double daysAgo, long? clip, bool kept)
            {
                await store.AddAsync(new MotionEvent { CameraId = camera, Start = now - TimeSpan.FromDays(daysAgo), End = now - TimeSpan.FromDays(daysAgo) + TimeSpan.FromSeconds(20), ClipId = clip, Labels = name });
                expectedMotion[name] = kept;
            }
            var oldProtected = clips.First(c => c.CameraId == garden && c.Protected && c.Start < now - TimeSpan.FromDays(14));
            var oldDeleted = clips.First(c => c.CameraId == garden && !c.Protected && c.Start < now - TimeSpan.FromDays(20));
            await MotionAsync("garden-20-days-no-clip", garden, 20, null, kept: false);
            await MotionAsync("garden-2-days-no-clip", garden, 2, null, kept: true);
            await MotionAsync("garden-of-a-protected-old-clip", garden, (now - oldProtected.Start).TotalDays, oldProtected.Id, kept: true);
            await MotionAsync("garden-of-a-clip-this-run-deletes", garden, (now - oldDeleted.Start).TotalDays, oldDeleted.Id, kept: false);
            await MotionAsync("garage-5-days-no-clip", garage, 5, null, kept: false);   // its own 3 days, not the default 14
            await MotionAsync("garage-1-day-no-clip", garage, 1, null, kept: true);
            await MotionAsync("deleted-camera-20-days", null, 20, null, kept: false);  // the default 14 days
            await MotionAsync("deleted-camera-10-days", null, 10, null, kept: true);
        }
        var before = await ClipRows.ClipsAsync(server);
        Assert.Equal(2701, before.Count);

        var forecast = await Housekeeping.ForecastAsync(admin, limit: 10_000);
        var planned = forecast.NextRun.Clips.Select(c => c.Id).ToHashSet();
        Assert.Equal(forecast.NextRun.Count, planned.Count);
        var rules = forecast.NextRun.Clips.GroupBy(c => (c.CameraName, c.Rule)).ToDictionary(g => g.Key, g => g.Count());
        output.WriteLine(string.Join(", ", rules.Select(r => $"{r.Key.CameraName}/{r.Key.Rule}: {r.Value}")));
        Assert.InRange(rules[("Garden", "age")], 500, 540);         // 16 of 30 days, less the protected ones
        Assert.InRange(rules[("Garage", "age")], 690, 710);         // 7 of 10 days
        Assert.True(rules[("Garage", "cameraSize")] > 0);           // the 3 days left are over 1 MiB
        Assert.Equal(200, rules[("Old shed", "age")]);
        Assert.DoesNotContain(forecast.NextRun.Clips, c => c.CameraName == "Porch");
        var porchForecast = Assert.Single(forecast.Cameras, c => c.CameraId == porch);
        Assert.Contains("over its limit", porchForecast.StopsRecording);
        Assert.Null(porchForecast.Held); // not until the run
        var byId = before.ToDictionary(r => r.Id);
        Assert.DoesNotContain(planned, id => byId[id].State == ClipRows.Recording);
        var protectedIds = before.Where(r => r.CameraName == "Garden" && r.Start < now - TimeSpan.FromDays(14) && r.State == ClipRows.Complete).Select(r => r.Id).Except(planned).ToList();
        Assert.Equal(specs.Count(s => s.Protected && s.Start < now - TimeSpan.FromDays(14)), protectedIds.Count); // the protected old clips, and nothing else old, are kept
        Assert.Equal(11, protectedIds.Count);
        var expectedFreed = planned.Sum(id => FileBytes(server, byId[id].Path) + (byId[id].ThumbnailPath is { } t ? FileBytes(server, t) : 0));

        var run = await Housekeeping.RunAsync(admin, "retention");

        Assert.Equal("succeeded", run.Outcome);
        Assert.Equal("manual", run.Trigger);
        Assert.Equal("admin", run.RequestedBy);
        Assert.Equal(planned.Count, run.ClipsDeleted);
        Assert.Equal(expectedFreed, run.BytesFreed);
        Assert.Contains("Garden:", run.Summary);
        Assert.Contains("Porch stopped recording", run.Summary);
        output.WriteLine(run.Summary);

        var motionLeft = (await ClipRows.MotionEventsAsync(server)).Select(m => m.Labels!).Order();
        Assert.Equal(expectedMotion.Where(e => e.Value).Select(e => e.Key).Order(), motionLeft);
        Assert.Contains("4 motion event(s) without a clip pruned", run.Summary);

        var after = await ClipRows.ClipsAsync(server);
        Assert.Equal(before.Select(r => r.Id).Except(planned).Order(), after.Select(r => r.Id).Order());
        // Disk and database agree: every clip file on disk has its row, every row its file; deleted thumbnails went too.
        var files = Directory.EnumerateFiles(server.RecordingsPath, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(server.RecordingsPath, f)).ToHashSet();
        var expected = after.SelectMany(r => new[] { r.State == ClipRows.Recording ? r.Path + ClipFiles.PartSuffix : r.Path }.Concat(r.ThumbnailPath is { } t ? [t] : []));
        Assert.Equal(expected.Order(), files.Order());

        // Nothing is left to delete; the porch stays held while over its limit.
        var again = await Housekeeping.ForecastAsync(admin);
        Assert.Equal(0, again.NextRun.Count);
        Assert.StartsWith("Recording stopped by retention: its clips take", again.Cameras.Single(c => c.CameraId == porch).Held);
        using var status = await admin.GetAsync($"/api/cameras/{porch}/recording");
        Assert.Contains("Recording stopped by retention", await status.Content.ReadAsStringAsync());
        var job = (await Housekeeping.JobsAsync(admin)).Single(j => j.Name == "retention");
        Assert.Null(job.Schedule); // this test's server runs housekeeping only when asked
        Assert.Equal("off (runs only when asked)", job.ScheduleText);
        Assert.Equal(run.Id, job.Runs[0].Id);
    }

    [Fact]
    public async Task Bad_settings_and_unknown_jobs_are_refused_with_what_was_wrong()
    {
        await using var server = await NvrServer.StartAsync(NvrServer.HousekeepingOff());
        using var admin = new NvrClient(server.BaseUri);
        await admin.SignInOrThrowAsync("admin", NvrServer.AdminPassword);
        var camera = await ClipSeeder.CameraAsync(server, "Garden");

        foreach (var (body, message) in new (object, string)[]
        {
            (new { keepDays = 0, maxGb = (double?)null, onLimit = "deleteOldest" }, "Keep days must be 1 to 3650 (it is 0)."),
            (new { keepDays = 5, maxGb = (double?)-1, onLimit = "deleteOldest" }, "The size limit must be more than 0"),
        })
        {
            using var response = await admin.Http.PutAsJsonAsync($"/api/cameras/{camera}/retention", body);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains(message, await response.Content.ReadAsStringAsync());
        }
        using (var ok = await admin.Http.PutAsJsonAsync($"/api/cameras/{camera}/retention", new { keepDays = 30, maxGb = 2.5, onLimit = "stopRecording" }))
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        var stored = await admin.Http.GetFromJsonAsync<Dictionary<string, object?>>($"/api/cameras/{camera}/retention");
        Assert.Equal("30", stored!["keepDays"]!.ToString());
        Assert.Equal("stopRecording", stored["onLimit"]!.ToString());

        using (var unknown = await admin.Http.PostAsync("/api/jobs/defragment/run", null))
        {
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
            Assert.Contains("the jobs are: retention, reconcile", await unknown.Content.ReadAsStringAsync());
        }
        using (var badLimit = await admin.GetAsync("/api/retention/forecast?limit=-1"))
            Assert.Equal(HttpStatusCode.BadRequest, badLimit.StatusCode);

        // A camera's own limit shows in the forecast; an empty server has nothing to delete.
        var forecast = await Housekeeping.ForecastAsync(admin);
        var garden = Assert.Single(forecast.Cameras);
        Assert.Equal((30, (long?)(2.5 * 1024 * 1024 * 1024), "stopRecording"), (garden.KeepDays, garden.MaxBytes, garden.OnLimit));
        Assert.Equal(0, forecast.NextRun.Count);
    }

    [Fact]
    public async Task A_bad_schedule_stops_the_app_with_the_setting_named()
    {
        await using var server = new NvrServer(settings: new Dictionary<string, string> { ["Nvr__Retention__Schedule"] = "every ten minutes" });
        server.Launch();
        await Eventually.ValueAsync(() => Task.FromResult(server.ExitCode), code => code is not null, TimeSpan.FromSeconds(30), "the server to exit");
        Assert.Equal(1, server.ExitCode);
        Assert.Contains("Nvr:Retention:Schedule is 'every ten minutes', which is not a schedule: it has 3 field(s)", server.Output);
        Assert.Contains("\"*/10 * * * *\" for every 10 minutes", server.Output);
    }

    [Fact]
    public async Task Retention_never_deletes_outside_the_recordings_folder_whatever_a_row_or_a_link_says()
    {
        await using var server = await NvrServer.StartAsync(NvrServer.HousekeepingOff());
        using var admin = new NvrClient(server.BaseUri);
        await admin.SignInOrThrowAsync("admin", NvrServer.AdminPassword);
        var camera = await ClipSeeder.CameraAsync(server, "Gate");
        var outside = TestPaths.NewTempFolder("outside-retention");
        var byRow = Path.Combine(outside, "by-row.mp4");
        var byLink = Path.Combine(outside, "by-link.mp4");
        File.WriteAllText(byRow, "precious 1");
        File.WriteAllText(byLink, "precious 2");
        var linkFolder = Path.Combine(server.RecordingsPath, ClipFiles.CameraFolder(camera, "Gate"), "2026-01-01");
        Directory.CreateDirectory(linkFolder);
        var link = Path.Combine(linkFolder, "10-00-00.mp4");
        File.CreateSymbolicLink(link, byLink);
        var old = DateTimeOffset.UtcNow.AddDays(-30);
        await using (var app = await InProcessApp.BuildAsync(server))
        {
            var store = app.Services.GetRequiredService<ClipStore>();
            foreach (var path in new[] { Path.GetRelativePath(server.RecordingsPath, byRow), Path.GetRelativePath(server.RecordingsPath, link) })
                await store.AddAsync(new Clip { CameraId = camera, CameraName = "Gate", Start = old, Path = path, Bytes = 10, State = ClipState.Complete });
        }

        var run = await Housekeeping.RunAsync(admin, "retention");

        Assert.Equal(("succeeded", 2, 0L), (run.Outcome, run.ClipsDeleted, run.BytesFreed)); // the rows go, no byte is freed
        Assert.Empty(await ClipRows.ClipsAsync(server));
        Assert.Equal("precious 1", File.ReadAllText(byRow));
        Assert.Equal("precious 2", File.ReadAllText(byLink));
        Assert.NotNull(new FileInfo(link).LinkTarget);
    }

    private static async Task PutRetentionAsync(NvrClient admin, int camera, object body)
    {
        using var response = await admin.Http.PutAsJsonAsync($"/api/cameras/{camera}/retention", body);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    private static long FileBytes(NvrServer server, string relative) =>
        File.Exists(Path.Combine(server.RecordingsPath, relative)) ? new FileInfo(Path.Combine(server.RecordingsPath, relative)).Length : 0;
}
