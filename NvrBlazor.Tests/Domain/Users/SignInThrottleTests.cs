using NvrBlazor.Domain.Users;

namespace NvrBlazor.Tests.Domain.Users;

public sealed class SignInThrottleTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 28, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_name_is_refused_from_one_address_after_five_failures_but_not_from_another()
    {
        var throttle = new SignInThrottle(new SignInThrottleLimits());
        for (var i = 0; i < 5; i++)
        {
            Assert.False(throttle.Check("admin", "10.0.0.66", T0.AddSeconds(i)).Refused);
            throttle.Failed("admin", "10.0.0.66", T0.AddSeconds(i));
        }
        var refused = throttle.Check("Admin ", "10.0.0.66", T0.AddSeconds(6)); // names compare without case or spaces
        Assert.True(refused.Refused);
        Assert.Equal(T0.AddMinutes(15), refused.RetryAt);
        Assert.Equal(ThrottleVerdict.Allow, throttle.Check("admin", "10.0.0.7", T0.AddSeconds(6)));
        Assert.False(throttle.Check("admin", "10.0.0.66", T0.AddMinutes(15)).Refused); // the window has passed
    }

    [Fact]
    public void Failures_slow_down_before_they_refuse_and_a_success_clears_them()
    {
        var throttle = new SignInThrottle(new SignInThrottleLimits());
        var delays = new List<double>();
        for (var i = 0; i < 5; i++)
        {
            delays.Add(throttle.Check("bob", "a", T0).Delay.TotalSeconds);
            throttle.Failed("bob", "a", T0);
        }
        Assert.Equal([0, 0, 0, 1, 2], delays);
        throttle.Succeeded("bob", "a");
        Assert.Equal(ThrottleVerdict.Allow, throttle.Check("bob", "a", T0));
    }

    [Fact]
    public void An_address_trying_many_names_is_refused_and_an_account_many_addresses_fail_on_is_slowed_not_refused()
    {
        var throttle = new SignInThrottle(new SignInThrottleLimits());
        for (var i = 0; i < 30; i++)
            throttle.Failed($"user{i}", "spray", T0);
        Assert.True(throttle.Check("anyone", "spray", T0).Refused);

        for (var i = 0; i < 50; i++)
            throttle.Failed("admin", $"bot{i}", T0);
        var fromNewAddress = throttle.Check("admin", "home", T0);
        Assert.False(fromNewAddress.Refused);
        Assert.Equal(TimeSpan.FromSeconds(2), fromNewAddress.Delay);
    }

    [Fact]
    public void Pruning_forgets_what_left_the_window()
    {
        var throttle = new SignInThrottle(new SignInThrottleLimits(WindowLength: TimeSpan.FromMinutes(5)));
        throttle.Failed("a", "b", T0);
        Assert.Equal(3, throttle.TrackedKeys);
        throttle.Prune(T0.AddMinutes(4));
        Assert.Equal(3, throttle.TrackedKeys);
        throttle.Prune(T0.AddMinutes(5));
        Assert.Equal(0, throttle.TrackedKeys);
    }

    [Theory]
    [InlineData("garden", "garden")]
    [InlineData("cam\nINFO: admin signed in", "cam\\u000aINFO: admin signed in")]
    [InlineData("tab\there", "tab\\u0009here")]
    public void Log_text_cannot_forge_a_line(string text, string logged) => Assert.Equal(logged, LogText.Safe(text));

    [Fact]
    public void Log_text_is_cut_at_a_length() => Assert.Equal(new string('x', 10) + "…", LogText.Safe(new string('x', 50), 10));
}
