namespace NvrBlazor.Domain.Users;

/// <summary>What the throttle says of a sign-in attempt: go ahead after <see cref="Delay"/>, or refused until <see cref="RetryAt"/>.</summary>
public readonly record struct ThrottleVerdict(bool Refused, TimeSpan Delay, DateTimeOffset? RetryAt)
{
    public static readonly ThrottleVerdict Allow = new(false, TimeSpan.Zero, null);
}

/// <summary>The throttle's numbers: failures counted over <see cref="Window"/>.</summary>
public sealed record SignInThrottleLimits(int PerAccountFromAddress = 5, int PerAddress = 30, int SlowAccountAfter = 10, TimeSpan? WindowLength = null)
{
    public TimeSpan Window => WindowLength ?? TimeSpan.FromMinutes(15);
}

/// <summary>
/// Failed sign-ins, throttled so that a stranger cannot lock anybody out. Instead of locking an account
/// (which anyone who knows the name "admin" could do to the only admin, for ever), it refuses, for a
/// while, an account *from one address* after a few failures there, and an address after many failures
/// for any accounts; and it slows an account down (never refuses it) when many addresses fail on it. The
/// real admin signing in from another address is never refused, and a successful sign-in clears that
/// address's failures for the account. Keys are as typed (unknown and real user names alike), so the
/// answers say nothing about which accounts exist. Time comes in as a parameter; callers serialise access.
/// </summary>
public sealed class SignInThrottle(SignInThrottleLimits limits)
{
    private readonly Dictionary<string, Queue<DateTimeOffset>> byPair = [];
    private readonly Dictionary<string, Queue<DateTimeOffset>> byAddress = [];
    private readonly Dictionary<string, Queue<DateTimeOffset>> byAccount = [];

    public ThrottleVerdict Check(string account, string address, DateTimeOffset now)
    {
        account = Normalise(account);
        var pair = Recent(byPair, Pair(account, address), now);
        var fromAddress = Recent(byAddress, address, now);
        if (pair.Count >= limits.PerAccountFromAddress)
            return new ThrottleVerdict(true, TimeSpan.Zero, pair.Peek() + limits.Window);
        if (fromAddress.Count >= limits.PerAddress)
            return new ThrottleVerdict(true, TimeSpan.Zero, fromAddress.Peek() + limits.Window);
        // Slowing down: one more second per failure past the second from this address, and 2 s for an account many addresses fail on.
        var delay = TimeSpan.FromSeconds(Math.Clamp(pair.Count - 2, 0, 3));
        if (Recent(byAccount, account, now).Count >= limits.SlowAccountAfter)
            delay = TimeSpan.FromSeconds(Math.Max(delay.TotalSeconds, 2));
        return new ThrottleVerdict(false, delay, null);
    }

    public void Failed(string account, string address, DateTimeOffset now)
    {
        account = Normalise(account);
        Add(byPair, Pair(account, address), now);
        Add(byAddress, address, now);
        Add(byAccount, account, now);
    }

    public void Succeeded(string account, string address)
    {
        account = Normalise(account);
        byPair.Remove(Pair(account, address));
    }

    /// <summary>Drops every key with nothing left in the window (memory stays bounded by the attempts of the last window).</summary>
    public void Prune(DateTimeOffset now)
    {
        foreach (var map in new[] { byPair, byAddress, byAccount })
            foreach (var key in map.Keys.ToList())
                if (Recent(map, key, now).Count == 0)
                    map.Remove(key);
    }

    public int TrackedKeys => byPair.Count + byAddress.Count + byAccount.Count;

    private Queue<DateTimeOffset> Recent(Dictionary<string, Queue<DateTimeOffset>> map, string key, DateTimeOffset now)
    {
        if (!map.TryGetValue(key, out var times))
            return new Queue<DateTimeOffset>();
        while (times.Count > 0 && now - times.Peek() >= limits.Window)
            times.Dequeue();
        return times;
    }

    private static void Add(Dictionary<string, Queue<DateTimeOffset>> map, string key, DateTimeOffset now)
    {
        if (!map.TryGetValue(key, out var times))
            map[key] = times = new Queue<DateTimeOffset>();
        times.Enqueue(now);
        // An attacker's flood cannot grow one key without bound: only the newest failures matter.
        while (times.Count > 1000)
            times.Dequeue();
    }

    private static string Normalise(string account) => account.Trim().ToUpperInvariant();

    private static string Pair(string account, string address) => account + "\n" + address;
}
