using System.Globalization;
using NvrBlazor.Domain.Retention;
using NvrBlazor.Web.Hosting;
using Quartz;

namespace NvrBlazor.Web.Retention;

/// <summary>
/// Nvr:Retention and Nvr:Reconcile settings, read once at startup; a bad value stops the app with its name.
/// Schedules are Quartz cron expressions (seconds first) or "off" (the job then runs only when asked).
/// </summary>
public sealed record RetentionOptions(int DefaultDays, double? MaxTotalGb, double MinFreePercent, string? RetentionSchedule, string? ReconcileSchedule)
{
    public const string Off = "off";

    public RetentionPolicy DefaultPolicy => new(DefaultDays, null, LimitAction.DeleteOldest);

    public static RetentionOptions FromConfiguration(IConfiguration configuration) => new(
        (int)Number(configuration, "Nvr:Retention:DefaultDays", 14, 1, RetentionPolicy.MaxKeepDays),
        configuration["Nvr:Retention:MaxTotalGb"] is { Length: > 0 } ? Number(configuration, "Nvr:Retention:MaxTotalGb", 0, 0.001, 1_000_000) : null,
        Number(configuration, "Nvr:Retention:MinFreePercent", 5, 0, 90),
        Schedule(configuration, "Nvr:Retention:Schedule", "0 0/10 * * * ?"),
        Schedule(configuration, "Nvr:Reconcile:Schedule", "0 0 * * * ?"));

    public GlobalLimits Limits => new(MaxTotalGb is { } gb ? (long)(gb * 1024 * 1024 * 1024) : null, MinFreePercent);

    private static double Number(IConfiguration configuration, string key, double fallback, double min, double max)
    {
        var text = configuration[key];
        if (string.IsNullOrWhiteSpace(text))
            return fallback;
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
            throw new StartupException($"{key} is '{text}'; it must be a number from {min} to {max}.");
        return value;
    }

    /// <summary>The cron expression, or null for "off".</summary>
    private static string? Schedule(IConfiguration configuration, string key, string fallback)
    {
        var text = configuration[key];
        if (string.IsNullOrWhiteSpace(text))
            return fallback;
        if (text.Trim().Equals(Off, StringComparison.OrdinalIgnoreCase))
            return null;
        try
        {
            CronExpression.ValidateExpression(text);
        }
        catch (FormatException e)
        {
            throw new StartupException($"{key} is '{text}', which is not a cron expression ({e.Message}). Example: \"0 0/10 * * * ?\" is every 10 minutes; \"off\" runs the job only when asked.");
        }
        return text;
    }
}
