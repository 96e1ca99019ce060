using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using NvrBlazor.Tests.Integration;
using NvrBlazor.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace NvrBlazor.Tests.EndToEnd;

/// <summary>The live grid with fake ESP32 cameras: motion border, info line, status on hover, commands and their log (by click or tap), layout, single view.</summary>
public class LivePageTests(ServerFixture fixture, Browser browser) : IClassFixture<ServerFixture>, IClassFixture<Browser>
{
    private static async Task<int> FramesAsync(ILocator video) => int.Parse(await video.GetAttributeAsync("data-frames") ?? "0");

    [Fact]
    public async Task Motion_turns_the_border_red_and_a_typed_command_reaches_the_camera_with_its_echo_in_the_hover_log()
    {
        var jpeg = await TestJpeg.CreateAsync(640, 480);
        using var api = await fixture.AdminAsync();
        var cameras = new List<FakeEsp32Camera>();
        var ids = new Dictionary<string, int>();
        using var stop = new CancellationTokenSource();
        var streams = new List<Task>();
        foreach (var name in new[] { "e2e-porch", "e2e-garage", "e2e-garden" })
        {
            var camera = new FakeEsp32Camera(name);
            cameras.Add(camera);
            await camera.ConnectAsync(fixture.Server.BaseUri);
            var id = (await Eventually.ValueAsync(() => api.Http.GetFromJsonAsync<JsonElement>("/api/cameras"),
                all => all.EnumerateArray().Any(c => c.GetProperty("hostName").GetString() == name), what: name))
                .EnumerateArray().Single(c => c.GetProperty("hostName").GetString() == name).GetProperty("id").GetInt32();
            ids[name] = id;
            (await api.Http.PutAsJsonAsync($"/api/cameras/{id}/state", new { state = "active" })).Dispose();
            streams.Add(Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    await camera.SendFrameAsync(jpeg);
                    await Task.Delay(200);
                }
            }));
        }
        try
        {
            var porch = cameras[0];
            var porchId = ids["e2e-porch"];
            var (context, page, errors) = await browser.NewPageAsync(1400, 900);
            await using var _ = context;
            await page.GotoAsync(fixture.Server.BaseUri.ToString());
            await Browser.SignInAsync(page, ServerFixture.FirstRunAdminName, NvrServer.AdminPassword);
            var video = page.GetByTestId($"video-{porchId}");
            await Expect(video).ToHaveAttributeAsync("data-state", "live", new() { Timeout = 15000 });

            // The layout is remembered per user (and proves the circuit is interactive before hovering).
            await Browser.ClickUntilVisibleAsync(page.GetByTestId("layout").GetByText("3", new() { Exact = true }), page.Locator("[data-testid=live-grid][data-columns='3']"));

            await porch.SendTextAsync("MotionStart");
            await Expect(video).ToHaveAttributeAsync("data-motion", "on");
            Assert.Equal("rgb(229, 57, 53)", await video.EvaluateAsync<string>("e => getComputedStyle(e).outlineColor"));
            await porch.SendTextAsync("Motion near the door");
            await Expect(video.Locator(".nvr-ov-info")).ToHaveTextAsync("Motion near the door");
            await page.WaitForFunctionAsync("() => [...document.querySelectorAll('.nvr-frame')].filter(i => i.naturalWidth === 640).length === 3");
            await Browser.ScreenshotAsync(page, "e2e-22-live-grid-motion");
            await porch.SendTextAsync("MotionEnd");
            await Expect(video).ToHaveAttributeAsync("data-motion", "off");

            // Hovering the picture shows the camera's status fields.
            await video.HoverAsync();
            await Expect(video.Locator(".nvr-ov-status")).ToContainTextAsync("hostName: e2e-porch");
            await Expect(video.Locator(".nvr-ov-status")).ToContainTextAsync("wifi_rssi: -61");

            // A command typed in the tile's box reaches that camera; the tile's log (a click or tap away) shows it and the echo, newest first.
            var box = page.GetByTestId($"command-{porchId}");
            await box.FillAsync("lamp=3");
            await box.PressAsync("Enter");
            await Eventually.ValueAsync(() => Task.FromResult(porch.CommandsReceived.ToList()), c => c.Contains("lamp=3"), what: "lamp=3 at the camera");
            Assert.DoesNotContain(cameras[1].CommandsReceived, c => c.Contains("lamp", StringComparison.Ordinal));
            await page.GetByTestId($"command-log-toggle-{porchId}").ClickAsync();
            var log = page.GetByTestId($"command-log-{porchId}");
            await Expect(log).ToContainTextAsync("→ lamp=3");
            await Expect(log).ToContainTextAsync("← lamp=3");
            await Expect(log.Locator("div").First).ToContainTextAsync("← lamp=3");
            await Browser.ScreenshotAsync(page, "e2e-23-live-command-log");

            // The audit log has the command, with who sent it.
            var audit = await api.Http.GetFromJsonAsync<JsonElement>($"/api/audit?camera={porchId}&action=command");
            Assert.Contains(audit.EnumerateArray(), e => e.GetProperty("detail").GetString() == "lamp=3" && e.GetProperty("userName").GetString() == "admin");

            // The layout survived a reload.
            await page.ReloadAsync();
            await Expect(page.Locator("[data-testid=live-grid][data-columns='3']")).ToBeVisibleAsync();

            // One column: the last tile is below the fold, so it unsubscribes and receives nothing.
            await Browser.ClickUntilVisibleAsync(page.GetByTestId("layout").GetByText("1", new() { Exact = true }), page.Locator("[data-testid=live-grid][data-columns='1']"));
            await page.WaitForTimeoutAsync(1000);
            var top = page.GetByTestId($"video-{ids["e2e-garage"]}");
            var below = page.GetByTestId($"video-{porchId}");
            var (topBefore, belowBefore) = (await FramesAsync(top), await FramesAsync(below));
            await page.WaitForTimeoutAsync(2000);
            Assert.True(await FramesAsync(top) > topBefore + 4, "the visible tile keeps playing");
            Assert.Equal(belowBefore, await FramesAsync(below));
            await below.ScrollIntoViewIfNeededAsync();
            await page.WaitForFunctionAsync($"() => Number(document.querySelector('[data-testid=video-{porchId}]').dataset.frames) > {belowBefore}");

            // A hidden tab unsubscribes everything, and a visible one subscribes again.
            await page.EvaluateAsync("() => { Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true }); document.dispatchEvent(new Event('visibilitychange')); }");
            await page.WaitForTimeoutAsync(1000);
            var hiddenFrames = await FramesAsync(below);
            await page.WaitForTimeoutAsync(1500);
            Assert.Equal(hiddenFrames, await FramesAsync(below));
            await page.EvaluateAsync("() => { Object.defineProperty(document, 'visibilityState', { value: 'visible', configurable: true }); document.dispatchEvent(new Event('visibilitychange')); }");
            await page.WaitForFunctionAsync($"() => Number(document.querySelector('[data-testid=video-{porchId}]').dataset.frames) > {hiddenFrames}");

            // Clicking a tile opens it alone, with a fullscreen button.
            await below.ClickAsync();
            await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"/live/{porchId}$"));
            await Expect(page.GetByTestId("fullscreen")).ToBeVisibleAsync();
            await Expect(page.GetByTestId($"video-{porchId}")).ToHaveAttributeAsync("data-state", "live", new() { Timeout = 15000 });
            await Browser.ScreenshotAsync(page, "e2e-24-live-single");

            // Admin > Audit log shows who watched and who sent what.
            await page.GetByTestId("nav-admin-audit").ClickAsync();
            await Expect(page.GetByTestId("audit-grid")).ToContainTextAsync("lamp=3");
            await Expect(page.GetByTestId("audit-grid")).ToContainTextAsync("Live view");
            await Browser.ScreenshotAsync(page, "e2e-25-audit-log");

            Assert.Empty(errors);
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(streams);
            foreach (var camera in cameras)
                await camera.DisposeAsync();
        }
    }
}
