using Microsoft.Extensions.Configuration;
using NvrBlazor.Web.Hosting;
using NvrBlazor.Web.Recording;
using NvrBlazor.Web.Retention;

namespace NvrBlazor.Tests.Web;

public sealed class RetentionPartsTests
{
    [Fact]
    public void A_job_is_never_asked_to_run_twice_at_the_same_time()
    {
        var gate = new HousekeepingGate();
        Assert.True(gate.TryRequest("retention"));
        Assert.False(gate.TryRequest("retention"));   // waiting to start
        Assert.True(gate.TryRequest("reconcile"));    // another job may be asked for
        gate.Started("retention");
        Assert.True(gate.IsRunning("retention"));
        Assert.False(gate.TryRequest("retention"));   // running
        gate.Finished("retention");
        Assert.True(gate.TryRequest("retention"));
        gate.Withdraw("retention");
        Assert.True(gate.TryRequest("retention"));
    }

    [Theory]
    [InlineData("Nvr:Retention:DefaultDays", "0", "Nvr:Retention:DefaultDays is '0'; it must be a number from 1 to 3650.")]
    [InlineData("Nvr:Retention:MinFreePercent", "95", "Nvr:Retention:MinFreePercent is '95'; it must be a number from 0 to 90.")]
    [InlineData("Nvr:Retention:MaxTotalGb", "lots", "Nvr:Retention:MaxTotalGb is 'lots'")]
    [InlineData("Nvr:Reconcile:Schedule", "0 0 25 * * ?", "Nvr:Reconcile:Schedule is '0 0 25 * * ?', which is not a cron expression")]
    public void Bad_settings_name_themselves(string key, string value, string message)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection([new(key, value)]).Build();
        Assert.StartsWith(message, Assert.Throws<StartupException>(() => RetentionOptions.FromConfiguration(configuration)).Message);
    }

    [Fact]
    public void Defaults_and_off()
    {
        var defaults = RetentionOptions.FromConfiguration(new ConfigurationBuilder().Build());
        Assert.Equal(new RetentionOptions(14, null, 5, "0 0/10 * * * ?", "0 0 * * * ?"), defaults);
        var off = RetentionOptions.FromConfiguration(new ConfigurationBuilder().AddInMemoryCollection(
            [new("Nvr:Retention:Schedule", "OFF"), new("Nvr:Retention:MaxTotalGb", "1.5")]).Build());
        Assert.Null(off.RetentionSchedule);
        Assert.Equal((long)(1.5 * 1024 * 1024 * 1024), off.Limits.MaxTotalBytes);
    }

    [Theory]
    [InlineData("garden-3/2026-11-20/10-05-07.mp4", "2026-11-20T10:05:07")]
    [InlineData("garden-3/2026-11-20/10-05-07-2.mp4", "2026-11-20T10:05:07")]
    [InlineData("garden-3/2026-11-20/clip.mp4", null)]
    [InlineData("loose.mp4", null)]
    public void A_clip_file_says_when_it_started(string path, string? local) =>
        Assert.Equal(local is null ? null : new DateTimeOffset(DateTime.Parse(local, System.Globalization.CultureInfo.InvariantCulture)), ClipFiles.StartOf(path));
}
