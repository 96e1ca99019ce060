using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace NvrBlazor.Bench.Load;

/// <summary>The admin's side of a benchmark: sign in, create and approve cameras, set recording, read /metrics.</summary>
public sealed partial class NvrApi : IDisposable
{
    private readonly HttpClient http;

    public NvrApi(Uri server)
    {
        Cookies = new CookieContainer();
        http = new HttpClient(new HttpClientHandler { CookieContainer = Cookies, AllowAutoRedirect = false }) { BaseAddress = server, Timeout = TimeSpan.FromSeconds(60) };
    }

    public CookieContainer Cookies { get; }

    public async Task SignInAsync(string password)
    {
        var html = await http.GetStringAsync("/login");
        var token = WebUtility.HtmlDecode(TokenPattern().Match(html).Groups[1].Value);
        using var response = await http.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login", ["__RequestVerificationToken"] = token, ["Input.UserName"] = "admin", ["Input.Password"] = password,
        }));
        if (response.StatusCode != HttpStatusCode.Redirect || response.Headers.Location?.OriginalString.Contains("login", StringComparison.OrdinalIgnoreCase) == true)
            throw new InvalidOperationException($"signing in as admin failed ({(int)response.StatusCode} {response.Headers.Location})");
    }

    /// <summary>An agent camera (NvrBlazor protocol): active at once; its id and token.</summary>
    public async Task<(int Id, string Token)> CreateAgentAsync(string name)
    {
        using var created = await http.PostAsJsonAsync("/api/cameras", new { name, kind = "agent" });
        created.EnsureSuccessStatusCode();
        var body = await created.Content.ReadFromJsonAsync<JsonElement>();
        return (body.GetProperty("camera").GetProperty("id").GetInt32(), body.GetProperty("token").GetString()!);
    }

    /// <summary>Every camera's id by host name (ESP32 cameras register themselves when they connect).</summary>
    public async Task<JsonElement> CamerasAsync() => await http.GetFromJsonAsync<JsonElement>("/api/cameras");

    public async Task<JsonElement> HealthAsync() => await http.GetFromJsonAsync<JsonElement>("/healthz");

    public async Task<Dictionary<string, int>> CamerasByHostNameAsync()
    {
        var cameras = await CamerasAsync();
        return cameras.EnumerateArray().Where(c => c.GetProperty("hostName").ValueKind == JsonValueKind.String)
            .ToDictionary(c => c.GetProperty("hostName").GetString()!, c => c.GetProperty("id").GetInt32(), StringComparer.Ordinal);
    }

    public async Task ApproveAsync(int id)
    {
        using var response = await http.PutAsJsonAsync($"/api/cameras/{id}/state", new { state = "active" });
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Recording mode (off, motion, continuous) and whose motion counts (camera, server, auto); the rest stays at the defaults.</summary>
    public async Task SetRecordingAsync(int id, string mode, string motionSource)
    {
        using var response = await http.PutAsJsonAsync($"/api/cameras/{id}/recording", new
        {
            mode, motionSource, sensitivity = 50, minAreaPercent = 1.0, preRollSeconds = 5, postRollSeconds = 10, maxClipSeconds = 300,
        });
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"recording settings of camera {id} refused: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    public async Task<Metrics> MetricsAsync() => Metrics.Parse(await http.GetStringAsync("/metrics"));

    public void Dispose() => http.Dispose();

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}

/// <summary>One /metrics reading: each sample by its full series text (name and labels).</summary>
public sealed class Metrics(Dictionary<string, double> samples)
{
    public static Metrics Parse(string text)
    {
        var samples = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.StartsWith('#'))
                continue;
            var space = line.LastIndexOf(' ');
            samples[line[..space]] = double.Parse(line[(space + 1)..], CultureInfo.InvariantCulture);
        }
        return new Metrics(samples);
    }

    /// <summary>
    /// The sum of a metric's samples whose labels contain <paramref name="labels"/> (e.g. <c>by="viewer"</c>),
    /// only of the given cameras when <paramref name="cameras"/> is set.
    /// </summary>
    public double Sum(string name, string? labels = null, IReadOnlySet<int>? cameras = null) =>
        samples.Where(s => (s.Key == name || s.Key.StartsWith(name + "{", StringComparison.Ordinal))
                && (labels is null || s.Key.Contains(labels, StringComparison.Ordinal))
                && (cameras is null || (CameraOf(s.Key) is { } id && cameras.Contains(id))))
            .Sum(s => s.Value);

    private static int? CameraOf(string series)
    {
        var at = series.IndexOf("camera=\"", StringComparison.Ordinal);
        if (at < 0)
            return null;
        var start = at + 8;
        var end = series.IndexOf('"', start);
        return int.TryParse(series.AsSpan(start, end - start), NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;
    }
}
