using System.Runtime.InteropServices;
using FFMpegCore;
using NvrBlazor.Agent;
using NvrBlazor.Agent.Capture;
using NvrBlazor.Domain.Agent;

// nvr-agent [--config agent.json] | --discover
var ffmpeg = new FFOptions { LogLevel = FFMpegCore.Enums.FFMpegLogLevel.Error };
if (args.Contains("--discover"))
{
    foreach (var line in await Discovery.ListAsync(ffmpeg))
        Console.WriteLine(line);
    return 0;
}
if (args.Contains("--help") || args.Contains("-h"))
{
    Console.WriteLine("nvr-agent [--config agent.json]   stream the cameras of agent.json to NvrBlazor");
    Console.WriteLine("nvr-agent --discover               list this machine's capture devices and their modes");
    return 0;
}
var at = Array.IndexOf(args, "--config");
var path = at >= 0 && at + 1 < args.Length ? args[at + 1] : "agent.json";
if (!File.Exists(path))
{
    Console.Error.WriteLine($"No configuration at {Path.GetFullPath(path)}: copy agent.example.json there and fill it in, or name one with --config.");
    return 2;
}
var (config, problems) = AgentConfig.Parse(await File.ReadAllTextAsync(path));
if (config is null)
{
    Console.Error.WriteLine($"{path} has mistakes, nothing started:");
    foreach (var problem in problems)
        Console.Error.WriteLine("  " + problem);
    return 2;
}

using var stop = new CancellationTokenSource();
using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => { context.Cancel = true; stop.Cancel(); });
using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => { context.Cancel = true; stop.Cancel(); });
await new AgentRunner(config, ffmpeg, line => Console.WriteLine($"{DateTimeOffset.Now:HH:mm:ss} {line}")).RunAsync(stop.Token);
return 0;
