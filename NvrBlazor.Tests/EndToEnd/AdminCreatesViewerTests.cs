using Microsoft.Playwright;
using NvrBlazor.Tests.Integration;
using NvrBlazor.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace NvrBlazor.Tests.EndToEnd;

public class AdminCreatesViewerTests(ServerFixture fixture, Browser browser) : IClassFixture<ServerFixture>, IClassFixture<Browser>
{
    [Fact]
    public async Task Admin_creates_a_viewer_who_signs_in_changes_the_password_and_sees_no_admin_navigation()
    {
        var baseUrl = fixture.Server.BaseUri.ToString().TrimEnd('/');
        var (adminContext, admin, errors) = await browser.NewPageAsync();
        await using var _ = adminContext;

        // Anonymous: every page leads to the sign-in form.
        await admin.GotoAsync($"{baseUrl}/admin/users");
        await Expect(admin).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/login"));
        await Browser.ScreenshotAsync(admin, "e2e-01-sign-in");

        await Browser.SignInAsync(admin, ServerFixture.FirstRunAdminName, NvrServer.AdminPassword);
        // The return URL is honoured: the admin lands on the page they asked for.
        await Expect(admin.GetByRole(AriaRole.Heading, new() { Name = "Users" })).ToBeVisibleAsync();
        await Expect(admin.GetByTestId("signed-in-user")).ToContainTextAsync("admin");
        await Expect(admin.GetByTestId("nav-admin-users")).ToBeVisibleAsync();

        // Create a Viewer through the page.
        await Browser.ClickUntilVisibleAsync(admin.GetByTestId("add-user"), admin.GetByTestId("add-user-form"));
        await admin.GetByTestId("new-username").FillAsync("e2e-viewer");
        await admin.GetByTestId("new-password").FillAsync("initial-e2e-password");
        await admin.GetByTestId("create-user").ClickAsync();
        await Expect(admin.GetByText("Created Viewer 'e2e-viewer'.")).ToBeVisibleAsync();
        await Expect(admin.GetByTestId("users-grid").GetByText("e2e-viewer")).ToBeVisibleAsync();
        await Browser.ScreenshotAsync(admin, "e2e-02-users-admin");

        // The dark theme is two clicks and survives a reload (cookie read on the server for the first paint).
        await admin.GetByTestId("theme-toggle").ClickAsync();
        await admin.GetByTestId("theme-dark").ClickAsync();
        await Expect(admin.Locator("body")).ToHaveCSSAsync("background-color", Browser.DarkBackground);
        await admin.ReloadAsync();
        await Expect(admin.Locator("body")).ToHaveCSSAsync("background-color", Browser.DarkBackground);
        await Browser.ScreenshotAsync(admin, "e2e-03-users-admin-dark");

        await admin.GetByTestId("sign-out").ClickAsync();
        await Expect(admin).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/login"));

        // The viewer signs in and must first replace the password the admin chose.
        await Browser.SignInAsync(admin, "e2e-viewer", "initial-e2e-password");
        await Expect(admin.GetByTestId("must-change")).ToBeVisibleAsync();
        await admin.GetByTestId("current-password").FillAsync("initial-e2e-password");
        await admin.GetByTestId("new-password").FillAsync("the-viewers-own-password");
        await admin.GetByTestId("confirm-password").FillAsync("the-viewers-own-password");
        await admin.GetByTestId("change-password").ClickAsync();

        await Expect(admin.GetByRole(AriaRole.Heading, new() { Name = "Live" })).ToBeVisibleAsync();
        await Expect(admin.GetByTestId("signed-in-user")).ToContainTextAsync("e2e-viewer");
        await Expect(admin.GetByTestId("no-live-cameras")).ToContainTextAsync("No camera has been shared with you");
        await Expect(admin.GetByTestId("nav-live")).ToBeVisibleAsync();
        await Expect(admin.GetByTestId("nav-publish")).ToHaveCountAsync(0);
        await Expect(admin.GetByTestId("nav-admin-users")).ToHaveCountAsync(0);
        await Expect(admin.GetByTestId("nav-admin")).ToHaveCountAsync(0);
        await Browser.ScreenshotAsync(admin, "e2e-04-viewer-live-empty");
        await admin.GetByTestId("nav-status").ClickAsync();
        await Expect(admin.GetByTestId("health-status")).ToContainTextAsync("healthy");

        // Typing the admin address anyway gets the access-denied page.
        await admin.GotoAsync($"{baseUrl}/admin/users");
        await Expect(admin.GetByTestId("access-denied")).ToBeVisibleAsync();

        var unexpected = errors.Where(e => !e.Contains("status of 403", StringComparison.Ordinal)).ToList();
        Assert.True(unexpected.Count == 0, string.Join("\n", unexpected) + "\n--- server ---\n" + fixture.Server.Output);
    }

    [Fact]
    public async Task The_shell_is_usable_on_a_phone_sized_screen()
    {
        var (context, page, errors) = await browser.NewPageAsync(390, 844);
        await using var _ = context;
        await page.GotoAsync(fixture.Server.BaseUri.ToString());
        await Browser.SignInAsync(page, ServerFixture.ViewerName, ServerFixture.ViewerPassword);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Live" })).ToBeVisibleAsync();
        await Expect(page.GetByTestId("sign-out")).ToBeVisibleAsync();

        // Nothing wider than the screen: no sideways scrolling.
        var overflow = await page.EvaluateAsync<int>("document.documentElement.scrollWidth - window.innerWidth");
        Assert.True(overflow <= 0, $"page is {overflow}px wider than a phone screen");
        await Browser.ScreenshotAsync(page, "e2e-05-phone-overview");
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }
}
