using Microsoft.AspNetCore.Http.HttpResults;
using NvrBlazor.Domain.Users;
using NvrBlazor.Web.Cameras;
using NvrBlazor.Web.Hosting;

namespace NvrBlazor.Web.Retention;

/// <summary>
/// A job with its schedule (5-field cron, null when it runs only when asked) and the same in words, its next scheduled
/// run, whether it runs now or a run of it waits to start, its last successful run, and its latest runs (newest first).
/// </summary>
public sealed record JobDto(string Name, string Description, string? Schedule, string ScheduleText, DateTimeOffset? NextRun, bool Running, bool Waiting,
    JobRun? LastSuccess, IReadOnlyList<JobRun> Runs);

/// <summary>/api/jobs and /api/retention/forecast, for admins only.</summary>
public static class RetentionApi
{
    public const int RecentRuns = 10;

    public static IServiceCollection AddRetention(this IServiceCollection services, IConfiguration configuration, StorageFolders folders)
    {
        services.AddSingleton(RetentionOptions.FromConfiguration(configuration));
        services.AddSingleton<RetentionPlanning>();
        services.AddSingleton<JobHistory>();
        services.AddSingleton<HousekeepingGate>();
        services.AddSingleton<StorageForecast>();
        services.AddTransient<RetentionJob>();
        services.AddTransient<ReconcileJob>();
        services.AddTransient<HousekeepingRunner>();
        services.AddSingleton<HousekeepingJobs>();
        // Before Hangfire's server: leftovers of a killed server are dropped before any worker could pick them up.
        services.AddHostedService(provider => provider.GetRequiredService<HousekeepingJobs>());
        services.AddHousekeepingHangfire(folders);
        return services;
    }

    public static void MapRetentionApi(this WebApplication app)
    {
        var admin = app.MapGroup("/api").RequireAuthorization(policy => policy.RequireRole(Roles.Admin)).WithTags("Housekeeping");
        admin.MapGet("/jobs", ListAsync).WithSummary("Each housekeeping job with its schedule (cron and in words), next run, whether it runs or waits to run, its last success and its latest runs.");
        admin.MapPost("/jobs/{name}/run", Run).DisableAntiforgery()
            .WithSummary("Queues a run of the job now through Hangfire (202); 409 while it is running or a run of it waits; 404 for an unknown job. The run appears in GET /api/jobs.");
        admin.MapGet("/cameras/{id:int}/retention", GetCameraAsync).WithSummary("A camera's retention: keepDays (null = the default), maxGb (null = none), onLimit (deleteOldest or stopRecording).");
        admin.MapPut("/cameras/{id:int}/retention", PutCameraAsync).DisableAntiforgery().WithSummary("Sets a camera's retention; 400 names a bad value. Applies at the next retention run.");
        app.MapHousekeepingDashboard();
        admin.MapGet("/retention/forecast", ForecastAsync)
            .WithSummary("Space used per camera, oldest clip, bytes per day over the last week, projected days of history, and the clips the next retention run would delete (the first `limit`, default 1000, oldest first).");
    }

    public static async Task<List<JobDto>> JobsAsync(HousekeepingJobs jobs, JobHistory history, CancellationToken cancellationToken)
    {
        var next = jobs.NextRuns();
        var list = new List<JobDto>();
        foreach (var job in jobs.Jobs)
            list.Add(new JobDto(job.Name, job.Description, job.Schedule?.Expression, job.Schedule?.Describe() ?? "off (runs only when asked)",
                job.Schedule is null ? null : next.GetValueOrDefault(job.Name), jobs.IsRunning(job.Name), jobs.IsWaiting(job.Name),
                await history.LastSucceededAsync(job.Name, cancellationToken), await history.RecentAsync(job.Name, RecentRuns, cancellationToken)));
        return list;
    }

    private static async Task<Ok<List<JobDto>>> ListAsync(HousekeepingJobs jobs, JobHistory history, CancellationToken cancellationToken) =>
        TypedResults.Ok(await JobsAsync(jobs, history, cancellationToken));

    private static Results<Accepted, NotFound<ProblemMessage>, Conflict<ProblemMessage>> Run(string name, HttpContext context, HousekeepingJobs jobs) =>
        jobs.Run(name, JobTrigger.Manual, context.User.Identity?.Name) switch
        {
            RunRequest.Started => TypedResults.Accepted("/api/jobs"),
            RunRequest.AlreadyRunning => TypedResults.Conflict(new ProblemMessage($"Job '{name}' is running or a run of it is waiting to start; its run will appear in the job history.")),
            _ => TypedResults.NotFound(new ProblemMessage($"There is no job '{name}'; the jobs are: {string.Join(", ", jobs.Jobs.Select(j => j.Name))}.")),
        };

    private static async Task<Results<Ok<CameraRetentionSettings>, NotFound>> GetCameraAsync(int id, CameraRegistry registry, CancellationToken cancellationToken) =>
        await registry.FindAsync(id, cancellationToken) is { } camera ? TypedResults.Ok(CameraRetentionSettings.Of(camera)) : TypedResults.NotFound();

    private static async Task<Results<Ok<CameraRetentionSettings>, NotFound, BadRequest<ProblemMessage>>> PutCameraAsync(
        int id, CameraRetentionSettings body, HttpContext context, CameraRegistry registry, CancellationToken cancellationToken)
    {
        if (body.Problem() is { } problem)
            return TypedResults.BadRequest(new ProblemMessage(problem));
        return await registry.SetRetentionAsync(id, body.KeepDays, body.MaxGb, body.OnLimit, context.User.Identity?.Name ?? "?", cancellationToken)
            ? TypedResults.Ok(body)
            : TypedResults.NotFound();
    }

    private static async Task<Results<Ok<ForecastDto>, BadRequest<ProblemMessage>>> ForecastAsync(StorageForecast forecast, CancellationToken cancellationToken, int? limit = null)
    {
        if (limit is < 0 or > StorageForecast.MaxLimit)
            return TypedResults.BadRequest(new ProblemMessage($"limit is {limit}; it must be 0 to {StorageForecast.MaxLimit} (default {StorageForecast.MaxListed})."));
        return TypedResults.Ok(await forecast.BuildAsync(cancellationToken, limit ?? StorageForecast.MaxListed));
    }
}
