using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using NvrBlazor.Tests.Integration;
using NvrBlazor.Tests.Support;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace NvrBlazor.Tests.EndToEnd;

/// <summary>
/// The reason people open an NVR after something happened: a Viewer narrows the clips to one camera,
/// finds the moment on the day's timeline, plays it, and takes the file away, byte for byte.
/// </summary>
public class ClipReviewTests(HousekeepingOffServerFixture fixture, Browser browser, ITestOutputHelper output) : IClassFixture<HousekeepingOffServerFixture>, IClassFixture<Browser>
{
    /// <summary>Blazor's router changes the address without loading a page: poll the address (no load event comes).</summary>
    private static readonly PageAssertionsToHaveURLOptions InPage = new() { Timeout = 15000 };

    [Fact]
    public async Task A_viewer_filters_to_a_camera_finds_the_clip_on_the_timeline_plays_and_downloads_it()
    {
        var server = fixture.Server;
        var porch = await ClipSeeder.CameraAsync(server, "Porch");
        var yard = await ClipSeeder.CameraAsync(server, "Yard");
        var shed = await ClipSeeder.CameraAsync(server, "Shed");
        var (video, thumbnail) = await ClipSeeder.SampleAsync();
        var morning = new DateTimeOffset(new DateTime(2026, 3, 2, 10, 0, 0, DateTimeKind.Local));
        var porchClips = await ClipSeeder.AddAsync(server,
            new ClipSeeder.Spec(porch, "Porch", morning, video, thumbnail, Labels: "person,dog"),
            new ClipSeeder.Spec(porch, "Porch", morning.AddMinutes(20), video, thumbnail, NvrBlazor.Domain.Recording.ClipReason.Manual));
        await ClipSeeder.AddMotionAsync(server, new MotionEvent
        {
            CameraId = porch, Start = morning.AddSeconds(1), End = morning.AddSeconds(3), Source = NvrBlazor.Domain.Motion.MotionOrigin.Camera, ClipId = porchClips[0].Id,
            Labels = "person,dog", BestScore = 0.8, Box = "10,10,50,100",
        });
        await ClipSeeder.AddAsync(server,
            new ClipSeeder.Spec(yard, "Yard", morning.AddMinutes(5), video, thumbnail),
            new ClipSeeder.Spec(shed, "Shed", morning.AddMinutes(6), video, thumbnail));
        using (var admin = await fixture.AdminAsync())
        using (var grant = await admin.Http.PutAsJsonAsync($"/api/users/{ServerFixture.ViewerName}/cameras", new { allCameras = false, cameraIds = new[] { porch, yard } }))
            grant.EnsureSuccessStatusCode();

        var (context, page, errors) = await browser.NewPageAsync(1280, 900);
        await using var _ = context;
        await page.GotoAsync(new Uri(server.BaseUri, "clips").ToString());
        await Browser.SignInAsync(page, ServerFixture.ViewerName, ServerFixture.ViewerPassword);
        await Expect(page.Locator("[data-interactive=yes]")).ToBeVisibleAsync(new() { Timeout = 15000 });

        // Every clip of the granted cameras, none of the shed's; then only the porch.
        var cards = page.GetByTestId("clip-card");
        await Expect(cards).ToHaveCountAsync(3);
        await Expect(page.GetByTestId($"filter-camera-{shed}")).ToHaveCountAsync(0);
        await page.GetByTestId($"filter-camera-{porch}").CheckAsync();
        await Expect(cards).ToHaveCountAsync(2);
        await Expect(page.Locator($"[data-testid=clip-card][data-camera-id='{porch}']")).ToHaveCountAsync(2);
        await Expect(page.GetByTestId("clips-summary")).ToContainTextAsync("2 clip(s)");
        await Expect(cards.First.Locator("img")).ToHaveJSPropertyAsync("complete", true);
        await Browser.ScreenshotAsync(page, "e2e-40-clips-list");

        // Only the clips in which a dog was seen: the porch's first, its labels on its card; the choice is kept in the address.
        await Browser.ChooseAsync(page.GetByTestId("filter-label"), "dog");
        await page.GetByTestId("filter-apply").ClickAsync();
        await Expect(cards).ToHaveCountAsync(1);
        await Expect(cards.First.GetByTestId("clip-labels")).ToHaveTextAsync("person, dog");
        await Expect(page).ToHaveURLAsync(new Regex("label=dog"), InPage);
        await Browser.ScreenshotAsync(page, "e2e-40b-clips-seen-dog");
        await page.GotoAsync(new Uri(server.BaseUri, $"clips?camera={porch}").ToString());
        await Expect(page.Locator("[data-interactive=yes]")).ToBeVisibleAsync(new() { Timeout = 15000 });
        await Expect(cards).ToHaveCountAsync(2);

        // The timeline of that day, zoomed to 10:00-11:00, the porch's row with its two clips.
        await page.GetByTestId("open-timeline").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/clips/timeline\\?day=2026-03-02"), InPage);
        await Expect(page.Locator("[data-interactive=yes]")).ToBeVisibleAsync(new() { Timeout = 15000 });
        var rows = page.GetByTestId("timeline-row");
        await Expect(rows).ToHaveCountAsync(1);
        await Expect(rows.First.GetByTestId("timeline-clip")).ToHaveCountAsync(2);
        await Expect(rows.First.GetByTestId("timeline-motion")).ToHaveCountAsync(1);
        await Browser.ScreenshotAsync(page, "e2e-41-timeline-day");
        await page.GetByTestId("hour-10").ClickAsync();
        await Expect(page.GetByTestId("timeline-hour")).ToHaveTextAsync("10:00 – 11:00");
        var segments = rows.First.GetByTestId("timeline-clip");
        await Expect(segments).ToHaveCountAsync(2);
        await Browser.ScreenshotAsync(page, "e2e-41-timeline-hour");
        // The timeline keeps only what a person was seen in: one clip and its motion.
        await Browser.ChooseAsync(page.GetByTestId("filter-label"), "person");
        await Expect(segments).ToHaveCountAsync(1);
        await Expect(rows.First.GetByTestId("timeline-motion")).ToHaveCountAsync(1);
        await Expect(segments.First).ToHaveAttributeAsync("title", new Regex("seen: person, dog"));
        await Expect(page).ToHaveURLAsync(new Regex("label=person"), InPage);

        // Play the first: the browser decodes it and time advances; the keys work.
        await segments.First.ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"/clips/{porchClips[0].Id}$"), InPage);
        var player = page.GetByTestId("player-video");
        await Expect(player).ToBeVisibleAsync();
        await Expect(page.Locator("[data-interactive=yes]")).ToBeVisibleAsync(new() { Timeout = 15000 });
        await page.WaitForFunctionAsync("() => document.getElementById('nvr-player-video')?.readyState >= 2", null, new() { Timeout = 15000 });
        var first = await player.EvaluateAsync<double>("v => v.currentTime");
        await page.WaitForFunctionAsync($"() => document.getElementById('nvr-player-video').currentTime > {first.ToString(System.Globalization.CultureInfo.InvariantCulture)} + 0.5", null, new() { Timeout = 10000 });
        output.WriteLine($"readyState {await player.EvaluateAsync<int>("v => v.readyState")}, currentTime {first:0.00} -> {await player.EvaluateAsync<double>("v => v.currentTime"):0.00}");
        await page.Keyboard.PressAsync("k");
        await Expect(player).ToHaveJSPropertyAsync("paused", true);
        await Expect(page.GetByTestId("clip-next")).ToBeEnabledAsync();
        await Expect(page.GetByTestId("clip-previous")).ToBeDisabledAsync();
        await Browser.ScreenshotAsync(page, "e2e-42-player");

        // Download: the file the browser saves is the clip's file, under its readable name.
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("clip-download").ClickAsync());
        Assert.Equal($"Porch_{morning:yyyy-MM-dd_HH-mm-ss}.mp4", download.SuggestedFilename);
        var saved = Path.Combine(TestPaths.NewTempFolder("download"), download.SuggestedFilename);
        await download.SaveAsAsync(saved);
        Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(server.RecordingsPath, porchClips[0].Path)), await File.ReadAllBytesAsync(saved));

        // Next clip of the same camera by keyboard.
        await page.Keyboard.PressAsync("PageDown");
        await Expect(page).ToHaveURLAsync(new Regex($"/clips/{porchClips[1].Id}$"), InPage);
        await Expect(page.GetByTestId("clip-title")).ToContainTextAsync("Porch");
        Assert.Empty(errors);
    }
}
