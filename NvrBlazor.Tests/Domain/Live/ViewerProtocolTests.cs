using NvrBlazor.Domain.Live;

namespace NvrBlazor.Tests.Domain.Live;

public class ViewerProtocolTests
{
    [Fact]
    public void A_frame_header_round_trips_in_big_endian()
    {
        var buffer = new byte[ViewerFrameHeader.Length];
        ViewerFrameHeader.Write(buffer, 258, 1_732_233_600_123, 1_732_233_600_456);
        Assert.Equal([1, 0, 0, 1, 2], buffer[..5]);
        Assert.Equal([0x00, 0x00, 0x01, 0x93, 0x51, 0x2B, 0x1C, 0x7B], buffer[5..13]);
        Assert.True(ViewerFrameHeader.TryRead(buffer, out var id, out var cameraTime, out var received));
        Assert.Equal((258, 1_732_233_600_123L, 1_732_233_600_456L), (id, cameraTime, received));
    }

    [Fact]
    public void A_short_or_foreign_message_is_not_a_frame()
    {
        Assert.False(ViewerFrameHeader.TryRead(new byte[20], out _, out _, out _));
        var wrongType = new byte[30];
        wrongType[0] = 2;
        Assert.False(ViewerFrameHeader.TryRead(wrongType, out _, out _, out _));
    }

    [Theory]
    [InlineData("{\"op\":\"subscribe\",\"camera\":3}", ViewerRequestKind.Subscribe, 3)]
    [InlineData("{\"camera\":12,\"op\":\"unsubscribe\"}", ViewerRequestKind.Unsubscribe, 12)]
    [InlineData("{\"op\":\"status\",\"camera\":1,\"extra\":true}", ViewerRequestKind.Status, 1)]
    public void Requests_are_understood(string text, ViewerRequestKind kind, int camera)
    {
        var (request, problem) = ViewerRequest.Parse(text);
        Assert.Null(problem);
        Assert.Equal(new ViewerRequest(kind, camera), request);
    }

    [Theory]
    [InlineData("subscribe 3", "not JSON")]
    [InlineData("[1,2]", "JSON object")]
    [InlineData("{\"camera\":3}", "missing \"op\"")]
    [InlineData("{\"op\":\"delete\",\"camera\":3}", "unknown op 'delete'")]
    [InlineData("{\"op\":\"subscribe\"}", "\"camera\"")]
    [InlineData("{\"op\":\"subscribe\",\"camera\":\"3\"}", "\"camera\"")]
    [InlineData("{\"op\":\"subscribe\",\"camera\":-1}", "\"camera\"")]
    [InlineData("{\"op\":\"subscribe\",\"camera\":1.5}", "\"camera\"")]
    [InlineData("{\"op\":\"subscribe\",\"camera\":99999999999}", "\"camera\"")]
    public void Bad_requests_are_refused_with_the_reason(string text, string reason)
    {
        var (request, problem) = ViewerRequest.Parse(text);
        Assert.Null(request);
        Assert.Contains(reason, problem);
    }

    [Fact]
    public void An_overlong_request_is_refused_before_parsing()
    {
        var (request, problem) = ViewerRequest.Parse("{\"op\":\"subscribe\",\"camera\":1,\"pad\":\"" + new string('x', 300) + "\"}");
        Assert.Null(request);
        Assert.Contains("longer than", problem);
    }
}

public class CameraAccessRulesTests
{
    [Theory]
    [InlineData(true, false, false, CameraStanding.Active, true)]
    [InlineData(true, false, false, CameraStanding.Pending, true)]
    [InlineData(true, false, false, CameraStanding.Disabled, true)]
    [InlineData(false, false, false, CameraStanding.Active, false)]
    [InlineData(false, false, true, CameraStanding.Active, true)]
    [InlineData(false, true, false, CameraStanding.Active, true)]
    [InlineData(false, true, true, CameraStanding.Pending, false)]
    [InlineData(false, true, true, CameraStanding.Disabled, false)]
    public void Viewers_see_granted_active_cameras_and_admins_see_all(bool admin, bool all, bool granted, CameraStanding standing, bool expected) =>
        Assert.Equal(expected, CameraAccessRules.CanView(admin, all, granted, standing));
}
