using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using NvrBlazor.Tests.Support;
using Xunit.Abstractions;

namespace NvrBlazor.Tests.Integration;

/// <summary>
/// Object detection in the running server, as shipped (the models installed, as run.sh installs them): people walking
/// (opencv-doc's vtest.avi) and the benchmark's walk (a dark figure shaped like a standing person, not one), each on an
/// ESP32 camera that reports its motion. The people's clip and motion event are labelled person, the walk's are not, and
/// the clip list filters by label.
/// </summary>
public sealed class DetectionTests(RecordingServerFixture fixture, ITestOutputHelper output) : IClassFixture<RecordingServerFixture>
{
    [Fact]
    public async Task People_walking_label_their_clip_and_motion_event_person_and_a_dark_figure_walking_labels_nothing()
    {
        var people = await DetectionFrames.VideoAsync(["-i", "/usr/share/doc/opencv-doc/examples/data/vtest.avi"], seconds: 25);
        var square = await Media.WalkFramesAsync(seconds: 25, motionFrom: 5, motionTo: 15);
        // Only the light changes: a grey picture brightening and darkening every 4 s (a cloud, a lamp).
        var lighting = await DetectionFrames.VideoAsync(["-f", "lavfi", "-i", "color=c=gray:s=640x480:r=10,geq=lum='128+70*sin(2*PI*T/4)':cb=128:cr=128"], seconds: 25);
        // Three cameras record on motion (the shipped mode), three only when a person is detected.
        await using var walkers = new FakeEsp32Camera("det-people");
        await using var shape = new FakeEsp32Camera("det-walk");
        await using var walkersIfPerson = new FakeEsp32Camera("det-people-if-person");
        await using var shapeIfPerson = new FakeEsp32Camera("det-walk-if-person");
        await using var light = new FakeEsp32Camera("det-lighting");
        await using var lightIfPerson = new FakeEsp32Camera("det-lighting-if-person");
        var cameras = new[] { walkers, shape, walkersIfPerson, shapeIfPerson, light, lightIfPerson };
        var ids = new int[cameras.Length];
        for (var i = 0; i < cameras.Length; i++)
        {
            await cameras[i].ConnectAsync(new Uri(fixture.Server.BaseUri, "ws"));
            ids[i] = await RecordingScript.CameraIdAsync(fixture.Admin, cameras[i].HostName);
        }
        var (peopleId, squareId, peopleIfPersonId, squareIfPersonId, lightId, lightIfPersonId) = (ids[0], ids[1], ids[2], ids[3], ids[4], ids[5]);
        foreach (var id in new[] { peopleIfPersonId, squareIfPersonId, lightIfPersonId })
            await DetectionFrames.OnlyWhenAPersonIsDetectedAsync(fixture.Admin, id);

        // A viewer of the people's camera gets the detector's boxes on the live socket.
        await using var viewer = await ViewerSocket.ConnectAsync(fixture.Server.BaseUri, fixture.Admin.Cookies);
        await viewer.SubscribeAsync(peopleId);
        var motion = new Dictionary<double, string> { [5] = "MotionStart", [15] = "MotionEnd" };
        IReadOnlyList<byte[]>[] feeds = [people, square, people, square, lighting, lighting];
        await Task.WhenAll(cameras.Select((camera, i) => RecordingScript.StreamAsync(camera, 10, 25, f => feeds[i][f % feeds[i].Count], motion)));
        await RecordingScript.ClipsWhenAsync(fixture.Server, peopleId, c => c.Count == 1 && c[0].State == ClipRows.Complete, "the people's clip finished");
        await RecordingScript.ClipsWhenAsync(fixture.Server, squareId, c => c.Count == 1 && c[0].State == ClipRows.Complete, "the walk's clip finished");
        var ifPerson = await RecordingScript.ClipsWhenAsync(fixture.Server, peopleIfPersonId, c => c.Count == 1 && c[0].State == ClipRows.Complete, "the people's clip (only when a person is detected) finished");

        var boxes = viewer.Texts.Where(t => t.GetProperty("type").GetString() == "objects").ToList();
        output.WriteLine($"{boxes.Count} objects messages; first with a person: {boxes.FirstOrDefault(b => b.GetProperty("objects").GetArrayLength() > 0)}");
        var seen = boxes.SelectMany(b => b.GetProperty("objects").EnumerateArray()).Where(o => o.GetProperty("label").GetString() == "person").ToList();
        Assert.NotEmpty(seen);
        Assert.All(boxes, b => Assert.Equal((768, 576), (b.GetProperty("width").GetInt32(), b.GetProperty("height").GetInt32())));
        Assert.All(seen, o => Assert.InRange(o.GetProperty("x").GetInt32() + o.GetProperty("w").GetInt32(), 1, 768));

        var (peopleClip, peopleEvent) = await LabelsAsync(peopleId);
        var (squareClip, squareEvent) = await LabelsAsync(squareId);
        output.WriteLine($"people: clip '{peopleClip}', event {peopleEvent}; walk: clip '{squareClip}', event {squareEvent}");
        Assert.Contains("person", (peopleClip ?? "").Split(','));
        Assert.Equal("person", peopleEvent.Labels?.Split(',')[0]);
        Assert.InRange(peopleEvent.BestScore ?? 0, 0.5, 1);
        Assert.Matches(@"^\d+,\d+,\d+,\d+$", peopleEvent.Box ?? "");
        Assert.DoesNotContain("person", (squareClip ?? "").Split(','));
        Assert.DoesNotContain("person", (squareEvent.Labels ?? "").Split(','));
        // The people's clip thumbnail is the frame of its best detection with the boxes drawn; the lighting's has none.
        Assert.True(await ThumbnailHasABoxAsync(peopleId), "the people's clip thumbnail shows the detector's boxes");
        await RecordingScript.ClipsWhenAsync(fixture.Server, lightId, c => c.Count == 1 && c[0].State == ClipRows.Complete, "the lighting camera's clip finished");
        Assert.False(await ThumbnailHasABoxAsync(lightId), "the lighting camera's clip thumbnail has no box");
        var (lightClip, lightEvent) = await LabelsAsync(lightId);
        output.WriteLine($"lighting: clip '{lightClip}', event {lightEvent}");
        Assert.Null(lightClip);
        Assert.Null(lightEvent.Labels);

        // "Only when a person is detected": the people's clip starts a pre-roll before the first detection (motion
        // from 5 s, a look every 0.5 s) and ends a post-roll after the motion; the walk and the lighting record nothing,
        // though their motion events are stored as for any camera.
        output.WriteLine($"only-when-a-person clip: {ifPerson[0].DurationSeconds:0.0} s");
        Assert.InRange(ifPerson[0].DurationSeconds, 17, 26);
        Assert.Empty(await ClipRows.ClipsAsync(fixture.Server, squareIfPersonId));
        Assert.Null((await LabelsAsync(squareIfPersonId)).Event.Labels);
        Assert.Empty(await ClipRows.ClipsAsync(fixture.Server, lightIfPersonId));
        Assert.Null((await LabelsAsync(lightIfPersonId)).Event.Labels);

        // The clip list as a user filters it.
        var withPeople = await ClipIdsAsync($"label=person&camera={peopleId}&camera={squareId}");
        Assert.Single(withPeople);
        var all = await ClipIdsAsync($"camera={peopleId}&camera={squareId}");
        Assert.Equal(2, all.Count);
        Assert.Contains(withPeople[0], all);
        using var bad = await fixture.Admin.Http.GetAsync("/api/clips?label=unicorn");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("'label' must be one of the detector's labels", await bad.Content.ReadAsStringAsync());

        using var health = await fixture.Admin.Http.GetFromJsonAsync<JsonDocument>("/healthz");
        var detection = health!.RootElement.GetProperty("detection");
        Assert.True(detection.GetProperty("on").GetBoolean());
        Assert.True(detection.GetProperty("analysed").GetInt64() >= 40, $"analysed {detection.GetProperty("analysed")}");
    }

