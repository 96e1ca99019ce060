using NvrBlazor.Domain.Agent;

namespace NvrBlazor.Tests.Domain.Agent;

public class ReconnectDelayTests
{
    [Fact]
    public void Failures_double_the_wait_to_thirty_seconds_and_a_working_connection_starts_over()
    {
        var delay = new ReconnectDelay(() => 0);
        Assert.Equal([1, 2, 4, 8, 16, 30, 30], Enumerable.Range(0, 7).Select(_ => delay.Failed().TotalSeconds));
        delay.Succeeded();
        Assert.Equal(1, delay.Failed().TotalSeconds);
    }

    [Fact]
    public void A_refused_token_waits_a_minute_and_jitter_adds_at_most_a_fifth()
    {
        Assert.Equal(60, new ReconnectDelay(() => 0).Refused().TotalSeconds);
        Assert.Equal(72, new ReconnectDelay(() => 1).Refused().TotalSeconds);
        Assert.Equal(1.2, new ReconnectDelay(() => 1).Failed().TotalSeconds, 3);
    }
}
