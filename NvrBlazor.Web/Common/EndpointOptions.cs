namespace NvrBlazor.Web.Common;

/// <summary>Where Kestrel listens (section "Nvr").</summary>
public sealed class EndpointOptions
{
    /// <summary>Empty: every interface (IPv4 and IPv6). Otherwise one IP address, e.g. 127.0.0.1.</summary>
    public string ListenAddress { get; set; } = "";
    public int HttpPort { get; set; } = 9090;
    /// <summary>0 turns HTTPS off.</summary>
    public int HttpsPort { get; set; } = 9443;
    /// <summary>A .pfx, or a PEM certificate with <see cref="KeyPath"/>. Empty: a self-signed certificate kept in the data folder.</summary>
    public string CertificatePath { get; set; } = "";
    public string KeyPath { get; set; } = "";
    public string CertificatePassword { get; set; } = "";

    public static EndpointOptions FromConfiguration(IConfiguration configuration) => new()
    {
        ListenAddress = configuration["Nvr:ListenAddress"] ?? "",
        HttpPort = ReadPort(configuration, "Nvr:Http:Port", 9090),
        HttpsPort = ReadPort(configuration, "Nvr:Https:Port", 9443),
        CertificatePath = configuration["Nvr:Https:CertificatePath"] ?? "",
        KeyPath = configuration["Nvr:Https:KeyPath"] ?? "",
        CertificatePassword = configuration["Nvr:Https:CertificatePassword"] ?? "",
    };

    private static int ReadPort(IConfiguration configuration, string key, int fallback)
    {
        var text = configuration[key];
        if (string.IsNullOrWhiteSpace(text))
            return fallback;
        if (!int.TryParse(text, out var port) || port is < 0 or > 65535)
            throw new StartupException($"{key} is '{text}', which is not a port number (0-65535).");
        return port;
    }
}