    [Fact]
    public async Task A_camera_that_asks_for_faces_gets_the_face_of_its_person_and_one_that_does_not_gets_none()
    {
        var messi = await File.ReadAllBytesAsync("/usr/share/doc/opencv-doc/examples/data/messi5.jpg");
        await using var faces = new FakeEsp32Camera("det-faces");
        await using var noFaces = new FakeEsp32Camera("det-no-faces");
        await faces.ConnectAsync(new Uri(fixture.Server.BaseUri, "ws"));
        await noFaces.ConnectAsync(new Uri(fixture.Server.BaseUri, "ws"));
        var facesId = await RecordingScript.CameraIdAsync(fixture.Admin, faces.HostName);
        var noFacesId = await RecordingScript.CameraIdAsync(fixture.Admin, noFaces.HostName);
        var settings = (await fixture.Admin.Http.GetFromJsonAsync<JsonObject>($"/api/cameras/{facesId}/recording"))!["settings"]!.AsObject();
        Assert.False(settings["detectFaces"]!.GetValue<bool>());
        settings["detectFaces"] = true;
        using (var put = await fixture.Admin.Http.PutAsJsonAsync($"/api/cameras/{facesId}/recording", settings.DeepClone()))
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);

        var motion = new Dictionary<double, string> { [1] = "MotionStart", [5] = "MotionEnd" };
        await Task.WhenAll(RecordingScript.StreamAsync(faces, 5, 8, _ => messi, motion), RecordingScript.StreamAsync(noFaces, 5, 8, _ => messi, motion));
        var withFaces = await Eventually.ValueAsync(() => DetectionFrames.EventLabelsAsync(fixture.Server, facesId), l => l is not null, what: "the labels of the faces camera's motion");
        var without = await Eventually.ValueAsync(() => DetectionFrames.EventLabelsAsync(fixture.Server, noFacesId), l => l is not null, what: "the labels of the other camera's motion");
        output.WriteLine($"faces on: {withFaces}; faces off: {without}");
        Assert.Contains("face", withFaces!.Split(','));
        Assert.Contains("person", withFaces.Split(','));
        Assert.Contains("person", without!.Split(','));
        Assert.DoesNotContain("face", without.Split(','));
    }

    [Fact]
    public async Task Recording_settings_take_the_labels_that_count_and_refuse_one_the_detector_does_not_know()
    {
        await using var camera = new FakeEsp32Camera("det-settings");
        await camera.ConnectAsync(new Uri(fixture.Server.BaseUri, "ws"));
        var id = await RecordingScript.CameraIdAsync(fixture.Admin, camera.HostName);
        var settings = (await fixture.Admin.Http.GetFromJsonAsync<JsonObject>($"/api/cameras/{id}/recording"))!["settings"]!.AsObject();
        Assert.Equal("person", settings["detectLabels"]![0]!.GetValue<string>());
        Assert.Equal(0.5, settings["detectMinScore"]!.GetValue<double>());
        settings["mode"] = "detected";
        settings["detectLabels"] = new JsonArray(" Car", "dog");
        settings["detectMinScore"] = 0.7;
        using (var put = await fixture.Admin.Http.PutAsJsonAsync($"/api/cameras/{id}/recording", settings.DeepClone()))
        {
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
            var saved = (await put.Content.ReadFromJsonAsync<JsonObject>())!;
            Assert.Equal(["car", "dog"], saved["detectLabels"]!.AsArray().Select(l => l!.GetValue<string>()));
        }
        var read = (await fixture.Admin.Http.GetFromJsonAsync<JsonObject>($"/api/cameras/{id}/recording"))!["settings"]!.AsObject();
        Assert.Equal("detected", read["mode"]!.GetValue<string>());
        Assert.Equal(0.7, read["detectMinScore"]!.GetValue<double>());
        settings["detectLabels"] = new JsonArray("unicorn");
        using var bad = await fixture.Admin.Http.PutAsJsonAsync($"/api/cameras/{id}/recording", settings.DeepClone());
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("'unicorn' is not one of the detector's labels", await bad.Content.ReadAsStringAsync());
    }

    /// <summary>Whether the camera's clip thumbnail has a box line: a column with 30 yellow pixels in a row.</summary>
    private async Task<bool> ThumbnailHasABoxAsync(int cameraId)
    {
        var clip = (await ClipRows.ClipsAsync(fixture.Server, cameraId)).Single();
        var jpeg = await File.ReadAllBytesAsync(Path.Combine(fixture.Server.RecordingsPath, clip.ThumbnailPath!));
        Assert.True(NvrBlazor.Web.Motion.TurboJpeg.TryLoad("libturbojpeg.so.0", out var why), why);
        using var decoder = new NvrBlazor.Web.Motion.RgbDecoder();
        var (pixels, width, height) = decoder.Decode(jpeg, int.MaxValue, out _)!.Value;
        var rgb = pixels.ToArray();
        for (var x = 0; x < width; x++)
        {
            var run = 0;
            for (var y = 0; y < height; y++)
            {
                var i = (y * width + x) * 3;
                run = rgb[i] > 200 && rgb[i + 1] > 170 && rgb[i + 2] < 90 ? run + 1 : 0;
                if (run >= 30)
                    return true;
            }
        }
        return false;
    }

    private async Task<List<long>> ClipIdsAsync(string query)
    {
        using var response = await fixture.Admin.Http.GetAsync($"/api/clips?{query}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.EnumerateArray().Select(c => c.GetProperty("id").GetInt64()).ToList();
    }

    private sealed record EventLabels(string? Labels, double? BestScore, string? Box);

    private async Task<(string? Clip, EventLabels Event)> LabelsAsync(int cameraId)
    {
        await using var db = new SqliteConnection($"Data Source={Path.Combine(fixture.Server.DataPath, "nvr.db")};Mode=ReadOnly");
        await db.OpenAsync();
        await using var clip = db.CreateCommand();
        clip.CommandText = "SELECT Labels FROM Clips WHERE CameraId = $camera";
        clip.Parameters.AddWithValue("$camera", cameraId);
        var clipLabels = await clip.ExecuteScalarAsync() as string;
        await using var events = db.CreateCommand();
        events.CommandText = "SELECT Labels, BestScore, Box FROM MotionEvents WHERE CameraId = $camera";
        events.Parameters.AddWithValue("$camera", cameraId);
        await using var reader = await events.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync(), "a motion event was stored");
        var row = new EventLabels(reader.IsDBNull(0) ? null : reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetDouble(1), reader.IsDBNull(2) ? null : reader.GetString(2));
        Assert.False(await reader.ReadAsync(), "one motion event");
        return (clipLabels, row);
    }

}

