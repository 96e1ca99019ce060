using System.Threading.Channels;
using NvrBlazor.Domain.Notifications;

namespace NvrBlazor.Web.Events;

/// <summary>
/// The server's one event stream: motion started and ended, clips completed, cameras online, offline or waiting for
/// approval, recording stopped for lack of disk, a housekeeping job failed. Whoever sees it happen publishes; each
/// reader (the notification dispatcher, each MQTT bridge) has its own bounded queue, so a slow reader loses its
/// oldest events and never slows a camera or another reader.
/// </summary>
public sealed class NvrEvents
{
    public const int QueueEvents = 1000;
    private readonly Lock gate = new();
    private Channel<NvrEvent>[] readers = [];

    public void Publish(NvrEvent e)
    {
        foreach (var reader in Volatile.Read(ref readers))
            reader.Writer.TryWrite(e); // a full queue drops its oldest event: never waits
    }

    /// <summary>Events from now on, until the token ends.</summary>
    public async IAsyncEnumerable<NvrEvent> ReadAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var channel = Channel.CreateBounded<NvrEvent>(new BoundedChannelOptions(QueueEvents) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
        lock (gate)
            readers = [.. readers, channel];
        try
        {
            await foreach (var e in channel.Reader.ReadAllAsync(cancellationToken))
                yield return e;
        }
        finally
        {
            lock (gate)
                readers = [.. readers.Where(r => r != channel)];
        }
    }
}
