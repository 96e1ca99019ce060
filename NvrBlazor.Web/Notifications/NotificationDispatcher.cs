using System.Text.Json;
using Hangfire;
using NvrBlazor.Domain.Notifications;
using NvrBlazor.Web.Events;

namespace NvrBlazor.Web.Notifications;

/// <summary>
/// Reads the server's event stream, applies each webhook and e-mail channel's rule (events, cameras, quiet hours,
/// minimum gap per camera) and queues a Hangfire delivery job per match. It never waits for a receiver: a slow or dead
/// webhook delays nothing but its own retries. MQTT channels read the stream themselves (<see cref="MqttBridges"/>).
/// </summary>
public sealed partial class NotificationDispatcher(
    NvrEvents events, ChannelStore store, IBackgroundJobClient jobs, TimeProvider clock, ILogger<NotificationDispatcher> logger) : BackgroundService
{
    // Per channel, camera and kind: a motion push does not hold back the person seen a second later, nor the clip.
    private readonly Dictionary<(int Channel, int Camera, EventKinds Kind), DateTimeOffset> lastSent = [];
    private IReadOnlyList<NotificationChannel>? channels;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        store.Changed += () => Volatile.Write(ref channels, null);
        try
        {
            await foreach (var e in events.ReadAsync(stoppingToken))
            {
                try
                {
                    await DispatchAsync(e, stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogDispatchFailed(logger, e.Kind, e.CameraName, ex);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task DispatchAsync(NvrEvent e, CancellationToken cancellationToken)
    {
        var current = Volatile.Read(ref channels) ?? (channels = await store.ListAsync(cancellationToken));
        var local = TimeOnly.FromDateTime(clock.GetLocalNow().DateTime);
        string? json = null; // serialized once, for the first channel that takes the event
        foreach (var channel in current)
        {
            if (!channel.Enabled || channel.Kind == ChannelKind.Mqtt)
                continue;
            var key = (channel.Id, e.CameraId ?? 0, e.Kind);
            var why = channel.Rule().Suppresses(e.Kind, e.CameraId, local, e.At, lastSent.TryGetValue(key, out var last) ? last : null, e.Labels);
            if (why is not null)
                continue;
            if (e.CameraId is not null)
                lastSent[key] = e.At;
            json ??= JsonSerializer.Serialize(e, NotificationSender.Json);
            var payload = json;
            jobs.Enqueue<NotificationSender>(sender => sender.DeliverAsync(channel.Id, payload, null, CancellationToken.None));
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not queue the notifications of {Kind} ({Camera})")]
    private static partial void LogDispatchFailed(ILogger logger, EventKinds kind, string? camera, Exception exception);
}
