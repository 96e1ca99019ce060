using System.Net;
using System.Text.Json;
using NvrBlazor.Tests.Support;

namespace NvrBlazor.Tests.Integration;

public class OpenApiTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task The_api_is_described_for_signed_in_users_with_its_contract_routes()
    {
        using var anonymous = fixture.Client();
        using (var refused = await anonymous.GetAsync("/openapi/v1.json"))
            Assert.NotEqual(HttpStatusCode.OK, refused.StatusCode);

        using var admin = await fixture.AdminAsync();
        using var response = await admin.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var paths = document.RootElement.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        foreach (var route in new[] { "/api/cameras", "/api/cameras/{id}", "/api/cameras/{id}/commands", "/api/cameras/commands", "/api/presets", "/healthz",
                     "/api/clips", "/api/clips/{id}", "/api/clips/{id}/video", "/api/clips/{id}/download", "/api/clips/{id}/thumbnail",
                     "/api/clips/zip", "/api/clips/{id}/protected" })
            Assert.Contains(route, paths);
        // The clip routes say what they do (filters, ranges, names) in the description itself.
        var clips = document.RootElement.GetProperty("paths").GetProperty("/api/clips").GetProperty("get");
        Assert.Contains("minSeconds", clips.GetProperty("summary").GetString());
        // Every query parameter is listed, the filters too (they are read from the query, not bound).
        foreach (var route in new[] { "/api/clips", "/api/clips/summary", "/api/clips/zip" })
        {
            var parameters = document.RootElement.GetProperty("paths").GetProperty(route).GetProperty("get").GetProperty("parameters")
                .EnumerateArray().Select(p => p.GetProperty("name").GetString()).ToList();
            foreach (var name in new[] { "camera", "from", "to", "reason", "protected", "minSeconds" })
                Assert.Contains(name, parameters);
        }
        var listParameters = clips.GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString()).ToList();
        Assert.Contains("cursor", listParameters);
        Assert.Contains("pageSize", listParameters);
        var methods = document.RootElement.GetProperty("paths").GetProperty("/api/clips/{id}").EnumerateObject().Select(m => m.Name).ToList();
        Assert.Contains("get", methods);
        Assert.Contains("delete", methods);
        Assert.DoesNotContain(paths, p => p.StartsWith("/_", StringComparison.Ordinal) || p == "/ws");
    }
}
