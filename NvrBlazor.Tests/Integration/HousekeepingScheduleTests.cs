using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using NvrBlazor.Domain.Users;
using NvrBlazor.Tests.Support;
using Xunit.Abstractions;

namespace NvrBlazor.Tests.Integration;

/// <summary>
/// Housekeeping as it ships: the repository's appsettings.json with its schedules on (only folders, ports and
/// the admin password set by the test server), on Hangfire. The startup reconcile runs and is recorded; a
/// minute schedule deletes an expired clip with nobody pressing a button; a failing run is recorded, makes
/// health degraded and does not wedge Run now (a server killed mid-run: HousekeepingKillTests); the Hangfire
/// dashboard is for Admins only and its "Trigger now" is recorded with who asked.
/// </summary>
public sealed partial class HousekeepingScheduleTests(ServerFixture fixture, ITestOutputHelper output) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task The_shipped_configuration_runs_the_startup_reconcile_and_logs_no_exception()
    {
        using var admin = await fixture.AdminAsync();
        var jobs = await Eventually.ValueAsync(() => Housekeeping.JobsAsync(admin),
            jobs => jobs.Single(j => j.Name == "reconcile").Runs.Any(r => r.Outcome != "running"), TimeSpan.FromSeconds(60), "the startup reconcile to finish");
        var reconcile = jobs.Single(j => j.Name == "reconcile");
        var startup = Assert.Single(reconcile.Runs, r => r.Trigger == "startup");
        Assert.Equal(("succeeded", (string?)null, (string?)null), (startup.Outcome, startup.Error, startup.RequestedBy));
        Assert.NotNull(reconcile.LastSuccess);

        // The shipped schedules, read from the repository's appsettings.json, in words and registered in Hangfire.
        var retention = jobs.Single(j => j.Name == "retention");
        Assert.Equal(("*/10 * * * *", "every 10 minutes"), (retention.Schedule, retention.ScheduleText));
        Assert.Equal(("0 * * * *", "hourly, on the hour"), (reconcile.Schedule, reconcile.ScheduleText));
        Assert.InRange(retention.NextRun!.Value, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddMinutes(10.1));
        Assert.Equal(0, retention.NextRun.Value.Minute % 10);
        Assert.InRange(reconcile.NextRun!.Value, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddMinutes(60.1));

        using var health = await HealthAsync(fixture.Server);
        var housekeeping = health.RootElement.GetProperty("housekeeping");
        Assert.Equal(0, housekeeping.GetProperty("problems").GetArrayLength());
        var reconcileHealth = housekeeping.GetProperty("jobs").EnumerateArray().Single(j => j.GetProperty("name").GetString() == "reconcile");
        Assert.Equal("succeeded", reconcileHealth.GetProperty("lastOutcome").GetString());

        Assert.Contains("Job reconcile (Startup) finished", fixture.Server.Output);
        Assert.DoesNotMatch(NoiseOrFailure(), fixture.Server.Output);
        Assert.True(File.Exists(Path.Combine(fixture.Server.DataPath, "jobs.db")), "Hangfire keeps its jobs in data/jobs.db");
    }

    [Fact]
    public async Task The_Hangfire_dashboard_is_for_admins_and_its_trigger_is_recorded_with_who_asked()
    {
        using (var anonymous = fixture.Client())
        {
            using var response = await anonymous.GetAsync("/admin/hangfire");
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized
                || (response.StatusCode == HttpStatusCode.Redirect && response.RedirectPath().StartsWith("/login", StringComparison.Ordinal)),
                $"anonymous got {(int)response.StatusCode} {response.Headers.Location}");
            using var post = await anonymous.Http.PostAsync("/admin/hangfire/recurring/trigger", new FormUrlEncodedContent([new("jobs[]", "retention")]));
            Assert.NotEqual(HttpStatusCode.NoContent, post.StatusCode);
            Assert.NotEqual(HttpStatusCode.OK, post.StatusCode);
        }
        using (var viewer = await fixture.ViewerAsync())
        {
            using var response = await viewer.GetAsync("/admin/hangfire/recurring");
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden
                || (response.StatusCode == HttpStatusCode.Redirect && response.RedirectPath().StartsWith("/access-denied", StringComparison.Ordinal)),
                $"a viewer got {(int)response.StatusCode} {response.Headers.Location}");
        }

        using var admin = await fixture.AdminAsync();
        using var page = await admin.GetAsync("/admin/hangfire/recurring");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("retention", html);
        Assert.Contains("reconcile", html);

        // Without the antiforgery header the dashboard refuses the POST, as for a cross-site form.
        using (var forged = await admin.Http.PostAsync("/admin/hangfire/recurring/trigger", new FormUrlEncodedContent([new("jobs[]", "retention")])))
            Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);

        // What the dashboard's own script sends for "Trigger now": the header named in its page.
        var before = (await Housekeeping.JobsAsync(admin)).Single(j => j.Name == "retention").Runs.FirstOrDefault()?.Id ?? 0;
        using var trigger = new HttpRequestMessage(HttpMethod.Post, "/admin/hangfire/recurring/trigger")
        {
            Content = new FormUrlEncodedContent([new("jobs[]", "retention")]),
        };
        trigger.Headers.Add(Meta(html, "csrf-header"), Meta(html, "csrf-token"));
        using (var triggered = await admin.Http.SendAsync(trigger))
            Assert.Equal(HttpStatusCode.NoContent, triggered.StatusCode);
        var runs = await Eventually.ValueAsync(async () => (await Housekeeping.JobsAsync(admin)).Single(j => j.Name == "retention").Runs,
            runs => runs.FirstOrDefault() is { } run && run.Id > before && run.Outcome != "running", TimeSpan.FromSeconds(30), "the triggered retention run");
        Assert.Equal(("manual", "admin", "succeeded"), (runs[0].Trigger, runs[0].RequestedBy, runs[0].Outcome));
    }

    [Fact]
    public async Task A_failing_run_is_recorded_makes_health_degraded_and_Run_now_works_again_right_after()
    {
        await using var server = await NvrServer.StartAsync();
        using var admin = new NvrClient(server.BaseUri);
        await admin.SignInOrThrowAsync("admin", NvrServer.AdminPassword);
        await Eventually.ValueAsync(() => Housekeeping.JobsAsync(admin), jobs => jobs.Single(j => j.Name == "reconcile").LastSuccess is not null,
            TimeSpan.FromSeconds(60), "the startup reconcile");
        // The recordings disk goes away (an unmounted USB disk): reconcile must fail, not empty the clip index.
        var recordings = server.RecordingsPath;
        var away = recordings + "-unmounted";
        Directory.Move(recordings, away);
        try
        {
            var failed = await Housekeeping.RunAsync(admin, "reconcile");
            Assert.Equal("failed", failed.Outcome);
            Assert.Contains($"The recordings folder {recordings} is missing", failed.Error);
            using (var health = await HealthAsync(server))
            {
                Assert.Equal("degraded", health.RootElement.GetProperty("status").GetString());
                var reasons = health.RootElement.GetProperty("reasons").EnumerateArray().Select(r => r.GetString()!).ToList();
                Assert.Contains(reasons, r => r.StartsWith("job reconcile: its last run failed", StringComparison.Ordinal));
            }
            // Run now is accepted at once after the failure (the old scheduler answered 409 forever here), and fails again honestly.
            var again = await Housekeeping.RunAsync(admin, "reconcile");
            Assert.Equal("failed", again.Outcome);
        }
        finally
        {
            Directory.Move(away, recordings);
        }

        var ok = await Housekeeping.RunAsync(admin, "reconcile");
        Assert.Equal("succeeded", ok.Outcome);
        using var healed = await HealthAsync(server);
        Assert.Equal(0, healed.RootElement.GetProperty("housekeeping").GetProperty("problems").GetArrayLength());
        // The recorder's disk check (every few seconds) also saw the folder gone; it clears by itself too.
        await Eventually.ValueAsync(async () =>
        {
            using var health = await HealthAsync(server);
            return health.RootElement.GetProperty("status").GetString();
        }, status => status == "healthy",
            TimeSpan.FromSeconds(30), "health back to healthy");
    }

    [Fact]
    public async Task A_schedule_fires_by_itself_and_deletes_an_expired_clip()
    {
        // Retention every minute; reconcile off so it cannot race the seeding (the shipped-configuration test covers it on).
        await using var server = await NvrServer.StartAsync(new Dictionary<string, string>
        {
            ["Nvr__Retention__Schedule"] = "* * * * *",
            ["Nvr__Reconcile__Schedule"] = "off",
        });
        using var admin = new NvrClient(server.BaseUri);
        await admin.SignInOrThrowAsync("admin", NvrServer.AdminPassword);
        var camera = await ClipSeeder.CameraAsync(server, "Gate");
        var (video, thumbnail) = await ClipSeeder.SampleAsync();
        var clips = await ClipSeeder.AddAsync(server,
            new ClipSeeder.Spec(camera, "Gate", DateTimeOffset.Now.AddDays(-20), video, thumbnail),   // past the default 14 days
            new ClipSeeder.Spec(camera, "Gate", DateTimeOffset.Now.AddDays(-1), video, thumbnail));
        var (expired, recent) = (clips[0], clips[1]);

        var runs = await Eventually.ValueAsync(async () => (await Housekeeping.JobsAsync(admin)).Single(j => j.Name == "retention").Runs,
            runs => runs.Any(r => r.ClipsDeleted == 1), TimeSpan.FromSeconds(150), "a scheduled retention run that deleted the expired clip");
        var run = runs.First(r => r.ClipsDeleted == 1);
        output.WriteLine($"{run.Trigger} run at {run.Started:O}: {run.Summary}");
        Assert.Equal(("schedule", (string?)null, "succeeded"), (run.Trigger, run.RequestedBy, run.Outcome));
        Assert.False(File.Exists(Path.Combine(server.RecordingsPath, expired.Path)));
        Assert.True(File.Exists(Path.Combine(server.RecordingsPath, recent.Path)));
        using (var gone = await admin.GetAsync($"/api/clips/{expired.Id}"))
            Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        var retention = (await Housekeeping.JobsAsync(admin)).Single(j => j.Name == "retention");
        Assert.Equal("every minute", retention.ScheduleText);
        Assert.DoesNotContain(retention.Runs, r => r.Trigger != "schedule");
    }

    [Fact]
    public async Task An_old_Quartz_schedule_is_converted_and_the_log_says_what_to_write()
    {
        await using var server = await NvrServer.StartAsync(new Dictionary<string, string> { ["Nvr__Reconcile__Schedule"] = "0 0 * * * ?" });
        using var admin = new NvrClient(server.BaseUri);
        await admin.SignInOrThrowAsync("admin", NvrServer.AdminPassword);
        var reconcile = (await Housekeeping.JobsAsync(admin)).Single(j => j.Name == "reconcile");
        Assert.Equal(("0 * * * *", "hourly, on the hour"), (reconcile.Schedule, reconcile.ScheduleText));
        Assert.Contains("Nvr:Reconcile:Schedule is '0 0 * * * ?', an old Quartz expression (seconds first); it is read as the 5-field schedule '0 * * * *'", server.Output);
    }

    private static async Task<JsonDocument> HealthAsync(NvrServer server)
    {
        using var http = new HttpClient();
        return JsonDocument.Parse(await http.GetStringAsync(new Uri(server.BaseUri, "healthz")));
    }

    private static string Meta(string html, string name) =>
        WebUtility.HtmlDecode(Regex.Match(html, $"<meta name=\"{name}\" content=\"([^\"]+)\"").Groups[1].Value) is { Length: > 0 } value
            ? value : throw new InvalidOperationException($"no meta {name} on the dashboard page");

    /// <summary>What must not appear in a default start's log: exceptions, errors, critical lines.</summary>
    [GeneratedRegex(@"Exception|^fail:|^crit:", RegexOptions.Multiline)]
    private static partial Regex NoiseOrFailure();
}
