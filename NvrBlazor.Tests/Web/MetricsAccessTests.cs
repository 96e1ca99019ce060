using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using NvrBlazor.Domain.Users;
using NvrBlazor.Web.Metrics;

namespace NvrBlazor.Tests.Web;

/// <summary>Who may read /metrics: an Admin from anywhere; anyone on this machine only without proxy headers and only when allowed.</summary>
public class MetricsAccessTests
{
    private static HttpContext Request(string address, string? role = null, string? header = null)
    {
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Parse(address);
        if (role is not null)
            context.User = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "someone"), new Claim(ClaimTypes.Role, role)], "cookie"));
        if (header is not null)
            context.Request.Headers[header] = "203.0.113.9";
        return context;
    }

    [Theory]
    [InlineData("127.0.0.1", null, null, true, 200)]
    [InlineData("::1", null, null, true, 200)]
    [InlineData("127.0.0.1", null, "X-Forwarded-For", true, 401)]
    [InlineData("127.0.0.1", null, "X-Real-IP", true, 401)]
    [InlineData("127.0.0.1", null, "Forwarded", true, 401)]
    [InlineData("127.0.0.1", null, null, false, 401)]
    [InlineData("192.168.1.20", null, null, true, 401)]
    [InlineData("192.168.1.20", Roles.Viewer, null, true, 403)]
    [InlineData("192.168.1.20", Roles.Admin, null, true, 200)]
    [InlineData("127.0.0.1", Roles.Admin, "X-Forwarded-For", false, 200)]
    public void Access(string address, string? role, string? header, bool allowLoopback, int expected)
    {
        Assert.Equal(expected, MetricsEndpoint.Access(Request(address, role, header), new MetricsOptions { AllowLoopback = allowLoopback }));
    }
}
