using System.Text;
using System.Text.Json;
using MQTTnet;
using MQTTnet.Protocol;
using NvrBlazor.Domain.Notifications;
using NvrBlazor.Web.Cameras;
using NvrBlazor.Web.Events;

namespace NvrBlazor.Web.Notifications;

/// <summary>
/// One broker connection per enabled MQTT channel, kept open and reconnected with backoff. On each (re)connect it
/// publishes, retained: the bridge's status (with a last will of "offline"), Home Assistant discovery for every camera
/// the channel covers, and each camera's availability, motion and latest snapshot; then it follows the event stream:
/// motion ON/OFF (and the snapshot at motion), object detected ON (with its labels) until the motion ends, availability,
/// each event as JSON, and the discovery removal of a deleted camera. The channel's camera choice applies to all of it;
/// its event choice to the JSON events; quiet hours and the minimum gap do not apply (a sensor's state must stay true).
/// </summary>
public sealed partial class MqttBridges(
    NvrEvents events, ChannelStore store, CameraHub hub, CameraRegistry registry, ILogger<MqttBridges> logger) : BackgroundService
{
    private static readonly TimeSpan[] Backoff = [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(30)];
    private readonly Dictionary<int, (string Signature, CancellationTokenSource Stop, Task Loop)> running = [];
    private readonly SemaphoreSlim changed = new(0);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        store.Changed += () => changed.Release();
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await ReconcileAsync(stoppingToken);
                await changed.WaitAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        foreach (var (_, stop, _) in running.Values)
            await stop.CancelAsync();
        await Task.WhenAll(running.Values.Select(r => r.Loop));
    }

    private async Task ReconcileAsync(CancellationToken stoppingToken)
    {
        var wanted = (await store.ListAsync(stoppingToken)).Where(c => c.Enabled && c.Kind == ChannelKind.Mqtt).ToDictionary(c => c.Id);
        foreach (var (id, (signature, stop, loop)) in running.ToList())
        {
            if (wanted.TryGetValue(id, out var channel) && Signature(channel) == signature)
                continue;
            await stop.CancelAsync();
            await loop;
            running.Remove(id);
        }
        foreach (var channel in wanted.Values.Where(c => !running.ContainsKey(c.Id)))
        {
            var stop = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            running[channel.Id] = (Signature(channel), stop, Task.Run(() => RunAsync(channel, stop.Token), CancellationToken.None));
        }
    }

    private static string Signature(NotificationChannel c) => JsonSerializer.Serialize(c);

    private async Task RunAsync(NotificationChannel channel, CancellationToken stop)
    {
        var failures = 0;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                using var client = new MqttClientFactory().CreateMqttClient();
                await client.ConnectAsync(Options(channel, store.SecretOf(channel)), stop);
                LogConnected(logger, channel.Name, channel.Address);
                failures = 0;
                await FollowAsync(client, channel, stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                var wait = Backoff[Math.Min(failures++, Backoff.Length - 1)];
                LogDisconnected(logger, channel.Name, channel.Address, e.Message, wait.TotalSeconds);
                try
                {
                    await Task.Delay(wait, stop);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    public static MqttClientOptions Options(NotificationChannel channel, string? password)
    {
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(channel.Address, channel.Port > 0 ? channel.Port : 1883)
            .WithClientId($"nvrblazor-{channel.Id}-{Environment.MachineName}".ToLowerInvariant())
            .WithTimeout(TimeSpan.FromSeconds(10))
            .WithWillTopic(HomeAssistantDiscovery.Status(channel.TopicPrefix))
            .WithWillPayload("offline"u8.ToArray())
            .WithWillRetain(true);
        if (!string.IsNullOrEmpty(channel.UserName))
            builder.WithCredentials(channel.UserName, password ?? "");
        return builder.Build();
    }

    private async Task FollowAsync(IMqttClient client, NotificationChannel channel, CancellationToken stop)
    {
        var prefix = channel.TopicPrefix;
        var rule = channel.Rule();
        bool Covers(int camera) => rule.CameraIds is null || rule.CameraIds.Contains(camera);
        // Events from before the state below is published: nothing between the snapshot of the state and the stream is lost.
        var stream = events.ReadAsync(stop).GetAsyncEnumerator(stop);
        var next = stream.MoveNextAsync();

        await PublishAsync(client, HomeAssistantDiscovery.Status(prefix), "online", retain: true, stop);
        foreach (var camera in (await registry.ListAsync(stop)).Where(c => Covers(c.Id)))
        {
            await DiscoverAsync(client, channel, camera.Id, camera.Name, stop);
            var live = hub.Find(camera.Id);
            await PublishAsync(client, HomeAssistantDiscovery.Availability(prefix, camera.Id), live?.Online == true ? "online" : "offline", retain: true, stop);
            await PublishAsync(client, HomeAssistantDiscovery.Motion(prefix, camera.Id), live?.Motion == true ? "ON" : "OFF", retain: true, stop);
            // While it moves, what the detector saw is told by the next event; still, nothing is there.
            if (live?.Motion != true)
                await PublishAsync(client, HomeAssistantDiscovery.Objects(prefix, camera.Id), "OFF", retain: true, stop);
            if (live?.LastFrame is { } frame)
                await PublishAsync(client, HomeAssistantDiscovery.Snapshot(prefix, camera.Id), frame.Jpeg, retain: true, stop);
        }

        try
        {
            while (await next)
            {
                var e = stream.Current;
                next = stream.MoveNextAsync();
                if (!client.IsConnected)
                    throw new IOException("the broker closed the connection");
                if (e.CameraId is { } id && !Covers(id))
                    continue;
                await PublishEventAsync(client, channel, e, stop);
            }
        }
        finally
        {
            await stream.DisposeAsync();
            if (client.IsConnected)
            {
                await PublishAsync(client, HomeAssistantDiscovery.Status(prefix), "offline", retain: true, CancellationToken.None);
                await client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), CancellationToken.None);
            }
        }
    }

    private async Task PublishEventAsync(IMqttClient client, NotificationChannel channel, NvrEvent e, CancellationToken stop)
    {
        var prefix = channel.TopicPrefix;
        if (e.CameraId is { } id)
        {
            switch (e.Kind)
            {
                case EventKinds.MotionStarted:
                    if (hub.Find(id)?.LastFrame is { } frame)
                        await PublishAsync(client, HomeAssistantDiscovery.Snapshot(prefix, id), frame.Jpeg, retain: true, stop);
                    await PublishAsync(client, HomeAssistantDiscovery.Motion(prefix, id), "ON", retain: true, stop);
                    break;
                case EventKinds.MotionEnded:
                    await PublishAsync(client, HomeAssistantDiscovery.Motion(prefix, id), "OFF", retain: true, stop);
                    await PublishAsync(client, HomeAssistantDiscovery.Objects(prefix, id), "OFF", retain: true, stop);
                    break;
                case EventKinds.ObjectDetected:
                    // The attributes first, so an automation woken by ON reads this event's labels, not the last one's.
                    await PublishAsync(client, HomeAssistantDiscovery.ObjectsAttributes(prefix, id),
                        JsonSerializer.Serialize(new { labels = e.Labels ?? [], score = e.Score, zone = e.Zone, at = e.At }, NotificationSender.Json), retain: true, stop);
                    await PublishAsync(client, HomeAssistantDiscovery.Objects(prefix, id), "ON", retain: true, stop);
                    break;
                case EventKinds.CameraOnline:
                    await DiscoverAsync(client, channel, id, e.CameraName ?? $"Camera {id}", stop);
                    await PublishAsync(client, HomeAssistantDiscovery.Availability(prefix, id), "online", retain: true, stop);
                    break;
                case EventKinds.CameraOffline:
                    await PublishAsync(client, HomeAssistantDiscovery.Availability(prefix, id), "offline", retain: true, stop);
                    break;
                case EventKinds.CameraRemoved:
                    if (!string.IsNullOrWhiteSpace(channel.To))
                    {
                        foreach (var topic in HomeAssistantDiscovery.ConfigTopics(channel.To.Trim(), id))
                            await PublishAsync(client, topic, Array.Empty<byte>(), retain: true, stop);
                    }
                    foreach (var topic in HomeAssistantDiscovery.StateTopics(prefix, id))
                        await PublishAsync(client, topic, Array.Empty<byte>(), retain: true, stop);
                    return;
            }
        }
        if ((channel.Events & e.Kind) == 0)
            return;
        var json = JsonSerializer.Serialize(e, NotificationSender.Json);
        await PublishAsync(client, e.CameraId is { } camera ? HomeAssistantDiscovery.Event(prefix, camera) : HomeAssistantDiscovery.Events(prefix), json, retain: false, stop);
    }

    private static async Task DiscoverAsync(IMqttClient client, NotificationChannel channel, int camera, string name, CancellationToken stop)
    {
        if (string.IsNullOrWhiteSpace(channel.To))
            return;
        foreach (var (topic, payload) in HomeAssistantDiscovery.Configs(channel.TopicPrefix, channel.To.Trim(), camera, name))
            await PublishAsync(client, topic, payload, retain: true, stop);
    }

    private static Task PublishAsync(IMqttClient client, string topic, string payload, bool retain, CancellationToken stop) =>
        PublishAsync(client, topic, Encoding.UTF8.GetBytes(payload), retain, stop);

    private static async Task PublishAsync(IMqttClient client, string topic, byte[] payload, bool retain, CancellationToken stop)
    {
        var message = new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload).WithRetainFlag(retain)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build();
        var result = await client.PublishAsync(message, stop);
        if (!result.IsSuccess)
            throw new IOException($"the broker refused {topic}: {result.ReasonCode}");
    }

    /// <summary>"Send test" of an MQTT channel: connects, publishes a test message, disconnects.</summary>
    public static async Task<(bool Delivered, string Outcome)> TestAsync(NotificationChannel channel, string? password, CancellationToken cancellationToken)
    {
        try
        {
            using var client = new MqttClientFactory().CreateMqttClient();
            var connected = await client.ConnectAsync(Options(channel, password) , cancellationToken);
            await PublishAsync(client, $"{channel.TopicPrefix}/test", "NvrBlazor test message", retain: false, cancellationToken);
            await client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), cancellationToken);
            return (true, $"connected ({connected.ResultCode}) and published {channel.TopicPrefix}/test");
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return (false, e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "MQTT channel {Channel}: connected to {Broker}")]
    private static partial void LogConnected(ILogger logger, string channel, string broker);

    [LoggerMessage(Level = LogLevel.Warning, Message = "MQTT channel {Channel}: no connection to {Broker} ({Reason}); trying again in {Seconds} s")]
    private static partial void LogDisconnected(ILogger logger, string channel, string broker, string reason, double seconds);
}
