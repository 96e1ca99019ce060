using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using NvrBlazor.Domain.Users;
using NvrBlazor.Tests.Integration;
using NvrBlazor.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace NvrBlazor.Tests.EndToEnd;

/// <summary>
/// Issue 4's promise: an admin publishes a laptop's webcam from /publish (Chromium's fake camera), and a
/// Viewer granted that camera watches it live in another browser; a Viewer not granted it sees nothing
/// and is refused on the live socket even when asking by hand.
/// </summary>
public class PublishAndWatchTests(ServerFixture fixture, Browser browser) : IClassFixture<ServerFixture>, IClassFixture<Browser>
{
    private const string CameraName = "Laptop X";

    /// <summary>Signs the admin in on /publish, creates a browser camera there and publishes the fake webcam to it.</summary>
    private async Task<(ILocator Stats, int CameraId)> PublishAsync(IPage admin, string cameraName)
    {
        await admin.GotoAsync($"{fixture.Server.BaseUri}publish");
        await Browser.SignInAsync(admin, ServerFixture.FirstRunAdminName, NvrServer.AdminPassword);
        await admin.WaitForFunctionAsync("() => { const v = document.querySelector('[data-testid=publish-preview]'); return v && v.videoWidth > 0; }");
        await admin.GetByTestId("publish-new-name").FillAsync(cameraName);
        await Browser.ClickUntilVisibleAsync(admin.GetByTestId("publish-create"), admin.Locator("[data-testid=publish-start]:enabled"));
        await Expect(admin.GetByTestId("publish-camera")).ToContainTextAsync(cameraName);
        await admin.GetByTestId("publish-start").ClickAsync();
        var stats = admin.GetByTestId("publish-stats");
        await Expect(stats).ToHaveAttributeAsync("data-state", "publishing");
        using var api = await fixture.AdminAsync();
        var cameraId = (await api.Http.GetFromJsonAsync<JsonElement>("/api/cameras")).EnumerateArray()
            .Single(c => c.GetProperty("name").GetString() == cameraName).GetProperty("id").GetInt32();
        return (stats, cameraId);
    }

