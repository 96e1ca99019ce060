using System.Diagnostics;
using NvrBlazor.Domain.Detection;
using NvrBlazor.Tests.Support;
using NvrBlazor.Web.Detection;
using NvrBlazor.Web.Motion;
using Xunit.Abstractions;

namespace NvrBlazor.Tests.Integration;

/// <summary>
/// The models as tools/models/install-models.sh leaves them (NanoDet converted by our own converter), run by
/// ONNX Runtime on real photographs from Debian's opencv-doc and darknet packages. The expected boxes were
/// set by hand from the pictures (drawn over them and looked at); a detection counts when its box overlaps
/// the expected one with IoU of at least 0.5.
/// </summary>
public sealed class DetectionModelTests(ITestOutputHelper output)
{
    private const string OpenCvData = "/usr/share/doc/opencv-doc/examples/data";
    private const float MinScore = 0.35f;

    [Fact]
    public async Task Converted_nanodet_finds_the_pedestrians_of_vtest()
    {
        // 768x576, 2 s in: two people crossing in the middle, two walking side by side on the right.
        var found = Detect(await FrameOfAsync(Path.Combine(OpenCvData, "vtest.avi"), seconds: 2));
        AssertFound(found, "person", new PixelBox(362, 194, 36, 84));
        AssertFound(found, "person", new PixelBox(438, 232, 44, 84));
        AssertFound(found, "person", new PixelBox(686, 272, 38, 104));
        AssertFound(found, "person", new PixelBox(728, 281, 30, 88));
        // The grass, the path and the tripod are not people: every person box is one of the four.
        var expected = new[] { new PixelBox(362, 194, 36, 84), new PixelBox(438, 232, 44, 84), new PixelBox(686, 272, 38, 104), new PixelBox(728, 281, 30, 88) };
        Assert.All(found.Where(d => d.Label == "person"), d => Assert.Contains(expected, e => e.IoU(d.Box) > 0.3f));
    }

    [Fact]
    public async Task A_frame_more_than_twice_the_models_size_is_decoded_smaller_and_its_boxes_are_in_its_own_pixels()
    {
        // The same vtest frame at 1536x1152: decoded at 1/2 (768x576) for the model, the boxes said at full size.
        var found = Detect(await FrameOfAsync(Path.Combine(OpenCvData, "vtest.avi"), seconds: 2, scale: "1536:1152"));
        AssertFound(found, "person", new PixelBox(724, 388, 72, 168));
        AssertFound(found, "person", new PixelBox(1372, 544, 76, 208));
    }

    [Fact]
    public void Converted_nanodet_finds_the_person_the_horse_and_the_dog_of_darknets_person_jpg()
    {
        var found = Detect(File.ReadAllBytes("/usr/share/darknet/data/person.jpg"));
        AssertFound(found, "person", new PixelBox(190, 100, 85, 270));
        AssertFound(found, "horse", new PixelBox(408, 142, 194, 203));
        AssertFound(found, "dog", new PixelBox(68, 265, 130, 80));
    }

    [Fact]
    public void Blazeface_finds_the_face_in_messi5_inside_the_person_nanodet_found()
    {
        using var people = Model(path => new NanoDetModel(path), NanoDetModel.FileName);
        using var faces = Model(path => new BlazeFaceModel(path), BlazeFaceModel.FileName);
        var picture = people.Decode(File.ReadAllBytes(Path.Combine(OpenCvData, "messi5.jpg")));
        var rgb = picture.Pixels.ToArray();
        var person = AssertFound(people.Detect(rgb, picture.Width, picture.Height, MinScore), "person", new PixelBox(70, 62, 388, 274));
        var clock = Stopwatch.StartNew();
        var found = faces.DetectInPerson(rgb, picture.Width, picture.Height, person.Box, 0.5f);
        output.WriteLine($"BlazeFace on the person's top half: {clock.Elapsed.TotalMilliseconds:0.0} ms (first run)");
        Log(found);
        // Brows to chin and cheek to cheek, at 548x342.
        AssertFound(found, "face", new PixelBox(226, 96, 30, 34));
    }

