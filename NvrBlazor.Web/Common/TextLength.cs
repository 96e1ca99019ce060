namespace NvrBlazor.Web.Common;

public static class TextLength
{
    /// <summary>The text cut to fit a column of <paramref name="max"/> characters, ending in "…" when cut.</summary>
    public static string Ellipsis(this string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}
