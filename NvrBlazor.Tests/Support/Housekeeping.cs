using System.Net;
using System.Net.Http.Json;

namespace NvrBlazor.Tests.Support;

/// <summary>The housekeeping API as a client sees it: the job list, "Run now" and the forecast (enums as the JSON strings they are).</summary>
public static class Housekeeping
{
    public sealed record Run(long Id, string Trigger, string? RequestedBy, DateTimeOffset Started, DateTimeOffset? Ended, string Outcome,
        int ClipsDeleted, long BytesFreed, string Summary, string? Error);

    public sealed record Job(string Name, string Description, string? Schedule, string ScheduleText, DateTimeOffset? NextRun, bool Running, bool Waiting,
        Run? LastSuccess, List<Run> Runs);

    public sealed record PlannedClip(long Id, int? CameraId, string CameraName, DateTimeOffset Start, long Bytes, string Rule);

    public sealed record NextRun(int Count, long Bytes, List<PlannedClip> Clips);

    public sealed record CameraForecast(int? CameraId, string Name, int KeepDays, long? MaxBytes, string OnLimit, int Clips, long Bytes,
        DateTimeOffset? Oldest, double BytesPerDay, double ProjectedDays, string LimitedBy, string? Held, string? StopsRecording);

    public sealed record Forecast(DateTimeOffset At, List<CameraForecast> Cameras, NextRun NextRun, List<string> Warnings);

    public static async Task<List<Job>> JobsAsync(NvrClient admin) =>
        (await admin.Http.GetFromJsonAsync<List<Job>>("/api/jobs"))!;

    public static async Task<Forecast> ForecastAsync(NvrClient admin, int limit = 1000) =>
        (await admin.Http.GetFromJsonAsync<Forecast>($"/api/retention/forecast?limit={limit}"))!;

    /// <summary>Presses "Run now" through the API and waits for that run to finish; returns it.</summary>
    public static async Task<Run> RunAsync(NvrClient admin, string job, TimeSpan? timeout = null)
    {
        var before = (await JobsAsync(admin)).Single(j => j.Name == job).Runs.FirstOrDefault()?.Id ?? 0;
        using var response = await admin.Http.PostAsync($"/api/jobs/{job}/run", null);
        if (response.StatusCode != HttpStatusCode.Accepted)
            throw new InvalidOperationException($"Run now of {job}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        var runs = await Eventually.ValueAsync(async () => (await JobsAsync(admin)).Single(j => j.Name == job).Runs,
            runs => runs.FirstOrDefault() is { } newest && newest.Id > before && newest.Outcome != "running", timeout ?? TimeSpan.FromSeconds(60), $"a finished run of {job}");
        return runs[0];
    }
}
