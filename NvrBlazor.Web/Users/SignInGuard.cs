using System.Net;
using System.Net.Sockets;
using NvrBlazor.Domain.Users;

namespace NvrBlazor.Web.Users;

/// <summary>A failed or refused sign-in, for Admin > Users and GET /api/sign-in-failures.</summary>
public sealed record FailedSignIn(DateTimeOffset At, string Address, string UserName, string Outcome);

/// <summary>
/// The sign-in throttle for this server (<see cref="SignInThrottle"/>) and the last failed sign-ins for
/// admins to see. In memory: a restart forgets both, which costs an attacker nothing they could not
/// get by waiting out the window anyway.
/// </summary>
public sealed class SignInGuard(UsersOptions options, TimeProvider clock)
{
    public const int Kept = 200;
    private readonly Lock sync = new();
    private readonly SignInThrottle throttle = new(new SignInThrottleLimits(
        PerAccountFromAddress: Math.Max(1, options.LockoutAttempts), WindowLength: TimeSpan.FromMinutes(Math.Max(1, options.LockoutMinutes))));
    private readonly LinkedList<FailedSignIn> recent = new();
    private int sincePrune;

    public ThrottleVerdict Check(string userName, IPAddress? address)
    {
        lock (sync)
            return throttle.Check(userName, Key(address), clock.GetUtcNow());
    }

    public void Failed(string userName, IPAddress? address, string outcome)
    {
        var now = clock.GetUtcNow();
        lock (sync)
        {
            if (outcome == Outcomes.WrongPassword)
                throttle.Failed(userName, Key(address), now);
            recent.AddFirst(new FailedSignIn(now, address?.ToString() ?? "?", LogText.Safe(userName, 64), outcome));
            while (recent.Count > Kept)
                recent.RemoveLast();
            if (++sincePrune >= 1000)
            {
                sincePrune = 0;
                throttle.Prune(now);
            }
        }
    }

    public void Succeeded(string userName, IPAddress? address)
    {
        lock (sync)
            throttle.Succeeded(userName, Key(address));
    }

    /// <summary>The latest failed and refused sign-ins, newest first.</summary>
    public IReadOnlyList<FailedSignIn> Recent
    {
        get
        {
            lock (sync)
                return recent.ToList();
        }
    }

    /// <summary>An IPv6 attacker owns a whole /64: count it as one address. IPv4 seen through IPv6 counts as itself.</summary>
    public static string Key(IPAddress? address)
    {
        if (address is null)
            return "?";
        if (address.IsIPv4MappedToIPv6)
            address = address.MapToIPv4();
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
            return address.ToString();
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }

    public static class Outcomes
    {
        public const string WrongPassword = "wrong user name or password";
        public const string Throttled = "refused: too many failures";
        public const string LockedByAdmin = "account locked by an admin";
    }
}
