using System.Net;
using NvrBlazor.Domain.Users;
using NvrBlazor.Tests.Support;

namespace NvrBlazor.Tests.Integration;

/// <summary>
/// User names cannot be discovered by timing the sign-in. Timed, so it runs alone after the parallel
/// tests (72 password hashes would also starve the timing-sensitive recording tests beside it).
/// </summary>
[Collection(HeavyTests.Name)]
public sealed class SignInTimingTests
{
    [Fact]
    public async Task An_unknown_user_and_a_wrong_password_get_the_same_answer_in_about_the_same_time()
    {
        await using var server = await NvrServer.StartAsync();
        // Four real accounts, so that none reaches the 10 failures after which an account is slowed down.
        foreach (var account in "abcd")
            await InProcessApp.CreateUserAsync(server, $"timed-user-{account}", "velvet-compass-88", Roles.Viewer);
        var unknown = new List<double>();
        var wrong = new List<double>();
        // Ten samples of each after two to warm up; each sample is the best of three attempts (on a 2-core machine
        // shared with the test runner a single attempt is often doubled by whatever else runs), each attempt from
        // its own address so that the throttle's slowing-down is not what is measured.
        for (var sample = 0; sample < 12; sample++)
        {
            var unknownBest = double.MaxValue;
            var wrongBest = double.MaxValue;
            for (var attempt = 0; attempt < 3; attempt++)
            {
                using var client = new NvrClient(server.BaseUri, from: IPAddress.Parse($"127.0.{sample + 1}.{10 + attempt}"));
                await client.AntiforgeryTokenAsync("/login"); // warm the connection
                Task<(string, double)> TimedUnknownAsync() => TimedSignInAsync(client, $"nobody-{sample}-{attempt}", "velvet-compass-88");
                Task<(string, double)> TimedWrongAsync() => TimedSignInAsync(client, $"timed-user-{"abcd"[(sample * 3 + attempt) % 4]}", $"not-it-{sample}");
                // Alternate which goes first, so that whatever the first request of a connection pays is not one side's alone.
                var unknownFirst = (sample + attempt) % 2 == 0;
                var first = unknownFirst ? await TimedUnknownAsync() : await TimedWrongAsync();
                var second = unknownFirst ? await TimedWrongAsync() : await TimedUnknownAsync();
                var ((unknownText, unknownMs), (wrongText, wrongMs)) = unknownFirst ? (first, second) : (second, first);
                Assert.Equal(ErrorOf(unknownText), ErrorOf(wrongText));
                Assert.Equal("Wrong user name or password.", ErrorOf(wrongText));
                unknownBest = Math.Min(unknownBest, unknownMs);
                wrongBest = Math.Min(wrongBest, wrongMs);
            }
            if (sample < 2)
                continue;
            unknown.Add(unknownBest);
            wrong.Add(wrongBest);
        }
        // The lower quartile, not the median: under load a third of the best-of-three samples were still doubled
        // (unknown 58, 60, 62, 58, 95, 58, 79, 54, 54, 91; wrong 57, 58, 63, 97, 104, 58, 96, 78, 53, 89 failed a median
        // check at 60 against 78 ms), while a sign-in that skipped the hash for an unknown name would be 10x faster.
        var (u, w) = (LowerQuartile(unknown), LowerQuartile(wrong));
        Assert.True(Math.Abs(u - w) <= 0.2 * Math.Max(u, w),
            $"lower quartile unknown user {u:0.0} ms, wrong password {w:0.0} ms; unknown {string.Join(", ", unknown.Select(m => m.ToString("0")))}; wrong {string.Join(", ", wrong.Select(m => m.ToString("0")))}");
    }

    private static async Task<(string Html, double Ms)> TimedSignInAsync(NvrClient client, string name, string password)
    {
        var token = await client.AntiforgeryTokenAsync("/login");
        var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login", ["__RequestVerificationToken"] = token, ["Input.UserName"] = name, ["Input.Password"] = password,
        });
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var response = await client.Http.PostAsync("/login", form);
        var html = await response.Content.ReadAsStringAsync();
        return (html, clock.Elapsed.TotalMilliseconds);
    }

    private static string ErrorOf(string html) =>
        System.Text.RegularExpressions.Regex.Match(html, "data-testid=\"login-error\">([^<]*)<").Groups[1].Value is { Length: > 0 } error ? error : throw new InvalidOperationException(html);

    private static double LowerQuartile(List<double> values) => values.Order().ElementAt(values.Count / 4);
}
