using NvrBlazor.Web.Cameras;
using NvrBlazor.Web.Shell;

namespace NvrBlazor.Web.Pull;

/// <summary>
/// One <see cref="CameraPuller"/> per active pull camera: started when an admin adds or approves one, restarted when its
/// source or login changes, stopped when it is disabled or deleted (a change to the camera list wakes it; it also looks
/// every 30 s), and all stopped when the server stops.
/// </summary>
public sealed class PullService(
    CameraRegistry registry, CameraHub hub, PullCredentials credentials, Recording.Ffmpeg ffmpeg, PageUpdates updates, TimeProvider clock, IHostApplicationLifetime lifetime, ILogger<CameraPuller> logger)
    : BackgroundService
{
    private readonly Dictionary<int, CameraPuller> pullers = [];
    private readonly SemaphoreSlim wake = new(0);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var changes = updates.Subscribe(TimeSpan.FromMilliseconds(200), () =>
        {
            wake.Release();
            return Task.CompletedTask;
        }, PageTopic.Cameras);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await SyncAsync(stoppingToken);
                await wake.WaitAsync(TimeSpan.FromSeconds(30), stoppingToken);
                while (wake.CurrentCount > 0)
                    await wake.WaitAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            await Task.WhenAll(pullers.Values.Select(p => p.DisposeAsync().AsTask()));
            pullers.Clear();
        }
    }

    private async Task SyncAsync(CancellationToken cancellationToken)
    {
        var wanted = (await registry.ListAsync(cancellationToken))
            .Where(c => c.Kind == CameraKind.Pull && c.State == CameraState.Active && c.PullSource is not null)
            .ToDictionary(c => c.Id);
        foreach (var (id, puller) in pullers.ToList())
        {
            if (wanted.TryGetValue(id, out var row) && row.PullSource == puller.Camera.PullSource && row.PullCredentials == puller.Camera.PullCredentials)
            {
                puller.Camera = row;
                continue;
            }
            pullers.Remove(id);
            await puller.DisposeAsync();
        }
        foreach (var row in wanted.Values.Where(row => !pullers.ContainsKey(row.Id)))
        {
            var puller = new CameraPuller(row, credentials.Unprotect(row.PullCredentials), hub, registry, ffmpeg, clock, logger, lifetime.ApplicationStopping);
            pullers[row.Id] = puller;
            puller.Start();
        }
    }
}

public static class PullServiceCollectionExtensions
{
    public static IServiceCollection AddPull(this IServiceCollection services)
    {
        services.AddSingleton<PullCredentials>();
        services.AddHostedService<PullService>();
        return services;
    }
}
