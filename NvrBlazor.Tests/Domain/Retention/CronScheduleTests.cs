using NvrBlazor.Domain.Retention;

namespace NvrBlazor.Tests.Domain.Retention;

public sealed class CronScheduleTests
{
    private static readonly TimeZoneInfo Utc = TimeZoneInfo.Utc;

    [Theory]
    [InlineData("*/10 * * * *", "every 10 minutes")]
    [InlineData("0/15 * * * *", "every 15 minutes")]
    [InlineData("* * * * *", "every minute")]
    [InlineData("*/1 * * * *", "every minute")]
    [InlineData("0 * * * *", "hourly, on the hour")]
    [InlineData("5 * * * *", "hourly at :05")]
    [InlineData("0 */6 * * *", "every 6 hours at :00")]
    [InlineData("30 3 * * *", "daily at 03:30")]
    [InlineData("0 3 * * 1-5", "cron 0 3 * * 1-5")]
    public void A_schedule_says_in_words_when_it_runs(string cron, string words)
    {
        var setting = CronSchedule.Read("Nvr:Retention:Schedule", cron, "*/10 * * * *");
        Assert.Null(setting.Error);
        Assert.Equal(words, setting.Schedule!.Describe());
    }

    [Fact]
    public void Empty_takes_the_default_and_off_is_off_in_any_case()
    {
        Assert.Equal("*/10 * * * *", CronSchedule.Read("k", "  ", "*/10 * * * *").Schedule!.Expression);
        Assert.Equal("*/10 * * * *", CronSchedule.Read("k", null, "*/10 * * * *").Schedule!.Expression);
        var off = CronSchedule.Read("k", " Off ", "*/10 * * * *");
        Assert.Null(off.Schedule);
        Assert.Null(off.Error);
    }

    [Theory]
    [InlineData("0 0/10 * * * ?", "0/10 * * * *")]    // the old default: every 10 minutes
    [InlineData("0 0 * * * ?", "0 * * * *")]          // the old reconcile default: hourly
    [InlineData("0 30 2 ? * 1", "30 2 * * 0")]        // Quartz 1 = Sunday, cron 0 = Sunday
    [InlineData("0 0 8 ? * 2-6", "0 8 * * 1-5")]      // Monday to Friday
    [InlineData("0 0 8 ? * MON-FRI", "0 8 * * MON-FRI")]
    [InlineData("0 0 8 ? * 6#3", "0 8 * * 5#3")]      // the third Friday: the 3 after # is not a day
    [InlineData("0 0 8 ? * 1/2 *", "0 8 * * 0/2")]    // a year field of * is dropped; the step after / is not a day
    public void An_old_Quartz_expression_is_converted_to_the_same_times(string quartz, string cron)
    {
        var setting = CronSchedule.Read("Nvr:Retention:Schedule", quartz, "*/10 * * * *");
        Assert.Null(setting.Error);
        Assert.Equal(cron, setting.Schedule!.Expression);
        Assert.Equal(quartz, setting.ConvertedFrom);
    }

    [Fact]
    public void A_converted_weekday_schedule_fires_on_the_same_day_as_Quartz_meant()
    {
        var sunday = CronSchedule.Read("k", "0 30 2 ? * 1", "x").Schedule!;
        var next = sunday.NextAfter(new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero), Utc)!.Value; // a Saturday
        Assert.Equal(DayOfWeek.Sunday, next.DayOfWeek);
        Assert.Equal(new DateTimeOffset(2026, 11, 29, 2, 30, 0, TimeSpan.Zero), next);
    }

    [Theory]
    [InlineData("every ten minutes", "it has 3 field(s)")]
    [InlineData("*/10 * * *", "it has 4 field(s)")]
    [InlineData("61 * * * *", "which is not a schedule")]
    [InlineData("30 0/5 * * * ?", "fires at seconds other than 0")]
    [InlineData("0 0 12 * * ? 2027", "limited to certain years")]
    [InlineData("0 0 25 * * ?", "whose 5-field form '0 25 * * *' is not valid either")]
    public void A_bad_schedule_is_refused_naming_the_setting_and_the_form_to_write(string text, string why)
    {
        var setting = CronSchedule.Read("Nvr:Reconcile:Schedule", text, "0 * * * *");
        Assert.Null(setting.Schedule);
        Assert.StartsWith($"Nvr:Reconcile:Schedule is '{text}', which is not a schedule", setting.Error);
        Assert.Contains(why, setting.Error);
        Assert.Contains("\"*/10 * * * *\" for every 10 minutes", setting.Error);
    }

    [Fact]
    public void The_longest_gap_of_a_weekday_schedule_is_the_weekend()
    {
        var at = new DateTimeOffset(2026, 11, 23, 0, 0, 0, TimeSpan.Zero); // a Monday
        Assert.Equal(TimeSpan.FromMinutes(10), CronSchedule.Read("k", "*/10 * * * *", "x").Schedule!.LongestGap(at, Utc));
        Assert.Equal(TimeSpan.FromHours(1), CronSchedule.Read("k", "0 * * * *", "x").Schedule!.LongestGap(at, Utc));
        Assert.Equal(TimeSpan.FromDays(3), CronSchedule.Read("k", "0 3 * * 1-5", "x").Schedule!.LongestGap(at, Utc));
    }
}
