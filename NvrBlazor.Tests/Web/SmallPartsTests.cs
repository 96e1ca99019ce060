using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Configuration;
using NvrBlazor.Tests.Support;
using NvrBlazor.Web.Health;
using NvrBlazor.Web.Recording;
using NvrBlazor.Web.Hosting;
using NvrBlazor.Web.Users;

namespace NvrBlazor.Tests.Web;

/// <summary>Pure pieces of the web project that need no server.</summary>
public class SmallPartsTests
{
    [Theory]
    [InlineData("/admin/users", "/admin/users")]
    [InlineData("/", "/")]
    [InlineData(null, "/")]
    [InlineData("", "/")]
    [InlineData("https://evil.example/", "/")]
    [InlineData("//evil.example/", "/")]
    [InlineData("/\\evil.example", "/")]
    [InlineData("admin", "/")]
    public void Return_urls_stay_on_this_server(string? url, string expected)
    {
        Assert.Equal(expected, LocalUrl.OrHome(url));
    }

    [Theory]
    [InlineData("ffmpeg version 5.1.6-0+deb12u1 Copyright (c) 2000-2024 the FFmpeg developers\nbuilt with gcc", "5.1.6-0+deb12u1")]
    [InlineData("ffmpeg version n7.1 Copyright", "n7.1")]
    [InlineData("something else", null)]
    public void Ffmpeg_version_is_read_from_the_first_line(string output, string? expected)
    {
        Assert.Equal(expected, FfmpegProbe.ParseVersion(output));
    }

    [Fact]
    public void Self_signed_certificate_is_a_server_certificate_for_localhost_valid_for_years()
    {
        var now = DateTimeOffset.UtcNow;
        using var certificate = X509CertificateLoader.LoadPkcs12(HttpsCertificate.CreateSelfSigned("nvrbox", now), password: null);
        Assert.True(certificate.HasPrivateKey);
        Assert.True(certificate.NotAfter > now.AddYears(4).DateTime);
        var names = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single().EnumerateDnsNames().ToList();
        Assert.Contains("localhost", names);
        Assert.Contains("nvrbox", names);
    }

    [Fact]
    public void An_unusable_recordings_folder_names_the_folder_and_the_setting_to_change()
    {
        var root = TestPaths.NewTempFolder("folders");
        var blocker = Path.Combine(root, "a-file");
        File.WriteAllText(blocker, "not a folder");
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Nvr:DataPath"] = Path.Combine(root, "data"),
            ["Nvr:RecordingsPath"] = Path.Combine(blocker, "recordings"),
        }).Build();

        var error = Assert.Throws<StartupException>(() => StorageFolders.Prepare(configuration, root));
        Assert.Contains(Path.Combine(blocker, "recordings"), error.Message);
        Assert.Contains("Nvr:RecordingsPath", error.Message);
        Assert.Contains("Nvr__RecordingsPath", error.Message);
    }

    [Fact]
    public void Relative_folders_are_taken_from_the_content_root_and_the_data_folder_is_owner_only()
    {
        var root = TestPaths.NewTempFolder("folders");
        var folders = StorageFolders.Prepare(new ConfigurationBuilder().Build(), root);
        Assert.Equal(Path.Combine(root, "data"), folders.DataPath);
        Assert.Equal(Path.Combine(root, "recordings"), folders.RecordingsPath);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(folders.DataPath));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(folders.KeysPath));
    }
}
