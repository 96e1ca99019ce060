using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using NvrBlazor.Tests.Integration;
using NvrBlazor.Tests.Support;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace NvrBlazor.Tests.EndToEnd;

/// <summary>
/// Every page as a new user meets it, on the server as shipped: an Admin and a Viewer, light and dark, a laptop and
/// a phone. Screenshots of each are saved as test artifacts (ui-*.png) for a person to look at.
/// </summary>
public class UiTourTests(ServerFixture fixture, Browser browser, ITestOutputHelper output) : IClassFixture<ServerFixture>, IClassFixture<Browser>
{
    private const string LightBackground = "rgb(245, 247, 250)";
    private static int seeded;
    private string seededName = "";

    /// <summary>One porch camera with a motion and a manual clip, granted to the viewer: every page has something to show.</summary>
    private async Task<(int Camera, long Clip)> SeedAsync()
    {
        var server = fixture.Server;
        var name = seededName = $"Porch {Interlocked.Increment(ref seeded)}";
        var porch = await ClipSeeder.CameraAsync(server, name);
        var (video, thumbnail) = await ClipSeeder.SampleAsync();
        var morning = new DateTimeOffset(DateTime.Today.AddHours(9), TimeZoneInfo.Local.GetUtcOffset(DateTime.Today.AddHours(9)));
        var clips = await ClipSeeder.AddAsync(server,
            new ClipSeeder.Spec(porch, name, morning, video, thumbnail),
            new ClipSeeder.Spec(porch, name, morning.AddHours(2), video, thumbnail, NvrBlazor.Domain.Recording.ClipReason.Manual));
        using var admin = await fixture.AdminAsync();
        using var grant = await admin.Http.PutAsJsonAsync($"/api/users/{ServerFixture.ViewerName}/cameras", new { allCameras = true, cameraIds = Array.Empty<int>() });
        grant.EnsureSuccessStatusCode();
        return (porch, clips[0].Id);
    }

    /// <summary>A fresh browser at <paramref name="path"/>, signed in there through the form (the page sends a visitor to it).</summary>
    private async Task<(IBrowserContext Context, IPage Page, List<string> Errors)> SignedInAsync(string path, string user, string password, int width = 1280, int height = 900)
    {
        var (context, page, errors) = await browser.NewPageAsync(width, height);
        await page.GotoAsync(new Uri(fixture.Server.BaseUri, path).ToString());
        await Browser.SignInAsync(page, user, password);
        return (context, page, errors);
    }