    [Fact]
    public async Task A_webcam_published_from_the_browser_plays_for_a_granted_viewer_and_is_refused_to_another()
    {
        await InProcessApp.CreateUserAsync(fixture.Server, "e2e-granted", "granted-e2e-passphrase", Roles.Viewer);
        await InProcessApp.CreateUserAsync(fixture.Server, "e2e-stranger", "stranger-e2e-passphrase", Roles.Viewer);

        // The admin opens /publish, creates a browser camera and publishes to it.
        var (adminContext, admin, adminErrors) = await browser.NewPageAsync();
        await using var _ = adminContext;
        var (stats, cameraId) = await PublishAsync(admin, CameraName);
        await admin.WaitForFunctionAsync("() => Number(document.querySelector('[data-testid=publish-stats]').dataset.ack) >= 5", null, new() { Timeout = 15000 });
        await Expect(admin.GetByTestId("publish-sent")).Not.ToHaveTextAsync("0.0 fps · 0 kbit/s");
        await Browser.ScreenshotAsync(admin, "e2e-20-publish");


        // The admin grants the camera to one viewer on Admin > Users.
        var users = await adminContext.NewPageAsync();
        await users.GotoAsync($"{fixture.Server.BaseUri}admin/users");
        var row = users.Locator("tr", new() { Has = users.Locator("[data-testid=user-name]", new() { HasTextRegex = new("^e2e-granted$") }) });
        await Browser.ClickUntilVisibleAsync(row.GetByTestId("edit-grants"), users.GetByTestId("grants-editor"));
        await users.GetByTestId("grant-cameras").GetByText(CameraName, new() { Exact = true }).ClickAsync();
        await users.GetByTestId("save-grants").ClickAsync();
        await Expect(row.GetByTestId("edit-grants")).ToContainTextAsync("1 camera");
        await users.CloseAsync();

        // The granted viewer sees the webcam playing: a decoded picture and a rising frame counter.
        var (viewerContext, viewer, viewerErrors) = await browser.NewPageAsync();
        await using var __ = viewerContext;
        await viewer.GotoAsync(fixture.Server.BaseUri.ToString());
        await Browser.SignInAsync(viewer, "e2e-granted", "granted-e2e-passphrase");
        var video = viewer.GetByTestId($"video-{cameraId}");
        await Expect(video).ToHaveAttributeAsync("data-state", "live", new() { Timeout = 15000 });
        await viewer.WaitForFunctionAsync($"() => document.querySelector('[data-testid=frame-{cameraId}]').naturalWidth > 0");
        var first = int.Parse(await video.GetAttributeAsync("data-frames") ?? "0");
        await viewer.WaitForTimeoutAsync(1500);
        var second = int.Parse(await video.GetAttributeAsync("data-frames") ?? "0");
        Assert.True(second > first + 3, $"the frame counter went from {first} to {second} in 1.5 s");
        await Expect(video.Locator(".nvr-ov-name")).ToHaveTextAsync(CameraName);
        await Browser.ScreenshotAsync(viewer, "e2e-21-viewer-watches-webcam");

        // The other viewer has no tile, and asking the live socket by hand with their cookie is refused.
        var (strangerContext, stranger, _) = await browser.NewPageAsync();
        await using var ___ = strangerContext;
        await stranger.GotoAsync(fixture.Server.BaseUri.ToString());
        await Browser.SignInAsync(stranger, "e2e-stranger", "stranger-e2e-passphrase");
        await Expect(stranger.GetByTestId("no-live-cameras")).ToBeVisibleAsync();
        await Expect(stranger.GetByTestId($"video-{cameraId}")).ToHaveCountAsync(0);
        await using (var socket = await ViewerSocket.ConnectAsync(fixture.Server.BaseUri, await Browser.CookiesOfAsync(strangerContext)))
        {
            await socket.SubscribeAsync(cameraId);
            var refused = await socket.TextAsync(t => t.GetProperty("type").GetString() == "refused", "the refusal");
            Assert.Equal(cameraId, refused.GetProperty("camera").GetInt32());
            await Task.Delay(1000);
            Assert.Equal(0, socket.FramesOf(cameraId));
        }
        await stranger.GotoAsync($"{fixture.Server.BaseUri}live/{cameraId}");
        await Expect(stranger.GetByTestId("camera-not-available")).ToBeVisibleAsync();

        // Stopping is clean: the viewer's tile says the camera is offline and when its last frame came.
        await admin.GetByTestId("publish-stop").ClickAsync();
        await Expect(stats).ToHaveAttributeAsync("data-state", "stopped");
        await Expect(video).ToHaveAttributeAsync("data-state", "offline", new() { Timeout = 15000 });
        await Expect(video.Locator(".nvr-ov-state")).ToContainTextAsync("last frame at");

        Assert.Empty(adminErrors);
        Assert.Empty(viewerErrors);
    }

    [Fact]
    public async Task Publisher_and_viewer_both_come_back_by_themselves_after_the_server_goes_away()
    {
        var (context, admin, _) = await browser.NewPageAsync();
        await using var _ = context;
        var (stats, cameraId) = await PublishAsync(admin, "Phone Y");

        // The admin also watches it live in a second tab.
        var watcher = await context.NewPageAsync();
        await watcher.GotoAsync(fixture.Server.BaseUri.ToString());
        var video = watcher.GetByTestId($"video-{cameraId}");
        await Expect(video).ToHaveAttributeAsync("data-state", "live", new() { Timeout = 15000 });

        await fixture.Server.StopAsync();
        await Expect(stats).ToHaveAttributeAsync("data-state", "reconnecting", new() { Timeout = 15000 });
        await Expect(video).ToHaveAttributeAsync("data-state", "reconnecting", new() { Timeout = 15000 });
        await Expect(video.Locator(".nvr-ov-state")).ToHaveTextAsync("Reconnecting…");
        await fixture.Server.StartAsync();

        // Nobody clicks anything: the publisher reconnects, the server acknowledges again, the tile plays again.
        await Expect(stats).ToHaveAttributeAsync("data-state", "publishing", new() { Timeout = 30000 });
        await admin.WaitForFunctionAsync("() => Number(document.querySelector('[data-testid=publish-stats]').dataset.ack) >= 3", null, new() { Timeout = 20000 });
        await Expect(video).ToHaveAttributeAsync("data-state", "live", new() { Timeout = 30000 });
        var frames = int.Parse(await video.GetAttributeAsync("data-frames") ?? "0");
        await watcher.WaitForFunctionAsync($"() => Number(document.querySelector('[data-testid=video-{cameraId}]').dataset.frames) > {frames + 3}");
    }
}
