using System.Globalization;
using System.Text;

namespace NvrBlazor.Bench.Load;

/// <summary>The markdown report (traffic, cost, targets) and the growth plot as SVG.</summary>
public static class Report
{
    public static string Markdown(IReadOnlyList<ScenarioResult> results, string machine, string command)
    {
        var text = new StringBuilder();
        text.AppendLine(Invariant($"Machine: {machine}. Command: `{command}`."));
        text.AppendLine();
        text.AppendLine("**Traffic**: frames sent by the simulated cameras, taken in by the server, delivered to the reading viewers; \"whole run\" includes the warm-up (the server's first seconds: JIT compilation, connections settling), \"window\" only frames sent inside the measuring window. Latency: camera send to viewer receive, frames sent inside the window.");
        text.AppendLine();
        text.AppendLine("| Scenario | Load | Sent | Received by server | Refused | Delivered / expected, window | Missing: window / whole run | Dropped: viewer queues / recorder | Latency p50 / p99 / max (ms) |");
        text.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in results)
        {
            if (r.Error is not null)
            {
                text.AppendLine(Invariant($"| {r.Scenario.Name} | {r.Scenario.Shape} | **failed{(r.Crashed ? " (server crashed)" : "")}**: {Cell(r.Error)} | | | | | | |"));
                continue;
            }
            text.AppendLine(Invariant(
                $"| {r.Scenario.Name} | {r.Scenario.Shape} | {r.Sent:N0} | {r.ReceivedByServer:N0} | {r.RefusedByServer:N0} | {r.DeliveredInWindowToViewers:N0} / {r.ExpectedInWindow:N0} | {r.MissingInWindow:N0} / {r.Missing:N0} | {r.DroppedForViewers:N0} / {r.DroppedByRecorder:N0} | {r.P50:0.00} / {r.P99:0.00} / {r.Max:0.0} |"));
        }
        text.AppendLine();
        text.AppendLine("**Cost** (measuring window; CPU from `/proc/<pid>/stat`, memory sampled every 250 ms, GC and allocation from `/metrics`)");
        text.AppendLine();
        text.AppendLine("| Scenario | Window | Frames in / delivered per s | Server CPU (% of one core) | CPU µs per frame in / delivered | Peak RSS | Memory per camera beyond pre-roll | GC gen0 / gen1 / gen2 | Allocated: MB/s, bytes per frame delivered | Bench CPU | Bench late (ms) |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in results.Where(r => r.Error is null))
        {
            text.AppendLine(Invariant(
                $"| {r.Scenario.Name} | {r.WindowSeconds:0} s | {r.ReceivedInWindow / r.WindowSeconds:N0} / {r.DeliveredPerSecond:N0} | {r.CpuPercentOfCore:0.0} % | {r.MicrosecondsPerReceived:0} / {r.MicrosecondsPerDelivered:0} | {r.PeakRss / 1048576.0:0} MB | {r.MemoryPerCameraBeyondPreRoll / 1048576.0:0.00} MB | {r.Gen0:0} / {r.Gen1:0} / {r.Gen2:0} | {r.AllocatedBytes / r.WindowSeconds / 1048576.0:0.0}, {r.AllocatedPerDelivered:N0} | {r.BenchCpuSeconds / r.WindowSeconds * 100:0} % | {r.WorstSendLateMs:0} |"));
        }
        var recording = results.Where(r => r.Error is null && r.Scenario.Twist == Twist.Record).ToList();
        if (recording.Count > 0)
        {
            text.AppendLine();
            text.AppendLine("**Recording**");
            text.AppendLine();
            text.AppendLine("| Scenario | Server CPU | ffmpeg CPU | CPU per recorded camera-second | Clips complete / failed | Frames the recorder dropped |");
            text.AppendLine("|---|---:|---:|---:|---:|---:|");
            foreach (var r in recording)
                text.AppendLine(Invariant($"| {r.Scenario.Name} | {r.ServerCpuSeconds:0.0} s | {r.FfmpegCpuSeconds:0.0} s | {r.RecordCpuPerCameraSecond * 1000:0} ms | {r.ClipsComplete:0} / {r.ClipsFailed:0} | {r.DroppedByRecorder:N0} |"));
        }
        var notes = results.Where(r => r.Notes.Length > 0).ToList();
        if (notes.Count > 0)
        {
            text.AppendLine();
            foreach (var r in notes)
                text.AppendLine(Invariant($"- {r.Scenario.Name}: {r.Notes}"));
        }
        text.AppendLine();
        text.AppendLine("**Targets**");
        text.AppendLine();
        foreach (var line in Targets.Check(results))
            text.AppendLine("- " + line);
        return text.ToString();
    }

