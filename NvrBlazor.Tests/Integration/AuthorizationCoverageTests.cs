using System.Net;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.StaticAssets;
using NvrBlazor.Domain.Users;
using NvrBlazor.Tests.Support;

namespace NvrBlazor.Tests.Integration;

/// <summary>
/// Reads every endpoint from the app's own endpoint data source (built in-process from the same
/// composition), then calls each one on the real server. A new page or route is covered the day it is
/// added: if it lets anonymous callers in without being on the public list, these tests fail.
/// </summary>
public class AuthorizationCoverageTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    /// <summary>The only routes open without signing in, and why.</summary>
    private static readonly Dictionary<string, string> PublicRoutes = new()
    {
        ["/login"] = "the sign-in form",
        ["/healthz"] = "container and monitoring health checks",
        ["/_framework/blazor.web.js"] = "the Blazor script the sign-in page needs",
        ["/account/logout"] = "signing out must work even with an expired cookie",
        ["/not-found"] = "the 404 page",
        ["/ws"] = "ESP32 cameras cannot authenticate; each is admitted as pending until an admin approves it",
        ["/metrics"] = "Admins, or a caller on this machine without proxy headers (a local Prometheus) unless Nvr:Metrics:AllowLoopback is false; everyone else 401/403 (MetricsTests, MetricsAccessTests)",
        ["/ingest"] = "agents authenticate with a camera token in the query, browsers with an admin cookie; checked before the socket opens",
    };

    [Fact]
    public async Task Every_route_except_sign_in_health_and_static_assets_refuses_anonymous_callers()
    {
        var endpoints = await EndpointsAsync();
        Assert.Contains(endpoints, e => e.RoutePattern.RawText == "/admin/users");
        Assert.Contains(endpoints, e => e.RoutePattern.RawText == "/admin/hangfire/{**path}");
        using var anonymous = fixture.Client();
        var problems = new List<string>();

        foreach (var endpoint in endpoints)
        {
            var pattern = endpoint.RoutePattern.RawText ?? "";
            // /metrics has its own policy (local callers pass, so this loopback client would): MetricsTests cover it.
            if (Normalise(pattern) == "/metrics")
                continue;
            if (endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null)
            {
                if (!PublicRoutes.ContainsKey(Normalise(pattern)) && !IsStaticAsset(endpoint))
                    problems.Add($"{pattern} allows anonymous access but is not on the public list");
                continue;
            }
            foreach (var method in Methods(endpoint))
            {
                using var request = new HttpRequestMessage(new HttpMethod(method), Concrete(pattern));
                using var response = await anonymous.Http.SendAsync(request);
                var refused = response.StatusCode == HttpStatusCode.Unauthorized
                    || (response.StatusCode == HttpStatusCode.Redirect && response.RedirectPath().StartsWith("/login", StringComparison.Ordinal));
                if (!refused)
                    problems.Add($"{method} {Concrete(pattern)} answered {(int)response.StatusCode} {response.Headers.Location} to an anonymous caller");
            }
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public async Task A_viewer_is_refused_every_admin_route()
    {
        var adminEndpoints = (await EndpointsAsync())
            .Where(e => e.Metadata.GetOrderedMetadata<IAuthorizeData>().Any(a => a.Roles?.Split(',').Contains(Roles.Admin) == true))
            .ToList();
        Assert.NotEmpty(adminEndpoints);
        Assert.Contains(adminEndpoints, e => e.RoutePattern.RawText == "/admin/hangfire/{**path}");
        using var viewer = await fixture.ViewerAsync();
        using var admin = await fixture.AdminAsync();
        var problems = new List<string>();

        foreach (var endpoint in adminEndpoints)
        {
            var path = Concrete(endpoint.RoutePattern.RawText ?? "");
            using var viewerResponse = await viewer.GetAsync(path);
            var refused = viewerResponse.StatusCode == HttpStatusCode.Forbidden
                || (viewerResponse.StatusCode == HttpStatusCode.Redirect && viewerResponse.RedirectPath().StartsWith("/access-denied", StringComparison.Ordinal));
            if (!refused)
                problems.Add($"GET {path} answered {(int)viewerResponse.StatusCode} to a viewer");
            using var adminResponse = await admin.GetAsync(path);
            if (adminResponse.StatusCode != HttpStatusCode.OK)
                problems.Add($"GET {path} answered {(int)adminResponse.StatusCode} to an admin");
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public async Task The_access_denied_page_itself_answers_403()
    {
        using var viewer = await fixture.ViewerAsync();
        using var redirect = await viewer.GetAsync("/admin/users");
        Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
        using var denied = await viewer.GetAsync(redirect.RedirectPath());
        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        Assert.Contains("Access denied", await denied.Content.ReadAsStringAsync());
    }

    private async Task<List<RouteEndpoint>> EndpointsAsync()
    {
        await using var app = await InProcessApp.BuildAsync(fixture.Server);
        return app.DataSources.SelectMany(source => source.Endpoints).OfType<RouteEndpoint>().ToList();
    }

    /// <summary>MapStaticAssets endpoints: build-time files under wwwroot and from packages (MudBlazor, the Blazor script), public by nature.</summary>
    private static bool IsStaticAsset(RouteEndpoint endpoint) => endpoint.Metadata.GetMetadata<StaticAssetDescriptor>() is not null;

    private static IEnumerable<string> Methods(RouteEndpoint endpoint) =>
        endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods is { Count: > 0 } methods ? methods : ["GET"];

    private static string Normalise(string pattern) => "/" + pattern.TrimStart('/');

    /// <summary>A real URL for a route pattern: parameters become "1", catch-alls nothing (the Hangfire dashboard's home).</summary>
    private static string Concrete(string pattern) => "/" + string.Join('/', pattern.TrimStart('/').Split('/')
        .Select(segment => segment.StartsWith('{') ? (segment.StartsWith("{*", StringComparison.Ordinal) ? "" : "1") : segment));
}
