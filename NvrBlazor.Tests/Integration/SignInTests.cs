using System.Net;
using NvrBlazor.Domain.Users;
using NvrBlazor.Tests.Support;

namespace NvrBlazor.Tests.Integration;

public class SignInTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task The_bootstrap_admin_signs_in_and_reaches_the_live_page()
    {
        using var client = fixture.Client();
        using var response = await client.SignInAsync(ServerFixture.FirstRunAdminName, NvrServer.AdminPassword);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.RedirectPath());

        using var live = await client.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Contains("<title>Live · NvrBlazor</title>", await live.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_wrong_password_is_refused_with_a_message_and_no_cookie()
    {
        using var client = fixture.Client();
        using var response = await client.SignInAsync(ServerFixture.FirstRunAdminName, "not-the-password");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Wrong user name or password", await response.Content.ReadAsStringAsync());

        using var home = await client.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, home.StatusCode);
        Assert.Contains("/login", home.RedirectPath());
    }

    [Fact]
    public async Task Five_failures_in_a_row_lock_the_account_so_even_the_right_password_is_refused()
    {
        const string name = "lockme";
        const string password = "lockme-password-1";
        await InProcessApp.CreateUserAsync(fixture.Server, name, password, Roles.Viewer);
        using var client = fixture.Client();

        for (var attempt = 1; attempt <= 4; attempt++)
        {
            using var failed = await client.SignInAsync(name, "wrong-password");
            Assert.Contains("Wrong user name or password", await failed.Content.ReadAsStringAsync());
        }
        using (var fifth = await client.SignInAsync(name, "wrong-password"))
            Assert.Contains("locked", await fifth.Content.ReadAsStringAsync());

        using var sixth = await client.SignInAsync(name, password);
        Assert.Equal(HttpStatusCode.OK, sixth.StatusCode);
        Assert.Contains("locked after too many failed sign-ins", await sixth.Content.ReadAsStringAsync());
        using var home = await client.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, home.StatusCode);
    }

    [Fact]
    public async Task Four_failures_then_the_right_password_signs_in_and_resets_the_count()
    {
        const string name = "clumsy";
        const string password = "clumsy-password-1";
        await InProcessApp.CreateUserAsync(fixture.Server, name, password, Roles.Viewer);
        using var client = fixture.Client();
        for (var attempt = 1; attempt <= 4; attempt++)
            (await client.SignInAsync(name, "wrong-password")).Dispose();
        await client.SignInOrThrowAsync(name, password);
        for (var attempt = 1; attempt <= 4; attempt++)
            (await client.SignInAsync(name, "wrong-password")).Dispose();
        await client.SignInOrThrowAsync(name, password);
    }

    [Fact]
    public async Task An_admin_set_password_must_be_changed_before_anything_else()
    {
        const string name = "newbie";
        const string initial = "initial-password-1";
        const string chosen = "my-own-password-22";
        await InProcessApp.CreateUserAsync(fixture.Server, name, initial, Roles.Viewer, mustChangePassword: true);
        using var client = fixture.Client();

        using var signIn = await client.SignInAsync(name, initial);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.StartsWith("/account/password", signIn.RedirectPath());
        using (var home = await client.GetAsync("/"))
        {
            Assert.Equal(HttpStatusCode.Redirect, home.StatusCode);
            Assert.StartsWith("/account/password", home.RedirectPath());
        }

        using (var tooShort = await client.ChangePasswordAsync(initial, "short"))
            Assert.Contains("at least 10", await tooShort.Content.ReadAsStringAsync());
        using (var changed = await client.ChangePasswordAsync(initial, chosen))
            Assert.Equal(HttpStatusCode.Redirect, changed.StatusCode);
        using (var home = await client.GetAsync("/"))
            Assert.Equal(HttpStatusCode.OK, home.StatusCode);

        using var other = fixture.Client();
        using (var old = await other.SignInAsync(name, initial))
            Assert.Equal(HttpStatusCode.OK, old.StatusCode);
        await other.SignInOrThrowAsync(name, chosen);
    }

    [Fact]
    public async Task Signing_out_ends_the_session()
    {
        using var client = await fixture.ViewerAsync();
        var token = await client.AntiforgeryTokenAsync("/account/password");
        using var signOut = await client.Http.PostAsync("/account/logout", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["returnUrl"] = "/login",
        }));
        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        using var home = await client.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, home.StatusCode);
        Assert.Contains("/login", home.RedirectPath());
    }

    [Fact]
    public async Task Sign_out_without_the_antiforgery_token_is_refused()
    {
        using var client = await fixture.ViewerAsync();
        using var signOut = await client.Http.PostAsync("/account/logout", new FormUrlEncodedContent(new Dictionary<string, string> { ["returnUrl"] = "/login" }));
        Assert.Equal(HttpStatusCode.BadRequest, signOut.StatusCode);
        using var home = await client.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, home.StatusCode);
    }
}
