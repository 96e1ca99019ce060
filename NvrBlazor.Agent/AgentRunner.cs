using FFMpegCore;
using NvrBlazor.Agent.Streaming;
using NvrBlazor.Domain.Agent;

namespace NvrBlazor.Agent;

/// <summary>All cameras of one agent.json, each on its own <see cref="CameraLink"/>: one failing never holds up another.</summary>
public sealed class AgentRunner(AgentConfig config, FFOptions ffmpeg, Action<string> log)
{
    public IReadOnlyList<CameraLink> Cameras { get; } = config.Cameras.Select(c => new CameraLink(config, c, ffmpeg, log)).ToArray();

    public Task RunAsync(CancellationToken stop)
    {
        log($"streaming {Cameras.Count} camera(s) to {config.Server}");
        return Task.WhenAll(Cameras.Select(c => Task.Run(() => c.RunAsync(stop), CancellationToken.None)));
    }
}
