using System.Net;
using System.Net.Sockets;

namespace NvrBlazor.Tests.Support;

/// <summary>
/// Ports for the servers a test starts (NvrBlazor, Mosquitto, SMTP, RTSP, webhook receivers), bound a moment later by
/// another process. They come from below the kernel's ephemeral range (ip_local_port_range), and none twice in a test
/// run: a port the OS handed out from that range could be taken meanwhile by any outgoing connection of the parallel
/// tests, and a CI run failed that way ("address already in use" when the server bound it).
/// </summary>
public static class FreePort
{
    private const int Lowest = 10_000;
    private static readonly Lock Gate = new();
    private static readonly HashSet<int> Given = [];
    private static readonly int EphemeralStart = ReadEphemeralStart();

    /// <summary>A port that was free on loopback just now, outside the ephemeral range, not handed out before in this run.</summary>
    public static int Next()
    {
        lock (Gate)
        {
            for (var tries = 0; tries < 1000; tries++)
            {
                var port = Random.Shared.Next(Lowest, EphemeralStart);
                if (!Given.Add(port))
                    continue;
                try
                {
                    using var listener = new TcpListener(IPAddress.Loopback, port);
                    listener.Start();
                    return port;
                }
                catch (SocketException)
                {
                    // Someone listens there already: another.
                }
            }
        }
        throw new InvalidOperationException($"No free loopback port between {Lowest} and {EphemeralStart} after 1000 tries.");
    }

    private static int ReadEphemeralStart()
    {
        try
        {
            var first = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[])['\t', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries)[0];
            return int.Parse(first, System.Globalization.CultureInfo.InvariantCulture) is var start && start > Lowest + 1000 ? start : 32_768;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return 32_768;
        }
    }
}
