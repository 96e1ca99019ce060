using Microsoft.Extensions.Configuration;
using NvrBlazor.Domain.Motion;
using NvrBlazor.Domain.Recording;
using NvrBlazor.Tests.Support;
using NvrBlazor.Web.Hosting;
using NvrBlazor.Web.Motion;
using NvrBlazor.Web.Recording;

namespace NvrBlazor.Tests.Web;

public class RecordingPartsTests
{
    [Theory]
    [InlineData(MotionSource.Auto, false, MotionOrigin.Server)]
    [InlineData(MotionSource.Auto, true, MotionOrigin.Camera)]
    [InlineData(MotionSource.Camera, false, MotionOrigin.Camera)]
    [InlineData(MotionSource.Server, true, MotionOrigin.Server)]
    public void Auto_believes_the_camera_once_it_reports_motion(MotionSource source, bool reports, MotionOrigin expected) =>
        Assert.Equal(expected, MotionSources.Effective(source, reports));

    [Theory]
    [InlineData("Front door", "front-door")]
    [InlineData("  Garage / Car #2 ", "garage-car-2")]
    [InlineData("Küche", "k-che")]
    [InlineData("***", "camera")]
    public void Camera_folders_are_safe_names_with_the_id(string name, string slug)
    {
        Assert.Equal(slug, ClipFiles.Slug(name));
        Assert.Equal(7, ClipFiles.CameraIdOfFolder(ClipFiles.CameraFolder(7, name)));
        Assert.Null(ClipFiles.CameraIdOfFolder("_damaged"));
    }

    [Fact]
    public void A_second_clip_in_the_same_second_gets_its_own_file()
    {
        var root = TestPaths.NewTempFolder("clips");
        var at = new DateTimeOffset(2026, 11, 22, 10, 11, 12, TimeSpan.Zero);
        var first = ClipFiles.NewClipPath(root, 3, "Porch", at);
        Assert.Matches(@"^porch-3/\d{4}-\d\d-\d\d/\d\d-\d\d-\d\d\.mp4$", first);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(root, first))!);
        File.WriteAllText(Path.Combine(root, first) + ClipFiles.PartSuffix, "");
        Assert.EndsWith("-2.mp4", ClipFiles.NewClipPath(root, 3, "Porch", at));
    }

    [Fact]
    public void Clips_are_fragmented_mp4_in_full_range_4_2_0_with_a_keyframe_every_two_seconds()
    {
        var arguments = Ffmpeg.ClipOutputArguments(12);
        Assert.Contains("-pix_fmt yuvj420p", arguments);
        Assert.Contains("-g 24", arguments);
        Assert.Contains("+frag_keyframe+empty_moov", arguments);
        Assert.Contains("-flush_packets 1", arguments);
    }

    [Fact]
    public void Ffmpeg_exits_are_described_for_the_clip_row()
    {
        Assert.Equal("ffmpeg was killed (signal 9)", new FfmpegExit(137, "").Describe());
        Assert.Equal("ffmpeg exited with code 1: No space left on device", new FfmpegExit(1, "No space left on device").Describe());
        Assert.True(new FfmpegExit(0, "").Succeeded);
        // 255 is ffmpeg's own answer to SIGTERM/SIGINT: it finished its file, which is not a failure.
        Assert.True(new FfmpegExit(255, "").StoppedBySignal);
        Assert.Equal("ffmpeg was stopped by a signal and finished its file", new FfmpegExit(255, "").Describe());
    }

    [Theory]
    [InlineData("ffmpeg", true)]
    [InlineData("/usr/bin/ffmpeg", true)]
    [InlineData("/opt/ffmpeg-6/bin/ffmpeg", true)]
    [InlineData("/usr/bin/ffmpeg-6", false)]
    [InlineData("avconv", false)]
    public void The_ffmpeg_path_must_name_a_file_called_ffmpeg(string path, bool fine)
    {
        var problem = Ffmpeg.Problem(path);
        Assert.Equal(fine, problem is null);
        if (problem is not null)
            Assert.Contains("Nvr:Ffmpeg:Path", problem);
    }

    [Theory]
    [InlineData("Nvr:Recording:MinFreeMb", "-1")]
    [InlineData("Nvr:Recording:QueueMaxMb", "lots")]
    [InlineData("Nvr:Motion:MaxAnalysisFps", "0")]
    public void A_bad_setting_stops_startup_naming_it(string key, string value)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection([new(key, value)]).Build();
        var error = Assert.Throws<StartupException>(() => RecordingOptions.FromConfiguration(configuration));
        Assert.Contains(key, error.Message);
        Assert.Contains(value, error.Message);
    }

    [Fact]
    public void Recording_settings_name_the_bad_value()
    {
        var good = new RecordingSettingsDto(RecordingMode.Motion, MotionSource.Auto, 50, 1, 5, 10, 300);
        Assert.Null(good.ToSettings().Problem());
        Assert.Contains("Pre-roll", (good with { PreRollSeconds = 61 }).ToSettings().Problem());
        Assert.Contains("Maximum clip length", (good with { MaxClipSeconds = 5 }).ToSettings().Problem());
        Assert.Contains("Sensitivity is 0", (good with { Sensitivity = 0 }).ToSettings().Problem());
        Assert.Contains("Recording mode 9", (good with { Mode = (RecordingMode)9 }).ToSettings().Problem());
    }

    [Fact]
    public async Task Libjpeg_turbo_decodes_small_and_gray_and_refuses_a_damaged_frame()
    {
        Assert.True(TurboJpeg.TryLoad("libturbojpeg.so.0", out var why), why);
        using var decoder = new GrayscaleDecoder();
        var vga = await TestJpeg.CreateAsync(640, 480);
        var picture = decoder.Decode(vga, MotionAnalyzer.MinAnalysisWidth, out var problem);
        Assert.Null(problem);
        Assert.Equal((80, 60), (picture!.Value.Width, picture.Value.Height));
        Assert.Equal(80 * 60, picture.Value.Pixels.Length);
        // The test pattern is not flat: a real decode has contrast.
        Assert.True(picture.Value.Pixels.ToArray().Distinct().Count() > 10);

        var qvga = decoder.Decode(await TestJpeg.CreateAsync(320, 240), MotionAnalyzer.MinAnalysisWidth, out _);
        Assert.Equal((80, 60), (qvga!.Value.Width, qvga.Value.Height));

        Assert.Null(decoder.Decode(vga.AsSpan(0, 20), MotionAnalyzer.MinAnalysisWidth, out problem));
        Assert.False(string.IsNullOrEmpty(problem));
        Assert.Null(decoder.Decode(FakeEsp32Camera.SyntheticJpeg(5000, 1), MotionAnalyzer.MinAnalysisWidth, out problem));
    }
}
