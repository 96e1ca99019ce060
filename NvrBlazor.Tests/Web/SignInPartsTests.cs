using System.Net;
using NvrBlazor.Web.Users;

namespace NvrBlazor.Tests.Web;

public sealed class SignInPartsTests
{
    [Theory]
    [InlineData("192.168.1.20", "192.168.1.20")]
    [InlineData("::ffff:192.168.1.20", "192.168.1.20")]
    [InlineData("2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::/64")]
    [InlineData("2001:db8:1:2::1", "2001:db8:1:2::/64")]
    public void An_IPv6_attacker_counts_as_one_address_per_64(string address, string key) =>
        Assert.Equal(key, SignInGuard.Key(IPAddress.Parse(address)));

    [Theory]
    [InlineData("/clips?camera=3", "/clips?camera=3")]
    [InlineData("//evil.example/", "/")]
    [InlineData("/\\evil.example", "/")]
    [InlineData("https://evil.example/", "/")]
    [InlineData("/a\r\nSet-Cookie: x=1", "/")]
    [InlineData("/caméra/é", "/cam%C3%A9ra/%C3%A9")]
    [InlineData(null, "/")]
    public void Return_urls_stay_on_this_server_and_are_ascii(string? url, string expected) => Assert.Equal(expected, LocalUrl.OrHome(url));
}
