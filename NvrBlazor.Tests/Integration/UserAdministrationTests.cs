using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using NvrBlazor.Domain.Users;
using NvrBlazor.Tests.Support;
using NvrBlazor.Web.Users;

namespace NvrBlazor.Tests.Integration;

/// <summary>The service behind Admin > Users, on the real SQLite database, with effects checked on the running server.</summary>
public class UserAdministrationTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private static async Task<(InProcessApp.Lease App, UserAdministration Admin, AdminActor Actor)> ServiceAsync(NvrServer server)
    {
        var app = await InProcessApp.BuildAsync(server);
        var scope = app.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<NvrUser>>();
        var admin = await users.FindByNameAsync("admin");
        return (app, scope.ServiceProvider.GetRequiredService<UserAdministration>(), new AdminActor(admin!.Id, "admin"));
    }

    [Fact]
    public async Task The_last_admin_can_be_neither_deleted_nor_demoted_nor_delete_themselves()
    {
        // Its own server: "last admin" must not depend on what other tests did to the shared one.
        await using var server = await NvrServer.StartAsync();
        var (app, service, actor) = await ServiceAsync(server);
        await using var _ = app;
        var self = await service.DeleteAsync(actor, actor.Id);
        Assert.False(self.Succeeded);
        Assert.Contains("your own account", self.Message);

        var demote = await service.ChangeRoleAsync(actor, actor.Id, Roles.Viewer);
        Assert.False(demote.Succeeded);
        Assert.Contains("last admin", demote.Message);

        var lockSelf = await service.SetLockedAsync(actor, actor.Id, true);
        Assert.False(lockSelf.Succeeded);
        Assert.Contains((await service.ListAsync()), u => u.UserName == "admin" && u.Role == Roles.Admin);
    }

    [Fact]
    public async Task A_password_containing_the_user_name_or_among_the_most_common_is_refused()
    {
        var (app, service, actor) = await ServiceAsync(fixture.Server);
        await using var _ = app;
        var withName = await service.CreateAsync(actor, new NewUser("victim", null, Roles.Viewer, "victim1234", false));
        Assert.False(withName.Succeeded);
        Assert.Contains("must not contain the user name", withName.Message);
        var common = await service.CreateAsync(actor, new NewUser("dave", null, Roles.Viewer, "Password1234", false));
        Assert.False(common.Succeeded);
        Assert.Contains("one of the most common passwords", common.Message);
        Assert.True((await service.CreateAsync(actor, new NewUser("dave", null, Roles.Viewer, "copper kettle rain", false))).Succeeded);
    }

    [Fact]
    public async Task Creating_promoting_locking_and_deleting_a_user_takes_effect_on_the_server()
    {
        var (app, service, actor) = await ServiceAsync(fixture.Server);
        await using var _ = app;
        var created = await service.CreateAsync(actor, new NewUser("carol", "carol@example.test", Roles.Viewer, "orchid-lantern-41", false));
        Assert.True(created.Succeeded, created.Message);
        var duplicate = await service.CreateAsync(actor, new NewUser("carol", null, Roles.Viewer, "orchid-lantern-41", false));
        Assert.False(duplicate.Succeeded);
        var carol = (await service.ListAsync()).Single(u => u.UserName == "carol");

        using var client = new NvrClient(fixture.Server.BaseUri);
        await client.SignInOrThrowAsync("carol", "orchid-lantern-41");
        using (var denied = await client.GetAsync("/admin/users"))
            Assert.Equal(HttpStatusCode.Redirect, denied.StatusCode);

        Assert.True((await service.ChangeRoleAsync(actor, carol.Id, Roles.Admin)).Succeeded);
        using (var promoted = new NvrClient(fixture.Server.BaseUri))
        {
            await promoted.SignInOrThrowAsync("carol", "orchid-lantern-41");
            using var page = await promoted.GetAsync("/admin/users");
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        }

        Assert.True((await service.SetLockedAsync(actor, carol.Id, true)).Succeeded);
        using (var locked = await new NvrClient(fixture.Server.BaseUri).SignInAsync("carol", "orchid-lantern-41"))
            Assert.Contains("locked", await locked.Content.ReadAsStringAsync());
        Assert.True((await service.SetLockedAsync(actor, carol.Id, false)).Succeeded);

        var reset = await service.ResetPasswordAsync(actor, carol.Id);
        Assert.True(reset.Succeeded);
        Assert.NotNull(reset.Secret);
        using (var afterReset = new NvrClient(fixture.Server.BaseUri))
        {
            using var response = await afterReset.SignInAsync("carol", reset.Secret!);
            Assert.StartsWith("/account/password", response.RedirectPath());
        }

        Assert.True((await service.DeleteAsync(actor, carol.Id)).Succeeded);
        using (var gone = await new NvrClient(fixture.Server.BaseUri).SignInAsync("carol", reset.Secret!))
            Assert.Contains("Wrong user name or password", await gone.Content.ReadAsStringAsync());
        Assert.DoesNotContain(await service.ListAsync(), u => u.UserName == "carol");
    }
}
