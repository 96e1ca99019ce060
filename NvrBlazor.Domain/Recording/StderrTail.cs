namespace NvrBlazor.Domain.Recording;

/// <summary>
/// Keeps the last lines a program (ffmpeg) wrote to stderr, at most <paramref name="maxChars"/> characters: enough to
/// say what went wrong, never unbounded. Lines may be added from any thread.
/// </summary>
public sealed class StderrTail(int maxChars = 1500)
{
    private readonly System.Text.StringBuilder text = new();

    public void Add(string line)
    {
        lock (text)
        {
            text.Append(line).Append('\n');
            if (text.Length > maxChars)
                text.Remove(0, text.Length - maxChars);
        }
    }

    public string Text
    {
        get
        {
            lock (text)
                return text.ToString().Trim();
        }
    }
}
