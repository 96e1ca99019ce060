using Microsoft.Playwright;
using NvrBlazor.Tests.Integration;
using NvrBlazor.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace NvrBlazor.Tests.EndToEnd;

/// <summary>
/// An admin opens the Hangfire dashboard from Admin > Jobs, in the browser, under the app's
/// Content-Security-Policy, and presses "Trigger now" on the retention job: the run is recorded as theirs.
/// </summary>
public class HangfireDashboardTests(ServerFixture fixture, Browser browser) : IClassFixture<ServerFixture>, IClassFixture<Browser>
{
    [Fact]
    public async Task The_dashboard_opens_from_the_jobs_page_and_its_trigger_now_runs_the_job_as_the_admin()
    {
        using var admin = await fixture.AdminAsync();
        var before = (await Housekeeping.JobsAsync(admin)).Single(j => j.Name == "retention").Runs.FirstOrDefault()?.Id ?? 0;
        var (context, page, errors) = await browser.NewPageAsync(1280, 900);
        await using var _ = context;
        await page.GotoAsync(new Uri(fixture.Server.BaseUri, "admin/jobs").ToString());
        await Browser.SignInAsync(page, "admin", NvrServer.AdminPassword);
        await Expect(page.Locator("[data-interactive=yes]")).ToBeVisibleAsync(new() { Timeout = 15000 });
        var retention = page.Locator("[data-testid=job][data-job=retention]");
        await Expect(retention.GetByTestId("job-schedule")).ToHaveTextAsync("every 10 minutes");
        await Expect(retention.GetByTestId("job-cron")).ToHaveTextAsync("*/10 * * * *");
        var link = page.GetByTestId("hangfire-link");
        await Expect(link).ToHaveAttributeAsync("href", "/admin/hangfire");
        await Browser.ScreenshotAsync(page, "e2e-52-jobs-page");

        await page.GotoAsync(new Uri(fixture.Server.BaseUri, "admin/hangfire/recurring").ToString());
        var row = page.Locator("tr", new() { Has = page.Locator("input.js-jobs-list-checkbox[value=retention]") });
        await Expect(row).ToContainTextAsync("*/10 * * * *");
        await row.Locator("input.js-jobs-list-checkbox").CheckAsync();
        await Browser.ScreenshotAsync(page, "e2e-53-hangfire-recurring");
        // The dashboard's script posts with its antiforgery header and then reloads the page.
        await page.Locator("button.js-jobs-list-command[data-url$='/recurring/trigger']").ClickAsync();

        var runs = await Eventually.ValueAsync(async () => (await Housekeeping.JobsAsync(admin)).Single(j => j.Name == "retention").Runs,
            runs => runs.FirstOrDefault() is { } run && run.Id > before && run.Outcome != "running", TimeSpan.FromSeconds(30), "the run triggered from the dashboard");
        Assert.Equal(("manual", "admin", "succeeded"), (runs[0].Trigger, runs[0].RequestedBy, runs[0].Outcome));
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }
}
