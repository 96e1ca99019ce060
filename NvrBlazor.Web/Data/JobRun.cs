namespace NvrBlazor.Web.Data;

/// <summary>What started a run: its schedule, an admin's "Run now", the recorder running short of space, or the server starting.</summary>
public enum JobTrigger { Schedule = 0, Manual = 1, LowSpace = 2, Startup = 3 }

/// <summary>Partial: the run finished but some items failed (named in Error); Failed: the run itself stopped with an error.</summary>
public enum JobOutcome { Running = 0, Succeeded = 1, Partial = 2, Failed = 3 }

/// <summary>One run of a housekeeping job (table JobRuns). Times are Unix milliseconds, like the clips'.</summary>
public sealed class JobRun
{
    public long Id { get; set; }
    public string Job { get; set; } = "";
    public JobTrigger Trigger { get; set; }
    /// <summary>The admin who pressed "Run now"; null for other triggers.</summary>
    public string? RequestedBy { get; set; }
    public DateTimeOffset Started { get; set; }
    public DateTimeOffset? Ended { get; set; }
    public JobOutcome Outcome { get; set; }
    public int ClipsDeleted { get; set; }
    public long BytesFreed { get; set; }
    /// <summary>What the run did, for people: "Garden: 12 clips by age (240 MB)", "3 files indexed"...</summary>
    public string Summary { get; set; } = "";
    public string? Error { get; set; }
}

/// <summary>What a job's work reports back to be stored in its run. Noteworthy: it changed something besides deleting clips (worth an Information log line).</summary>
public sealed record JobResult(int ClipsDeleted, long BytesFreed, string Summary, string? Error = null, bool Noteworthy = false);
