using NvrBlazor.Domain.Retention;
using NvrBlazor.Web.Hosting;

namespace NvrBlazor.Web.Retention;

/// <summary>
/// Nvr:Retention and Nvr:Reconcile settings, read once at startup; a bad value stops the app with its name.
/// Schedules are 5-field cron expressions in the server's time zone, or "off" (the job then runs only when
/// asked). An old Quartz expression (seconds first) is converted when it means the same, and the
/// conversion is reported in <see cref="Warnings"/> for the startup log.
/// </summary>
public sealed record RetentionOptions(int DefaultDays, double? MaxTotalGb, double MinFreePercent, CronSchedule? RetentionSchedule, CronSchedule? ReconcileSchedule)
{
    public const string DefaultRetentionSchedule = "*/10 * * * *";
    public const string DefaultReconcileSchedule = "0 * * * *";

    public IReadOnlyList<string> Warnings { get; init; } = [];

    public RetentionPolicy DefaultPolicy => new(DefaultDays, null, LimitAction.DeleteOldest);

    public static RetentionOptions FromConfiguration(IConfiguration configuration)
    {
        var warnings = new List<string>();
        return new RetentionOptions(
            SettingNumbers.Read(configuration, "Nvr:Retention:DefaultDays", 14, 1, RetentionPolicy.MaxKeepDays),
            string.IsNullOrWhiteSpace(configuration["Nvr:Retention:MaxTotalGb"]) ? null : SettingNumbers.Read(configuration, "Nvr:Retention:MaxTotalGb", 0, 0.001, 1_000_000),
            SettingNumbers.Read(configuration, "Nvr:Retention:MinFreePercent", 5.0, 0, 90),
            Schedule(configuration, "Nvr:Retention:Schedule", DefaultRetentionSchedule, warnings),
            Schedule(configuration, "Nvr:Reconcile:Schedule", DefaultReconcileSchedule, warnings)) { Warnings = warnings };
    }

    public GlobalLimits Limits => new(MaxTotalGb is { } gb ? (long)(gb * 1024 * 1024 * 1024) : null, MinFreePercent);

    /// <summary>The schedule, or null for "off".</summary>
    private static CronSchedule? Schedule(IConfiguration configuration, string key, string fallback, List<string> warnings)
    {
        var setting = CronSchedule.Read(key, configuration[key], fallback);
        if (setting.Error is { } error)
            throw new StartupException(error);
        if (setting.ConvertedFrom is { } old)
            warnings.Add($"{key} is '{old}', an old Quartz expression (seconds first); it is read as the 5-field schedule '{setting.Schedule!.Expression}' ({setting.Schedule.Describe()}). Write that in your settings to silence this warning.");
        return setting.Schedule;
    }
}
