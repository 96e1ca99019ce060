using System.IO.Compression;
using System.Text;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using NvrBlazor.Domain.Clips;
using NvrBlazor.Web.Audit;
using NvrBlazor.Web.Cameras;
using NvrBlazor.Web.Live;
using NvrBlazor.Web.Recording;

namespace NvrBlazor.Web.Clips;

/// <summary>
/// Many clips as one ZIP, written straight into the response while the files are read: no temporary
/// file and no archive in memory (entries are stored, not compressed: MP4 does not shrink, and storing
/// costs no CPU). Clips still being recorded or whose file is gone are listed in missing-clips.txt.
/// </summary>
public sealed partial class ClipZip(ClipCatalog catalog, AuditLog audit, TimeProvider clock, ILogger<ClipZip> logger)
{
    public const int MaxClips = 10_000;

    public async Task<Results<EmptyHttpResult, NotFound, BadRequest<ProblemMessage>>> SendAsync(
        HttpContext context, ViewerRights? rights, IReadOnlyList<long>? ids, ClipFilter filter, CancellationToken cancellationToken)
    {
        List<Clip>? clips;
        if (ids is { Count: > 0 })
        {
            if (ids.Count > MaxClips)
                return TypedResults.BadRequest(new ProblemMessage($"At most {MaxClips} clips go in one ZIP; {ids.Count} were asked for."));
            clips = await catalog.TheseAsync(rights, ids, cancellationToken);
        }
        else
        {
            if (await catalog.ScopeAsync(rights, filter, cancellationToken) is not { } scope)
                return TypedResults.NotFound();
            var summary = await catalog.SummaryAsync(scope, filter, cancellationToken);
            if (summary.Count > MaxClips)
                return TypedResults.BadRequest(new ProblemMessage($"{summary.Count} clips match; at most {MaxClips} go in one ZIP. Narrow the cameras or the time range."));
            clips = await catalog.AllAsync(scope, filter, MaxClips, cancellationToken);
        }
        if (clips is null || rights is null)
            return TypedResults.NotFound();
        if (clips.Count == 0)
            return TypedResults.BadRequest(new ProblemMessage("No clips match: there is nothing to put in a ZIP."));

        var name = $"nvr-clips_{clock.GetLocalNow():yyyy-MM-dd_HH-mm-ss}.zip";
        await audit.ClipsAsync(rights.UserName, AuditAction.ClipDownload, clips, $"in {name}", cancellationToken);
        LogZip(logger, rights.UserName, clips.Count, clips.Sum(c => c.Bytes) / 1e6);
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        // The file data goes out asynchronously; .NET's ZIP writer closes each entry with a small
        // synchronous write (its 16-24 byte data descriptor), which Kestrel refuses unless allowed.
        if (context.Features.Get<IHttpBodyControlFeature>() is { } bodyControl)
            bodyControl.AllowSynchronousIO = true;
        context.Response.ContentType = "application/zip";
        context.Response.Headers.ContentDisposition = new System.Net.Mime.ContentDisposition { FileName = name, DispositionType = "attachment" }.ToString();
        context.Response.Headers.CacheControl = "no-store";
        await WriteAsync(context.Response.Body, clips, cancellationToken);
        return TypedResults.Empty;
    }

    private async Task WriteAsync(Stream output, IReadOnlyList<Clip> clips, CancellationToken cancellationToken)
    {
        var names = new ClipNames.Unique();
        var missing = new StringBuilder();
        await using var archive = await ZipArchive.CreateAsync(output, ZipArchiveMode.Create, leaveOpen: true, entryNameEncoding: Encoding.UTF8, cancellationToken);
        foreach (var clip in clips)
        {
            var file = clip.State == ClipState.Recording ? null : catalog.FileOf(clip);
            if (file is null)
            {
                missing.AppendLine($"clip {clip.Id} {clip.CameraName} {clip.Start.ToLocalTime():yyyy-MM-dd HH:mm:ss}: "
                    + (clip.State == ClipState.Recording ? "still being recorded" : $"file {clip.Path} is gone"));
                continue;
            }
            var entry = archive.CreateEntry(names.Next(ClipNames.Download(clip.CameraName, clip.Start.ToLocalTime())), CompressionLevel.NoCompression);
            entry.LastWriteTime = clip.Start.ToLocalTime();
            await using var target = await entry.OpenAsync(cancellationToken);
            await using var source = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 64 * 1024,
                FileOptions.Asynchronous | FileOptions.SequentialScan);
            await source.CopyToAsync(target, 64 * 1024, cancellationToken);
        }
        if (missing.Length > 0)
        {
            await using var text = await archive.CreateEntry("missing-clips.txt").OpenAsync(cancellationToken);
            await text.WriteAsync(Encoding.UTF8.GetBytes(missing.ToString()), cancellationToken);
        }
    }

    [LoggerMessage(EventId = 610, Level = LogLevel.Information, Message = "{User} downloads {Count} clip(s) as a ZIP ({Megabytes:0.0} MB).")]
    private static partial void LogZip(ILogger logger, string user, int count, double megabytes);
}
