using Microsoft.OpenApi;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;
using NvrBlazor.Domain.Clips;
using NvrBlazor.Domain.Recording;
using NvrBlazor.Domain.Users;
using NvrBlazor.Web.Audit;
using NvrBlazor.Web.Cameras;
using NvrBlazor.Web.Live;
using NvrBlazor.Web.Recording;

namespace NvrBlazor.Web.Clips;

/// <summary>The body of POST /api/clips/zip: either ids, or the same filters as GET /api/clips.</summary>
public sealed record ClipSelection(IReadOnlyList<long>? Ids, IReadOnlyList<int>? Camera, DateTimeOffset? From, DateTimeOffset? To,
    ClipReason? Reason, bool? Protected, double? MinSeconds)
{
    public ClipFilter Filter() => new()
    {
        Cameras = Camera ?? [], From = From, To = To, Reason = Reason, ProtectedOnly = Protected ?? false, MinSeconds = MinSeconds,
    };
}

public sealed record ClipIds(IReadOnlyList<long> Ids);

public sealed record ClipsDeleted(int Deleted, long BytesFreed, IReadOnlyList<long> StillRecording);

/// <summary>
/// /api/clips: search, play (range requests), download, ZIP, protect, delete. Every route reads the
/// user's rights from the database on each call; a clip of a camera the user may not see answers 404,
/// exactly like a clip that does not exist, so ids reveal nothing. Deleting is for Admins.
/// </summary>
public static class ClipsApi
{
    public static IServiceCollection AddClips(this IServiceCollection services) =>
        services.AddSingleton<ClipCatalog>().AddSingleton<ClipZip>();

    public static RouteGroupBuilder MapClipsApi(this WebApplication app)
    {
        var group = app.MapGroup("/api/clips").RequireAuthorization().WithTags("Clips");
        group.MapGet("/", ListAsync)
            .WithSummary("Clips newest first, filtered by camera (repeatable), from, to, reason, protected, minSeconds; pageSize (1-500, default 50) and cursor (from the X-Next-Cursor header of the previous page).")
            .WithFilterParameters();
        group.MapGet("/summary", SummaryAsync).WithSummary("How many clips match the filters and their total size and duration.").WithFilterParameters();
        group.MapGet("/timeline", TimelineAsync).WithSummary("Clips and motion events overlapping [from, to) (both required, at most 7 days), per camera; label=person keeps those in which the detector saw one.");
        group.MapGet("/{id:long}", GetAsync).WithSummary("One clip's metadata.");
        group.MapGet("/{id:long}/video", VideoAsync).WithSummary("The clip's MP4, inline, with HTTP range requests.");
        group.MapGet("/{id:long}/download", DownloadAsync).WithSummary("The clip's MP4 as an attachment named <camera>_<yyyy-MM-dd_HH-mm-ss>.mp4.");
        group.MapGet("/{id:long}/thumbnail", ThumbnailAsync).WithSummary("The clip's thumbnail JPEG.");
        group.MapPost("/zip", ZipAsync).DisableAntiforgery()
            .WithSummary("The selected clips (ids) or every clip matching the filters, as one ZIP streamed while it is written (at most 10000 clips).");
        group.MapGet("/zip", ZipQueryAsync)
            .WithSummary("The same ZIP for a browser link: ids (repeatable) or the filters of GET /api/clips in the query.")
            .WithFilterParameters(("ids", JsonSchemaType.String, "Clip ids, repeatable or comma-separated; without them the filters choose the clips."));
        group.MapPut("/{id:long}/protected", ProtectAsync).DisableAntiforgery().WithSummary("Body true or false: retention never deletes a protected clip.");
        var admin = group.MapGroup("").RequireAuthorization(policy => policy.RequireRole(Roles.Admin));
        admin.MapDelete("/{id:long}", DeleteAsync).DisableAntiforgery().WithSummary("Deletes the clip's file, thumbnail and row (Admin).");
        admin.MapPost("/delete", DeleteManyAsync).DisableAntiforgery().WithSummary("Deletes several clips (Admin); clips still being recorded are left and listed.");
        return group;
    }

