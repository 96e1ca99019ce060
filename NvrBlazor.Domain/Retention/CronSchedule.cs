using System.Globalization;
using System.Text.RegularExpressions;
using Cronos;

namespace NvrBlazor.Domain.Retention;

/// <summary>
/// A job's schedule as a standard 5-field cron expression (minute hour day-of-month month day-of-week),
/// the form Hangfire reads, evaluated in the server's time zone.
/// </summary>
public sealed partial class CronSchedule
{
    private readonly CronExpression parsed;

    private CronSchedule(string expression, CronExpression parsed)
    {
        Expression = expression;
        this.parsed = parsed;
    }

    public string Expression { get; }

    /// <summary>
    /// Reads a schedule setting: a 5-field cron expression, "off" (Schedule is null), or the old Quartz form
    /// (seconds first, `?`, weekdays 1-7 from Sunday), which is converted when it means the same thing at
    /// minute resolution (ConvertedFrom then holds the original) and refused otherwise.
    /// </summary>
    public static ScheduleSetting Read(string setting, string? text, string fallback)
    {
        if (string.IsNullOrWhiteSpace(text))
            text = fallback;
        text = text.Trim();
        if (text.Equals(ScheduleSetting.Off, StringComparison.OrdinalIgnoreCase))
            return new ScheduleSetting(null, null, null);
        var fields = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length is 6 or 7)
            return FromQuartz(setting, text, fields);
        if (fields.Length != 5)
            return Refused(setting, text, $"it has {fields.Length} field(s); a schedule has 5: minute hour day-of-month month day-of-week");
        return TryParse(text, out var schedule, out var problem)
            ? new ScheduleSetting(schedule, null, null)
            : Refused(setting, text, problem!);
    }

    private static ScheduleSetting FromQuartz(string setting, string text, string[] fields)
    {
        if (fields[0] != "0")
            return Refused(setting, text, "it is a Quartz expression (seconds first) that fires at seconds other than 0, which a 5-field schedule cannot express");
        if (fields.Length == 7 && fields[6] != "*")
            return Refused(setting, text, "it is a Quartz expression limited to certain years, which a 5-field schedule cannot express");
        var dayOfWeek = QuartzWeekday().Replace(fields[5].Replace("?", "*", StringComparison.Ordinal), m =>
            (int.Parse(m.Value, CultureInfo.InvariantCulture) - 1).ToString(CultureInfo.InvariantCulture));
        var converted = string.Join(' ', fields[1], fields[2], fields[3].Replace("?", "*", StringComparison.Ordinal), fields[4], dayOfWeek);
        return TryParse(converted, out var schedule, out var problem)
            ? new ScheduleSetting(schedule, text, null)
            : Refused(setting, text, $"it is a Quartz expression whose 5-field form '{converted}' is not valid either ({problem})");
    }

    private static bool TryParse(string text, out CronSchedule? schedule, out string? problem)
    {
        try
        {
            schedule = new CronSchedule(text, CronExpression.Parse(text, CronFormat.Standard));
            problem = null;
            return true;
        }
        catch (CronFormatException e)
        {
            schedule = null;
            problem = e.Message;
            return false;
        }
    }

    private static ScheduleSetting Refused(string setting, string text, string why) =>
        new(null, null, $"{setting} is '{text}', which is not a schedule: {why}. Write 5-field cron (minute hour day-of-month month day-of-week), " +
            "e.g. \"*/10 * * * *\" for every 10 minutes, \"0 * * * *\" for hourly, \"30 3 * * *\" for 03:30 daily, or \"off\" to run the job only when asked.");

    /// <summary>The next time the schedule fires after <paramref name="after"/>, in the given zone.</summary>
    public DateTimeOffset? NextAfter(DateTimeOffset after, TimeZoneInfo zone) => parsed.GetNextOccurrence(after, zone);

    /// <summary>The longest gap between runs over the next several runs (a weekday-only schedule's gap is the weekend).</summary>
    public TimeSpan LongestGap(DateTimeOffset from, TimeZoneInfo zone)
    {
        var longest = TimeSpan.Zero;
        var previous = NextAfter(from, zone);
        for (var i = 0; i < 10 && previous is { } at; i++)
        {
            var next = NextAfter(at, zone);
            if (next is null)
                break;
            if (next.Value - at > longest)
                longest = next.Value - at;
            previous = next;
        }
        return longest;
    }

    /// <summary>The schedule in words for the common shapes; otherwise the expression itself.</summary>
    public string Describe()
    {
        var f = Expression.Split(' ');
        var everyDay = f[2] == "*" && f[3] == "*" && f[4] == "*";
        if (!everyDay)
            return $"cron {Expression}";
        if (f[0] == "*" && f[1] == "*")
            return "every minute";
        if (Step(f[0]) is { } minutes && f[1] == "*")
            return minutes == 1 ? "every minute" : $"every {minutes} minutes";
        if (Number(f[0]) is { } minute && f[1] == "*")
            return minute == 0 ? "hourly, on the hour" : $"hourly at :{minute:00}";
        if (Number(f[0]) is { } m && Step(f[1]) is { } hours)
            return hours == 1 ? (m == 0 ? "hourly, on the hour" : $"hourly at :{m:00}") : $"every {hours} hours at :{m:00}";
        if (Number(f[0]) is { } mm && Number(f[1]) is { } hh)
            return $"daily at {hh:00}:{mm:00}";
        return $"cron {Expression}";
    }

    private static int? Number(string field) =>
        int.TryParse(field, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;

    /// <summary>"*/n" or "0/n": every n units from zero.</summary>
    private static int? Step(string field) =>
        (field.StartsWith("*/", StringComparison.Ordinal) || field.StartsWith("0/", StringComparison.Ordinal)) ? Number(field[2..]) : null;

    /// <summary>Numbers in a Quartz day-of-week field that name days (not the step after '/' or the nth after '#').</summary>
    [GeneratedRegex(@"(?<![/#\d])\d+")]
    private static partial Regex QuartzWeekday();
}

/// <summary>A schedule setting as read: Schedule null means "off" when Error is null; ConvertedFrom is the old Quartz text it was converted from.</summary>
public sealed record ScheduleSetting(CronSchedule? Schedule, string? ConvertedFrom, string? Error)
{
    public const string Off = "off";
}
