using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
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
    public async Task Five_failures_from_one_address_refuse_that_name_there_for_a_while_but_not_from_another_address()
    {
        const string name = "throttled";
        const string password = "tangerine-harbour-31";
        await InProcessApp.CreateUserAsync(fixture.Server, name, password, Roles.Viewer);
        using var client = new NvrClient(fixture.Server.BaseUri, from: IPAddress.Parse("127.0.0.3"));

        for (var attempt = 1; attempt <= 5; attempt++)
        {
            using var failed = await client.SignInAsync(name, "wrong-password");
            Assert.Contains("Wrong user name or password", await failed.Content.ReadAsStringAsync());
        }
        using (var sixth = await client.SignInAsync(name, password))
        {
            Assert.Equal(HttpStatusCode.OK, sixth.StatusCode);
            Assert.Contains("Too many failed sign-ins for this user name from your address", await sixth.Content.ReadAsStringAsync());
        }
        using (var home = await client.GetAsync("/"))
            Assert.Equal(HttpStatusCode.Redirect, home.StatusCode);

        // The account itself is not locked: the same person from another address signs in.
        using var elsewhere = new NvrClient(fixture.Server.BaseUri, from: IPAddress.Parse("127.0.0.4"));
        await elsewhere.SignInOrThrowAsync(name, password);
    }

    [Fact]
    public async Task Four_failures_then_the_right_password_signs_in_and_resets_the_count()
    {
        const string name = "clumsy";
        const string password = "marble-staircase-19";
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

    [Fact]
    public async Task Twenty_wrong_passwords_for_admin_from_a_stranger_lock_nobody_out_and_end_no_session()
    {
        await using var server = await NvrServer.StartAsync();
        using var admin = new NvrClient(server.BaseUri);
        await admin.SignInOrThrowAsync("admin", NvrServer.AdminPassword);
        using (var created = await admin.Http.PostAsJsonAsync("/api/cameras", new { name = "Front door", kind = "agent" }))
            created.EnsureSuccessStatusCode();
        await using var live = await ViewerSocket.ConnectAsync(server.BaseUri, admin.Cookies);

        using var stranger = new NvrClient(server.BaseUri, from: IPAddress.Parse("127.0.0.2"));
        var answers = new List<string>();
        for (var attempt = 1; attempt <= 20; attempt++)
        {
            using var response = await stranger.SignInAsync("admin", $"guess-number-{attempt}");
            var html = await response.Content.ReadAsStringAsync();
            answers.Add(html.Contains("Too many failed sign-ins", StringComparison.Ordinal) ? "refused" : html.Contains("Wrong user name or password", StringComparison.Ordinal) ? "wrong" : $"{(int)response.StatusCode}");
        }
        Assert.Equal(Enumerable.Repeat("wrong", 5).Concat(Enumerable.Repeat("refused", 15)), answers);

        // The real admin, from their own address, signs in at once; the session opened before keeps working.
        using var again = new NvrClient(server.BaseUri);
        await again.SignInOrThrowAsync("admin", NvrServer.AdminPassword);
        var cameras = await admin.Http.GetFromJsonAsync<JsonElement>("/api/cameras");
        Assert.Contains(cameras.EnumerateArray(), c => c.GetProperty("name").GetString() == "Front door");
        await live.SubscribeAsync(cameras.EnumerateArray().First().GetProperty("id").GetInt32());
        await Task.Delay(1500);
        Assert.Null(live.CloseStatus);

        // Admins see what happened.
        var failures = await admin.Http.GetFromJsonAsync<JsonElement>("/api/sign-in-failures");
        var fromStranger = failures.EnumerateArray().Where(f => f.GetProperty("address").GetString() == "127.0.0.2").ToList();
        Assert.Equal(20, fromStranger.Count);
        Assert.All(fromStranger, f => Assert.Equal("admin", f.GetProperty("userName").GetString()));
        Assert.Equal(15, fromStranger.Count(f => f.GetProperty("outcome").GetString()!.StartsWith("refused", StringComparison.Ordinal)));
    }
}
