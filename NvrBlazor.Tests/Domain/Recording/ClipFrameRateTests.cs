using NvrBlazor.Domain.Recording;

namespace NvrBlazor.Tests.Domain.Recording;

public class ClipFrameRateTests
{
    [Theory]
    [InlineData(10, 31, 10)] // 30 intervals in 3 s: exactly the claim
    [InlineData(10, 24, 10)] // 7.7 fps measured under load: the claim (within 35 %)
    [InlineData(10, 38, 10)] // 12.3 fps measured after a burst: the claim
    [InlineData(10, 19, 6)]  // 6 fps: the camera really is slower than it says
    [InlineData(10, 43, 14)] // 14 fps: faster than it says
    [InlineData(null, 24, 8)] // no claim: what was measured
    [InlineData(50, 24, 8)]  // a claim beyond 30 is not believed
    public void A_cameras_own_rate_wins_over_a_measurement_that_wobbles_but_not_over_a_real_difference(int? claimed, int frames, int expected) =>
        Assert.Equal(expected, ClipFrameRate.Of(frames, TimeSpan.FromSeconds(3), claimed));
}
