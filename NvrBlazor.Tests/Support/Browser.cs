using Microsoft.Playwright;

namespace NvrBlazor.Tests.Support;

/// <summary>Debian's Chromium driven by Playwright (never `playwright install`: it downloads a browser, which fails here).</summary>
public sealed class Browser : IAsyncLifetime
{
    private IPlaywright? playwright;

    public IBrowser Chromium { get; private set; } = default!;

    public async Task InitializeAsync()
    {
        playwright = await Playwright.CreateAsync();
        Chromium = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("NVR_CHROMIUM") ?? "/usr/bin/chromium",
            Headless = true,
            // A fake webcam (a test pattern) that needs no permission prompt: for the publishing page.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync",
                    "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream"],
        });
    }

    /// <summary>A fresh browser profile whose console errors and page exceptions are collected for the test to assert on.</summary>
    public async Task<(IBrowserContext Context, IPage Page, List<string> Errors)> NewPageAsync(int width = 1280, int height = 800)
    {
        var context = await Chromium.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = width, Height = height },
            IgnoreHTTPSErrors = true,
        });
        var page = await context.NewPageAsync();
        var errors = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
                errors.Add($"{page.Url}: {message.Text}");
        };
        page.PageError += (_, error) => errors.Add($"{page.Url}: {error}");
        return (context, page, errors);
    }

    /// <summary>Fills and posts the sign-in form the page is showing (every page sends an anonymous visitor there).</summary>
    public static async Task SignInAsync(IPage page, string userName, string password)
    {
        await page.GetByTestId("username").FillAsync(userName);
        await page.GetByTestId("password").FillAsync(password);
        await page.GetByTestId("sign-in").ClickAsync();
    }

    /// <summary>The browser context's cookies, for a hand-made client acting as the same signed-in user.</summary>
    public static async Task<System.Net.CookieContainer> CookiesOfAsync(IBrowserContext context)
    {
        var container = new System.Net.CookieContainer();
        foreach (var cookie in await context.CookiesAsync())
            container.Add(new System.Net.Cookie(cookie.Name, cookie.Value, cookie.Path, cookie.Domain));
        return container;
    }

    /// <summary>The page background of the dark theme (Shell/NvrTheme.cs), as the browser reports it.</summary>
    public const string DarkBackground = "rgb(18, 20, 24)";

    /// <summary>Opens a MudBlazor select and picks the option with exactly this text.</summary>
    /// <summary>
    /// Picks an option of a MudSelect and waits until the select shows it. The select takes the choice a browser
    /// round trip after the click (it closes its list through JS first), so a Save clicked at once could run before it.
    /// </summary>
    public static async Task ChooseAsync(ILocator select, string option)
    {
        await select.ClickAsync();
        await select.Page.GetByRole(AriaRole.Option, new() { Name = option, Exact = true }).ClickAsync();
        await Assertions.Expect(select).ToContainTextAsync(option);
    }

    public static async Task ScreenshotAsync(IPage page, string name) =>
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(TestPaths.Artifacts, name + ".png"), FullPage = true });

    /// <summary>
    /// Interactive pages are prerendered: a click can land before the circuit is connected and do
    /// nothing. Click until the expected result shows (bounded), as a person would click again. Each click
    /// waits 1.5 s for its result: on a busy machine a second click sooner would undo a toggle the first one made.
    /// </summary>
    public static async Task ClickUntilVisibleAsync(ILocator button, ILocator expected, int attempts = 30)
    {
        for (var attempt = 0; attempt < attempts; attempt++)
        {
            await button.ClickAsync();
            try
            {
                await expected.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Visible, Timeout = 1500 });
                return;
            }
            catch (TimeoutException)
            {
            }
        }
        throw new TimeoutException($"{expected} never appeared after clicking {button}.");
    }

    /// <summary>Waits until the page is connected to its circuit (Shell/MainLayout.razor.js marks it): typing and clicks then reach the server.</summary>
    public static Task InteractiveAsync(IPage page) =>
        Assertions.Expect(page.Locator("html[data-nvr-interactive]")).ToHaveCountAsync(1, new() { Timeout = 30_000 });

    public async Task DisposeAsync()
    {
        if (Chromium is not null)
            await Chromium.DisposeAsync();
        playwright?.Dispose();
    }
}