    [Fact]
    public async Task A_snapshot_gets_its_boxes_drawn_in_yellow_and_stays_a_JPEG_of_its_own_size()
    {
        Assert.True(TurboJpeg.TryLoad("libturbojpeg.so.0", out var why), why);
        var plain = await File.ReadAllBytesAsync("/usr/share/doc/opencv-doc/examples/data/messi5.jpg");
        var boxed = BoxedSnapshot.Draw(plain, [new PixelBox(100, 50, 200, 150)], out var problem);
        Assert.True(boxed is not null, problem);
        Assert.Equal((548, 342), NvrBlazor.Domain.Ingest.JpegHeader.TryReadSize(boxed));
        using var decoder = new RgbDecoder();
        var (pixels, width, _) = decoder.Decode(boxed, int.MaxValue, out _)!.Value;
        bool Yellow(int x, int y) => pixels.Span[(y * width + x) * 3] > 200 && pixels.Span[(y * width + x) * 3 + 1] > 170 && pixels.Span[(y * width + x) * 3 + 2] < 90;
        Assert.All(new[] { (101, 51), (200, 51), (101, 150), (298, 198), (200, 198) }, p => Assert.True(Yellow(p.Item1, p.Item2), $"({p.Item1},{p.Item2}) is on the box"));
        Assert.False(Yellow(200, 120), "the inside of the box is the picture");
        Assert.Null(BoxedSnapshot.Draw([0xFF, 0xD8, 0x00], [new PixelBox(0, 0, 1, 1)], out var bad));
        Assert.NotNull(bad);
    }

    [Fact]
    public void Every_model_file_matches_the_checksum_written_when_it_was_installed()
    {
        var folder = TestPaths.DetectionModels;
        var sums = File.ReadAllLines(Path.Combine(folder, "SHA256SUMS")).Select(line => line.Split("  ")).ToDictionary(p => p[1], p => p[0]);
        Assert.Equal([BlazeFaceModel.FileName, NanoDetModel.FileName], sums.Keys.Order(StringComparer.Ordinal));
        foreach (var (file, sum) in sums)
        {
            using var stream = File.OpenRead(Path.Combine(folder, file));
            Assert.Equal(sum, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(stream)));
        }
        Assert.True(File.Exists(Path.Combine(folder, "MODELS.txt")), "the models' sources and licences are shipped beside them");
    }

    private List<DetectedObject> Detect(byte[] jpeg)
    {
        using var model = Model(path => new NanoDetModel(path), NanoDetModel.FileName);
        var clock = Stopwatch.StartNew();
        var found = model.Detect(jpeg, MinScore);
        output.WriteLine($"NanoDet: {clock.Elapsed.TotalMilliseconds:0.0} ms (first run)");
        Log(found);
        return found;
    }

    private static T Model<T>(Func<string, T> open, string file)
    {
        Assert.True(TurboJpeg.TryLoad("libturbojpeg.so.0", out var why), why);
        return open(Path.Combine(TestPaths.DetectionModels, file));
    }

    private void Log(IEnumerable<DetectedObject> found)
    {
        foreach (var d in found)
            output.WriteLine($"  {d.Label} {d.Score:0.00} at {d.Box.X:0},{d.Box.Y:0} {d.Box.Width:0}x{d.Box.Height:0}");
    }

    private static DetectedObject AssertFound(IReadOnlyList<DetectedObject> found, string label, PixelBox expected)
    {
        var best = found.Where(d => d.Label == label).MaxBy(d => d.Box.IoU(expected));
        Assert.True(best is not null && best.Box.IoU(expected) >= 0.5f,
            $"no {label} at {expected}; found: {string.Join("; ", found.Select(d => $"{d.Label} {d.Score:0.00} {d.Box} IoU {d.Box.IoU(expected):0.00}"))}");
        return best!;
    }

    private static async Task<byte[]> FrameOfAsync(string video, int seconds, string? scale = null)
    {
        var path = Path.Combine(TestPaths.NewTempFolder("frame"), "frame.jpg");
        using var ffmpeg = Process.Start("ffmpeg", ["-hide_banner", "-loglevel", "error", "-ss", seconds.ToString(System.Globalization.CultureInfo.InvariantCulture), "-i", video,
            .. (scale is null ? Array.Empty<string>() : ["-vf", $"scale={scale}"]), "-frames:v", "1", "-q:v", "2", "-y", path]);
        await ffmpeg.WaitForExitAsync();
        Assert.Equal(0, ffmpeg.ExitCode);
        return await File.ReadAllBytesAsync(path);
    }
}
