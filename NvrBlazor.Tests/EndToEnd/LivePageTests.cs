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
        using var api = await fixture.AdminAsync();
        await using var streaming = await StreamingCameras.StartAsync(fixture, api, "e2e-porch", "e2e-garage", "e2e-garden");
        var (cameras, ids) = (streaming.Cameras, streaming.Ids);
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
        await page.GetByTestId($"controls-toggle-{porchId}").ClickAsync();
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
        // lamp is echoed by the firmware: the tile says the camera confirmed it.
        await Expect(page.GetByTestId($"command-feedback-{porchId}")).ToHaveTextAsync("lamp=3: confirmed by the camera");
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

    [Fact]
    public async Task Auto_layout_fits_every_camera_on_one_screen_the_chosen_order_stays_and_a_snapshot_is_the_frame()
    {
        using var api = await fixture.AdminAsync();
        await using var streaming = await StreamingCameras.StartAsync(fixture, api, "fit-1", "fit-2", "fit-3", "fit-4", "fit-5");
        var (context, page, errors) = await browser.NewPageAsync(1366, 900);
        await using var _ = context;
        await page.GotoAsync(fixture.Server.BaseUri.ToString());
        await Browser.SignInAsync(page, ServerFixture.FirstRunAdminName, NvrServer.AdminPassword);
        var first = streaming.Ids["fit-1"];

        // Auto (the other test leaves this admin on one column): every tile of this server, the other test's cameras
        // included, is on screen, none below the fold.
        await Browser.ClickUntilVisibleAsync(page.GetByTestId("layout").GetByText("Auto", new() { Exact = true }), page.Locator("[data-testid=live-grid][data-columns='0']"));
        await Expect(page.GetByTestId($"video-{first}")).ToHaveAttributeAsync("data-state", "live", new() { Timeout = 15000 });
        await Expect(page.Locator("[data-testid=live-grid][data-fit]")).ToHaveCountAsync(1);
        var overflow = await page.EvaluateAsync<double>("() => Math.max(...[...document.querySelectorAll('.nvr-tile')].map(t => t.getBoundingClientRect().bottom)) - window.innerHeight");
        Assert.True(overflow <= 0, $"the lowest tile ends {overflow:0} px below the window");
        await Browser.ScreenshotAsync(page, "e2e-26-live-auto-fit");

        // The first camera moved one place later stays there after a reload.
        static Task<double> LeftAsync(IPage page, int id) => page.EvaluateAsync<double>($"() => document.querySelector('[data-testid=video-{id}]').getBoundingClientRect().left + document.querySelector('[data-testid=video-{id}]').getBoundingClientRect().top * 10000");
        var before = await LeftAsync(page, first);
        await page.GetByTestId($"video-{first}").HoverAsync();
        await page.GetByTestId($"move-later-{first}").ClickAsync();
        await Eventually.ValueAsync(() => LeftAsync(page, first), at => at > before, what: "the tile moved later");
        var moved = await LeftAsync(page, first);
        await page.ReloadAsync();
        await Expect(page.GetByTestId($"video-{first}")).ToHaveAttributeAsync("data-state", "live", new() { Timeout = 15000 });
        await Eventually.ValueAsync(() => LeftAsync(page, first), at => Math.Abs(at - moved) < 1, what: "the order kept after a reload");

        // Status by tap (no hover on a phone), and the picture saved as the JPEG the camera sent.
        await page.GetByTestId($"status-toggle-{first}").ClickAsync();
        await Expect(page.GetByTestId($"video-{first}").Locator(".nvr-ov-status")).ToContainTextAsync("hostName: fit-1");
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId($"snapshot-{first}").ClickAsync());
        Assert.Matches(@"^fit-1_\d{4}-\d{2}-\d{2}_\d{2}-\d{2}-\d{2}\.jpg$", download.SuggestedFilename);
        var saved = await File.ReadAllBytesAsync(await download.PathAsync());
        Assert.Equal(streaming.Jpeg, saved);

        // The wall display: pictures only, no menu and no controls; its faint button leads back.
        await page.GetByTestId("wall-open").ClickAsync();
        await Expect(page.Locator(".mud-appbar")).ToBeHiddenAsync();
        await Expect(page.GetByTestId($"controls-{first}")).ToHaveCountAsync(0);
        await Expect(page.GetByTestId($"video-{first}")).ToHaveAttributeAsync("data-state", "live", new() { Timeout = 15000 });
        await Browser.ScreenshotAsync(page, "e2e-27-live-wall");
        await page.GetByTestId("wall-exit").ClickAsync();
        await Expect(page.Locator(".mud-appbar")).ToBeVisibleAsync();
        await Expect(page.GetByTestId($"controls-{first}")).ToBeVisibleAsync();
        Assert.Empty(errors);
    }

    /// <summary>Fake ESP32 cameras, approved, each sending a VGA frame every 200 ms until disposed.</summary>
    [Fact]
    public async Task People_walking_get_their_boxes_drawn_on_the_live_picture_while_the_camera_moves()
    {
        using var api = await fixture.AdminAsync();
        var people = await DetectionFrames.VideoAsync(["-i", "/usr/share/doc/opencv-doc/examples/data/vtest.avi"], seconds: 12);
        await using var streaming = await StreamingCameras.StartAsync(fixture, api, i => people[i % people.Count], "e2e-walkers");
        var id = streaming.Ids["e2e-walkers"];
        var (context, page, errors) = await browser.NewPageAsync(1280, 900);
        await using var _ = context;
        await page.GotoAsync(fixture.Server.BaseUri.ToString());
        await Browser.SignInAsync(page, ServerFixture.FirstRunAdminName, NvrServer.AdminPassword);
        var video = page.GetByTestId($"video-{id}");
        await Expect(video).ToHaveAttributeAsync("data-state", "live", new() { Timeout = 15000 });

        // The detector looks only while the camera moves: then the people get their boxes, inside the picture.
        await streaming.Cameras[0].SendTextAsync("MotionStart");
        var person = page.Locator($"[data-testid=objects-{id}] .nvr-ov-object[data-label=person]");
        await Expect(person.First).ToBeVisibleAsync(new() { Timeout = 20000 });
        await Expect(person.First).ToContainTextAsync(new System.Text.RegularExpressions.Regex(@"^person \d+%$"));
        // Both rectangles read at once in the page (a new look may redraw the boxes between two reads).
        var inside = await page.EvaluateAsync<string>($$"""
            () => {
            const tile = document.querySelector('[data-testid=video-{{id}}]').getBoundingClientRect();
            const mark = document.querySelector('[data-testid=objects-{{id}}] .nvr-ov-object[data-label=person]')?.getBoundingClientRect();
            if (!mark) return 'no box';
            const ok = mark.width > 4 && mark.left >= tile.left - 1 && mark.top >= tile.top - 1 && mark.right <= tile.right + 1 && mark.bottom <= tile.bottom + 1;
            return ok ? 'inside' : `box ${mark.left},${mark.top}-${mark.right},${mark.bottom} outside tile ${tile.left},${tile.top}-${tile.right},${tile.bottom}`;
            }
            """);
        Assert.Equal("inside", inside);
        await Browser.ScreenshotAsync(page, "e2e-23-live-person-boxes");

        // Motion over: no new looks, and the last boxes go once they are older than the picture by 2 s.
        await streaming.Cameras[0].SendTextAsync("MotionEnd");
        await Expect(page.GetByTestId($"objects-{id}")).ToBeHiddenAsync(new() { Timeout = 10000 });
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    private sealed class StreamingCameras : IAsyncDisposable
    {
        private readonly CancellationTokenSource stop = new();
        private readonly List<Task> streams = [];

        public List<FakeEsp32Camera> Cameras { get; } = [];
        public Dictionary<string, int> Ids { get; } = [];
        public byte[] Jpeg { get; private init; } = [];

        public static async Task<StreamingCameras> StartAsync(ServerFixture fixture, NvrClient api, params string[] names) =>
            await StartAsync(fixture, api, null, names);

        /// <summary>Cameras sending frame i of <paramref name="frames"/> (a still test picture when null) 5 times a second.</summary>
        public static async Task<StreamingCameras> StartAsync(ServerFixture fixture, NvrClient api, Func<int, byte[]>? frames, params string[] names)
        {
            var streaming = new StreamingCameras { Jpeg = await TestJpeg.CreateAsync(640, 480) };
            frames ??= _ => streaming.Jpeg;
            foreach (var name in names)
            {
                var camera = new FakeEsp32Camera(name);
                streaming.Cameras.Add(camera);
                await camera.ConnectAsync(fixture.Server.BaseUri);
                var id = (await Eventually.ValueAsync(() => api.Http.GetFromJsonAsync<JsonElement>("/api/cameras"),
                    all => all.EnumerateArray().Any(c => c.GetProperty("hostName").GetString() == name), what: name))
                    .EnumerateArray().Single(c => c.GetProperty("hostName").GetString() == name).GetProperty("id").GetInt32();
                streaming.Ids[name] = id;
                (await api.Http.PutAsJsonAsync($"/api/cameras/{id}/state", new { state = "active" })).Dispose();
                streaming.streams.Add(Task.Run(async () =>
                {
                    for (var i = 0; !streaming.stop.IsCancellationRequested; i++)
                    {
                        await camera.SendFrameAsync(frames(i));
                        await Task.Delay(200);
                    }
                }));
            }
            return streaming;
        }

        public async ValueTask DisposeAsync()
        {
            await stop.CancelAsync();
            await Task.WhenAll(streams);
            foreach (var camera in Cameras)
                await camera.DisposeAsync();
            stop.Dispose();
        }
    }
}
