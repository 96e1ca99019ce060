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

public class CameraTokenTests
{
    [Fact]
    public void Tokens_are_random_url_safe_and_only_their_hash_identifies_them()
    {
        var (token, hash) = CameraToken.Create();
        var (other, otherHash) = CameraToken.Create();
        Assert.NotEqual(token, other);
        Assert.NotEqual(hash, otherHash);
        Assert.StartsWith("nvr_", token);
        Assert.True(token.Length >= 40);
        Assert.All(token, c => Assert.True(char.IsAsciiLetterOrDigit(c) || c is '-' or '_'));
        Assert.Equal(hash, CameraToken.Hash(token));
        Assert.Equal(64, hash.Length);
        Assert.DoesNotContain(token, hash);
    }
}
