using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using NvrBlazor.Domain.Users;
using NvrBlazor.Tests.Support;

namespace NvrBlazor.Tests.Integration;

/// <summary>
/// API keys on the real server: a key carries its owner's rights and no more, works as a Bearer token and as the
/// password of a user:key URL (what OpenCV, VLC and Home Assistant send), stops at once when revoked, cannot mint
/// keys, and is never stored or logged in clear.
/// </summary>
public class ApiKeyTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task A_viewers_key_sees_only_the_viewers_cameras_until_it_is_revoked_and_is_never_kept_in_clear()
    {
        using var admin = await fixture.AdminAsync();
        await using var granted = new FakeEsp32Camera("key-driveway");
        await using var other = new FakeEsp32Camera("key-office");
        var grantedId = await MjpegApiTests.ConnectApprovedAsync(fixture.Server, granted, admin);
        var otherId = await MjpegApiTests.ConnectApprovedAsync(fixture.Server, other, admin);
        var jpeg = FakeEsp32Camera.SyntheticJpeg(3000, 1);
        await granted.SendFrameAsync(jpeg);
        await other.SendFrameAsync(FakeEsp32Camera.SyntheticJpeg(3000, 2));

        using var viewer = await InProcessApp.SignedInAsNewUserAsync(fixture.Server, "key-viewer", "reads-the-driveway-only-1", Roles.Viewer);
        (await admin.Http.PutAsJsonAsync("/api/users/key-viewer/cameras", new { allCameras = false, cameraIds = new[] { grantedId } })).EnsureSuccessStatusCode();

        using var created = await viewer.Http.PostAsJsonAsync("/api/account/keys", new { name = "garage script" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await created.Content.ReadFromJsonAsync<JsonElement>();
        var key = body.GetProperty("key").GetString()!;
        Assert.StartsWith(ApiKeyText.Prefix, key);
        Assert.Equal(key[..ApiKeyText.ShownLength], body.GetProperty("info").GetProperty("startsWith").GetString());

        using var program = KeyClient(key);
        var cameras = await program.GetFromJsonAsync<JsonElement>("/api/cameras");
        Assert.Equal([grantedId], cameras.EnumerateArray().Select(c => c.GetProperty("id").GetInt32()));
        using (var snapshot = await Eventually.ValueAsync(() => program.GetAsync($"/api/cameras/{grantedId}/snapshot.jpg"), r => r.StatusCode == HttpStatusCode.OK, what: "the granted camera's snapshot"))
            Assert.Equal(jpeg, await snapshot.Content.ReadAsByteArrayAsync());
        using (var refused = await program.GetAsync($"/api/cameras/{otherId}/snapshot.jpg"))
            Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        using (var refused = await program.GetAsync("/api/users/key-viewer/cameras"))
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);

        // As the password of HTTP Basic (user:key URLs), offered by a Basic challenge on the frame endpoints.
        using (var anonymous = await fixture.Client().Http.GetAsync($"/api/cameras/{grantedId}/snapshot.jpg"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
            Assert.Contains(anonymous.Headers.WwwAuthenticate, h => h.Scheme == "Basic");
        }
        using (var basic = new HttpClient { BaseAddress = fixture.Server.BaseUri })
        {
            basic.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("anyone:" + key)));
            using var snapshot = await basic.GetAsync($"/api/cameras/{grantedId}/snapshot.jpg");
            Assert.Equal(HttpStatusCode.OK, snapshot.StatusCode);
        }

        // A key cannot mint or list keys: only the sign-in cookie can.
        using (var minted = await program.PostAsJsonAsync("/api/account/keys", new { name = "forever" }))
            Assert.Equal(HttpStatusCode.Unauthorized, minted.StatusCode);

        // Wrong keys get 401 with what was wrong.
        using (var unknown = KeyClient(ApiKeyText.Create().Key))
        using (var response = await unknown.GetAsync("/api/cameras"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Contains("not known", await response.Content.ReadAsStringAsync());
        }
        using (var garbage = KeyClient("abc"))
        using (var response = await garbage.GetAsync("/api/cameras"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Contains("starts with", await response.Content.ReadAsStringAsync());
        }

        // Last used is recorded; the list never shows the key again.
        var listed = await viewer.Http.GetFromJsonAsync<JsonElement>("/api/account/keys");
        var row = Assert.Single(listed.EnumerateArray());
        Assert.NotEqual(JsonValueKind.Null, row.GetProperty("lastUsed").ValueKind);
        Assert.DoesNotContain(key, listed.GetRawText(), StringComparison.Ordinal);

        // Never in clear: not in the database files, not in the log.
        Assert.False(await DatabaseContainsAsync(key), "the key is stored in clear");
        Assert.DoesNotContain(key, fixture.Server.Output, StringComparison.Ordinal);
        var audit = await admin.Http.GetFromJsonAsync<JsonElement>("/api/audit?user=key-viewer&action=apikey");
        Assert.Contains(audit.EnumerateArray(), e => e.GetProperty("detail").GetString()!.Contains("created key \"garage script\"", StringComparison.Ordinal));

        // Revoked: the next request is refused.
        using (var revoke = await viewer.Http.DeleteAsync($"/api/account/keys/{row.GetProperty("id").GetInt32()}"))
            Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        using (var revoked = await program.GetAsync($"/api/cameras/{grantedId}/snapshot.jpg"))
            Assert.Equal(HttpStatusCode.Unauthorized, revoked.StatusCode);
    }

    [Fact]
    public async Task OpenCV_reads_the_mjpeg_stream_with_a_key_at_the_cameras_rate_each_frame_new()
    {
        using var admin = await fixture.AdminAsync();
        await using var camera = new FakeEsp32Camera("key-opencv");
        var id = await MjpegApiTests.ConnectApprovedAsync(fixture.Server, camera, admin);
        using var created = await admin.Http.PostAsJsonAsync("/api/account/keys", new { name = "opencv" });
        var key = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetString()!;

        // Real pictures (a square moving over noise), each different, at 10 fps for as long as OpenCV reads.
        var frames = await Media.MovingSquareFramesAsync(4, 0, 4);
        using var streaming = new CancellationTokenSource();
        var sending = Task.Run(async () =>
        {
            for (var i = 0; !streaming.IsCancellationRequested; i++)
            {
                await camera.SendFrameAsync(frames[i % frames.Count]);
                await Task.Delay(100);
            }
        });

        var url = new UriBuilder(fixture.Server.BaseUri) { UserName = "opencv", Password = key, Path = $"/api/cameras/{id}/mjpeg" }.Uri.ToString();
        string output;
        try
        {
            // "<frames read> <distinct frames> <width> <seconds from the first frame to the last>".
            output = await Media.RunAsync("/usr/bin/python3", "-c", """
                import sys, time, hashlib, cv2
                capture = cv2.VideoCapture(sys.argv[1], cv2.CAP_FFMPEG)
                if not capture.isOpened():
                    sys.exit("OpenCV could not open the stream")
                seen, first, last, width = [], None, None, 0
                while first is None or time.time() - first < 3:
                    ok, image = capture.read()
                    if not ok:
                        sys.exit("OpenCV stopped reading after %d frames" % len(seen))
                    last = time.time()
                    first = first or last
                    width = image.shape[1]
                    seen.append(hashlib.sha1(image.tobytes()).hexdigest())
                print(len(seen), len(set(seen)), width, "%.3f" % (last - first))
                """, url);
        }
        finally
        {
            await streaming.CancelAsync();
            await sending;
        }

        var figures = output.Trim().Split(' ');
        var (read, distinct, width) = (int.Parse(figures[0], CultureInfo.InvariantCulture), int.Parse(figures[1], CultureInfo.InvariantCulture), int.Parse(figures[2], CultureInfo.InvariantCulture));
        var seconds = double.Parse(figures[3], CultureInfo.InvariantCulture);
        Assert.Equal(320, width);
        // 10 fps for 3 s: about 30 frames (a busy machine may lose a few), and none of them a repeat.
        Assert.InRange(read / seconds, 7, 13);
        Assert.Equal(read, distinct);
        Assert.DoesNotContain(key, fixture.Server.Output, StringComparison.Ordinal);

        // An Admin's key reads /metrics from anywhere (here: as if through a proxy, so not as a local caller).
        using var prometheus = KeyClient(key);
        prometheus.DefaultRequestHeaders.Add("X-Forwarded-For", "203.0.113.9");
        using var metrics = await prometheus.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
    }

    private HttpClient KeyClient(string key)
    {
        var client = new HttpClient { BaseAddress = fixture.Server.BaseUri };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    private async Task<bool> DatabaseContainsAsync(string text)
    {
        // Checkpoint first so the WAL's pages are in the main file too; then search every file of the database.
        await using (var connection = new SqliteConnection($"Data Source={Path.Combine(fixture.Server.DataPath, "nvr.db")}"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA wal_checkpoint(PASSIVE)";
            await command.ExecuteNonQueryAsync();
        }
        var needle = Encoding.UTF8.GetBytes(text);
        foreach (var file in Directory.GetFiles(fixture.Server.DataPath, "nvr.db*"))
        {
            var bytes = await File.ReadAllBytesAsync(file);
            if (bytes.AsSpan().IndexOf(needle) >= 0)
                return true;
        }
        return false;
    }
}
