using System.Runtime.InteropServices;

namespace NvrBlazor.Bench.Load;

/// <summary>
/// <c>dotnet run -c Release --project NvrBlazor.Bench -- --scenario all</c>: runs the scenarios one after
/// the other (each on a fresh server), prints and writes the markdown report and the growth plot, and
/// exits 1 if a server crashed or a scenario could not run.
/// </summary>
public static class LoadBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        BenchOptions options;
        IReadOnlyList<Scenario> scenarios;
        try
        {
            options = BenchOptions.Parse(args);
            scenarios = options.Scenarios();
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine(e.Message);
            Console.Error.WriteLine(BenchOptions.Usage);
            return 2;
        }
        var runner = new ScenarioRunner(options);
        var results = new List<ScenarioResult>();
        var byLoad = new Dictionary<string, ScenarioResult>(StringComparer.Ordinal);
        foreach (var scenario in scenarios)
        {
            if (byLoad.TryGetValue(scenario.LoadKey, out var same))
            {
                Console.Error.WriteLine($"{scenario.Name}: same load as {same.Scenario.Name}, reusing its figures");
                results.Add(same with { Scenario = scenario });
                continue;
            }
            Console.Error.WriteLine($"{scenario.Name}: {scenario.Shape}, {scenario.Seconds} s window after {options.WarmUpSeconds} s warm-up");
            var result = await runner.RunAsync(scenario);
            Console.Error.WriteLine(result.Error is null
                ? Report.Invariant($"  {result.Delivered:N0}/{result.Expected:N0} delivered, p99 {result.P99:0.00} ms, CPU {result.CpuPercentOfCore:0.0} % of a core, {result.MicrosecondsPerDelivered:0} µs per delivered frame, peak RSS {result.PeakRss / 1048576.0:0} MB")
                : $"  FAILED: {result.Error}");
            results.Add(result);
            byLoad[scenario.LoadKey] = result;
        }
        var report = Report.Markdown(results, Machine(), "dotnet run -c Release --project NvrBlazor.Bench -- " + string.Join(' ', args));
        Console.WriteLine(report);
        await File.WriteAllTextAsync(options.Out, report);
        Console.Error.WriteLine($"report written to {Path.GetFullPath(options.Out)}");
        if (Report.Plot(results) is { } svg)
        {
            var plot = options.Plot ?? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(options.Out))!, "bench-scaling.svg");
            await File.WriteAllTextAsync(plot, svg);
            Console.Error.WriteLine($"plot written to {Path.GetFullPath(plot)}");
        }
        if (results.Any(r => r.Crashed))
        {
            Console.Error.WriteLine("the server crashed in: " + string.Join(", ", results.Where(r => r.Crashed).Select(r => r.Scenario.Name)));
            return 1;
        }
        return results.Any(r => r.Error is not null) ? 1 : 0;
    }

    private static string Machine()
    {
        var cpu = File.Exists("/proc/cpuinfo") ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() : null;
        var os = File.Exists("/etc/os-release") ? File.ReadLines("/etc/os-release").FirstOrDefault(l => l.StartsWith("PRETTY_NAME=", StringComparison.Ordinal))?[12..].Trim('"') : null;
        var memory = File.Exists("/proc/meminfo") ? long.Parse(File.ReadLines("/proc/meminfo").First().Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) / 1048576.0 : 0;
        return Report.Invariant($"{Environment.ProcessorCount} cores ({cpu ?? "?"}), {memory:0} GiB, {os ?? RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}; the benchmark runs on the same machine as the server");
    }
}
