using NvrBlazor.Domain.Ingest;

namespace NvrBlazor.Tests.Domain.Ingest;

public class CommandEchoTests
{
    private static readonly DateTimeOffset Sent = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Only_settings_the_firmware_echoes_are_waited_for()
    {
        Assert.Equal(["lamp=7", "quality=12"], CommandEcho.EchoedParts("lamp=7; fps=5;quality=12;framesize=8;pause=1;status"));
        Assert.Equal(CommandConfirmation.NotEchoed, CommandEcho.Check("fps=5;framesize=8", Sent, [], Sent.AddSeconds(30)));
    }

    [Fact]
    public void An_echo_after_the_send_confirms_with_or_without_the_timestamp_prefix()
    {
        Assert.Equal(CommandConfirmation.Confirmed, CommandEcho.Check("lamp=7", Sent, [(Sent.AddSeconds(1), "lamp=7")], Sent.AddSeconds(1)));
        Assert.Equal(CommandConfirmation.Confirmed, CommandEcho.Check("lamp=7;vflip=1", Sent,
            [(Sent.AddSeconds(1), "#12:00:01|lamp=7"), (Sent.AddSeconds(2), "#12:00:02|vflip=1")], Sent.AddSeconds(2)));
    }

    [Fact]
    public void Without_every_echo_it_waits_five_seconds_then_says_not_confirmed()
    {
        (DateTimeOffset, string)[] half = [(Sent.AddSeconds(1), "lamp=7")];
        Assert.Equal(CommandConfirmation.Waiting, CommandEcho.Check("lamp=7;vflip=1", Sent, half, Sent.AddSeconds(4)));
        Assert.Equal(CommandConfirmation.NotConfirmed, CommandEcho.Check("lamp=7;vflip=1", Sent, half, Sent.AddSeconds(5)));
        // An echo of the same value before this send is an older answer, not this one's.
        Assert.Equal(CommandConfirmation.NotConfirmed, CommandEcho.Check("lamp=7", Sent, [(Sent.AddSeconds(-3), "lamp=7")], Sent.AddSeconds(6)));
    }
}
