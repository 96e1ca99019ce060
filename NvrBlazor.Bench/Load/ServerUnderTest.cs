using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace NvrBlazor.Bench.Load;

/// <summary>
/// The server a scenario runs against: a Release build of NvrBlazor.Web started as a child process with
/// a temporary data and recordings folder (its CPU and memory read from /proc), or a server already
/// running at --url (CPU and memory then come from its /metrics).
/// </summary>
public sealed class ServerUnderTest : IAsyncDisposable
{
    private readonly Process? process;
    private readonly string? root;
    private readonly ConcurrentQueue<string> output = new();

    private ServerUnderTest(Uri baseUri, string password, Process? process, string? root)
    {
        BaseUri = baseUri;
        AdminPassword = password;
        this.process = process;
        this.root = root;
    }

    public Uri BaseUri { get; }
    public string AdminPassword { get; }
    /// <summary>The child process id, or null for a server at --url.</summary>
    public int? ProcessId => process?.Id;
    public bool Crashed => process is { HasExited: true };
    public string Output => string.Join('\n', output.TakeLast(40));

    public static ServerUnderTest Remote(Uri url, string password) => new(url, password, null, null);

    /// <summary>Starts <c>dotnet NvrBlazor.Web.dll</c> on a free loopback port with the given extra settings.</summary>
    public static async Task<ServerUnderTest> StartAsync(string webDll, IReadOnlyDictionary<string, string> settings)
    {
        var root = Directory.CreateTempSubdirectory("nvr-bench-server-").FullName;
        var port = FreePort();
        var password = "bench-" + Guid.NewGuid().ToString("N")[..16];
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(webDll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(webDll);
        var environment = new Dictionary<string, string>
        {
            ["DOTNET_ENVIRONMENT"] = "Production",
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Nvr__DataPath"] = Path.Combine(root, "data"),
            ["Nvr__RecordingsPath"] = Path.Combine(root, "recordings"),
            ["Nvr__ListenAddress"] = "127.0.0.1",
            ["Nvr__Http__Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Nvr__Https__Port"] = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Nvr__Admin__Password"] = password,
        };
        // As shipped, run.sh installs the detection models: the benchmark uses them when they are installed
        // (test.sh's folder, or NVR_BENCH_MODELS); NVR_BENCH_MODELS=none measures without object detection.
        if (DetectionModels() is { } models)
            environment["Nvr__Detection__ModelsPath"] = models;
        foreach (var (key, value) in settings)
            environment[key] = value;
        foreach (var (key, value) in environment)
            start.Environment[key] = value;
        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var server = new ServerUnderTest(new Uri($"http://127.0.0.1:{port}/"), password, process, root);
        process.OutputDataReceived += (_, e) => server.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => server.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await server.WaitUntilReadyAsync();
        return server;
    }

    private void Keep(string? line)
    {
        if (line is null)
            return;
        output.Enqueue(line);
        while (output.Count > 200)
            output.TryDequeue(out _);
    }

    private async Task WaitUntilReadyAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (Crashed)
                throw new InvalidOperationException($"the server exited with code {process!.ExitCode} while starting:\n{Output}");
            try
            {
                using var response = await http.GetAsync(new Uri(BaseUri, "healthz"));
                return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                await Task.Delay(200);
            }
        }
        throw new TimeoutException($"the server did not answer /healthz within 60 s:\n{Output}");
    }

    /// <summary>
    /// The server as it ships: the Release build next to this benchmark (dotnet run -c Release builds it), published
    /// the way run.sh and the image publish it (ReadyToRun) into bin/bench-server. The build output itself would
    /// measure the JIT compiling for minutes (docs/performance.md, "What the JIT cost").
    /// </summary>
    public static string PublishedWebDll() => published.Value;

    private static readonly Lazy<string> published = new(Publish);

    private static string Publish()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (!File.Exists(Path.Combine(folder.FullName, "NvrBlazor.sln")))
                continue;
            var output = Path.Combine(folder.FullName, "bin", "bench-server");
            var project = Path.Combine(folder.FullName, "NvrBlazor.Web", "NvrBlazor.Web.csproj");
            Console.Error.WriteLine($"publishing the server as run.sh does into {output} ...");
            using var publish = Process.Start(new ProcessStartInfo("dotnet", ["publish", project, "-c", "Release", "--no-build", "-o", output, "-v", "quiet"])
            {
                RedirectStandardOutput = true,
            })!;
            var said = publish.StandardOutput.ReadToEnd();
            publish.WaitForExit();
            return publish.ExitCode == 0
                ? Path.Combine(output, "NvrBlazor.Web.dll")
                : throw new InvalidOperationException($"dotnet publish of the server failed (run the benchmark with -c Release, which builds it, or pass --server-dll):\n{said}");
        }
        throw new DirectoryNotFoundException("NvrBlazor.sln not found above the benchmark; pass --server-dll or --url");
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (process is not null)
        {
            if (!process.HasExited)
            {
                using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
                    await kill.WaitForExitAsync();
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                try
                {
                    await process.WaitForExitAsync(timeout.Token);
                }
                catch (OperationCanceledException)
                {
                    process.Kill(entireProcessTree: true);
                }
            }
            process.Dispose();
        }
        if (root is not null && Directory.Exists(root))
            Directory.Delete(root, recursive: true);
    }

    /// <summary>The installed detection models the server under test uses, or null (none installed, or NVR_BENCH_MODELS=none).</summary>
    public static string? DetectionModels()
    {
        var configured = Environment.GetEnvironmentVariable("NVR_BENCH_MODELS");
        if (configured == "none")
            return null;
        var folder = configured is { Length: > 0 } ? configured
            : Environment.GetEnvironmentVariable("NVR_TEST_MODELS") is { Length: > 0 } tests ? tests
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "nvrblazor", "models");
        return File.Exists(Path.Combine(folder, "SHA256SUMS")) ? folder : null;
    }
}
