using NvrBlazor.Domain.Agent;

namespace NvrBlazor.Tests.Domain.Agent;

public class AgentCommandsTests
{
    private static readonly CaptureSettings Vga = new(10, 640, 480, 12);

    [Fact]
    public void Understood_commands_change_the_settings_and_are_echoed()
    {
        var outcome = AgentCommands.Apply(Vga, "fps=5;framesize=5;quality=20");
        Assert.Equal(new CaptureSettings(5, 320, 240, 20), outcome.Settings);
        Assert.Equal(["fps=5", "framesize=5", "quality=20"], outcome.Echoes);
        Assert.Empty(outcome.Refused);
        Assert.Equal(10, outcome.Settings.FfmpegQuality);
        Assert.Equal(5, outcome.Settings.FrameSizeIndex);
    }

    [Fact]
    public void Pause_and_resume()
    {
        var paused = AgentCommands.Apply(Vga, "pause=1").Settings;
        Assert.True(paused.Paused);
        Assert.False(AgentCommands.Apply(paused, "pause=0").Settings.Paused);
    }

    [Fact]
    public void Bad_values_and_unknown_commands_are_refused_with_the_reason_and_change_nothing()
    {
        var outcome = AgentCommands.Apply(Vga, "fps=0;fps=abc;framesize=99;quality=2;lamp=7;reset=1");
        Assert.Equal(Vga, outcome.Settings);
        Assert.Empty(outcome.Echoes);
        Assert.Equal(6, outcome.Refused.Count);
        Assert.Contains("fps must be 1 to 30", outcome.Refused[0]);
        Assert.Contains("not a valid value for fps", outcome.Refused[1]);
        Assert.Contains("not a valid value for framesize", outcome.Refused[2]);
        Assert.Contains("quality must be 4", outcome.Refused[3]);
        Assert.Contains("applies only fps, framesize, quality, pause and status", outcome.Refused[4]);
    }

    [Fact]
    public void Status_is_asked_with_the_bare_word()
    {
        var outcome = AgentCommands.Apply(Vga, "status");
        Assert.True(outcome.StatusAsked);
        Assert.Equal("8", outcome.Settings.Status("Garage")["framesize"]);
        Assert.Equal("Garage", outcome.Settings.Status("Garage")["hostName"]);
    }
}
