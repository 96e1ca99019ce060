using Microsoft.Playwright;
using NvrBlazor.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace NvrBlazor.Tests.EndToEnd;

/// <summary>
/// The .NET 10 template's reconnect dialog (Shell/ReconnectModal.razor): its own server, stopped with SIGTERM under
/// an open Live page, shows the dialog within 5 s; started again, the page comes back by itself, with no reload by hand.
/// </summary>
public class ReconnectTests(Browser browser) : IClassFixture<Browser>
{
    [Fact]
    public async Task An_open_page_says_it_lost_the_server_and_recovers_by_itself_when_it_returns()
    {
        await using var server = await NvrServer.StartAsync();
        var (context, page, _) = await browser.NewPageAsync();
        await using var __ = context;
        await page.GotoAsync(server.BaseUri.ToString());
        await Browser.SignInAsync(page, "admin", NvrServer.AdminPassword);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Live" })).ToBeVisibleAsync();
        // Interactive once the layout buttons answer (the circuit is connected). No camera here: the grid is empty, so the chosen button is what shows it.
        await Browser.ClickUntilVisibleAsync(Columns(page, "2"), Columns(page, "2", chosen: true));

        var stopping = server.StopAsync();
        var modal = page.Locator("#components-reconnect-modal");
        await Expect(modal).ToBeVisibleAsync(new() { Timeout = 5000 });
        await Browser.ScreenshotAsync(page, "e2e-06-reconnecting");
        await stopping;

        await server.StartAsync();
        // The dialog goes by itself (reconnected, or the page reloads itself onto the new server), and the page works.
        await Expect(modal).ToBeHiddenAsync(new() { Timeout = 45000 });
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Live" })).ToBeVisibleAsync(new() { Timeout = 15000 });
        await Browser.ClickUntilVisibleAsync(Columns(page, "3"), Columns(page, "3", chosen: true));
    }

    private static ILocator Columns(IPage page, string text, bool chosen = false) =>
        page.GetByTestId("layout").GetByRole(AriaRole.Checkbox, new() { Name = text, Exact = true, Checked = chosen ? true : null });
}
