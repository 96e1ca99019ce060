using System.Numerics;
using System.Globalization;
using NvrBlazor.Web.Hosting;

namespace NvrBlazor.Web.Recording;

/// <summary>Nvr:Recording and Nvr:Motion settings, read once at startup; a bad value stops the app with its name.</summary>
public sealed record RecordingOptions(long MinFreeMb, long QueueMaxMb, double MaxAnalysisFps, string JpegLibrary)
{
    public long MinFreeBytes => MinFreeMb * 1024 * 1024;
    public long QueueMaxBytes => QueueMaxMb * 1024 * 1024;

    public static RecordingOptions FromConfiguration(IConfiguration configuration) => new(
        Read(configuration, "Nvr:Recording:MinFreeMb", 500, 0, 10_000_000),
        Read(configuration, "Nvr:Recording:QueueMaxMb", 64, 4, 4096),
        Read(configuration, "Nvr:Motion:MaxAnalysisFps", 5, 0.1, 30),
        configuration["Nvr:Motion:JpegLibrary"] is { Length: > 0 } library ? library : "libturbojpeg.so.0");

    private static T Read<T>(IConfiguration configuration, string key, T fallback, T min, T max) where T : struct, INumber<T>
    {
        var text = configuration[key];
        if (string.IsNullOrWhiteSpace(text))
            return fallback;
        if (!T.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
            throw new StartupException($"{key} is '{text}'; it must be a number from {min} to {max}.");
        return value;
    }
}
