using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using NvrBlazor.Domain.Recording;
using NvrBlazor.Domain.Users;
using NvrBlazor.Tests.Support;
using NvrBlazor.Web.Recording;
using Xunit.Abstractions;

namespace NvrBlazor.Tests.Integration;

/// <summary>
/// A server with two cameras and real MP4 clips on each; a Viewer is granted only the garden camera.
/// Start times are fixed (2026-03-01 ...) so the filters have something definite to find.
/// </summary>
public sealed class ClipsFixture : IAsyncLifetime
{
    public const string ViewerName = "clip-viewer";
    public static readonly DateTimeOffset Day = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    public NvrServer Server { get; private set; } = default!;
    public NvrClient Admin { get; private set; } = default!;
    public NvrClient Viewer { get; private set; } = default!;
    public int Garden { get; private set; }
    public int Garage { get; private set; }
    public List<Clip> GardenClips { get; private set; } = [];
    public List<Clip> GarageClips { get; private set; } = [];
    public string SampleVideo { get; private set; } = "";

    public async Task InitializeAsync()
    {
        Server = await NvrServer.StartAsync(NvrServer.HousekeepingOff());
        Admin = new NvrClient(Server.BaseUri);
        await Admin.SignInOrThrowAsync("admin", NvrServer.AdminPassword);
        Garden = await ClipSeeder.CameraAsync(Server, "Garden");
        Garage = await ClipSeeder.CameraAsync(Server, "Garage");
        var (video, thumbnail) = await ClipSeeder.SampleAsync();
        SampleVideo = video;
        GardenClips = await ClipSeeder.AddAsync(Server,
            new ClipSeeder.Spec(Garden, "Garden", Day.AddHours(8), video, thumbnail),
            new ClipSeeder.Spec(Garden, "Garden", Day.AddHours(9), video, thumbnail, ClipReason.Manual),
            new ClipSeeder.Spec(Garden, "Garden", Day.AddHours(10), video, thumbnail, ClipReason.Continuous, DurationSeconds: 30),
            new ClipSeeder.Spec(Garden, "Garden", Day.AddHours(11), video, thumbnail),
            new ClipSeeder.Spec(Garden, "Garden", Day.AddHours(11), video, thumbnail));
        GarageClips = await ClipSeeder.AddAsync(Server,
            new ClipSeeder.Spec(Garage, "Garage", Day.AddHours(8.5), video, thumbnail),
            new ClipSeeder.Spec(Garage, "Garage", Day.AddHours(12), video, thumbnail));
        Viewer = await InProcessApp.SignedInAsNewUserAsync(Server, ViewerName, "clips-viewing-passphrase", Roles.Viewer);
        using var grant = await Admin.Http.PutAsJsonAsync($"/api/users/{ViewerName}/cameras", new { allCameras = false, cameraIds = new[] { Garden } });
        grant.EnsureSuccessStatusCode();
    }

    public string FullPath(Clip clip) => Path.Combine(Server.RecordingsPath, clip.Path);

    public async Task DisposeAsync()
    {
        Admin?.Dispose();
        Viewer?.Dispose();
        if (Server is not null)
            await Server.DisposeAsync();
    }
}

