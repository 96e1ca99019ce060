using System.Buffers;
using System.Net.WebSockets;

namespace NvrBlazor.Web.Common;

public enum ReceivedKind { Text, Binary, Closed, TooBig }

public readonly record struct ReceivedMessage(ReceivedKind Kind, ReadOnlyMemory<byte> Bytes);

/// <summary>
/// Reassembles one whole WebSocket message into a pooled buffer (ESP32 cameras send every message in
/// 10 KiB fragments). The buffer is reused for the next message: consumers copy what they keep.
/// </summary>
public sealed class WebSocketMessageReader(WebSocket socket, int maxMessageBytes) : IDisposable
{
    private byte[] buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);

    public async Task<ReceivedMessage> ReceiveAsync(CancellationToken cancellationToken)
    {
        var count = 0;
        while (true)
        {
            if (count == buffer.Length)
            {
                // One byte over the limit is enough to know the message is too big.
                var grown = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, maxMessageBytes + 1));
                buffer.AsSpan(0, count).CopyTo(grown);
                ArrayPool<byte>.Shared.Return(buffer);
                buffer = grown;
            }
            var result = await socket.ReceiveAsync(buffer.AsMemory(count, Math.Min(buffer.Length, maxMessageBytes + 1) - count), cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
                return new ReceivedMessage(ReceivedKind.Closed, default);
            count += result.Count;
            if (count > maxMessageBytes)
                return new ReceivedMessage(ReceivedKind.TooBig, default);
            if (result.EndOfMessage)
            {
                var kind = result.MessageType == WebSocketMessageType.Text ? ReceivedKind.Text : ReceivedKind.Binary;
                return new ReceivedMessage(kind, buffer.AsMemory(0, count));
            }
        }
    }

    public void Dispose() => ArrayPool<byte>.Shared.Return(buffer);
}
