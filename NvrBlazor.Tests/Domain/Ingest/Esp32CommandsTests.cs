using NvrBlazor.Domain.Ingest;

namespace NvrBlazor.Tests.Domain.Ingest;

public class Esp32CommandsTests
{
    [Theory]
    [InlineData("fps=10")]
    [InlineData("framesize=8;fps=5;enableMotion=1")]
    [InlineData("status?q")]
    [InlineData("status")]
    public void Ordinary_commands_are_accepted(string command)
    {
        Assert.Null(Esp32Commands.Validate(command));
    }

    [Fact]
    public void A_command_longer_than_the_cameras_127_byte_buffer_is_refused_with_its_size()
    {
        var command = "lamp=1;" + new string('x', 121);
        Assert.Contains("128 bytes", Esp32Commands.Validate(command));
        Assert.Null(Esp32Commands.Validate(command[..127]));
    }

    [Theory]
    [InlineData("reset", "reset=")]
    [InlineData("fps=10;pause", "pause=1")]
    public void Commands_the_firmware_ignores_without_a_value_are_refused_with_an_example(string command, string hint)
    {
        Assert.Contains(hint, Esp32Commands.Validate(command));
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData("fps=10\nframesize=8")]
    public void Empty_or_multi_line_commands_are_refused(string command)
    {
        Assert.NotNull(Esp32Commands.Validate(command));
    }

    [Fact]
    public void Queued_commands_are_packed_in_order_into_messages_that_fit_the_buffer()
    {
        var queued = Enumerable.Range(0, 30).Select(i => $"setting{i:00}={i}").ToList();
        var messages = Esp32Commands.Pack(queued);
        Assert.All(messages, m => Assert.True(m.Length <= Esp32Commands.MaxMessageBytes));
        Assert.Equal(queued, messages.SelectMany(m => m.Split(';')).ToList());
        Assert.True(messages.Count < queued.Count);
    }

    [Fact]
    public void The_frame_size_table_matches_the_firmware()
    {
        Assert.Equal(14, FrameSizes.All.Count);
        Assert.Equal(new FrameSize(8, "VGA", 640, 480), FrameSizes.FromStatus("8"));
        Assert.Equal(1600, FrameSizes.FromStatus("13")!.Width);
        Assert.Null(FrameSizes.FromStatus("14"));
        Assert.Null(FrameSizes.FromStatus("VGA"));
        Assert.Null(FrameSizes.FromStatus(null));
    }
}
