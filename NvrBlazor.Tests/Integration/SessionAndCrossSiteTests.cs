using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using NvrBlazor.Domain.Users;
using NvrBlazor.Tests.Support;
using NvrBlazor.Web.Users;

namespace NvrBlazor.Tests.Integration;

/// <summary>
/// A sign-in cookie ends when its user is deleted, demoted, has the password reset or signs out (every copy
/// of it, within the one-minute revalidation), and a cookie cannot be used by a page of another site or
/// another port of this host to change anything.
/// </summary>
public sealed class SessionAndCrossSiteTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private const string Password = "session-test-password-1";

    [Fact]
    public async Task Old_cookies_of_deleted_reset_demoted_and_signed_out_admins_are_refused_within_70_s()
    {
        var server = fixture.Server;
        var names = new[] { "gone-admin", "reset-admin", "demoted-admin", "signedout-admin" };
        var clients = new Dictionary<string, NvrClient>();
        foreach (var name in names)
            clients[name] = await InProcessApp.SignedInAsNewUserAsync(server, name, Password, Roles.Admin);
        foreach (var client in clients.Values)
        {
            using var ok = await client.GetAsync("/api/jobs");
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        // A copy of the cookie taken before signing out (a stolen cookie, another tab's) must end with the sign-out.
        var signedOut = clients["signedout-admin"];
        var copy = new CookieContainer();
        copy.Add(signedOut.Cookies.GetAllCookies());
        var token = await signedOut.AntiforgeryTokenAsync("/account/password");
        using (var signOut = await signedOut.Http.PostAsync("/account/logout", new FormUrlEncodedContent(new Dictionary<string, string>
               {
                   ["__RequestVerificationToken"] = token,
                   ["returnUrl"] = "/login",
               })))
            Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        clients["signedout-admin"] = new NvrClient(server.BaseUri, copy);

        await using (var app = await InProcessApp.BuildAsync(server))
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<NvrUser>>();
            var admin = scope.ServiceProvider.GetRequiredService<UserAdministration>();
            var actor = new AdminActor("test", "test");
            async Task<string> Id(string name) => (await users.FindByNameAsync(name))!.Id;
            Assert.True((await admin.DeleteAsync(actor, await Id("gone-admin"))).Succeeded);
            Assert.True((await admin.ResetPasswordAsync(actor, await Id("reset-admin"))).Succeeded);
            Assert.True((await admin.ChangeRoleAsync(actor, await Id("demoted-admin"), Roles.Viewer)).Succeeded);
        }

        var started = DateTime.UtcNow;
        var refused = await Eventually.ValueAsync(async () =>
        {
            var answers = new Dictionary<string, HttpStatusCode>();
            foreach (var (name, client) in clients)
            {
                using var response = await client.GetAsync("/api/jobs");
                answers[name] = response.StatusCode;
            }
            return answers;
        }, answers => answers.Values.All(code => code is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden), TimeSpan.FromSeconds(70),
            "every old cookie refused on an admin route");
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(70), string.Join(", ", refused));
        foreach (var client in clients.Values)
            client.Dispose();
    }

    [Fact]
    public async Task A_cookie_request_from_another_port_or_site_cannot_change_anything_but_our_own_pages_can()
    {
        using var admin = await fixture.AdminAsync();
        var own = fixture.Server.BaseUri.GetLeftPart(UriPartial.Authority);
        foreach (var (header, value) in new[]
                 {
                     ("Origin", $"http://127.0.0.1:{fixture.Server.HttpPort + 1}"),   // another port of the same host
                     ("Origin", "https://evil.example"),
                     ("Sec-Fetch-Site", "same-site"),                                    // a sibling subdomain, another port
                     ("Sec-Fetch-Site", "cross-site"),
                 })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/jobs/retention/run");
            request.Headers.Add(header, value);
            using var response = await admin.Http.SendAsync(request);
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Contains("comes from another site", await response.Content.ReadAsStringAsync());
        }
        // The sign-in form is a write too: a login CSRF from another site is refused.
        using (var login = new HttpRequestMessage(HttpMethod.Post, "/login") { Content = new FormUrlEncodedContent([new("Input.UserName", "admin")]) })
        {
            login.Headers.Add("Origin", "https://evil.example");
            using var response = await admin.Http.SendAsync(login);
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        }

        // Our own pages send their own origin (and Sec-Fetch-Site: same-origin): accepted.
        using var ours = new HttpRequestMessage(HttpMethod.Post, "/api/jobs/retention/run");
        ours.Headers.Add("Origin", own);
        ours.Headers.Add("Sec-Fetch-Site", "same-origin");
        using var accepted = await admin.Http.SendAsync(ours);
        Assert.True(accepted.StatusCode is HttpStatusCode.Accepted or HttpStatusCode.Conflict, $"{(int)accepted.StatusCode}");
    }

    [Fact]
    public async Task Year_one_dates_are_answered_and_responses_carry_the_security_headers()
    {
        using var admin = await fixture.AdminAsync();
        foreach (var path in new[] { "/api/clips?from=0001-01-01", "/api/clips/timeline?from=0001-01-01&to=0001-01-02" })
        {
            using var response = await admin.GetAsync(path);
            Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.BadRequest, $"{path}: {(int)response.StatusCode}");
        }
        using var page = await admin.GetAsync("/login");
        Assert.Equal("nosniff", page.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("same-origin", page.Headers.GetValues("Referrer-Policy").Single());
        // Ours; Blazor adds its own "frame-ancestors 'self'" beside it for interactive pages (both apply).
        Assert.Contains(page.Headers.GetValues("Content-Security-Policy"), csp => csp.StartsWith("default-src 'self'; script-src 'self';", StringComparison.Ordinal));
        Assert.False(page.Headers.Contains("Server"), "no Server header");
        Assert.False(page.Headers.Contains("Strict-Transport-Security"), "no HSTS over plain HTTP");

        // Over HTTPS: HSTS, and every cookie (antiforgery included) marked Secure.
        using var https = new NvrClient(fixture.Server.HttpsUri);
        using var secure = await https.GetAsync("/login");
        Assert.Equal("max-age=31536000", secure.Headers.GetValues("Strict-Transport-Security").Single());
        var cookies = secure.Headers.GetValues("Set-Cookie").ToList();
        Assert.NotEmpty(cookies);
        Assert.All(cookies, cookie => Assert.Contains("secure", cookie, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task A_non_ascii_return_url_signs_in_and_redirects_percent_encoded()
    {
        using var client = fixture.Client();
        const string page = "/login?ReturnUrl=%2Fcam%C3%A9ra%2Fj%C3%A4rdin";
        var token = await client.AntiforgeryTokenAsync(page);
        using var response = await client.Http.PostAsync(page, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login", ["__RequestVerificationToken"] = token,
            ["Input.UserName"] = ServerFixture.FirstRunAdminName, ["Input.Password"] = NvrServer.AdminPassword,
        }));
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"{(int)response.StatusCode}\n{fixture.Server.Output}");
        Assert.EndsWith($"{fixture.Server.BaseUri.Authority}/cam%C3%A9ra/j%C3%A4rdin", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task A_user_name_typed_with_a_newline_cannot_forge_a_log_line()
    {
        using var client = fixture.Client();
        using (var response = await client.SignInAsync("nobody\ninfo: NvrBlazor.Web.Users[1] admin signed in", "whatever-it-is"))
            Assert.Contains("Wrong user name or password", await response.Content.ReadAsStringAsync());
        await Eventually.ValueAsync(() => Task.FromResult(fixture.Server.Output), output => output.Contains("nobody\\u000ainfo: NvrBlazor.Web.Users[1]", StringComparison.Ordinal),
            what: "the escaped name in the log");
        Assert.DoesNotContain(fixture.Server.Output.Split('\n'), line => line.StartsWith("info: NvrBlazor.Web.Users[1]", StringComparison.Ordinal));
    }
}
