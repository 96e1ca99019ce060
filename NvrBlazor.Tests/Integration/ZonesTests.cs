using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using NvrBlazor.Tests.Support;
using Xunit.Abstractions;

namespace NvrBlazor.Tests.Integration;

/// <summary>
/// Masks and zones in the running server, as shipped: a square moving under a mask makes no motion (the same square
/// beside a mask does), and with "record only when a person is detected" people walking outside the chosen zone record
/// nothing while the same people inside it do.
/// </summary>
public sealed class ZonesTests(RecordingServerFixture fixture, ITestOutputHelper output) : IClassFixture<RecordingServerFixture>
{
    private static object Rect(string name, double left, double top, double right, double bottom) =>
        new { name, points = new[] { new { x = left, y = top }, new { x = right, y = top }, new { x = right, y = bottom }, new { x = left, y = bottom } } };

    [Fact]
    public async Task Motion_under_a_mask_triggers_nothing_and_a_person_outside_the_zone_does_not_count()
    {
        // The square crosses the picture at mid height (y 0.4-0.6): one camera masks that band, one masks the top.
        var square = await Media.MovingSquareFramesAsync(seconds: 20, motionFrom: 3, motionTo: 13);
        var people = await DetectionFrames.VideoAsync(["-i", "/usr/share/doc/opencv-doc/examples/data/vtest.avi"], seconds: 20);
        await using var masked = new FakeEsp32Camera("zones-square-masked");
        await using var beside = new FakeEsp32Camera("zones-square-beside-mask");
        await using var outside = new FakeEsp32Camera("zones-people-outside");
        await using var inside = new FakeEsp32Camera("zones-people-inside");
        var cameras = new[] { masked, beside, outside, inside };
        var ids = new int[cameras.Length];
        for (var i = 0; i < cameras.Length; i++)
        {
            await cameras[i].ConnectAsync(new Uri(fixture.Server.BaseUri, "ws"));
            ids[i] = await RecordingScript.CameraIdAsync(fixture.Admin, cameras[i].HostName);
        }
        await SetZonesAsync(ids[0], masks: [Rect("Road", 0, 0.3, 1, 0.7)]);
        await SetZonesAsync(ids[1], masks: [Rect("Sky", 0, 0, 1, 0.3)]);
        // People walk on the pavement in the lower two thirds of vtest.avi: a zone along the top edge holds no one's feet.
        await SetZonesAsync(ids[2], zones: [Rect("Roof", 0, 0, 1, 0.12)]);
        await SetZonesAsync(ids[3], zones: [Rect("Pavement", 0, 0.3, 1, 1)]);
        foreach (var id in ids[2..])
            await DetectionFrames.OnlyWhenAPersonIsDetectedAsync(fixture.Admin, id);

        // The squares' cameras send no motion reports (the server detects it); the people's cameras report theirs.
        var motion = new Dictionary<double, string> { [3] = "MotionStart", [13] = "MotionEnd" };
        await Task.WhenAll(
            RecordingScript.StreamAsync(masked, 10, 20, f => square[f % square.Count]),
            RecordingScript.StreamAsync(beside, 10, 20, f => square[f % square.Count]),
            RecordingScript.StreamAsync(outside, 10, 20, f => people[f % people.Count], motion),
            RecordingScript.StreamAsync(inside, 10, 20, f => people[f % people.Count], motion));

        var besideClip = await RecordingScript.ClipsWhenAsync(fixture.Server, ids[1], c => c.Count == 1 && c[0].State == ClipRows.Complete, "the clip of the square beside the mask");
        var insideClip = await RecordingScript.ClipsWhenAsync(fixture.Server, ids[3], c => c.Count == 1 && c[0].State == ClipRows.Complete, "the clip of the people in the zone");
        output.WriteLine($"beside the mask: {besideClip[0].DurationSeconds:0.0} s; people in the zone: {insideClip[0].DurationSeconds:0.0} s");
        Assert.Single(await ClipRows.MotionEventsAsync(fixture.Server, ids[1]));

        Assert.Empty(await ClipRows.MotionEventsAsync(fixture.Server, ids[0]));
        Assert.Empty(await ClipRows.ClipsAsync(fixture.Server, ids[0]));
        // The people outside the zone moved (the camera said so) but no person counted: an event without a label, no clip.
        var outsideEvents = await ClipRows.MotionEventsAsync(fixture.Server, ids[2]);
        Assert.Single(outsideEvents);
        Assert.Empty(await ClipRows.ClipsAsync(fixture.Server, ids[2]));
        Assert.Null(await DetectionFrames.EventLabelsAsync(fixture.Server, ids[2]));
        Assert.Equal("person", (await DetectionFrames.EventLabelsAsync(fixture.Server, ids[3]))?.Split(',')[0]);
    }

    [Fact]
    public async Task Zones_are_read_back_as_saved_and_a_bad_one_is_refused_with_what_is_wrong()
    {
        await using var camera = new FakeEsp32Camera("zones-api");
        await camera.ConnectAsync(new Uri(fixture.Server.BaseUri, "ws"));
        var id = await RecordingScript.CameraIdAsync(fixture.Admin, camera.HostName);
        var empty = await fixture.Admin.Http.GetFromJsonAsync<JsonElement>($"/api/cameras/{id}/zones");
        Assert.Equal(0, empty.GetProperty("masks").GetArrayLength());
        Assert.Equal(0, empty.GetProperty("zones").GetArrayLength());

        await SetZonesAsync(id, masks: [Rect(" Tree ", 0, 0, 0.25, 0.5)], zones: [Rect("Driveway", 0.2, 0.5, 0.9, 1)]);
        var read = await fixture.Admin.Http.GetFromJsonAsync<JsonElement>($"/api/cameras/{id}/zones");
        Assert.Equal("Tree", read.GetProperty("masks")[0].GetProperty("name").GetString());
        Assert.Equal(0.9, read.GetProperty("zones")[0].GetProperty("points")[1].GetProperty("x").GetDouble());

        using var bad = await fixture.Admin.Http.PutAsJsonAsync($"/api/cameras/{id}/zones",
            new { zones = new[] { new { name = "Gate", points = new[] { new { x = 0.1, y = 0.1 }, new { x = 1.2, y = 0.1 }, new { x = 0.5, y = 0.5 } } } } });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("Zone 'Gate' has a corner at (1.2, 0.1); corners are fractions of the picture, 0 to 1.", await bad.Content.ReadAsStringAsync());
        // Nothing was lost by the refusal (a viewer's refusal is AuthorizationCoverageTests' business).
        Assert.Equal("Driveway", (await fixture.Admin.Http.GetFromJsonAsync<JsonElement>($"/api/cameras/{id}/zones")).GetProperty("zones")[0].GetProperty("name").GetString());

    }

    private async Task SetZonesAsync(int id, object[]? masks = null, object[]? zones = null)
    {
        using var put = await fixture.Admin.Http.PutAsJsonAsync($"/api/cameras/{id}/zones", new { masks = masks ?? [], zones = zones ?? [] });
        Assert.True(put.StatusCode == HttpStatusCode.OK, await put.Content.ReadAsStringAsync());
    }
}
