using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using NvrBlazor.Tests.Support;

namespace NvrBlazor.Tests.Integration;

/// <summary>Each test here owns a server, because each is about how a server starts.</summary>
public partial class FirstRunTests
{
    [Fact]
    public async Task Without_a_configured_password_the_admin_gets_a_generated_one_in_the_log_and_an_owner_only_file()
    {
        await using var server = await NvrServer.StartAsync(withAdminPassword: false);
        var file = Path.Combine(server.DataPath, "initial-admin-password.txt");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        var password = (await File.ReadAllTextAsync(file)).Trim();
        Assert.Equal(20, password.Length);
        Assert.Matches(GeneratedPasswordLine(), server.Output);
        Assert.Contains(password, server.Output);

        using var client = new NvrClient(server.BaseUri);
        using var signIn = await client.SignInAsync("admin", password);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.StartsWith("/account/password", signIn.RedirectPath());

        await server.RestartAsync();
        var occurrences = Regex.Matches(server.Output, Regex.Escape(password)).Count;
        Assert.Equal(1, occurrences);
    }

    [Fact]
    public async Task A_password_too_short_for_the_policy_stops_the_start_with_the_setting_named()
    {
        await using var server = new NvrServer(settings: new Dictionary<string, string> { ["Nvr__Admin__Password"] = "short" }, withAdminPassword: false);
        server.Launch();
        Assert.Equal(1, await server.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("Nvr:Admin:Password was rejected", server.Output);
    }

    [Fact]
    public async Task An_unwritable_recordings_folder_stops_the_start_with_the_folder_and_setting_named()
    {
        var root = TestPaths.NewTempFolder("unwritable");
        var blocker = Path.Combine(root, "not-a-folder");
        await File.WriteAllTextAsync(blocker, "a file where the recordings folder should be");
        await using var server = new NvrServer(settings: new Dictionary<string, string> { ["Nvr__RecordingsPath"] = Path.Combine(blocker, "recordings") });
        server.Launch();
        Assert.Equal(1, await server.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains(Path.Combine(blocker, "recordings"), server.Output);
        Assert.Contains("Nvr:RecordingsPath", server.Output);
    }

    [Fact]
    public async Task Health_reports_database_ffmpeg_and_free_space_without_signing_in()
    {
        await using var server = await NvrServer.StartAsync();
        using var client = new NvrClient(server.BaseUri);
        using var response = await client.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = json.RootElement;
        Assert.Equal("healthy", root.GetProperty("status").GetString());
        Assert.True(root.GetProperty("database").GetProperty("reachable").GetBoolean());
        Assert.True(root.GetProperty("ffmpeg").GetProperty("found").GetBoolean());
        Assert.Matches(@"^\d", root.GetProperty("ffmpeg").GetProperty("version").GetString());
        Assert.EndsWith("ffmpeg", root.GetProperty("ffmpeg").GetProperty("path").GetString());
        Assert.True(root.GetProperty("recordings").GetProperty("freeBytes").GetInt64() > 0);
        Assert.Equal(server.RecordingsPath, root.GetProperty("recordings").GetProperty("path").GetString());
        Assert.True(root.GetProperty("recording").GetProperty("serverMotion").GetBoolean());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("recording").GetProperty("diskAlert").ValueKind);
    }

    [Fact]
    public async Task Without_libjpeg_turbo_the_app_runs_with_server_motion_off_and_health_says_why()
    {
        await using var server = await NvrServer.StartAsync(new Dictionary<string, string> { ["Nvr__Motion__JpegLibrary"] = "/nonexistent/libturbojpeg.so.0" });
        using var client = new NvrClient(server.BaseUri);
        using var response = await client.GetAsync("/healthz");
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("degraded", json.RootElement.GetProperty("status").GetString());
        var recording = json.RootElement.GetProperty("recording");
        Assert.False(recording.GetProperty("serverMotion").GetBoolean());
        Assert.Contains("libturbojpeg0", recording.GetProperty("serverMotionProblem").GetString());
        Assert.Contains("Server-side motion detection is off", server.Output);
        await client.SignInOrThrowAsync("admin", NvrServer.AdminPassword);
    }

    [Fact]
    public async Task A_missing_ffmpeg_degrades_health_and_says_what_to_change_but_the_app_runs()
    {
        await using var server = await NvrServer.StartAsync(new Dictionary<string, string> { ["Nvr__Ffmpeg__Path"] = "/nonexistent/ffmpeg" });
        using var client = new NvrClient(server.BaseUri);
        using var response = await client.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("degraded", json.RootElement.GetProperty("status").GetString());
        Assert.False(json.RootElement.GetProperty("ffmpeg").GetProperty("found").GetBoolean());
        Assert.Contains("Nvr:Ffmpeg:Path", server.Output);
        await client.SignInOrThrowAsync("admin", NvrServer.AdminPassword);
    }

    [Fact]
    public async Task Https_is_served_with_a_self_signed_certificate_that_survives_a_restart()
    {
        await using var server = await NvrServer.StartAsync();
        var first = await ServerCertificateAsync(server);
        await server.RestartAsync();
        var second = await ServerCertificateAsync(server);
        Assert.Equal(first, second);
        Assert.True(File.Exists(Path.Combine(server.DataPath, "https-selfsigned.pfx")));
    }

    private static async Task<string> ServerCertificateAsync(NvrServer server)
    {
        string? thumbprint = null;
        using var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, certificate, _, _) =>
            {
                thumbprint = certificate?.Thumbprint;
                return true;
            },
        };
        using var http = new HttpClient(handler);
        using var response = await http.GetAsync(new Uri(server.HttpsUri, "healthz"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return thumbprint ?? throw new InvalidOperationException("no certificate seen");
    }

    [Fact]
    public async Task The_published_app_started_from_another_folder_serves_its_css_and_scripts()
    {
        await using var server = new NvrServer(settings: new Dictionary<string, string>()) { WorkingDirectory = TestPaths.NewTempFolder("elsewhere") };
        await server.StartAsync();
        using var http = new HttpClient { BaseAddress = server.BaseUri };
        var login = await http.GetStringAsync("/login");
        var css = System.Text.RegularExpressions.Regex.Match(login, "href=\"(app[^\"]*\\.css)\"").Groups[1].Value;
        Assert.NotEmpty(css);
        foreach (var asset in new[] { css, "_framework/blazor.web.js" })
        {
            var bytes = await http.GetByteArrayAsync(asset);
            Assert.True(bytes.Length > 100, $"{asset} answered {bytes.Length} bytes");
        }
    }

    [GeneratedRegex("generated password [A-Za-z0-9]{20} \\(also in .*initial-admin-password.txt\\)")]
    private static partial Regex GeneratedPasswordLine();
}
