using Microsoft.Playwright;
using NvrBlazor.Tests.Integration;
using NvrBlazor.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace NvrBlazor.Tests.EndToEnd;

public class CamerasPageTests(ServerFixture fixture, Browser browser) : IClassFixture<ServerFixture>, IClassFixture<Browser>
{
    [Fact]
    public async Task An_admin_sees_a_new_camera_pending_with_its_picture_approves_and_renames_it()
    {
        var jpeg = await TestJpeg.CreateAsync(320, 240);
        await using var camera = new FakeEsp32Camera("e2e-cam");
        await camera.ConnectAsync(fixture.Server.BaseUri);
        using var stop = new CancellationTokenSource();
        var streaming = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await camera.SendFrameAsync(jpeg);
                await Task.Delay(250);
            }
        });

        var (context, page, errors) = await browser.NewPageAsync();
        await using var _ = context;
        await page.GotoAsync($"{fixture.Server.BaseUri}admin/cameras");
        await Browser.SignInAsync(page, ServerFixture.FirstRunAdminName, NvrServer.AdminPassword);

        var card = page.Locator("[data-testid=camera-card][data-camera=e2e-cam]");
        await Expect(card.GetByTestId("camera-state")).ToHaveTextAsync("Pending");
        await Expect(card.GetByTestId("camera-online")).ToHaveTextAsync("online");
        await Expect(card).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("nvr-camera-pending"));
        var preview = card.GetByTestId("camera-preview");
        await Expect(preview).ToBeVisibleAsync();
        await page.WaitForFunctionAsync("() => { const i = document.querySelector('[data-camera=\"e2e-cam\"] img'); return i && i.complete && i.naturalWidth === 320; }");
        await Expect(card.GetByTestId("camera-fps")).Not.ToHaveTextAsync("0.0 fps", new() { Timeout = 10000 });
        // The resolution is the frames' own (320x240), not what the camera's status claims (framesize 8 = 640x480).
        await Expect(card).ToContainTextAsync("320×240");
        await Browser.ScreenshotAsync(page, "e2e-07-cameras-pending");

        await Browser.ClickUntilVisibleAsync(card.GetByTestId("approve"), card.GetByTestId("camera-state").Filter(new() { HasTextRegex = new System.Text.RegularExpressions.Regex("^Active$") }));
        await card.GetByTitle("Rename").ClickAsync();
        await card.GetByTestId("rename-box").FillAsync("Front door");
        await card.GetByTestId("rename-save").ClickAsync();
        await Expect(page.Locator("[data-testid=camera-card][data-camera=e2e-cam] [data-testid=camera-name]")).ToHaveTextAsync("Front door");
        await Browser.ScreenshotAsync(page, "e2e-08-cameras-approved");

        // The objects that count for the camera (object detection), set in its recording form.
        await card.GetByTestId("edit-recording").ClickAsync();
        await Expect(card.GetByTestId("detect-labels")).ToHaveValueAsync("person");
        await card.GetByTestId("detect-labels").FillAsync("person, Car");
        await card.GetByTestId("detect-labels").PressAsync("Tab");
        await card.GetByLabel("Find faces on people").CheckAsync();
        await Browser.ScreenshotAsync(page, "e2e-08b-cameras-recording-objects");
        await card.GetByTestId("save-recording").ClickAsync();
        await Expect(card.GetByTestId("recording-form")).Not.ToBeVisibleAsync();
        using (var admin = await fixture.AdminAsync())
        {
            var id = await RecordingScript.CameraIdAsync(admin, "e2e-cam");
            var settings = (await System.Net.Http.Json.HttpClientJsonExtensions.GetFromJsonAsync<System.Text.Json.Nodes.JsonObject>(admin.Http, $"/api/cameras/{id}/recording"))!["settings"]!;
            Assert.Equal(["person", "car"], settings["detectLabels"]!.AsArray().Select(l => l!.GetValue<string>()));
            Assert.True(settings["detectFaces"]!.GetValue<bool>());
        }

        // Zones drawn on the camera's picture: four clicks and a name make the driveway zone, three a mask.
        await card.GetByTestId("edit-zones").ClickAsync();
        var canvas = card.GetByTestId("zones-canvas");
        await Expect(canvas).ToBeVisibleAsync();
        var box = (await canvas.BoundingBoxAsync())!;
        // A click at a position within the picture (Playwright scrolls it into view first).
        async Task ClickAtAsync(double x, double y) => await canvas.ClickAsync(new() { Position = new() { X = (float)(x * box.Width), Y = (float)(y * box.Height) } });
        foreach (var (x, y) in new[] { (0.25, 0.5), (0.75, 0.5), (0.75, 0.99), (0.25, 0.99) })
            await ClickAtAsync(x, y);
        await Expect(card.GetByTestId("zones-corners")).ToHaveTextAsync("4");
        await card.GetByTestId("zone-name").FillAsync("Driveway");
        await card.GetByTestId("add-zone").ClickAsync();
        foreach (var (x, y) in new[] { (0.01, 0.01), (0.2, 0.01), (0.01, 0.2) })
            await ClickAtAsync(x, y);
        await card.GetByTestId("zone-name").FillAsync("Tree");
        await card.GetByTestId("add-mask").ClickAsync();
        await Expect(card.GetByTestId("zone-item")).ToHaveCountAsync(2);
        await Browser.ScreenshotAsync(page, "e2e-08c-cameras-zones");
        await card.GetByTestId("save-zones").ClickAsync();
        await Expect(card.GetByTestId("zones-editor")).Not.ToBeVisibleAsync();
        using (var admin = await fixture.AdminAsync())
        {
            var id = await RecordingScript.CameraIdAsync(admin, "e2e-cam");
            var zones = await System.Net.Http.Json.HttpClientJsonExtensions.GetFromJsonAsync<System.Text.Json.JsonElement>(admin.Http, $"/api/cameras/{id}/zones");
            var driveway = zones.GetProperty("zones")[0];
            Assert.Equal("Driveway", driveway.GetProperty("name").GetString());
            var corners = driveway.GetProperty("points").EnumerateArray().Select(p => (p.GetProperty("x").GetDouble(), p.GetProperty("y").GetDouble())).ToList();
            Assert.Equal(4, corners.Count);
            Assert.InRange(corners[0].Item1, 0.24, 0.26);
            Assert.InRange(corners[0].Item2, 0.49, 0.51);
            Assert.InRange(corners[2].Item2, 0.98, 1.0);
            Assert.InRange(corners[2].Item1, 0.74, 0.76);
            Assert.Equal("Tree", zones.GetProperty("masks")[0].GetProperty("name").GetString());
        }

        await stop.CancelAsync();
        await streaming;
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    [Fact]
    public async Task An_admin_creates_a_token_camera_sees_its_address_once_and_the_address_works()
    {
        var (context, page, errors) = await browser.NewPageAsync();
        await using var _ = context;
        await page.GotoAsync($"{fixture.Server.BaseUri}admin/cameras");
        await Browser.SignInAsync(page, ServerFixture.FirstRunAdminName, NvrServer.AdminPassword);

        await Browser.ClickUntilVisibleAsync(page.GetByTestId("add-camera"), page.GetByTestId("add-camera-form"));
        await page.GetByTestId("new-camera-name").FillAsync("Shed agent");
        await page.GetByTestId("create-camera").ClickAsync();
        var url = await page.GetByTestId("one-time-url-text").InnerTextAsync();
        Assert.StartsWith($"ws://127.0.0.1:{fixture.Server.HttpPort}/ingest?token=nvr_", url);
        await Browser.ScreenshotAsync(page, "e2e-09-cameras-token-created");

        using var agent = new System.Net.WebSockets.ClientWebSocket();
        await agent.ConnectAsync(new Uri(url), CancellationToken.None);
        await Expect(page.Locator("[data-testid=camera-card]", new() { HasText = "Shed agent" }).GetByTestId("camera-online")).ToHaveTextAsync("online");

        // After a reload the token is gone from the page for good.
        await page.ReloadAsync();
        await Expect(page.GetByTestId("one-time-url")).ToHaveCountAsync(0);
        Assert.DoesNotContain(url.Split("token=")[1], await page.ContentAsync());
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    [Fact]
    public async Task An_admin_adds_a_camera_by_its_URL_sees_it_live_and_its_login_never_comes_back_to_the_page()
    {
        const string password = "shed-cam-Secret-42";
        var jpeg = await TestJpeg.CreateAsync(320, 240);
        await using var camera = new FakeHttpCamera(_ => jpeg, fps: 5, user: "viewer", password: password);
        var (context, page, errors) = await browser.NewPageAsync();
        await using var _ = context;
        await page.GotoAsync($"{fixture.Server.BaseUri}admin/cameras");
        await Browser.SignInAsync(page, ServerFixture.FirstRunAdminName, NvrServer.AdminPassword);

        await Browser.ClickUntilVisibleAsync(page.GetByTestId("add-camera"), page.GetByTestId("add-camera-form"));
        await Browser.ClickUntilVisibleAsync(page.GetByText("Pull from a URL"), page.GetByTestId("pull-form"));
        await page.GetByTestId("new-camera-name").FillAsync("Shed stock ESP32");
        await page.GetByTestId("pull-url").FillAsync(camera.Url("/private"));
        await page.GetByTestId("pull-user").FillAsync("viewer");
        await page.GetByTestId("pull-password").FillAsync(password);
        await Browser.ScreenshotAsync(page, "e2e-09b-cameras-add-pull");
        await page.GetByTestId("save-pull").ClickAsync();

        var card = page.Locator("[data-testid=camera-card]", new() { HasText = "Shed stock ESP32" });
        await Expect(card.GetByTestId("camera-online")).ToHaveTextAsync("online", new() { Timeout = 15000 });
        await Expect(card.GetByTestId("camera-pull-source")).ToHaveTextAsync($"MJPEG stream {camera.Url("/private")} (with login)");
        await Expect(card.GetByTestId("camera-fps")).Not.ToHaveTextAsync("0.0 fps", new() { Timeout = 10000 });
        await Browser.ScreenshotAsync(page, "e2e-09c-cameras-pull-live");

        // A wrong address (the camera's settings page): the card says what is wrong; the stored login is kept.
        await Browser.ClickUntilVisibleAsync(card.GetByTestId("edit-pull"), card.GetByTestId("pull-form"));
        Assert.Equal("", await card.GetByTestId("pull-password").InputValueAsync());
        await card.GetByTestId("pull-url").FillAsync(camera.Url("/html"));
        await card.GetByTestId("save-pull").ClickAsync();
        await Expect(card.GetByTestId("camera-source-error")).ToContainTextAsync("not an MJPEG stream: the URL serves text/html", new() { Timeout = 15000 });
        await Expect(card.GetByTestId("camera-online")).ToHaveTextAsync("offline");
        await Expect(card.GetByTestId("camera-pull-source")).ToContainTextAsync("(with login)");
        await Browser.ScreenshotAsync(page, "e2e-09d-cameras-pull-error");

        await page.ReloadAsync();
        await Expect(card.GetByTestId("camera-source-error")).ToBeVisibleAsync();
        Assert.DoesNotContain(password, await page.ContentAsync());
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }
}
