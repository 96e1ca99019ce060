using NvrBlazor.Web.Hosting;

namespace NvrBlazor.Web.Recording;

/// <summary>Nvr:Recording and Nvr:Motion settings, read once at startup; a bad value stops the app with its name.</summary>
public sealed record RecordingOptions(long MinFreeMb, long QueueMaxMb, double MaxAnalysisFps, string JpegLibrary, long TotalQueueMaxMb = 256)
{
    public long MinFreeBytes => MinFreeMb * 1024 * 1024;
    public long QueueMaxBytes => QueueMaxMb * 1024 * 1024;
    public long TotalQueueMaxBytes => TotalQueueMaxMb * 1024 * 1024;

    public static RecordingOptions FromConfiguration(IConfiguration configuration) => new(
        SettingNumbers.Read(configuration, "Nvr:Recording:MinFreeMb", 500, 0, 10_000_000),
        SettingNumbers.Read(configuration, "Nvr:Recording:QueueMaxMb", 64, 4, 4096),
        SettingNumbers.Read(configuration, "Nvr:Motion:MaxAnalysisFps", 5, 0.1, 30),
        configuration["Nvr:Motion:JpegLibrary"] is { Length: > 0 } library ? library : "libturbojpeg.so.0",
        SettingNumbers.Read(configuration, "Nvr:Recording:TotalQueueMaxMb", 256, 16, 65536));
}
