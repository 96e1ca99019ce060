namespace NvrBlazor.Web.Recording;

/// <summary>
/// Stops recording before the disk is full and says so: below Nvr:Recording:MinFreeMb free (checked every
/// few seconds), or after ffmpeg reported "No space left on device". Recording resumes by itself once
/// there is room again. The alert is shown on the live page and in health.
/// </summary>
public sealed partial class DiskSpaceGuard(StorageFolders folders, RecordingOptions options, ILogger<DiskSpaceGuard> logger, PageUpdates? updates = null, Events.NvrEvents? events = null)
{
    /// <summary>After a real ENOSPC, this much more than the minimum must be free before recording resumes (no flapping).</summary>
    private const long ResumeMargin = 64L * 1024 * 1024;
    private volatile string? alert;
    private volatile bool reportedFull;

    public string? Alert => alert;

    /// <summary>Raised when recording stops for want of space (not again until it has resumed): retention runs at once.</summary>
    public event Action? LowSpace;
    public bool Low => alert is not null;
    public long? FreeBytes { get; private set; }

    public void Check()
    {
        long free;
        try
        {
            free = new DriveInfo(folders.RecordingsPath).AvailableFreeSpace;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            Raise($"Recording stopped: the free space of {folders.RecordingsPath} cannot be read ({e.Message}).");
            return;
        }
        FreeBytes = free;
        var needed = options.MinFreeBytes + (reportedFull ? ResumeMargin : 0);
        if (free < needed)
            Raise($"Recording stopped: {free / 1024 / 1024} MB free in {folders.RecordingsPath}, below Nvr:Recording:MinFreeMb ({options.MinFreeMb} MB). " +
                  "It resumes by itself when space is freed (delete clips or lower the setting).");
        else
            Clear(free);
    }

    /// <summary>ffmpeg hit ENOSPC: stop at once, whatever the last check said.</summary>
    public void ReportFull(string detail)
    {
        reportedFull = true;
        Raise($"Recording stopped: the disk of {folders.RecordingsPath} is full ({detail}). It resumes by itself when space is freed.");
    }

    private void Raise(string text)
    {
        var first = alert is null;
        if (first)
            LogLow(logger, text);
        alert = text;
        if (first)
        {
            LowSpace?.Invoke();
            updates?.Changed(PageTopic.Disk);
            events?.Publish(new Domain.Notifications.NvrEvent { Kind = Domain.Notifications.EventKinds.DiskFull, At = DateTimeOffset.UtcNow, Message = text });
        }
    }

    private void Clear(long free)
    {
        var had = alert is not null;
        if (had)
            LogResumed(logger, free / 1024 / 1024);
        alert = null;
        if (had)
            updates?.Changed(PageTopic.Disk);
        reportedFull = false;
    }

    [LoggerMessage(EventId = 410, Level = LogLevel.Error, Message = "{Alert}")]
    private static partial void LogLow(ILogger logger, string alert);

    [LoggerMessage(EventId = 411, Level = LogLevel.Information, Message = "Recording resumes: {FreeMb} MB free again.")]
    private static partial void LogResumed(ILogger logger, long freeMb);
}