public class ClipsApiTests(ClipsFixture fixture, ITestOutputHelper output) : IClassFixture<ClipsFixture>
{
    private static async Task<List<JsonElement>> ListAsync(NvrClient client, string query)
    {
        using var response = await client.Http.GetAsync($"/api/clips?{query}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray().ToList();
    }

    [Fact]
    public async Task Video_answers_range_requests_with_exactly_the_bytes_asked_for()
    {
        var clip = fixture.GardenClips[0];
        var file = await File.ReadAllBytesAsync(fixture.FullPath(clip));

        using (var whole = await fixture.Viewer.Http.GetAsync($"/api/clips/{clip.Id}/video"))
        {
            Assert.Equal(HttpStatusCode.OK, whole.StatusCode);
            Assert.Equal("bytes", string.Join(",", whole.Headers.AcceptRanges));
            Assert.Equal("video/mp4", whole.Content.Headers.ContentType?.MediaType);
            Assert.Equal("inline", whole.Content.Headers.ContentDisposition?.DispositionType ?? "inline");
            Assert.Equal(file, await whole.Content.ReadAsByteArrayAsync());
        }

        using (var request = new HttpRequestMessage(HttpMethod.Get, $"/api/clips/{clip.Id}/video"))
        {
            request.Headers.Range = new RangeHeaderValue(100, 1123);
            using var part = await fixture.Viewer.Http.SendAsync(request);
            Assert.Equal(HttpStatusCode.PartialContent, part.StatusCode);
            Assert.Equal($"bytes 100-1123/{file.Length}", part.Content.Headers.ContentRange?.ToString());
            Assert.Equal(file.AsSpan(100, 1024).ToArray(), await part.Content.ReadAsByteArrayAsync());
        }

        using (var request = new HttpRequestMessage(HttpMethod.Get, $"/api/clips/{clip.Id}/video"))
        {
            request.Headers.Range = new RangeHeaderValue(file.Length - 10, null);
            using var tail = await fixture.Viewer.Http.SendAsync(request);
            Assert.Equal(HttpStatusCode.PartialContent, tail.StatusCode);
            Assert.Equal(file[^10..], await tail.Content.ReadAsByteArrayAsync());
        }

        using (var request = new HttpRequestMessage(HttpMethod.Get, $"/api/clips/{clip.Id}/video"))
        {
            request.Headers.Range = new RangeHeaderValue(file.Length, file.Length + 100);
            using var outside = await fixture.Viewer.Http.SendAsync(request);
            Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, outside.StatusCode);
            Assert.Equal($"bytes */{file.Length}", outside.Content.Headers.ContentRange?.ToString());
        }
    }

    [Fact]
    public async Task A_viewer_gets_404_for_every_route_to_a_clip_of_a_camera_not_granted_to_them()
    {
        var foreign = fixture.GarageClips[0];
        var own = fixture.GardenClips[0];
        var routes = new[] { $"/api/clips/{foreign.Id}", $"/api/clips/{foreign.Id}/video", $"/api/clips/{foreign.Id}/download",
            $"/api/clips/{foreign.Id}/thumbnail", $"/api/clips?camera={fixture.Garage}", $"/api/clips/summary?camera={fixture.Garage}",
            $"/api/clips/zip?ids={foreign.Id}", $"/api/clips/zip?ids={own.Id},{foreign.Id}", $"/api/clips/zip?camera={fixture.Garage}" };
        foreach (var route in routes)
        {
            using var viewer = await fixture.Viewer.Http.GetAsync(route);
            Assert.True(viewer.StatusCode == HttpStatusCode.NotFound, $"viewer GET {route}: {(int)viewer.StatusCode}");
            using var admin = await fixture.Admin.Http.GetAsync(route);
            Assert.True(admin.IsSuccessStatusCode, $"admin GET {route}: {(int)admin.StatusCode} (the clip exists)");
        }
        // A clip id that exists for nobody answers the same as one that is not theirs.
        using (var missing = await fixture.Viewer.Http.GetAsync("/api/clips/999999/video"))
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        using (var zip = await fixture.Viewer.Http.PostAsJsonAsync("/api/clips/zip", new { ids = new[] { own.Id, foreign.Id } }))
            Assert.Equal(HttpStatusCode.NotFound, zip.StatusCode);
        using (var zip = await fixture.Viewer.Http.PostAsJsonAsync("/api/clips/zip", new { camera = new[] { fixture.Garage } }))
            Assert.Equal(HttpStatusCode.NotFound, zip.StatusCode);
        using (var protect = await fixture.Viewer.Http.PutAsJsonAsync($"/api/clips/{foreign.Id}/protected", true))
            Assert.Equal(HttpStatusCode.NotFound, protect.StatusCode);

        // Without a camera filter the viewer simply sees their own cameras' clips, newest first.
        var listed = await ListAsync(fixture.Viewer, "from=2026-03-01T00:00:00Z&to=2026-03-02T00:00:00Z");
        Assert.Equal(fixture.GardenClips.Select(c => c.Id).Order(), listed.Select(c => c.GetProperty("id").GetInt64()).Order());
        Assert.All(listed, c => Assert.Equal(fixture.Garden, c.GetProperty("cameraId").GetInt32()));
        var starts = listed.Select(c => c.GetProperty("start").GetDateTimeOffset()).ToList();
        Assert.Equal(starts.OrderByDescending(s => s), starts);
    }

