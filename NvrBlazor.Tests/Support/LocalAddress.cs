using System.Net;
using System.Net.Sockets;

namespace NvrBlazor.Tests.Support;

/// <summary>Connections from another loopback address (127.0.0.2, 127.0.5.1 ...): to the server, another machine or network.</summary>
public static class LocalAddress
{
    public static SocketsHttpHandler Handler(IPAddress from, CookieContainer? cookies = null)
    {
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            // The server's certificate is the self-signed one it generated for this test.
            SslOptions = { RemoteCertificateValidationCallback = (_, _, _, _) => true },
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
                try
                {
                    socket.Bind(new IPEndPoint(from, 0));
                    await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        if (cookies is not null)
            handler.CookieContainer = cookies;
        return handler;
    }
}
