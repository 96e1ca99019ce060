using Hangfire.Storage;
using Hangfire.Storage.SQLite;

namespace NvrBlazor.Web.Retention;

/// <summary>
/// Hangfire's SQLite job queue, woken when a job is queued in this process instead of polled every second. The
/// storage's own queue (<see cref="SQLiteJobQueue"/>) has no way to be told: each waiting worker queries the queue
/// table every QueuePollInterval, through sqlite-net's expression compiler. Every second, that was 29 of an idle
/// server's 236 CPU ticks in 120 s for the four workers (docs/performance.md), and up to a second of every
/// notification's delay. Here a worker waits on its own cancellation token joined with the <see cref="Bell"/>,
/// which every enqueue in this process rings after its row is written; QueuePollInterval stays as the fallback
/// for what no enqueue announces (a job whose worker died, visible again after the storage's invisibility timeout).
/// </summary>
public sealed class WakingJobQueueProvider(SQLiteStorageOptions options) : IPersistentJobQueueProvider
{
    private readonly SQLiteJobQueueProvider storage = new(options);
    private readonly Bell bell = new();

    public IPersistentJobQueue GetJobQueue(HangfireDbContext connection) => new WakingJobQueue(storage.GetJobQueue(connection), bell);

    public IPersistentJobQueueMonitoringApi GetJobQueueMonitoringApi(HangfireDbContext connection) => storage.GetJobQueueMonitoringApi(connection);

    private sealed class WakingJobQueue(IPersistentJobQueue stored, Bell bell) : IPersistentJobQueue
    {
        public IFetchedJob Dequeue(string[] queues, CancellationToken cancellationToken)
        {
            while (true)
            {
                // The bell's token is taken before the queue is read: a job queued after that read rings this token,
                // and one queued before it is found by the read.
                using var woken = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, bell.Next);
                try
                {
                    return stored.Dequeue(queues, woken.Token);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    // Rung: read the queue again.
                }
            }
        }

        public void Enqueue(string queue, string jobId)
        {
            stored.Enqueue(queue, jobId);
            bell.Ring();
        }
    }

    /// <summary>A token cancelled at the next ring (each ring hands out a new one; the old ones are left to the GC, never disposed under a waiter).</summary>
    private sealed class Bell
    {
        private CancellationTokenSource next = new();

        public CancellationToken Next => Volatile.Read(ref next).Token;

        public void Ring() => Interlocked.Exchange(ref next, new CancellationTokenSource()).Cancel();
    }
}
