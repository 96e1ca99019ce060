using System.Net;
using System.Net.Http.Json;
using Microsoft.Playwright;
using NvrBlazor.Tests.Integration;
using NvrBlazor.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace NvrBlazor.Tests.EndToEnd;

/// <summary>
/// An admin checks Admin > Storage for what the next retention run will delete, presses "Run now" on
/// Admin > Jobs, sees the run with its figures, and finds exactly the forecast clips gone.
/// </summary>
public class HousekeepingPagesTests(HousekeepingOffServerFixture fixture, Browser browser) : IClassFixture<HousekeepingOffServerFixture>, IClassFixture<Browser>
{
    [Fact]
    public async Task Run_now_deletes_the_clips_the_storage_forecast_listed_and_shows_the_run()
    {
        var server = fixture.Server;
        var driveway = await ClipSeeder.CameraAsync(server, "Driveway");
        var (video, thumbnail) = await ClipSeeder.SampleAsync();
        var now = DateTimeOffset.Now;
        var clips = await ClipSeeder.AddAsync(server,
            new ClipSeeder.Spec(driveway, "Driveway", now.AddDays(-21), video, thumbnail),
            new ClipSeeder.Spec(driveway, "Driveway", now.AddDays(-20), video, thumbnail),
            new ClipSeeder.Spec(driveway, "Driveway", now.AddDays(-19), video, thumbnail),
            new ClipSeeder.Spec(driveway, "Driveway", now.AddDays(-18), video, thumbnail),  // protected below: kept
            new ClipSeeder.Spec(driveway, "Driveway", now.AddHours(-1), video, thumbnail));
        using var admin = await fixture.AdminAsync();
        using (var protect = await admin.Http.PutAsJsonAsync($"/api/clips/{clips[3].Id}/protected", true))
            protect.EnsureSuccessStatusCode();
        var doomed = clips.Take(3).Select(c => c.Id.ToString()).ToArray();

        var (context, page, errors) = await browser.NewPageAsync(1280, 900);
        await using var _ = context;
        await page.GotoAsync(new Uri(server.BaseUri, "admin/storage").ToString());
        await Browser.SignInAsync(page, "admin", NvrServer.AdminPassword);
        await Expect(page.Locator("[data-interactive=yes]")).ToBeVisibleAsync(new() { Timeout = 15000 });
        await Expect(page.GetByTestId("next-run-heading")).ToContainTextAsync("deletes 3 clip(s)");
        var listed = page.GetByTestId("forecast-clip");
        await Expect(listed).ToHaveCountAsync(3);
        var listedIds = new List<string>();
        for (var i = 0; i < 3; i++)
            listedIds.Add((await listed.Nth(i).GetAttributeAsync("data-clip-id"))!);
        Assert.Equal(doomed, listedIds); // oldest first; not the protected one, not the recent one
        var row = page.Locator($"[data-testid=storage-camera][data-camera-id='{driveway}']");
        await Expect(row.GetByTestId("storage-clips")).ToHaveTextAsync("5");
        await Expect(row.GetByTestId("storage-projected")).ToContainTextAsync("14 days (its keep-days)");
        await Browser.ScreenshotAsync(page, "e2e-50-storage-forecast");

        await page.GetByTestId("nav-admin-jobs").ClickAsync();
        await Expect(page.Locator("[data-interactive=yes]")).ToBeVisibleAsync(new() { Timeout = 15000 });
        var retention = page.Locator("[data-testid=job][data-job=retention]");
        await Expect(retention.GetByTestId("job-schedule")).ToHaveTextAsync("off (runs only when asked)");
        await retention.GetByTestId("run-now").ClickAsync();
        var run = retention.GetByTestId("job-run").First;
        await Expect(run).ToHaveAttributeAsync("data-outcome", "succeeded", new() { Timeout = 30000 });
        await Expect(run.GetByTestId("run-clips")).ToHaveTextAsync("3");
        await Expect(run).ToContainTextAsync("run now by admin");
        await Expect(run.GetByTestId("run-summary")).ToContainTextAsync("Driveway: 3 by age");
        await Browser.ScreenshotAsync(page, "e2e-51-jobs-run-now");

        foreach (var clip in clips)
        {
            using var response = await admin.GetAsync($"/api/clips/{clip.Id}");
            Assert.Equal(doomed.Contains(clip.Id.ToString()) ? HttpStatusCode.NotFound : HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(!doomed.Contains(clip.Id.ToString()), File.Exists(Path.Combine(server.RecordingsPath, clip.Path)));
        }

        await page.GetByTestId("nav-admin-storage").ClickAsync();
        await Expect(page.GetByTestId("storage-nothing")).ToBeVisibleAsync(new() { Timeout = 15000 });
        await Expect(row.GetByTestId("storage-clips")).ToHaveTextAsync("2");

        // The camera's own retention, set on its card: 30 days, at most 0.0001 GB (its two clips take more), stop recording.
        await page.GetByTestId("nav-admin-cameras").ClickAsync();
        var card = page.GetByTestId("camera-card").Filter(new() { HasText = "Driveway" });
        // "Recording" toggles the form: one click (the page was reached inside the circuit, so it is interactive);
        // clicking until it shows could close it again on a loaded machine, where a queued second click lands after the first opened it.
        await Expect(card.GetByTestId("edit-recording")).ToBeVisibleAsync(new() { Timeout = 15000 });
        await card.GetByTestId("edit-recording").ClickAsync();
        await Expect(card.GetByTestId("recording-form")).ToBeVisibleAsync(new() { Timeout = 15000 });
        // A numeric field takes its value on "change" (blur), and the value typed stays in the page whether or not
        // the server has it yet (a CI run saved an empty "most space" the page still showed as 0.0001). Type each
        // number in a form the server rewrites ("030" comes back "30"), so that seeing the rewrite proves the server
        // holds the value before Save is pressed.
        var days = card.GetByTestId("retention-days");
        await days.FillAsync("030");
        await days.PressAsync("Tab");
        await Expect(days).ToHaveValueAsync("30");
        var maxGb = card.GetByTestId("retention-max-gb");
        await maxGb.FillAsync("0.00010");
        await maxGb.PressAsync("Tab");
        await Expect(maxGb).ToHaveValueAsync("0.0001");
        await Browser.ChooseAsync(card.GetByTestId("retention-on-limit"), "Stop recording it");
        await Expect(card.GetByTestId("retention-on-limit")).ToContainTextAsync("Stop recording it");
        await Expect(days).ToHaveValueAsync("30");
        await Expect(maxGb).ToHaveValueAsync("0.0001");
        await card.GetByTestId("save-recording").ClickAsync();
        await Expect(card.GetByTestId("recording-form")).ToHaveCountAsync(0);
        var stored = await admin.Http.GetFromJsonAsync<Dictionary<string, object?>>($"/api/cameras/{driveway}/retention");
        Assert.Equal(("30", "0.0001", "stopRecording"), (stored!["keepDays"]?.ToString(), stored["maxGb"]?.ToString(), stored["onLimit"]?.ToString()));

        await page.GetByTestId("nav-admin-storage").ClickAsync();
        await Expect(row.GetByTestId("storage-stops")).ToContainTextAsync("over its limit", new() { Timeout = 15000 });
        await Expect(page.GetByTestId("storage-nothing")).ToBeVisibleAsync(); // it stops recording rather than losing clips
        Assert.Equal("succeeded", (await Housekeeping.RunAsync(admin, "retention")).Outcome);
        await page.GetByTestId("storage-refresh").ClickAsync();
        await Expect(row.GetByTestId("storage-held")).ToContainTextAsync("Recording stopped by retention");
        await Browser.ScreenshotAsync(page, "e2e-52-storage-held");
        Assert.Empty(errors);
    }
}
