using System.Net;
using System.Text.RegularExpressions;

namespace NvrBlazor.Tests.Support;

/// <summary>
/// A browser-like HTTP client for the real server: keeps cookies, does not follow redirects (tests
/// assert them), and signs in through the real sign-in form, antiforgery token included.
/// </summary>
public sealed partial class NvrClient : IDisposable
{
    private readonly HttpClient http;

    /// <param name="from">The loopback address to connect from (127.0.0.2 ...): another machine, as the server sees it.</param>
    public NvrClient(Uri baseUri, CookieContainer? cookies = null, IPAddress? from = null)
    {
        Cookies = cookies ?? new CookieContainer();
        var handler = from is null
            ? new HttpClientHandler
            {
                CookieContainer = Cookies,
                AllowAutoRedirect = false,
                // The server's certificate is the self-signed one it generated for this test.
                ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator,
            }
            : (HttpMessageHandler)LocalAddress.Handler(from, Cookies);
        http = new HttpClient(handler) { BaseAddress = baseUri, Timeout = TimeSpan.FromSeconds(30) };
    }

    public CookieContainer Cookies { get; }
    public HttpClient Http => http;

    public Task<HttpResponseMessage> GetAsync(string path) => http.GetAsync(path);

    /// <summary>Posts the sign-in form. Success is a 302 away from /login; failure re-renders the form (200) with an error.</summary>
    public async Task<HttpResponseMessage> SignInAsync(string userName, string password, bool remember = true)
    {
        var token = await AntiforgeryTokenAsync("/login");
        var form = new Dictionary<string, string>
        {
            ["_handler"] = "login",
            ["__RequestVerificationToken"] = token,
            ["Input.UserName"] = userName,
            ["Input.Password"] = password,
        };
        if (remember)
            form["Input.RememberMe"] = "true";
        return await http.PostAsync("/login", new FormUrlEncodedContent(form));
    }

    public async Task SignInOrThrowAsync(string userName, string password)
    {
        using var response = await SignInAsync(userName, password);
        if (response.StatusCode != HttpStatusCode.Redirect)
            throw new InvalidOperationException($"Sign-in as {userName} failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    public async Task<HttpResponseMessage> ChangePasswordAsync(string current, string next)
    {
        var token = await AntiforgeryTokenAsync("/account/password");
        return await http.PostAsync("/account/password", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "change-password",
            ["__RequestVerificationToken"] = token,
            ["Input.CurrentPassword"] = current,
            ["Input.NewPassword"] = next,
            ["Input.ConfirmPassword"] = next,
        }));
    }

    public async Task<string> AntiforgeryTokenAsync(string page)
    {
        var html = await http.GetStringAsync(page);
        var match = TokenPattern().Match(html);
        if (!match.Success)
            throw new InvalidOperationException($"No antiforgery token on {page}:\n{html}");
        return WebUtility.HtmlDecode(match.Groups[1].Value);
    }

    public void Dispose() => http.Dispose();

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
