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
        SettingNumbers.Read(configuration, "Nvr:Retention:DefaultDays", 14, 1, RetentionPolicy.MaxKeepDays),
        string.IsNullOrWhiteSpace(configuration["Nvr:Retention:MaxTotalGb"]) ? null : SettingNumbers.Read(configuration, "Nvr:Retention:MaxTotalGb", 0, 0.001, 1_000_000),
        SettingNumbers.Read(configuration, "Nvr:Retention:MinFreePercent", 5.0, 0, 90),
        Schedule(configuration, "Nvr:Retention:Schedule", "0 0/10 * * * ?"),
        Schedule(configuration, "Nvr:Reconcile:Schedule", "0 0 * * * ?"));

    public GlobalLimits Limits => new(MaxTotalGb is { } gb ? (long)(gb * 1024 * 1024 * 1024) : null, MinFreePercent);

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
