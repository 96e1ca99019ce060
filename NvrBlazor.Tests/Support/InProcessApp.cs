using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using NvrBlazor.Web.Hosting;
using NvrBlazor.Web.Users;

namespace NvrBlazor.Tests.Support;

/// <summary>
/// The same composition as the server, built in the test process over a server's folders and never
/// started: for reading its endpoint data source and for seeding users into its real database.
/// </summary>
public static class InProcessApp
{
    public static async Task<WebApplication> BuildAsync(NvrServer server) =>
        await NvrApplication.CreateAsync(server.InProcessArgs)
        ?? throw new InvalidOperationException("The app refused to build in-process; see the console output.");

    public static async Task CreateUserAsync(NvrServer server, string userName, string password, string role, bool mustChangePassword = false)
    {
        await using var app = await BuildAsync(server);
        await using var scope = app.Services.CreateAsyncScope();
        var outcome = await scope.ServiceProvider.GetRequiredService<UserAdministration>()
            .CreateAsync(new AdminActor("test", "test"), new NewUser(userName, null, role, password, mustChangePassword));
        if (!outcome.Succeeded)
            throw new InvalidOperationException(outcome.Message);
    }

    /// <summary>A new user, already signed in through the real form: for "what may this role do" tests.</summary>
    public static async Task<NvrClient> SignedInAsNewUserAsync(NvrServer server, string userName, string password, string role)
    {
        await CreateUserAsync(server, userName, password, role);
        var client = new NvrClient(server.BaseUri);
        await client.SignInOrThrowAsync(userName, password);
        return client;
    }
}
