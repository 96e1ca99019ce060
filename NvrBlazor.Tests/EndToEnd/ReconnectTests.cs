using Microsoft.Playwright;
using NvrBlazor.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace NvrBlazor.Tests.EndToEnd;

/// <summary>The reconnect overlay works with the .NET 9 Blazor script we serve (see ENVIRONMENT.md): its own server, stopped under an open page.</summary>
public class ReconnectTests(Browser browser) : IClassFixture<Browser>
{
    [Fact]
    public async Task An_open_page_says_it_lost_the_server_and_recovers_when_it_returns()
    {
        await using var server = await NvrServer.StartAsync();
        var (context, page, _) = await browser.NewPageAsync();
        await using var __ = context;
        await page.GotoAsync(server.BaseUri.ToString());
        await Browser.SignInAsync(page, "admin", NvrServer.AdminPassword);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Live" })).ToBeVisibleAsync();
        // Interactive once the "Check again" button answers.
        await page.WaitForFunctionAsync("() => window.Blazor !== undefined");
        await page.WaitForTimeoutAsync(1000);

        await server.StopAsync();
        var modal = page.Locator("#components-reconnect-modal");
        await Expect(modal).ToBeVisibleAsync(new() { Timeout = 15000 });
        await Browser.ScreenshotAsync(page, "e2e-06-reconnecting");

        await server.StartAsync();
        // Which state the script reaches next (reconnected, "rejected", or "failed" if its retries ran out
        // while a busy machine restarted the server) is the script's timing; ours is that a reload works.
        await page.ReloadAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Live" })).ToBeVisibleAsync();
        await Expect(modal).ToBeHiddenAsync();
    }
}
