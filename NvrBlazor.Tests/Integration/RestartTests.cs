using System.Net;
using NvrBlazor.Domain.Users;
using NvrBlazor.Tests.Support;

namespace NvrBlazor.Tests.Integration;

public class RestartTests
{
    [Fact]
    public async Task A_restart_keeps_users_and_existing_sign_in_cookies()
    {
        await using var server = await NvrServer.StartAsync();
        await InProcessApp.CreateUserAsync(server, "keeper", "survives-restart-passphrase-1", Roles.Viewer);
        using var admin = new NvrClient(server.BaseUri);
        await admin.SignInOrThrowAsync("admin", NvrServer.AdminPassword);
        using (var before = await admin.GetAsync("/admin/users"))
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);

        await server.RestartAsync();

        using (var after = await admin.GetAsync("/admin/users"))
            Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        using var viewer = new NvrClient(server.BaseUri);
        await viewer.SignInOrThrowAsync("keeper", "survives-restart-passphrase-1");
        Assert.Single(Directory.GetFiles(Path.Combine(server.DataPath, "keys"), "key-*.xml"));
    }
}
