using NvrBlazor.Domain.Ingest;

namespace NvrBlazor.Tests.Domain.Ingest;

public class CommandPresetTextTests
{
    [Fact]
    public void The_python_servers_format_round_trips()
    {
        var text = CommandPresetText.Format(CommandPresetText.Defaults);
        var (presets, errors) = CommandPresetText.Parse(text + "\r\n\r\n");
        Assert.Empty(errors);
        Assert.Equal(CommandPresetText.Defaults, presets);
        Assert.StartsWith("Defaults|framesize=7;fps=5", text);
    }

    [Fact]
    public void Every_bad_line_is_reported_with_its_number_and_nothing_is_accepted()
    {
        var (presets, errors) = CommandPresetText.Parse("Good|fps=5\nno bar here\n|fps=1\nGood|lamp=1\nLong|" + new string('x', 130) + "\nBare|reset");
        Assert.Empty(presets);
        Assert.Contains(errors, e => e.StartsWith("Line 2:", StringComparison.Ordinal) && e.Contains("Name|commands"));
        Assert.Contains(errors, e => e.StartsWith("Line 3:", StringComparison.Ordinal) && e.Contains("name"));
        Assert.Contains(errors, e => e.StartsWith("Line 4:", StringComparison.Ordinal) && e.Contains("already called 'Good'"));
        Assert.Contains(errors, e => e.StartsWith("Line 5:", StringComparison.Ordinal) && e.Contains("127"));
        Assert.Contains(errors, e => e.StartsWith("Line 6:", StringComparison.Ordinal) && e.Contains("reset="));
    }
}
