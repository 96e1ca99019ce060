using Microsoft.AspNetCore.Http.HttpResults;
using NvrBlazor.Domain.Users;

namespace NvrBlazor.Web.Audit;

/// <summary>GET /api/audit?user=&amp;camera=&amp;action=&amp;take= (Admin): the audit log, newest first, as on Admin > Audit log.</summary>
public static class AuditApi
{
    public static RouteHandlerBuilder MapAuditApi(this WebApplication app) =>
        app.MapGet("/api/audit", async (string? user, int? camera, AuditAction? action, int? take, AuditLog audit, CancellationToken cancellationToken) =>
                TypedResults.Ok(await audit.ListAsync(user, camera, action, take ?? 200, cancellationToken)))
            .RequireAuthorization(policy => policy.RequireRole(Roles.Admin));
}
