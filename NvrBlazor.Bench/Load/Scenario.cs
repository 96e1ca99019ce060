using System.Globalization;

namespace NvrBlazor.Bench.Load;

/// <summary>What is special about a scenario beyond cameras, rate and viewers.</summary>
public enum Twist
{
    None,
    /// <summary>Every camera records continuously (server motion detection on, as by default).</summary>
    Record,
    /// <summary>One more viewer, subscribed to every camera, stops reading once subscribed.</summary>
    StalledViewer,
    /// <summary>The ingest issue's bad inputs from other connections, mixed into the healthy traffic.</summary>
    BadInput,
}

/// <summary>One benchmark scenario: N cameras at F fps, M reading viewers per camera, a resolution, and a twist.</summary>
public sealed record Scenario(string Name, int Cameras, double Fps, int Viewers, string Resolution, Twist Twist = Twist.None, int? Seconds = null)
{
    public static readonly IReadOnlyList<Scenario> Named =
    [
        new("ingest-50x10-vga", 50, 10, 1, "vga"),
        new("many-200x5-vga", 200, 5, 1, "vga"),
        new("fanout-20x10-vga-10viewers", 20, 10, 10, "vga"),
        new("hd-10x15", 10, 15, 1, "hd"),
        new("record-10x10-vga", 10, 10, 1, "vga", Twist.Record),
        // Long enough for the server to give up on the stalled viewer (60 s without taking anything).
        new("slow-viewer", 10, 10, 2, "vga", Twist.StalledViewer, Seconds: 75),
        new("bad-input", 10, 10, 1, "vga", Twist.BadInput),
    ];

    /// <summary>The growth series: more cameras with one viewer each, then more viewers on 20 cameras.</summary>
    public static IReadOnlyList<Scenario> Series(IReadOnlyList<int> cameraCounts, IReadOnlyList<int> viewerCounts) =>
    [
        .. cameraCounts.Select(n => new Scenario($"series-{n}x10-vga", n, 10, 1, "vga")),
        .. viewerCounts.Select(m => new Scenario($"series-20x10-vga-{m}viewers", 20, 10, m, "vga")),
    ];

    /// <summary>Two runs with the same load measure the same thing: "all" reuses the first.</summary>
    public string LoadKey => string.Create(CultureInfo.InvariantCulture, $"{Cameras}x{Fps}x{Viewers}-{Resolution}-{Twist}");

    public string Shape => string.Create(CultureInfo.InvariantCulture, $"{Cameras} × {Fps:0.#} fps × {Viewers} viewer{(Viewers == 1 ? "" : "s")}, {Resolution.ToUpperInvariant()}");
}
