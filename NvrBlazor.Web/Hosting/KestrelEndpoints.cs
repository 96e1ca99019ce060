using System.Net;

namespace NvrBlazor.Web.Hosting;

public static class KestrelEndpoints
{
    /// <summary>
    /// HTTP (the ESP32 firmware's default port 9090; cameras cannot speak TLS) and HTTPS for people.
    /// These settings replace ASPNETCORE_URLS / --urls, so that one set of keys controls the ports.
    /// </summary>
    public static void AddNvrEndpoints(this WebApplicationBuilder builder, StorageFolders folders, ILogger logger)
    {
        var options = EndpointOptions.FromConfiguration(builder.Configuration);
        IPAddress? address = null;
        if (!string.IsNullOrWhiteSpace(options.ListenAddress) && !IPAddress.TryParse(options.ListenAddress, out address))
            throw new StartupException($"Nvr:ListenAddress is '{options.ListenAddress}', which is not an IP address. Leave it empty to listen on every interface.");

        var certificate = options.HttpsPort > 0 ? HttpsCertificate.Load(options, folders, logger) : null;
        // Every connection (cameras, browsers, API) reads straight into a 4 KB block instead of first waiting for data
        // with a zero-byte read. A camera's socket always has the next frame coming, so the wait only cost a system call
        // per read (an idle server's CPU per received frame at 50 cameras: 0.151 against 0.160 ms, docs/performance.md).
        // The price: 4 KB held by each open connection while it waits.
        builder.WebHost.UseSockets(sockets => sockets.WaitForDataBeforeAllocatingBuffer = false);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            // "Server: Kestrel" tells a scanner what it is talking to, and nobody else needs it.
            kestrel.AddServerHeader = false;
            Listen(kestrel, address, options.HttpPort, null);
            if (certificate is not null)
                Listen(kestrel, address, options.HttpsPort, listen => listen.UseHttps(certificate));
        });
    }

    private static void Listen(Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions kestrel, IPAddress? address, int port,
        Action<Microsoft.AspNetCore.Server.Kestrel.Core.ListenOptions>? configure)
    {
        configure ??= _ => { };
        if (address is null)
            kestrel.ListenAnyIP(port, configure);
        else
            kestrel.Listen(address, port, configure);
    }
}
