namespace NvrBlazor.Web.Recording;

public sealed record FfmpegInfo(bool Found, string Path, string? Version, string? Error);

/// <summary>
/// Finds the ffmpeg binary (Nvr:Ffmpeg:Path, default "ffmpeg" on PATH) and reads its version.
/// The answer is cached for a minute: health checks run often, ffmpeg installs rarely.
/// </summary>
public sealed partial class FfmpegProbe(IConfiguration configuration, TimeProvider clock, ILogger<FfmpegProbe> logger)
{
    private static readonly TimeSpan CacheFor = TimeSpan.FromMinutes(1);
    private readonly SemaphoreSlim gate = new(1, 1);
    private (FfmpegInfo Info, DateTimeOffset At)? cached;

    public string ConfiguredPath => PathFrom(configuration);

    public static string PathFrom(IConfiguration configuration) => configuration["Nvr:Ffmpeg:Path"] is { Length: > 0 } path ? path : "ffmpeg";

    public async Task<FfmpegInfo> GetAsync(CancellationToken cancellationToken = default)
    {
        await gate.WaitAsync(cancellationToken);
        try
        {
            var now = clock.GetUtcNow();
            if (cached is { } hit && now - hit.At < CacheFor)
                return hit.Info;
            var info = await ProbeAsync(cancellationToken);
            if (!info.Found && cached?.Info.Found != false)
                LogMissing(logger, info.Path, info.Error ?? "");
            cached = (info, now);
            return info;
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task<FfmpegInfo> ProbeAsync(CancellationToken cancellationToken)
    {
        var path = Resolve(ConfiguredPath);
        if (path is null)
            return new FfmpegInfo(false, ConfiguredPath, null, $"'{ConfiguredPath}' was not found on PATH");
        try
        {
            // Through Instances, the process layer FFMpegCore runs ffmpeg with.
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(10));
            var result = await Instances.Instance.FinishAsync(path, "-hide_banner -version", timeout.Token);
            return result.ExitCode == 0
                ? new FfmpegInfo(true, path, ParseVersion(string.Join('\n', result.OutputData)), null)
                : new FfmpegInfo(false, path, null, $"'{path} -version' exited with code {result.ExitCode}");
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or OperationCanceledException or IOException or Instances.Exceptions.InstanceException)
        {
            return new FfmpegInfo(false, path, null, e.Message);
        }
    }

    /// <summary>"ffmpeg version 5.1.6-0+deb12u1 Copyright (c) ..." gives "5.1.6-0+deb12u1".</summary>
    public static string? ParseVersion(string output)
    {
        var firstLine = output.Split('\n', 2)[0].Trim();
        const string marker = "version ";
        var at = firstLine.IndexOf(marker, StringComparison.Ordinal);
        if (at < 0)
            return null;
        var rest = firstLine[(at + marker.Length)..];
        var end = rest.IndexOf(' ', StringComparison.Ordinal);
        return end < 0 ? rest : rest[..end];
    }

    private static string? Resolve(string command)
    {
        if (command.Contains('/', StringComparison.Ordinal))
            return File.Exists(command) ? Path.GetFullPath(command) : null;
        var pathVariable = Environment.GetEnvironmentVariable("PATH") ?? "";
        return pathVariable.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, command))
            .FirstOrDefault(File.Exists);
    }

    [LoggerMessage(EventId = 200, Level = LogLevel.Warning,
        Message = "ffmpeg not found ({Error}; looked for '{Path}'): recording is unavailable and health is degraded. Install it (apt-get install ffmpeg) or set Nvr:Ffmpeg:Path.")]
    private static partial void LogMissing(ILogger logger, string path, string error);
}
