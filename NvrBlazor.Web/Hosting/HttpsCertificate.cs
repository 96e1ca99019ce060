using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace NvrBlazor.Web.Hosting;

/// <summary>
/// The certificate Kestrel serves HTTPS with: the operator's (PFX, or PEM with a key file) when
/// configured, otherwise a self-signed one generated on first start and kept in the data folder so
/// browsers see the same certificate after a restart.
/// </summary>
public static class HttpsCertificate
{
    public static X509Certificate2 Load(EndpointOptions options, StorageFolders folders, ILogger logger)
    {
        if (!string.IsNullOrWhiteSpace(options.CertificatePath))
            return LoadConfigured(options);

        var path = folders.SelfSignedCertificatePath;
        if (File.Exists(path))
        {
            try
            {
                var existing = X509CertificateLoader.LoadPkcs12FromFile(path, password: null);
                if (existing.NotAfter > DateTime.Now.AddDays(30))
                    return existing;
                logger.LogWarning("The self-signed HTTPS certificate {Path} expires on {NotAfter:yyyy-MM-dd}; generating a new one.", path, existing.NotAfter);
            }
            catch (CryptographicException e)
            {
                logger.LogWarning("The self-signed HTTPS certificate {Path} could not be read ({Error}); generating a new one.", path, e.Message);
            }
        }

        var pfx = CreateSelfSigned(Environment.MachineName, DateTimeOffset.UtcNow);
        OwnerOnlyFile.WriteAllBytes(path, pfx);
        logger.LogInformation("Generated a self-signed HTTPS certificate at {Path}. Set Nvr:Https:CertificatePath to use your own.", path);
        return X509CertificateLoader.LoadPkcs12(pfx, password: null);
    }

    private static X509Certificate2 LoadConfigured(EndpointOptions options)
    {
        try
        {
            if (!string.IsNullOrWhiteSpace(options.KeyPath))
                return X509Certificate2.CreateFromPemFile(options.CertificatePath, options.KeyPath);
            return X509CertificateLoader.LoadPkcs12FromFile(options.CertificatePath,
                string.IsNullOrEmpty(options.CertificatePassword) ? null : options.CertificatePassword);
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new StartupException(
                $"The HTTPS certificate '{options.CertificatePath}' could not be loaded ({e.Message}). Check Nvr:Https:CertificatePath, " +
                "Nvr:Https:KeyPath (PEM) or Nvr:Https:CertificatePassword (PFX), or clear Nvr:Https:CertificatePath to use a self-signed certificate.", e);
        }
    }

    /// <summary>PFX bytes (no password; the file is mode 0600) of a 5-year ECDSA P-256 server certificate.</summary>
    public static byte[] CreateSelfSigned(string hostName, DateTimeOffset now)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN=NvrBlazor {hostName}", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        if (!string.IsNullOrWhiteSpace(hostName) && !hostName.Equals("localhost", StringComparison.OrdinalIgnoreCase))
            names.AddDnsName(hostName);
        names.AddIpAddress(IPAddress.Loopback);
        names.AddIpAddress(IPAddress.IPv6Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var certificate = request.CreateSelfSigned(now.AddDays(-1), now.AddYears(5));
        return certificate.Export(X509ContentType.Pfx);
    }
}
