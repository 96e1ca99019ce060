using System.Net;
using Microsoft.AspNetCore.Authorization;
using NvrBlazor.Domain.Users;
using Prometheus;

namespace NvrBlazor.Web.Metrics;

/// <summary>Section "Nvr:Metrics".</summary>
public sealed class MetricsOptions
{
    /// <summary>
    /// A caller on this machine (a local Prometheus) may read /metrics without signing in, unless its
    /// request carries reverse-proxy headers. Set false when a proxy on this machine forwards requests
    /// without adding X-Forwarded-For: it would otherwise make every caller look local.
    /// </summary>
    public bool AllowLoopback { get; set; } = true;
}

/// <summary>
/// GET /metrics: prometheus-net.AspNetCore's exporter over the server's own registry (<see cref="NvrMetrics"/>),
/// behind the "metrics reader" policy: an Admin, or a local Prometheus (docs/performance.md, README).
/// </summary>
public static class MetricsEndpoint
{
    public const string Path = "/metrics";
    private const string ReaderPolicy = "MetricsReader";
    private static readonly string[] ProxyHeaders = ["X-Forwarded-For", "X-Forwarded-Host", "X-Real-IP", "Forwarded"];

    public static IServiceCollection AddMetrics(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(configuration.GetSection("Nvr:Metrics").Get<MetricsOptions>() ?? new MetricsOptions());
        services.AddSingleton(_ => Prometheus.Metrics.NewCustomRegistry());
        services.AddSingleton<NvrMetrics>();
        services.AddSingleton<ServerCounters>();
        services.AddSingleton<IAuthorizationHandler, ReaderHandler>();
        services.AddAuthorizationBuilder().AddPolicy(ReaderPolicy, policy => policy.AddRequirements(new ReaderRequirement()));
        return services;
    }

    /// <summary>200 for an Admin, or for a local caller without proxy headers when allowed; else 401 (not signed in) or 403.</summary>
    public static int Access(HttpContext context, MetricsOptions options)
    {
        if (context.User.IsInRole(Roles.Admin))
            return StatusCodes.Status200OK;
        var local = context.Connection.RemoteIpAddress is { } address && IPAddress.IsLoopback(address)
            && !ProxyHeaders.Any(h => context.Request.Headers.ContainsKey(h));
        if (options.AllowLoopback && local)
            return StatusCodes.Status200OK;
        return context.User.Identity?.IsAuthenticated == true ? StatusCodes.Status403Forbidden : StatusCodes.Status401Unauthorized;
    }

    /// <summary>A refused caller is challenged (401) when not signed in and forbidden (403) when signed in: the authorization middleware's own rule.</summary>
    public static IEndpointConventionBuilder MapNvrMetrics(this WebApplication app) =>
        app.MapMetrics(Path, app.Services.GetRequiredService<NvrMetrics>().Registry).RequireAuthorization(ReaderPolicy);

    private sealed class ReaderRequirement : IAuthorizationRequirement;

    private sealed class ReaderHandler(MetricsOptions options) : AuthorizationHandler<ReaderRequirement>
    {
        protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ReaderRequirement requirement)
        {
            if (context.Resource is HttpContext http && Access(http, options) == StatusCodes.Status200OK)
                context.Succeed(requirement);
            return Task.CompletedTask;
        }
    }
}
