using System.Net;
using System.Net.Sockets;

namespace NvrBlazor.Domain.Ingest;

/// <summary>Where an approved ESP32 camera may reconnect from. SameSubnet: its last address's /24 (IPv6: /64). Any: anywhere.</summary>
public enum CameraAddressPolicy { SameSubnet = 0, Any = 1 }

/// <summary>
/// An ESP32 camera cannot authenticate: its hostName is all it says. A camera that vanishes and comes back
/// from another network is more likely someone else using its name than the camera itself, so under the
/// default policy it goes back to pending for an admin to look at.
/// </summary>
public static class CameraAddressRules
{
    /// <summary>Null when the camera may connect from <paramref name="now"/>; otherwise why not.</summary>
    public static string? Refuse(CameraAddressPolicy policy, string? known, string? now)
    {
        if (policy == CameraAddressPolicy.Any || known is null || now is null || known == now)
            return null;
        if (!IPAddress.TryParse(known, out var before) || !IPAddress.TryParse(now, out var after))
            return null;
        return SameSubnet(before, after) ? null
            : $"it connected from {after}, outside the {(Normalise(before).AddressFamily == AddressFamily.InterNetwork ? "/24" : "/64")} of its last address {before}";
    }

    public static bool SameSubnet(IPAddress a, IPAddress b)
    {
        a = Normalise(a);
        b = Normalise(b);
        if (a.AddressFamily != b.AddressFamily)
            return false;
        var prefix = a.AddressFamily == AddressFamily.InterNetwork ? 3 : 8;
        return a.GetAddressBytes().AsSpan(0, prefix).SequenceEqual(b.GetAddressBytes().AsSpan(0, prefix));
    }

    private static IPAddress Normalise(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
}
