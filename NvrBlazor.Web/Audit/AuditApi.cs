using Microsoft.AspNetCore.Http.HttpResults;
using NvrBlazor.Domain.Users;
using NvrBlazor.Web.Cameras;

namespace NvrBlazor.Web.Audit;

/// <summary>GET /api/audit?user=&amp;camera=&amp;clip=&amp;action=&amp;before=&amp;take= (Admin): the audit log, newest first, as on Admin > Audit log; "before" is the id of the last line of the previous page.</summary>
public static class AuditApi
{
    public static RouteHandlerBuilder MapAuditApi(this WebApplication app) =>
        app.MapGet("/api/audit", ListAsync).RequireAuthorization(policy => policy.RequireRole(Roles.Admin));

    private static async Task<Results<Ok<IReadOnlyList<AuditEntry>>, BadRequest<ProblemMessage>>> ListAsync(
        string? user, int? camera, long? clip, string? action, long? before, int? take, AuditLog audit, CancellationToken cancellationToken)
    {
        AuditAction? kind = null;
        if (!string.IsNullOrEmpty(action))
        {
            // The same spelling the answers use (liveView, command, clipView...), any case.
            if (!Enum.TryParse<AuditAction>(action, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed) || char.IsDigit(action[0]))
                return TypedResults.BadRequest(new ProblemMessage($"Unknown action '{action}': use one of {string.Join(", ", Enum.GetNames<AuditAction>().Select(System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName))}."));
            kind = parsed;
        }
        return TypedResults.Ok(await audit.ListAsync(user, camera, kind, take ?? 200, cancellationToken, clip, before));
    }
}
