using NvrBlazor.Domain.Users;
using NvrBlazor.Tests.Support;

namespace NvrBlazor.Tests.Integration;

/// <summary>One running server per test class, with the admin from Nvr:Admin:Password and one Viewer.</summary>
public class ServerFixture : IAsyncLifetime
{
    public const string ViewerName = "viewer1";
    public const string ViewerPassword = "viewer-test-password-1";

    public NvrServer Server { get; private set; } = default!;

    /// <summary>Settings over the shipped appsettings.json; none by default.</summary>
    protected virtual IDictionary<string, string>? Settings => null;

    public async Task InitializeAsync()
    {
        Server = await NvrServer.StartAsync(Settings);
        await InProcessApp.CreateUserAsync(Server, ViewerName, ViewerPassword, Roles.Viewer);
    }

    public NvrClient Client() => new(Server.BaseUri);

    public async Task<NvrClient> SignedInAsync(string userName, string password)
    {
        var client = Client();
        await client.SignInOrThrowAsync(userName, password);
        return client;
    }

    public Task<NvrClient> AdminAsync() => SignedInAsync(FirstRunAdminName, NvrServer.AdminPassword);
    public Task<NvrClient> ViewerAsync() => SignedInAsync(ViewerName, ViewerPassword);

    public const string FirstRunAdminName = "admin";

    public async Task DisposeAsync()
    {
        if (Server is not null)
            await Server.DisposeAsync();
    }
}

/// <summary>A server for tests that seed old clips: scheduled housekeeping off (see <see cref="NvrServer.HousekeepingOff"/>).</summary>
public sealed class HousekeepingOffServerFixture : ServerFixture
{
    protected override IDictionary<string, string>? Settings => NvrServer.HousekeepingOff();
}
