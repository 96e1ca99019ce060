using System.Globalization;

namespace NvrBlazor.Bench.Load;

/// <summary>The load benchmark's command line; a bad value is an error that names the option.</summary>
public sealed record BenchOptions
{
    public string Scenario { get; init; } = "all";
    public int? Seconds { get; init; }
    public int WarmUpSeconds { get; init; } = 5;
    public int? Cameras { get; init; }
    public double? Fps { get; init; }
    public int? Viewers { get; init; }
    public string? Resolution { get; init; }
    public string Protocol { get; init; } = "mixed";
    public string Motion { get; init; } = "camera";
    public Uri? Url { get; init; }
    public string? Password { get; init; }
    public string? ServerDll { get; init; }
    public string Out { get; init; } = "bench-results.md";
    public string? Plot { get; init; }
    public IReadOnlyList<int> SeriesCameras { get; init; } = [10, 50, 100, 200];
    public IReadOnlyList<int> SeriesViewers { get; init; } = [1, 5, 10, 20];

    public const string Usage = """
        usage: NvrBlazor.Bench --scenario <name|all|series|custom> [options]
          scenarios: ingest-50x10-vga, many-200x5-vga, fanout-20x10-vga-10viewers, hd-10x15, record-10x10-vga,
                     slow-viewer, bad-input; "series" (10/50/100/200 cameras, then 1/5/10/20 viewers on 20 cameras);
                     "all" (every scenario, then the series); "custom" (only the options below)
          --duration <s>        measuring window per scenario (default 20; slow-viewer 75)
          --warmup <s>          traffic before the window opens (default 5)
          --cameras <n> --fps <f> --viewers <m> --resolution qvga|vga|hd   override the scenario's load
          --protocol esp32|nvr|mixed   how the cameras speak (default mixed: even cameras ESP32, odd NvrBlazor)
          --motion camera|server       whose motion counts in the live scenarios (default camera: the server's
                                       detector idles, as with ESP32 cameras reporting their own motion)
          --url <http://host:port> --password <admin password>   a running server instead of a child process
          --server-dll <path>          the NvrBlazor.Web.dll to start (default: this repository's Release build)
          --out <file.md>              where the markdown report goes (default bench-results.md)
          --plot <file.svg>            the growth plot (default: beside --out)
          --series-cameras 10,50,100,200 --series-viewers 1,5,10,20
        """;

    public static BenchOptions Parse(IReadOnlyList<string> args)
    {
        var options = new BenchOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            if (i + 1 >= args.Count)
                throw new ArgumentException($"{name} needs a value");
            var value = args[++i];
            options = name switch
            {
                "--scenario" => options with { Scenario = value },
                "--duration" => options with { Seconds = Positive(name, value) },
                "--warmup" => options with { WarmUpSeconds = Positive(name, value) },
                "--cameras" => options with { Cameras = Positive(name, value) },
                "--fps" => options with { Fps = PositiveNumber(name, value) },
                "--viewers" => options with { Viewers = NonNegative(name, value) },
                "--resolution" => TestFrames.Sizes.ContainsKey(value) ? options with { Resolution = value.ToLowerInvariant() } : throw Bad(name, value, "qvga, vga or hd"),
                "--protocol" => value is "esp32" or "nvr" or "mixed" ? options with { Protocol = value } : throw Bad(name, value, "esp32, nvr or mixed"),
                "--motion" => value is "camera" or "server" ? options with { Motion = value } : throw Bad(name, value, "camera or server"),
                "--url" => Uri.TryCreate(value, UriKind.Absolute, out var url) && url.Scheme == "http" ? options with { Url = url } : throw Bad(name, value, "an http:// address"),
                "--password" => options with { Password = value },
                "--server-dll" => File.Exists(value) ? options with { ServerDll = Path.GetFullPath(value) } : throw Bad(name, value, "an existing NvrBlazor.Web.dll"),
                "--out" => options with { Out = value },
                "--plot" => options with { Plot = value },
                "--series-cameras" => options with { SeriesCameras = List(name, value) },
                "--series-viewers" => options with { SeriesViewers = List(name, value) },
                _ => throw new ArgumentException($"unknown option {name}"),
            };
        }
        if (options.Url is not null && options.Password is null)
            throw new ArgumentException("--url needs --password (the admin's)");
        if (options.Cameras > 64 * 1024)
            throw new ArgumentException("--cameras is at most 65536");
        return options;
    }

    /// <summary>The scenarios to run, with the load options applied.</summary>
    public IReadOnlyList<Scenario> Scenarios()
    {
        IReadOnlyList<Scenario> chosen = Scenario switch
        {
            "all" => [.. Load.Scenario.Named, .. Load.Scenario.Series(SeriesCameras, SeriesViewers)],
            "series" => Load.Scenario.Series(SeriesCameras, SeriesViewers),
            "custom" => [new Scenario("custom", Cameras ?? 10, Fps ?? 10, Viewers ?? 1, Resolution ?? "vga")],
            _ => Load.Scenario.Named.Where(s => s.Name == Scenario).ToList() is { Count: 1 } one
                ? one
                : throw new ArgumentException($"--scenario: no scenario '{Scenario}'; one of {string.Join(", ", Load.Scenario.Named.Select(s => s.Name))}, all, series, custom"),
        };
        return chosen.Select(s => s with
        {
            Cameras = Cameras ?? s.Cameras,
            Fps = Fps ?? s.Fps,
            Viewers = Viewers ?? s.Viewers,
            Resolution = Resolution ?? s.Resolution,
            Seconds = Seconds ?? s.Seconds ?? 20,
        }).ToList();
    }

    private static ArgumentException Bad(string name, string value, string expected) => new($"{name} '{value}': expected {expected}");

    private static int Positive(string name, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : throw Bad(name, value, "a whole number above 0");

    private static int NonNegative(string name, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : throw Bad(name, value, "a whole number");

    private static double PositiveNumber(string name, string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && n is > 0 and <= 60 ? n : throw Bad(name, value, "a number of frames per second from 0 to 60");

    private static List<int> List(string name, string value) => value.Split(',').Select(v => Positive(name, v.Trim())).ToList();
}
