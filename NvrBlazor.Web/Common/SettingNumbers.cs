using System.Globalization;
using System.Numerics;

namespace NvrBlazor.Web.Common;

/// <summary>Reads a numeric setting at startup: empty gives the default; anything else must be a number in range, or the app stops naming the key.</summary>
public static class SettingNumbers
{
    public static T Read<T>(IConfiguration configuration, string key, T fallback, T min, T max) where T : struct, INumber<T>
    {
        var text = configuration[key];
        if (string.IsNullOrWhiteSpace(text))
            return fallback;
        if (!T.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
            throw new StartupException($"{key} is '{text}'; it must be a number from {min} to {max}.");
        return value;
    }
}