/// <summary>Steps the detection tests share: video frames, the Detected recording mode, a motion event's labels.</summary>
public static class DetectionFrames
{
    /// <summary>The first seconds of a video (ffmpeg's input arguments) as JPEGs at 10 fps, its own size.</summary>
    public static async Task<IReadOnlyList<byte[]>> VideoAsync(string[] input, int seconds)
    {
        var folder = TestPaths.NewTempFolder("video-frames");
        await Media.RunAsync("ffmpeg", ["-hide_banner", "-loglevel", "error", .. input, "-t", seconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-vf", "fps=10", "-q:v", "5", Path.Combine(folder, "f%04d.jpg")]);
        return Directory.GetFiles(folder, "*.jpg").Order(StringComparer.Ordinal).Select(File.ReadAllBytes).ToList();
    }

    public static async Task OnlyWhenAPersonIsDetectedAsync(NvrClient admin, int id)
    {
        var settings = (await admin.Http.GetFromJsonAsync<JsonObject>($"/api/cameras/{id}/recording"))!["settings"]!.AsObject();
        settings["mode"] = "detected";
        using var put = await admin.Http.PutAsJsonAsync($"/api/cameras/{id}/recording", settings.DeepClone());
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
    }

    /// <summary>The labels of the camera's one motion event (null: none seen, or no event stored yet).</summary>
    public static async Task<string?> EventLabelsAsync(NvrServer server, int cameraId) =>
        (await ClipRows.MotionEventsAsync(server, cameraId)).SingleOrDefault()?.Labels;
}

/// <summary>A server without the model files runs, with detection off, and says so in health.</summary>
public sealed class DetectionOffTests
{
    [Fact]
    public async Task Without_models_the_server_runs_and_health_says_detection_is_off_and_how_to_install_them()
    {
        var empty = TestPaths.NewTempFolder("no-models");
        await using var server = await NvrServer.StartAsync(RecordingScript.Settings(("Nvr__Detection__ModelsPath", empty)));
        using var admin = new NvrClient(server.BaseUri);
        await admin.SignInOrThrowAsync("admin", NvrServer.AdminPassword);
        using var health = await admin.Http.GetFromJsonAsync<JsonDocument>("/healthz");
        var detection = health!.RootElement.GetProperty("detection");
        Assert.False(detection.GetProperty("on").GetBoolean());
        var problem = detection.GetProperty("problem").GetString()!;
        Assert.Contains($"no model at {Path.Combine(empty, "nanodet.onnx")}", problem);
        Assert.Contains("tools/models/install-models.sh", problem);
        // Detection off is not a fault of the server: cameras record on motion as before.
        Assert.DoesNotContain(health.RootElement.GetProperty("reasons").EnumerateArray(), r => r.GetString()!.Contains("detection", StringComparison.OrdinalIgnoreCase));
        Assert.Contains("Object detection is off: no model at", server.Output);
    }
}
