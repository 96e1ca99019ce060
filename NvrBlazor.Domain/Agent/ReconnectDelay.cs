namespace NvrBlazor.Domain.Agent;

/// <summary>
/// How long an agent waits before connecting again: 1 s doubling to 30 s after failures (an unreachable or
/// restarting server), 60 s after the server refused the token (a person has to fix the configuration; trying
/// every second would only fill the server's log and trip its connection throttle), and back to 1 s once a
/// connection has carried frames. Jitter of up to a fifth keeps many cameras from reconnecting in step.
/// </summary>
public sealed class ReconnectDelay(Func<double>? random = null)
{
    public static readonly TimeSpan First = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan Longest = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan AfterRefusal = TimeSpan.FromSeconds(60);

    private readonly Func<double> random = random ?? Random.Shared.NextDouble;
    private TimeSpan next = First;

    public TimeSpan Failed()
    {
        var delay = next;
        next = TimeSpan.FromTicks(Math.Min(next.Ticks * 2, Longest.Ticks));
        return Jittered(delay);
    }

    public TimeSpan Refused()
    {
        next = Longest;
        return Jittered(AfterRefusal);
    }

    public void Succeeded() => next = First;

    private TimeSpan Jittered(TimeSpan delay) => delay + TimeSpan.FromTicks((long)(delay.Ticks * 0.2 * random()));
}