    /// <summary>Server CPU against frames delivered per second: more cameras (one viewer each), and more viewers on 20 cameras.</summary>
    public static string? Plot(IReadOnlyList<ScenarioResult> results)
    {
        var cameraSeries = results.Where(r => r.Error is null && r.Scenario.Name.StartsWith("series-", StringComparison.Ordinal) && r.Scenario.Viewers == 1 && !r.Scenario.Name.EndsWith("viewers", StringComparison.Ordinal)).OrderBy(r => r.Scenario.Cameras).ToList();
        var viewerSeries = results.Where(r => r.Error is null && r.Scenario.Name.StartsWith("series-20x10-vga-", StringComparison.Ordinal)).OrderBy(r => r.Scenario.Viewers).ToList();
        if (cameraSeries.Count + viewerSeries.Count < 2)
            return null;
        const double width = 720, height = 420, left = 70, right = 20, top = 40, bottom = 60;
        var all = cameraSeries.Concat(viewerSeries).ToList();
        var maxX = Nice(all.Max(r => r.DeliveredPerSecond));
        var maxY = Nice(all.Max(r => r.CpuPercentOfCore));
        double X(double v) => left + (v / maxX * (width - left - right));
        double Y(double v) => height - bottom - (v / maxY * (height - top - bottom));
        var svg = new StringBuilder();
        svg.AppendLine(Invariant($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" font-family=\"sans-serif\" font-size=\"12\">"));
        svg.AppendLine(Invariant($"<rect width=\"{width}\" height=\"{height}\" fill=\"white\"/>"));
        svg.AppendLine(Invariant($"<text x=\"{width / 2}\" y=\"22\" text-anchor=\"middle\" font-size=\"15\">NvrBlazor server CPU against live frames delivered (VGA, 10 fps per camera)</text>"));
        for (var i = 0; i <= 5; i++)
        {
            var x = maxX * i / 5;
            var y = maxY * i / 5;
            svg.AppendLine(Invariant($"<line x1=\"{X(x)}\" y1=\"{Y(0)}\" x2=\"{X(x)}\" y2=\"{Y(maxY)}\" stroke=\"#ddd\"/><text x=\"{X(x)}\" y=\"{Y(0) + 16}\" text-anchor=\"middle\">{x:N0}</text>"));
            svg.AppendLine(Invariant($"<line x1=\"{X(0)}\" y1=\"{Y(y)}\" x2=\"{X(maxX)}\" y2=\"{Y(y)}\" stroke=\"#ddd\"/><text x=\"{X(0) - 6}\" y=\"{Y(y) + 4}\" text-anchor=\"end\">{y:0}%</text>"));
        }
        svg.AppendLine(Invariant($"<text x=\"{(left + width - right) / 2}\" y=\"{height - 18}\" text-anchor=\"middle\">frames delivered to viewers per second</text>"));
        svg.AppendLine(Invariant($"<text transform=\"translate(16 {(top + height - bottom) / 2}) rotate(-90)\" text-anchor=\"middle\">server CPU, % of one core (machine: 200 %)</text>"));
        Line(svg, cameraSeries, "#1f77b4", r => Invariant($"{r.Scenario.Cameras} cams"), X, Y, labelBelow: false);
        Line(svg, viewerSeries, "#d62728", r => Invariant($"{r.Scenario.Viewers} viewer{(r.Scenario.Viewers == 1 ? "" : "s")}"), X, Y, labelBelow: true);
        svg.AppendLine(Invariant($"<rect x=\"{left + 10}\" y=\"{top + 4}\" width=\"12\" height=\"12\" fill=\"#1f77b4\"/><text x=\"{left + 28}\" y=\"{top + 14}\">more cameras, 1 viewer each</text>"));
        svg.AppendLine(Invariant($"<rect x=\"{left + 10}\" y=\"{top + 22}\" width=\"12\" height=\"12\" fill=\"#d62728\"/><text x=\"{left + 28}\" y=\"{top + 32}\">20 cameras, more viewers each</text>"));
        svg.AppendLine("</svg>");
        return svg.ToString();
    }

    private static void Line(StringBuilder svg, List<ScenarioResult> points, string colour, Func<ScenarioResult, string> label, Func<double, double> x, Func<double, double> y, bool labelBelow)
    {
        var dy = labelBelow ? 18 : -6;
        if (points.Count == 0)
            return;
        svg.AppendLine($"<polyline fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\" points=\"{string.Join(' ', points.Select(p => Invariant($"{x(p.DeliveredPerSecond):0.#},{y(p.CpuPercentOfCore):0.#}")))}\"/>");
        foreach (var p in points)
            svg.AppendLine(Invariant($"<circle cx=\"{x(p.DeliveredPerSecond):0.#}\" cy=\"{y(p.CpuPercentOfCore):0.#}\" r=\"4\" fill=\"{colour}\"/><text x=\"{x(p.DeliveredPerSecond) + 6:0.#}\" y=\"{y(p.CpuPercentOfCore) + dy:0.#}\" fill=\"{colour}\">{label(p)}</text>"));
    }

    private static double Nice(double value)
    {
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(Math.Max(value, 1))));
        foreach (var step in new[] { 1, 2, 2.5, 5, 10 })
        {
            if (step * magnitude >= value * 1.05)
                return step * magnitude;
        }
        return 10 * magnitude;
    }

    private static string Cell(string text) => text.Replace('|', '/').Replace('\n', ' ');

    public static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