    [Fact]
    public async Task A_download_is_an_attachment_named_after_camera_and_local_start_time_with_the_files_bytes()
    {
        var clip = fixture.GardenClips[1];
        using var response = await fixture.Viewer.Http.GetAsync($"/api/clips/{clip.Id}/download");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal($"Garden_{clip.Start.ToLocalTime():yyyy-MM-dd_HH-mm-ss}.mp4", response.Content.Headers.ContentDisposition?.FileNameStar ?? response.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        Assert.Equal(await File.ReadAllBytesAsync(fixture.FullPath(clip)), await response.Content.ReadAsByteArrayAsync());

        using var thumbnail = await fixture.Viewer.Http.GetAsync($"/api/clips/{clip.Id}/thumbnail");
        Assert.Equal("image/jpeg", thumbnail.Content.Headers.ContentType?.MediaType);
        Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(fixture.Server.RecordingsPath, clip.ThumbnailPath!)), await thumbnail.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task A_zip_of_ids_or_of_a_filter_holds_every_clip_byte_for_byte_under_readable_unique_names()
    {
        var chosen = fixture.GardenClips;
        using var byIds = await fixture.Viewer.Http.PostAsJsonAsync("/api/clips/zip", new { ids = chosen.Select(c => c.Id).ToArray() });
        Assert.Equal(HttpStatusCode.OK, byIds.StatusCode);
        Assert.Equal("application/zip", byIds.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", byIds.Content.Headers.ContentDisposition?.DispositionType);
        var entries = await EntriesAsync(await byIds.Content.ReadAsStreamAsync());

        // Two clips started in the same second: the second gets "_2".
        var eleven = chosen[3].Start.ToLocalTime();
        var expectedNames = chosen.Take(3).Select(c => $"Garden_{c.Start.ToLocalTime():yyyy-MM-dd_HH-mm-ss}.mp4")
            .Append($"Garden_{eleven:yyyy-MM-dd_HH-mm-ss}.mp4").Append($"Garden_{eleven:yyyy-MM-dd_HH-mm-ss}_2.mp4").Order().ToList();
        Assert.Equal(expectedNames, entries.Keys.Order().ToList());
        var sample = SHA256.HashData(await File.ReadAllBytesAsync(fixture.SampleVideo));
        foreach (var clip in chosen)
            Assert.Equal(SHA256.HashData(await File.ReadAllBytesAsync(fixture.FullPath(clip))), sample);
        Assert.All(entries.Values, hash => Assert.Equal(sample, hash));

        // The same filter as the list: the manual clip of that morning only.
        using var byFilter = await fixture.Viewer.Http.GetAsync($"/api/clips/zip?camera={fixture.Garden}&reason=manual&from=2026-03-01T00:00:00Z&to=2026-03-02T00:00:00Z");
        Assert.Equal(HttpStatusCode.OK, byFilter.StatusCode);
        Assert.Equal([$"Garden_{chosen[1].Start.ToLocalTime():yyyy-MM-dd_HH-mm-ss}.mp4"], (await EntriesAsync(await byFilter.Content.ReadAsStreamAsync())).Keys);

        // Taking clips away is audited, one line per clip.
        var audit = await fixture.Admin.Http.GetFromJsonAsync<JsonElement>($"/api/audit?user={ClipsFixture.ViewerName}&action=clipDownload&take=100");
        var zipped = audit.EnumerateArray().Where(e => e.GetProperty("detail").GetString()!.Contains(".zip")).Select(e => e.GetProperty("clipId").GetInt64()).ToHashSet();
        Assert.Superset(chosen.Select(c => c.Id).ToHashSet(), zipped);
    }

    internal static async Task<Dictionary<string, byte[]>> EntriesAsync(Stream body)
    {
        // Read as a client would: to a file, then opened (the response stream cannot seek).
        var file = Path.Combine(TestPaths.NewTempFolder("zip"), "clips.zip");
        await using (var target = File.Create(file))
            await body.CopyToAsync(target);
        var entries = new Dictionary<string, byte[]>();
        using var archive = ZipFile.OpenRead(file);
        foreach (var entry in archive.Entries)
        {
            await using var content = entry.Open();
            entries[entry.FullName] = await SHA256.HashDataAsync(content);
        }
        return entries;
    }

    [Fact]
    public async Task Filters_page_and_reject_bad_values_with_a_message_naming_the_parameter()
    {
        Assert.Single(await ListAsync(fixture.Viewer, "reason=continuous"));
        Assert.Single(await ListAsync(fixture.Viewer, "minSeconds=10"));
        Assert.Equal(2, (await ListAsync(fixture.Viewer, "from=2026-03-01T10:30:00Z&to=2026-03-01T11:30:00Z")).Count);
        // Overlap: the 30 s clip from 10:00:00 is in a range starting 10:00:10.
        Assert.Contains(await ListAsync(fixture.Viewer, "from=2026-03-01T10:00:10Z&to=2026-03-01T10:05:00Z"), c => c.GetProperty("durationSeconds").GetDouble() == 30);
        const string MarchFirst = "from=2026-03-01T00:00:00Z&to=2026-03-02T00:00:00Z";
        Assert.Equal(2, (await ListAsync(fixture.Admin, $"camera={fixture.Garage}&{MarchFirst}")).Count);
        Assert.Equal(7, (await ListAsync(fixture.Admin, $"camera={fixture.Garage},{fixture.Garden}&{MarchFirst}")).Count);

        // Paging by cursor: 5 clips, 2 a page, 3 pages, none twice, newest first across pages.
        var seen = new List<long>();
        string? cursor = null;
        var pages = 0;
        do
        {
            using var response = await fixture.Viewer.Http.GetAsync($"/api/clips?{MarchFirst}&pageSize=2{(cursor is null ? "" : $"&cursor={cursor}")}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            seen.AddRange((await response.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray().Select(c => c.GetProperty("id").GetInt64()));
            cursor = response.Headers.TryGetValues("X-Next-Cursor", out var next) ? next.Single() : null;
            pages++;
        }
        while (cursor is not null);
        Assert.Equal(3, pages);
        Assert.Equal(fixture.GardenClips.OrderByDescending(c => c.Start).ThenByDescending(c => c.Id).Select(c => c.Id), seen);

        foreach (var (query, word) in new[] { ("from=yesterday", "'from'"), ("reason=sneeze", "'reason'"), ("camera=abc", "'camera'"), ("cursor=zz", "'cursor'"),
                     ("pageSize=0", "'pageSize'"), ("minSeconds=-1", "'minSeconds'"), ("protected=maybe", "'protected'"), ("from=2026-03-02T00:00:00Z&to=2026-03-01T00:00:00Z", "'from'") })
        {
            using var response = await fixture.Viewer.Http.GetAsync($"/api/clips?{query}");
            var body = await response.Content.ReadAsStringAsync();
            output.WriteLine($"{query}: {(int)response.StatusCode} {body}");
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains(word, body);
        }
    }

    [Fact]
    public async Task Protecting_shows_in_the_clip_and_the_protected_filter_and_is_audited()
    {
        var clip = fixture.GardenClips[2];
        using (var on = await fixture.Viewer.Http.PutAsJsonAsync($"/api/clips/{clip.Id}/protected", true))
        {
            Assert.Equal(HttpStatusCode.OK, on.StatusCode);
            Assert.True((await on.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("protected").GetBoolean());
        }
        Assert.Equal([clip.Id], (await ListAsync(fixture.Viewer, "protected=true")).Select(c => c.GetProperty("id").GetInt64()));
        using (var off = await fixture.Viewer.Http.PutAsJsonAsync($"/api/clips/{clip.Id}/protected", false))
            Assert.False((await off.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("protected").GetBoolean());
        Assert.Empty(await ListAsync(fixture.Viewer, "protected=true"));
        var audit = await fixture.Admin.Http.GetFromJsonAsync<JsonElement>($"/api/audit?clip={clip.Id}&action=clipProtect");
        Assert.Equal(2, audit.GetArrayLength());
    }

    [Fact]
    public async Task Only_an_admin_deletes_and_file_thumbnail_and_row_go_together()
    {
        var (video, thumbnail) = await ClipSeeder.SampleAsync();
        var clip = (await ClipSeeder.AddAsync(fixture.Server, new ClipSeeder.Spec(fixture.Garden, "Garden", ClipsFixture.Day.AddDays(-3), video, thumbnail))).Single();
        var file = fixture.FullPath(clip);
        var thumb = Path.Combine(fixture.Server.RecordingsPath, clip.ThumbnailPath!);

        using (var viewer = await fixture.Viewer.Http.DeleteAsync($"/api/clips/{clip.Id}"))
            Assert.Equal(HttpStatusCode.Forbidden, viewer.StatusCode);
        Assert.True(File.Exists(file));

        using (var admin = await fixture.Admin.Http.DeleteAsync($"/api/clips/{clip.Id}"))
            Assert.Equal(HttpStatusCode.NoContent, admin.StatusCode);
        Assert.False(File.Exists(file), "file deleted");
        Assert.False(File.Exists(thumb), "thumbnail deleted");
        Assert.DoesNotContain(await ClipRows.ClipsAsync(fixture.Server), r => r.Id == clip.Id);
        using (var again = await fixture.Admin.Http.DeleteAsync($"/api/clips/{clip.Id}"))
            Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        var audit = await fixture.Admin.Http.GetFromJsonAsync<JsonElement>($"/api/audit?clip={clip.Id}&action=clipDelete");
        Assert.Equal("admin", Assert.Single(audit.EnumerateArray()).GetProperty("userName").GetString());

        // A clip still being written is not deleted under the recorder.
        var busy = (await ClipSeeder.AddAsync(fixture.Server, new ClipSeeder.Spec(fixture.Garden, "Garden", ClipsFixture.Day.AddDays(-2), video, State: ClipState.Recording))).Single();
        using (var refused = await fixture.Admin.Http.DeleteAsync($"/api/clips/{busy.Id}"))
            Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.True(File.Exists(fixture.FullPath(busy) + ".part"));
        using (var playing = await fixture.Admin.Http.GetAsync($"/api/clips/{busy.Id}/video"))
            Assert.Equal(HttpStatusCode.Conflict, playing.StatusCode);
    }

    [Fact]
    public async Task Playing_a_clip_is_audited_once_per_viewing_not_per_range_request()
    {
        var clip = fixture.GardenClips[3];
        for (var i = 0; i < 3; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/clips/{clip.Id}/video");
            request.Headers.Range = new RangeHeaderValue(i * 100, i * 100 + 99);
            using var response = await fixture.Viewer.Http.SendAsync(request);
            Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        }
        var audit = await fixture.Admin.Http.GetFromJsonAsync<JsonElement>($"/api/audit?clip={clip.Id}&action=clipView");
        var line = Assert.Single(audit.EnumerateArray());
        Assert.Equal(ClipsFixture.ViewerName, line.GetProperty("userName").GetString());
        Assert.Equal("Garden", line.GetProperty("cameraName").GetString());
    }
}
