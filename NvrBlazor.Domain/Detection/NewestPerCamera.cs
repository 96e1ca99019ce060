namespace NvrBlazor.Domain.Detection;

/// <summary>
/// The detector's one queue for every camera: at most one waiting frame per camera, and a newer frame of the same
/// camera replaces the waiting one (counted as skipped) without losing its place. Cameras are served in the order
/// they started waiting, so a busy camera cannot starve the others. Bounded by the number of cameras; never blocks
/// the one who offers.
/// </summary>
public sealed class NewestPerCamera<T>
{
    private readonly Lock gate = new();
    private readonly Dictionary<int, T> waiting = [];
    private readonly Queue<int> order = new();
    private readonly SemaphoreSlim available = new(0);

    public int Count
    {
        get
        {
            lock (gate)
                return waiting.Count;
        }
    }

    /// <summary>The most frames that ever waited at once (never more than the cameras offering).</summary>
    public int Peak { get; private set; }

    /// <summary>Queues <paramref name="item"/> for <paramref name="camera"/>; true when it replaced a frame that was still waiting.</summary>
    public bool Offer(int camera, T item)
    {
        lock (gate)
        {
            var replaced = waiting.ContainsKey(camera);
            waiting[camera] = item;
            if (replaced)
                return true;
            order.Enqueue(camera);
            Peak = Math.Max(Peak, waiting.Count);
        }
        available.Release();
        return false;
    }

    /// <summary>Waits for the camera that has waited longest and takes its newest frame.</summary>
    public async Task<(int Camera, T Item)> TakeAsync(CancellationToken cancellationToken)
    {
        await available.WaitAsync(cancellationToken);
        lock (gate)
        {
            var camera = order.Dequeue();
            var item = waiting[camera];
            waiting.Remove(camera);
            return (camera, item);
        }
    }
}
