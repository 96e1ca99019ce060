using NvrBlazor.Domain.Agent;

namespace NvrBlazor.Tests.Domain.Agent;

public class SecretTextTests
{
    [Theory]
    [InlineData("capture from rtsp://admin:hunter2@192.168.1.20:554/stream1 stopped", "capture from rtsp://***@192.168.1.20:554/stream1 stopped")]
    [InlineData("[tcp @ 0x55] rtsp://u:p%40ss@cam/1: Connection refused | http://me@host/x", "[tcp @ 0x55] rtsp://***@cam/1: Connection refused | http://***@host/x")]
    [InlineData("capture from /dev/video0 stopped", "capture from /dev/video0 stopped")]
    [InlineData("http://cam:81/stream and mail me@example.org", "http://cam:81/stream and mail me@example.org")]
    public void Credentials_in_addresses_are_hidden_and_nothing_else_changes(string text, string expected) =>
        Assert.Equal(expected, SecretText.Redact(text));
}
