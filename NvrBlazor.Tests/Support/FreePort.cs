using System.Net;
using System.Net.Sockets;

namespace NvrBlazor.Tests.Support;

public static class FreePort
{
    /// <summary>A port the OS just handed out on loopback; the server binds it a moment later.</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
