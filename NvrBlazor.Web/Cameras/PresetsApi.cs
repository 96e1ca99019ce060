using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using NvrBlazor.Domain.Ingest;
using NvrBlazor.Domain.Users;
using NvrBlazor.Web.Data;

namespace NvrBlazor.Web.Cameras;

/// <summary>The presets in both shapes: a list for drop-downs, and the `Name|commands` text admins edit.</summary>
public sealed record PresetsDto(IReadOnlyList<CommandPreset> Presets, string Text);

public sealed record PresetsText(string? Text);

public sealed record PresetProblems(IReadOnlyList<string> Errors);

/// <summary>GET/PUT /api/presets (Admin: presets are camera control, which is the admins').</summary>
public static class PresetsApi
{
    public static RouteGroupBuilder MapPresetsApi(this WebApplication app)
    {
        var group = app.MapGroup("/api/presets").RequireAuthorization(policy => policy.RequireRole(Roles.Admin));
        group.MapGet("/", GetAsync);
        group.MapPut("/", PutAsync).DisableAntiforgery();
        return group;
    }

    public static async Task<IReadOnlyList<CommandPreset>> LoadAsync(NvrDbContext db, CancellationToken cancellationToken) =>
        (await db.CommandPresets.AsNoTracking().OrderBy(p => p.Position).ToListAsync(cancellationToken))
            .Select(p => new CommandPreset(p.Name, p.Commands)).ToList();

    private static async Task<Ok<PresetsDto>> GetAsync(NvrDbContext db, CancellationToken cancellationToken)
    {
        var presets = await LoadAsync(db, cancellationToken);
        return TypedResults.Ok(new PresetsDto(presets, CommandPresetText.Format(presets)));
    }

    private static async Task<Results<Ok<PresetsDto>, BadRequest<PresetProblems>>> PutAsync(
        PresetsText body, NvrDbContext db, HttpContext context, ILoggerFactory logs, CancellationToken cancellationToken)
    {
        var (presets, errors) = await SaveAsync(db, body.Text, context.User.Identity?.Name ?? "?", logs, cancellationToken);
        return errors.Count > 0
            ? TypedResults.BadRequest(new PresetProblems(errors))
            : TypedResults.Ok(new PresetsDto(presets, CommandPresetText.Format(presets)));
    }

    /// <summary>Replaces all presets with the text's, or changes nothing and names every bad line.</summary>
    public static async Task<(IReadOnlyList<CommandPreset> Presets, IReadOnlyList<string> Errors)> SaveAsync(
        NvrDbContext db, string? text, string actor, ILoggerFactory logs, CancellationToken cancellationToken)
    {
        var (presets, errors) = CommandPresetText.Parse(text ?? "");
        if (errors.Count > 0)
            return ([], errors);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.CommandPresets.ExecuteDeleteAsync(cancellationToken);
        db.CommandPresets.AddRange(presets.Select((p, i) => new StoredPreset { Position = i, Name = p.Name, Commands = p.Commands }));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        logs.CreateLogger("NvrBlazor.Presets").LogInformation("{User} saved {Count} command presets.", actor, presets.Count);
        return (presets, []);
    }
}