    /// <summary>The filters are read from the query by <see cref="ClipFilter.Parse"/>, not bound by parameter: the API description lists them here.</summary>
    private static RouteHandlerBuilder WithFilterParameters(this RouteHandlerBuilder builder, params (string Name, JsonSchemaType Type, string Description)[] more) =>
        builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            operation.Parameters ??= [];
            foreach (var (name, type, description) in FilterParameters.Concat(more))
            {
                if (operation.Parameters.All(p => p.Name != name))
                    operation.Parameters.Add(new OpenApiParameter { Name = name, In = ParameterLocation.Query, Description = description, Schema = new OpenApiSchema { Type = type } });
            }
            return Task.CompletedTask;
        });

    private static readonly (string Name, JsonSchemaType Type, string Description)[] FilterParameters =
    [
        ("camera", JsonSchemaType.String, "Camera ids, repeatable or comma-separated; none: every camera you may see."),
        ("from", JsonSchemaType.String, "ISO 8601 date or time: clips with any part at or after it."),
        ("to", JsonSchemaType.String, "ISO 8601 date or time: clips starting before it."),
        ("reason", JsonSchemaType.String, "motion, manual or continuous."),
        ("protected", JsonSchemaType.Boolean, "true: protected clips only."),
        ("minSeconds", JsonSchemaType.Number, "Shortest clip length in seconds (0-86400)."),
        ("label", JsonSchemaType.String, "Only clips in which the object detector saw this label (person, car, dog, ... the 80 COCO classes)."),
    ];

    private static async Task<Results<Ok<IReadOnlyList<ClipDto>>, NotFound, BadRequest<ProblemMessage>>> ListAsync(
        HttpContext context, string? cursor, int? pageSize, ClipCatalog catalog, CameraAccess access, CancellationToken cancellationToken)
    {
        var (filter, problem) = ClipFilter.Parse(context.Request.Query);
        if (filter is null)
            return TypedResults.BadRequest(new ProblemMessage(problem!));
        ClipCursor? after = null;
        if (!string.IsNullOrEmpty(cursor))
        {
            if (!ClipCursor.TryParse(cursor, out var parsed))
                return TypedResults.BadRequest(new ProblemMessage($"'cursor' must be the X-Next-Cursor value of a previous page, not '{cursor}'."));
            after = parsed;
        }
        if (pageSize is < 1 or > ClipCatalog.MaxPageSize)
            return TypedResults.BadRequest(new ProblemMessage($"'pageSize' must be 1 to {ClipCatalog.MaxPageSize}."));
        if (await catalog.ScopeAsync(await access.RightsAsync(context.User, cancellationToken), filter, cancellationToken) is not { } scope)
            return TypedResults.NotFound();
        var page = await catalog.PageAsync(scope, filter, after, pageSize ?? 50, cancellationToken);
        if (page.Next is { } next)
        {
            context.Response.Headers["X-Next-Cursor"] = next.ToString();
            var query = filter.ToQueryString();
            context.Response.Headers.Link = $"</api/clips?{query}{(query.Length > 0 ? "&" : "")}pageSize={pageSize ?? 50}&cursor={next}>; rel=\"next\"";
        }
        return TypedResults.Ok(page.Clips);
    }

    private static async Task<Results<Ok<ClipSummary>, NotFound, BadRequest<ProblemMessage>>> SummaryAsync(
        HttpContext context, ClipCatalog catalog, CameraAccess access, CancellationToken cancellationToken)
    {
        var (filter, problem) = ClipFilter.Parse(context.Request.Query);
        if (filter is null)
            return TypedResults.BadRequest(new ProblemMessage(problem!));
        if (await catalog.ScopeAsync(await access.RightsAsync(context.User, cancellationToken), filter, cancellationToken) is not { } scope)
            return TypedResults.NotFound();
        return TypedResults.Ok(await catalog.SummaryAsync(scope, filter, cancellationToken));
    }

    private static async Task<Results<Ok<TimelineData>, NotFound, BadRequest<ProblemMessage>>> TimelineAsync(
        HttpContext context, ClipCatalog catalog, CameraAccess access, CancellationToken cancellationToken)
    {
        var (filter, problem) = ClipFilter.Parse(context.Request.Query);
        if (filter is null)
            return TypedResults.BadRequest(new ProblemMessage(problem!));
        if (filter.From is not { } from || filter.To is not { } to || to - from > TimeSpan.FromDays(7))
            return TypedResults.BadRequest(new ProblemMessage("'from' and 'to' are required and at most 7 days apart."));
        if (await catalog.ScopeAsync(await access.RightsAsync(context.User, cancellationToken), filter, cancellationToken) is not { } scope)
            return TypedResults.NotFound();
        return TypedResults.Ok(await catalog.TimelineAsync(scope, from, to, filter.Label, cancellationToken));
    }

    private static async Task<Results<Ok<ClipDto>, NotFound>> GetAsync(long id, HttpContext context, ClipCatalog catalog, CameraAccess access, CancellationToken cancellationToken) =>
        await catalog.FindAsync(await access.RightsAsync(context.User, cancellationToken), id, cancellationToken) is { } clip
            ? TypedResults.Ok(ClipDto.Of(clip))
            : TypedResults.NotFound();

    private static Task<Results<PhysicalFileHttpResult, NotFound<ProblemMessage>, Conflict<ProblemMessage>>> VideoAsync(
        long id, HttpContext context, ClipCatalog catalog, CameraAccess access, AuditLog audit, CancellationToken cancellationToken) =>
        ServeAsync(id, context, catalog, access, audit, download: false, cancellationToken);

    private static Task<Results<PhysicalFileHttpResult, NotFound<ProblemMessage>, Conflict<ProblemMessage>>> DownloadAsync(
        long id, HttpContext context, ClipCatalog catalog, CameraAccess access, AuditLog audit, CancellationToken cancellationToken) =>
        ServeAsync(id, context, catalog, access, audit, download: true, cancellationToken);

    private static async Task<Results<PhysicalFileHttpResult, NotFound<ProblemMessage>, Conflict<ProblemMessage>>> ServeAsync(
        long id, HttpContext context, ClipCatalog catalog, CameraAccess access, AuditLog audit, bool download, CancellationToken cancellationToken)
    {
        var rights = await access.RightsAsync(context.User, cancellationToken);
        if (await catalog.FindAsync(rights, id, cancellationToken) is not { } clip)
            return TypedResults.NotFound(new ProblemMessage($"No clip {id}."));
        if (clip.State == ClipState.Recording)
            return TypedResults.Conflict(new ProblemMessage($"Clip {id} is still being recorded; it can be played and downloaded when it ends (watch the camera live meanwhile)."));
        if (catalog.FileOf(clip) is not { } file)
            return TypedResults.NotFound(new ProblemMessage($"The file of clip {id} ({clip.Path}) is no longer in the recordings folder."));
        await audit.ClipAccessAsync(rights!.UserName, download ? AuditAction.ClipDownload : AuditAction.ClipView, clip, download ? "downloaded" : "played", cancellationToken);
        return TypedResults.PhysicalFile(file, "video/mp4",
            fileDownloadName: download ? ClipNames.Download(clip.CameraName, clip.Start.ToLocalTime()) : null,
            lastModified: File.GetLastWriteTimeUtc(file), enableRangeProcessing: true);
    }

    private static async Task<Results<PhysicalFileHttpResult, NotFound>> ThumbnailAsync(long id, HttpContext context, ClipCatalog catalog, CameraAccess access, CancellationToken cancellationToken)
    {
        if (await catalog.FindAsync(await access.RightsAsync(context.User, cancellationToken), id, cancellationToken) is not { } clip
            || catalog.FileOf(clip, thumbnail: true) is not { } file)
            return TypedResults.NotFound();
        // Private: the browser may keep it, a shared cache may not (it is one user's right to see it).
        context.Response.Headers.CacheControl = "private, max-age=3600";
        return TypedResults.PhysicalFile(file, "image/jpeg", lastModified: File.GetLastWriteTimeUtc(file));
    }

    private static async Task<Results<EmptyHttpResult, NotFound, BadRequest<ProblemMessage>>> ZipAsync(
        ClipSelection body, HttpContext context, CameraAccess access, ClipZip zip, CancellationToken cancellationToken)
    {
        var filter = body.Filter();
        if (filter.Problem() is { } problem)
            return TypedResults.BadRequest(new ProblemMessage(problem));
        return await zip.SendAsync(context, await access.RightsAsync(context.User, cancellationToken), body.Ids, filter, cancellationToken);
    }

    private static async Task<Results<EmptyHttpResult, NotFound, BadRequest<ProblemMessage>>> ZipQueryAsync(
        HttpContext context, CameraAccess access, ClipZip zip, CancellationToken cancellationToken)
    {
        var (filter, problem) = ClipFilter.Parse(context.Request.Query);
        if (filter is null)
            return TypedResults.BadRequest(new ProblemMessage(problem!));
        var ids = new List<long>();
        foreach (var text in context.Request.Query["ids"].SelectMany(v => (v ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            if (!long.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id))
                return TypedResults.BadRequest(new ProblemMessage($"'ids' must be clip ids, not '{text}'."));
            ids.Add(id);
        }
        return await zip.SendAsync(context, await access.RightsAsync(context.User, cancellationToken), ids.Count > 0 ? ids : null, filter, cancellationToken);
    }

    private static async Task<Results<Ok<ClipDto>, NotFound>> ProtectAsync(long id, [Microsoft.AspNetCore.Mvc.FromBody] bool body, HttpContext context, ClipCatalog catalog, CameraAccess access, CancellationToken cancellationToken)
    {
        return await catalog.SetProtectedAsync(await access.RightsAsync(context.User, cancellationToken), id, body, cancellationToken) is { } clip
            ? TypedResults.Ok(ClipDto.Of(clip))
            : TypedResults.NotFound();
    }

    private static async Task<Results<NoContent, NotFound, Conflict<ProblemMessage>>> DeleteAsync(long id, HttpContext context, ClipCatalog catalog, CameraAccess access, CancellationToken cancellationToken)
    {
        var outcome = await DeleteAsAdminAsync([id], context, catalog, access, cancellationToken);
        return outcome is null ? TypedResults.NotFound()
            : outcome.StillRecording.Count > 0 ? TypedResults.Conflict(new ProblemMessage($"Clip {id} is still being recorded; stop the recording or wait for it to end, then delete it."))
            : TypedResults.NoContent();
    }

    private static async Task<Results<Ok<ClipsDeleted>, NotFound, BadRequest<ProblemMessage>>> DeleteManyAsync(ClipIds body, HttpContext context, ClipCatalog catalog, CameraAccess access, CancellationToken cancellationToken)
    {
        if (body.Ids is not { Count: > 0 and <= 10_000 })
            return TypedResults.BadRequest(new ProblemMessage("'ids' must list 1 to 10000 clip ids."));
        return await DeleteAsAdminAsync(body.Ids, context, catalog, access, cancellationToken) is { } outcome
            ? TypedResults.Ok(new ClipsDeleted(outcome.Deleted, outcome.BytesFreed, outcome.StillRecording))
            : TypedResults.NotFound();
    }

    private static async Task<ClipCatalog.DeleteOutcome?> DeleteAsAdminAsync(IReadOnlyCollection<long> ids, HttpContext context, ClipCatalog catalog, CameraAccess access, CancellationToken cancellationToken)
    {
        if (await access.RightsAsync(context.User, cancellationToken) is not { IsAdmin: true } rights)
            return null;
        var outcome = await catalog.DeleteAsync(rights, ids, cancellationToken);
        return outcome.NotFound ? null : outcome;
    }
}
