using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using NvrBlazor.Web.Hosting;
using NvrBlazor.Web.Users;

namespace NvrBlazor.Tests.Support;

/// <summary>
/// The same composition as the server, built in the test process over a server's folders and never
/// started: for reading its endpoint data source and for seeding users into its real database.
/// </summary>
/// <remarks>
/// One at a time in this process: Hangfire configures itself once per process and hands every later container
/// the same process-wide storage (JobStorage.Current, sqlite-net connections opened without a mutex), which each
/// container then disposes. When the test host died with "double free or corruption (out)" in a fresh-clone run, two
/// apps had just been built and were being disposed at once in it (a user created here while another test added a
/// camera): the likely cause, as two containers closing the same connections would be.
/// </remarks>
public static class InProcessApp
{
    private static readonly SemaphoreSlim OneAtATime = new(1, 1);

    public static async Task<Lease> BuildAsync(NvrServer server)
    {
        await EnterAsync();
        try
        {
            var app = await NvrApplication.CreateAsync(server.InProcessArgs)
                ?? throw new InvalidOperationException("The app refused to build in-process; see the console output.");
            return new Lease(app);
        }
        catch
        {
            OneAtATime.Release();
            throw;
        }
    }

    /// <summary>
    /// For a test that uses Hangfire itself (a storage of its own): no in-process app is built or disposed until the
    /// result is disposed, and Hangfire logs nowhere meanwhile. Hangfire's log provider is process-wide, and the last
    /// in-process app left it pointing at that app's logger factory, disposed with it (a fresh-clone run failed on it).
    /// </summary>
    public static async Task<IDisposable> HangfireAloneAsync()
    {
        await EnterAsync();
        Hangfire.Logging.LogProvider.SetCurrentLogProvider(new NoHangfireLog());
        return new Turn();
    }

    private static async Task EnterAsync()
    {
        // A test that enters inside another's turn would wait for ever: say so instead.
        if (!await OneAtATime.WaitAsync(TimeSpan.FromMinutes(3)))
            throw new TimeoutException("Another in-process app stayed open for 3 minutes (one built while another is still open?).");
    }

    /// <summary>This test's turn at the gate, given back once however often it is disposed.</summary>
    private sealed class Turn : IDisposable
    {
        private int disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref disposed, 1) == 0)
                OneAtATime.Release();
        }
    }

    private sealed class NoHangfireLog : Hangfire.Logging.ILogProvider, Hangfire.Logging.ILog
    {
        public Hangfire.Logging.ILog GetLogger(string name) => this;

        public bool Log(Hangfire.Logging.LogLevel logLevel, Func<string>? messageFunc, Exception? exception = null) => false;
    }

    /// <summary>The built app's services until disposed; disposing it lets the next in-process app be built.</summary>
    public sealed class Lease(WebApplication app) : IAsyncDisposable
    {
        private int disposed;

        public IServiceProvider Services => app.Services;

        /// <summary>The app's endpoints, as mapped.</summary>
        public IEnumerable<Microsoft.AspNetCore.Routing.EndpointDataSource> DataSources => ((Microsoft.AspNetCore.Routing.IEndpointRouteBuilder)app).DataSources;

        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref disposed, 1) != 0)
                return;
            try
            {
                await app.DisposeAsync();
            }
            finally
            {
                OneAtATime.Release();
            }
        }
    }

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