    [Fact]
    public async Task A_viewer_creates_an_api_key_sees_it_once_uses_it_and_revokes_it()
    {
        var (context, page, errors) = await SignedInAsync("account/keys", ServerFixture.ViewerName, ServerFixture.ViewerPassword);
        await using var _ = context;
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "API keys" })).ToBeVisibleAsync();
        await Browser.InteractiveAsync(page);
        await page.GetByTestId("key-name").FillAsync("tour script");
        await page.GetByTestId("create-key").ClickAsync();
        var shown = page.GetByTestId("new-key-value");
        await Expect(shown).ToBeVisibleAsync();
        var key = (await shown.TextContentAsync())!.Trim();
        Assert.StartsWith(NvrBlazor.Domain.Users.ApiKeyText.Prefix, key);
        var row = page.Locator("[data-testid=key-row][data-key='tour script']");
        await Expect(row).ToContainTextAsync(key[..NvrBlazor.Domain.Users.ApiKeyText.ShownLength]);
        await Expect(row).ToContainTextAsync("never");
        await Browser.ScreenshotAsync(page, "ui-api-key-created");

        using var program = new HttpClient { BaseAddress = fixture.Server.BaseUri };
        program.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        using (var used = await program.GetAsync("/api/cameras"))
            Assert.Equal(System.Net.HttpStatusCode.OK, used.StatusCode);

        // Shown once: a reload lists the key by its first characters only.
        await page.ReloadAsync();
        await Expect(row).ToBeVisibleAsync();
        await Browser.InteractiveAsync(page);
        await Expect(page.GetByTestId("new-key-value")).ToHaveCountAsync(0);
        Assert.DoesNotContain(key, await page.ContentAsync(), StringComparison.Ordinal);

        await row.GetByTestId("revoke-key").ClickAsync();
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Revoke" }).ClickAsync();
        await Expect(row).ToHaveCountAsync(0);
        using (var refused = await program.GetAsync("/api/cameras"))
            Assert.Equal(System.Net.HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    [Fact]
    public async Task An_admin_adds_a_webhook_channel_sends_a_test_and_sees_the_delivery()
    {
        await using var receiver = new WebhookReceiver();
        var (context, page, errors) = await SignedInAsync("admin/notifications", ServerFixture.FirstRunAdminName, NvrServer.AdminPassword);
        await using var _ = context;
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Notifications" })).ToBeVisibleAsync();
        await Browser.InteractiveAsync(page);
        await Browser.ClickUntilVisibleAsync(page.GetByTestId("add-channel"), page.GetByTestId("channel-form"));
        await page.GetByTestId("channel-name").FillAsync("phone");
        await page.GetByTestId("channel-address").FillAsync("not a url");
        await page.GetByTestId("save-channel").ClickAsync();
        await Expect(page.GetByTestId("channel-error")).ToContainTextAsync("http or https URL");
        await page.GetByTestId("channel-address").FillAsync(receiver.Url("ui"));
        await Browser.ChooseAsync(page.GetByTestId("channel-shape"), "ntfy");
        await page.GetByTestId("channel-form").GetByLabel("object detected").CheckAsync();
        await page.GetByTestId("channel-labels").FillAsync("Person, car");
        await page.GetByTestId("save-channel").ClickAsync();
        var row = page.Locator("[data-testid=channel-row][data-channel='phone']");
        await Expect(row).ToContainTextAsync("ntfy: " + receiver.Url("ui"));
        await Expect(row).ToContainTextAsync("object detected");
        await Expect(row).ToContainTextAsync("(only: person, car)");

        await row.GetByTestId("test-channel").ClickAsync();
        await Expect(page.GetByTestId("test-outcome")).ToContainTextAsync("delivered — HTTP 200");
        var sent = Assert.Single(receiver.Received, r => r.Path == "/ui");
        Assert.Contains("Test message from NvrBlazor", sent.Body);
        Assert.Equal("Test camera: motion", sent.Headers["Title"]);
        await Expect(page.GetByTestId("deliveries")).ToContainTextAsync("test: HTTP 200");
        await Browser.ScreenshotAsync(page, "ui-notifications");
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    [Fact]
    public async Task Every_page_for_an_admin_and_a_viewer_in_light_and_dark_has_no_console_error_and_asks_no_other_host()
    {
        var (camera, clip) = await SeedAsync();
        string[] everyone = ["", "live/" + camera, "clips", $"clips/{clip}", "clips/timeline", "status", "account/password", "account/keys"];
        string[] adminOnly = ["publish", "admin/cameras", "admin/users", "admin/storage", "admin/jobs", "admin/audit", "admin/notifications"];
        var problems = new List<string>();
        foreach (var (user, password, pages) in new[]
                 {
                     (ServerFixture.FirstRunAdminName, NvrServer.AdminPassword, everyone.Concat(adminOnly).ToArray()),
                     (ServerFixture.ViewerName, ServerFixture.ViewerPassword, everyone),
                 })
        {
            foreach (var theme in new[] { "light", "dark" })
            {
                var (context, page, errors) = await browser.NewPageAsync(1366, 900);
                await using var _ = context;
                await context.AddCookiesAsync([new Cookie { Name = "nvr.theme", Value = theme, Url = fixture.Server.BaseUri.ToString() }]);
                var elsewhere = new List<string>();
                page.Request += (_, request) =>
                {
                    if (Uri.TryCreate(request.Url, UriKind.Absolute, out var address) && address.Scheme is "http" or "https" or "ws" or "wss"
                        && address.Authority != fixture.Server.BaseUri.Authority)
                        elsewhere.Add(request.Url);
                };
                await page.GotoAsync(fixture.Server.BaseUri.ToString());
                await Browser.SignInAsync(page, user, password);
                await Expect(page.GetByTestId("signed-in-user")).ToBeVisibleAsync(new() { Timeout = 15000 });
                foreach (var path in pages)
                {
                    var response = await page.GotoAsync(new Uri(fixture.Server.BaseUri, path).ToString());
                    if (response?.Status != 200)
                        problems.Add($"{user} {theme} /{path}: HTTP {response?.Status}");
                    await Expect(page.Locator("h1").First).ToBeVisibleAsync(new() { Timeout = 15000 });
                    if (path != "account/password")
                        await page.WaitForFunctionAsync("() => window.Blazor !== undefined");
                    await page.WaitForTimeoutAsync(800); // let the circuit connect and the page's first updates land
                    var background = await page.EvaluateAsync<string>("() => getComputedStyle(document.body).backgroundColor");
                    var expected = theme == "dark" ? Browser.DarkBackground : LightBackground;
                    if (background != expected)
                        problems.Add($"{user} {theme} /{path}: page background {background}, expected {expected}");
                    var name = path.Length == 0 ? "live" : Regex.Replace(path, "[^a-z0-9]+", "-");
                    await Browser.ScreenshotAsync(page, $"ui-{(user == ServerFixture.ViewerName ? "viewer" : "admin")}-{theme}-{name}");
                }
                problems.AddRange(errors.Select(e => $"{user} {theme} console: {e}"));
                problems.AddRange(elsewhere.Select(e => $"{user} {theme} request to another host: {e}"));
            }
        }
        foreach (var problem in problems)
            output.WriteLine(problem);
        Assert.Empty(problems);
    }

    [Fact]
    public async Task On_a_phone_picking_a_page_closes_the_drawer_and_the_timeline_labels_do_not_overlap()
    {
        await SeedAsync();
        var (context, page, errors) = await SignedInAsync("", ServerFixture.FirstRunAdminName, NvrServer.AdminPassword, 390, 844);
        await using var _ = context;
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Live" })).ToBeVisibleAsync(new() { Timeout = 15000 });
        await page.WaitForFunctionAsync("() => window.Blazor !== undefined");

        var drawer = page.GetByTestId("nav");
        var open = new Regex("mud-drawer--open");
        await Expect(drawer).Not.ToHaveClassAsync(open, new() { Timeout = 10000 });
        // The menu button toggles: click only while the drawer is closed (a click before the circuit is up does nothing,
        // a second one on a slow machine would close what the first opened).
        async Task<bool> IsOpenAsync() => (await drawer.GetAttributeAsync("class") ?? "").Contains("mud-drawer--open", StringComparison.Ordinal);
        await Eventually.ValueAsync(async () =>
        {
            if (!await IsOpenAsync())
                await page.GetByTestId("nav-toggle").ClickAsync();
            await page.WaitForTimeoutAsync(1500);
            return await IsOpenAsync();
        }, isOpen => isOpen, TimeSpan.FromSeconds(30), "the drawer open");
        await Browser.ScreenshotAsync(page, "ui-phone-drawer-open");
        await page.GetByTestId("nav-timeline").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Timeline" })).ToBeVisibleAsync();
        await Expect(drawer).Not.ToHaveClassAsync(open);
        var content = await page.Locator(".nvr-page").BoundingBoxAsync();
        Assert.True(content is { Width: >= 370 }, $"the page is {content?.Width} px wide on a 390 px screen");

        await Expect(page.GetByTestId("timeline-row").First).ToBeVisibleAsync();
        var overlaps = await page.EvaluateAsync<string[]>("""
            () => {
                const boxes = [...document.querySelectorAll('.nvr-tl-axis .nvr-tl-tick')]
                    .filter(t => t.getClientRects().length > 0)
                    .map(t => ({ text: t.textContent, r: t.getBoundingClientRect() }));
                const found = [];
                for (let i = 0; i < boxes.length; i++)
                    for (let j = i + 1; j < boxes.length; j++) {
                        const a = boxes[i].r, b = boxes[j].r;
                        if (a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom)
                            found.push(`${boxes[i].text} overlaps ${boxes[j].text}`);
                    }
                return boxes.length < 3 ? ['fewer than 3 labels shown'] : found;
            }
            """);
        await Browser.ScreenshotAsync(page, "ui-phone-timeline");
        Assert.Empty(overlaps);

        // The hour view's labels, too.
        await page.GetByTestId("hour-9").ClickAsync();
        await Expect(page.GetByTestId("timeline-hour")).ToHaveTextAsync("09:00 – 10:00");
        var hourTicks = await page.EvaluateAsync<double[][]>("() => [...document.querySelectorAll('.nvr-tl-axis .nvr-tl-tick')].filter(t => t.getClientRects().length > 0).map(t => { const r = t.getBoundingClientRect(); return [r.left, r.right]; })");
        for (var i = 1; i < hourTicks.Length; i++)
            Assert.True(hourTicks[i][0] >= hourTicks[i - 1][1], $"hour label {i} starts at {hourTicks[i][0]}, before the previous ends at {hourTicks[i - 1][1]}");
        Assert.Empty(errors);
    }

    [Fact]
    public async Task A_new_viewer_gets_their_cameras_in_the_same_form()
    {
        await SeedAsync();
        var (context, page, errors) = await SignedInAsync("admin/users", ServerFixture.FirstRunAdminName, NvrServer.AdminPassword);
        await using var _ = context;
        await Browser.ClickUntilVisibleAsync(page.GetByTestId("add-user"), page.GetByTestId("add-user-form"));
        var name = $"tour-viewer-{seeded}";
        await page.GetByTestId("new-username").FillAsync(name);
        await page.GetByTestId("new-user-grants").GetByText(seededName, new() { Exact = true }).ClickAsync();
        await Browser.ScreenshotAsync(page, "ui-new-viewer-with-cameras");
        await page.GetByTestId("create-user").ClickAsync();
        var row = page.GetByRole(AriaRole.Row).Filter(new() { Has = page.GetByTestId("user-name").GetByText(name, new() { Exact = true }) });
        await Expect(row.GetByTestId("edit-grants")).ToContainTextAsync("1 camera", new() { Timeout = 15000 });
        Assert.Empty(errors);
    }

    [Fact]
    public async Task An_unknown_address_shows_the_apps_not_found_page_with_status_404()
    {
        var (context, page, _) = await SignedInAsync("", ServerFixture.FirstRunAdminName, NvrServer.AdminPassword);
        await using var __ = context;
        await Expect(page.GetByTestId("signed-in-user")).ToBeVisibleAsync(new() { Timeout = 15000 });

        var response = await page.GotoAsync(new Uri(fixture.Server.BaseUri, "no/such/page").ToString());
        Assert.Equal(404, response?.Status);
        await Expect(page.GetByTestId("not-found")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("nav-live")).ToBeVisibleAsync(); // inside the app, with its menu
        await Browser.ScreenshotAsync(page, "ui-not-found");
        await page.GetByTestId("not-found-home").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Live" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task A_filtered_clip_list_survives_a_reload_and_opens_from_its_copied_address()
    {
        var (camera, _) = await SeedAsync();
        var (context, page, errors) = await SignedInAsync("clips", ServerFixture.FirstRunAdminName, NvrServer.AdminPassword);
        await using var _ = context;
        await Expect(page.Locator("[data-interactive=yes]")).ToBeVisibleAsync(new() { Timeout = 15000 });

        await page.GetByTestId($"filter-camera-{camera}").CheckAsync();
        await Browser.ChooseAsync(page.GetByTestId("filter-reason"), "manual");
        await Expect(page.GetByTestId("filter-reason")).ToContainTextAsync("manual");
        await page.GetByTestId("filter-apply").ClickAsync();
        await Browser.ScreenshotAsync(page, "ui-clips-filtered");
        var cards = page.GetByTestId("clip-card");
        await Expect(cards).ToHaveCountAsync(1);
        await Expect(page).ToHaveURLAsync(new Regex($"camera={camera}.*reason=manual|reason=manual.*camera={camera}"), new() { Timeout = 15000 });
        var address = page.Url;

        await page.ReloadAsync();
        await Expect(page.Locator("[data-interactive=yes]")).ToBeVisibleAsync(new() { Timeout = 15000 });
        await Expect(cards).ToHaveCountAsync(1);
        await Expect(page.GetByTestId($"filter-camera-{camera}")).ToBeCheckedAsync();
        await Expect(page.GetByTestId("filter-reason")).ToContainTextAsync("manual");

        // Someone else's browser (signed in as a viewer with the camera's rights) opens the same address.
        var (other, otherPage, otherErrors) = await browser.NewPageAsync(1280, 900);
        await using var __ = other;
        await otherPage.GotoAsync(address);
        await Browser.SignInAsync(otherPage, ServerFixture.ViewerName, ServerFixture.ViewerPassword);
        await Expect(otherPage.Locator("[data-interactive=yes]")).ToBeVisibleAsync(new() { Timeout = 15000 });
        await Expect(otherPage.GetByTestId("clip-card")).ToHaveCountAsync(1);
        await Expect(otherPage.GetByTestId("clips-summary")).ToContainTextAsync("1 clip(s)");
        await Browser.ScreenshotAsync(otherPage, "ui-clips-from-copied-address");
        Assert.Empty(errors.Concat(otherErrors));
    }
}
