using NvrBlazor.Domain.Ingest;

namespace NvrBlazor.Tests.Domain.Ingest;

public sealed class CameraAddressRulesTests
{
    [Theory]
    [InlineData("192.168.1.20", "192.168.1.20", true)]
    [InlineData("192.168.1.20", "192.168.1.77", true)]     // a new DHCP lease
    [InlineData("192.168.1.20", "192.168.2.20", false)]
    [InlineData("192.168.1.20", "::ffff:192.168.1.30", true)]
    [InlineData("2001:db8:1:2::10", "2001:db8:1:2::99", true)]
    [InlineData("2001:db8:1:2::10", "2001:db8:1:3::10", false)]
    [InlineData("192.168.1.20", "2001:db8::1", false)]
    public void Same_subnet_is_the_24_or_the_64(string known, string now, bool allowed) =>
        Assert.Equal(allowed, CameraAddressRules.Refuse(CameraAddressPolicy.SameSubnet, known, now) is null);

    [Fact]
    public void Any_lets_a_camera_roam_and_a_first_address_is_always_accepted()
    {
        Assert.Null(CameraAddressRules.Refuse(CameraAddressPolicy.Any, "10.0.0.5", "172.16.0.5"));
        Assert.Null(CameraAddressRules.Refuse(CameraAddressPolicy.SameSubnet, null, "172.16.0.5"));
        Assert.Equal("it connected from 172.16.0.5, outside the /24 of its last address 10.0.0.5",
            CameraAddressRules.Refuse(CameraAddressPolicy.SameSubnet, "10.0.0.5", "172.16.0.5"));
    }
}
