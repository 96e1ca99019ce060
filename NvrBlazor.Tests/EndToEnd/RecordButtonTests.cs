using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using NvrBlazor.Tests.Integration;
using NvrBlazor.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace NvrBlazor.Tests.EndToEnd;

/// <summary>An admin records by hand from the live tile: REC appears, Stop ends it, and the clip is indexed and plays.</summary>
public class RecordButtonTests(ServerFixture fixture, Browser browser) : IClassFixture<ServerFixture>, IClassFixture<Browser>
{
    [Fact]
    public async Task Record_on_the_tile_shows_REC_and_stop_leaves_a_complete_clip()
    {
        var jpeg = await TestJpeg.CreateAsync(320, 240);
        using var api = await fixture.AdminAsync();
        await using var camera = new FakeEsp32Camera("e2e-record");
        await camera.ConnectAsync(fixture.Server.BaseUri);
        var id = await RecordingScript.CameraIdAsync(api, camera.HostName);
        (await api.Http.PutAsJsonAsync($"/api/cameras/{id}/state", new { state = "active" })).Dispose();
        // Motion off: only the button records.
        using (var off = await api.Http.PutAsJsonAsync($"/api/cameras/{id}/recording",
                   new { mode = "off", motionSource = "auto", sensitivity = 50, minAreaPercent = 1, preRollSeconds = 2, postRollSeconds = 10, maxClipSeconds = 300 }))
            Assert.True(off.IsSuccessStatusCode);
        using var stop = new CancellationTokenSource();
        var streaming = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await camera.SendFrameAsync(jpeg);
                await Task.Delay(100);
            }
        });
        try
        {
            var (context, page, errors) = await browser.NewPageAsync(1200, 900);
            await using var _ = context;
            await page.GotoAsync(new Uri(fixture.Server.BaseUri, $"live/{id}").ToString());
            await Browser.SignInAsync(page, ServerFixture.FirstRunAdminName, NvrServer.AdminPassword);
            var video = page.GetByTestId($"video-{id}");
            await Expect(video).ToHaveAttributeAsync("data-state", "live", new() { Timeout = 15000 });
            await Expect(video.Locator(".nvr-ov-rec")).ToBeHiddenAsync();

            var button = page.GetByTestId($"record-{id}");
            var pressed = System.Diagnostics.Stopwatch.StartNew();
            await Browser.ClickUntilVisibleAsync(button, page.GetByTestId($"record-{id}").GetByText("Stop recording"));
            await Expect(video.Locator(".nvr-ov-rec")).ToBeVisibleAsync(new() { Timeout = 10000 });
            await Browser.ScreenshotAsync(page, "e2e-30-recording-by-hand");
            await Task.Delay(3000);
            await button.ClickAsync();
            await Expect(button).ToContainTextAsync("Record");
            await Expect(video.Locator(".nvr-ov-rec")).ToBeHiddenAsync(new() { Timeout = 10000 });
            var heldFor = pressed.Elapsed.TotalSeconds;

            var clip = (await RecordingScript.ClipsWhenAsync(fixture.Server, id, c => c.Count == 1 && c[0].State != ClipRows.Recording, "the clip finished")).Single();
            Assert.Equal(ClipRows.Complete, clip.State);
            Assert.Equal(ClipRows.Manual, clip.Reason);
            // At least the 3 s waited; at most the time from the first press to the REC mark gone (a busy machine
            // took 10 s once) plus the shipped 5 s of pre-roll and a second of slack.
            Assert.InRange((await Support.Media.ProbeAsync(RecordingScript.FullPath(fixture.Server, clip))).Duration, 3, heldFor + 6);
            Assert.Empty(errors);

            var status = await api.Http.GetFromJsonAsync<JsonElement>($"/api/cameras/{id}/recording");
            Assert.False(status.GetProperty("manual").GetBoolean());
            Assert.Equal("off", status.GetProperty("settings").GetProperty("mode").GetString());
        }
        finally
        {
            await stop.CancelAsync();
            await streaming;
        }
    }
}
