using System.Collections.Concurrent;
using System.Diagnostics;

namespace NvrBlazor.Tests.Support;

/// <summary>
/// The real NvrBlazor server as a child process (`dotnet NvrBlazor.Web.dll`) on loopback, with its own
/// temporary data and recordings folders and free ports. Restartable, so tests can prove what survives.
/// </summary>
public sealed class NvrServer : IAsyncDisposable
{
    /// <summary>Not containing the user name, and not a common password: the password policy refuses both.</summary>
    public const string AdminPassword = "first-start-passphrase-1";

    /// <summary>
    /// For tests that seed old clips or files by hand: scheduled retention would delete them and the startup
    /// reconcile could index a seeded file before its row is written. Every other test server runs the shipped
    /// schedules (HousekeepingScheduleTests covers them); "Run now" works either way.
    /// </summary>
    public static IDictionary<string, string> HousekeepingOff(IDictionary<string, string>? settings = null)
    {
        var all = new Dictionary<string, string>(settings ?? new Dictionary<string, string>())
        {
            ["Nvr__Retention__Schedule"] = "off",
            ["Nvr__Reconcile__Schedule"] = "off",
        };
        return all;
    }

    private readonly Dictionary<string, string> environment;
    private readonly ConcurrentQueue<string> output = new();
    private Process? process;

    public NvrServer(string? root = null, IDictionary<string, string>? settings = null, bool withAdminPassword = true)
    {
        Root = root ?? TestPaths.NewTempFolder("server");
        HttpPort = FreePort.Next();
        HttpsPort = FreePort.Next();
        environment = new Dictionary<string, string>
        {
            ["Nvr__DataPath"] = DataPath,
            ["Nvr__RecordingsPath"] = RecordingsPath,
            ["Nvr__ListenAddress"] = "127.0.0.1",
            ["Nvr__Http__Port"] = HttpPort.ToString(),
            ["Nvr__Https__Port"] = HttpsPort.ToString(),
            // The models run.sh installs into data/models, installed once for all test servers (test.sh does).
            ["Nvr__Detection__ModelsPath"] = TestPaths.DetectionModels,
            ["DOTNET_ENVIRONMENT"] = "Production",
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
        };
        if (withAdminPassword)
            environment["Nvr__Admin__Password"] = AdminPassword;
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
            environment[key] = value;
    }

    public string Root { get; }

    /// <summary>Where the server process starts; the published app's folder unless a test starts it elsewhere.</summary>
    public string WorkingDirectory { get; set; } = TestPaths.WebAppFolder;
    public string DataPath => Path.Combine(Root, "data");
    public string RecordingsPath => Path.Combine(Root, "recordings");
    public int HttpPort { get; }
    public int HttpsPort { get; }
    public Uri BaseUri => new($"http://127.0.0.1:{HttpPort}/");
    public Uri HttpsUri => new($"https://127.0.0.1:{HttpsPort}/");
    public string Output => string.Join('\n', output);
    public int? ExitCode => process is { HasExited: true } p ? p.ExitCode : null;

    /// <summary>The server process's resident memory (VmRSS from /proc), for "memory stays bounded" checks.</summary>
    public long ResidentBytes
    {
        get
        {
            var line = File.ReadLines($"/proc/{process!.Id}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
        }
    }

    /// <summary>Arguments for building the same app in-process against this server's folders (endpoint enumeration, seeding).</summary>
    public string[] InProcessArgs =>
        environment.Where(e => e.Key.StartsWith("Nvr__", StringComparison.Ordinal))
            .Select(e => $"--{e.Key.Replace("__", ":", StringComparison.Ordinal)}={e.Value}")
            .Append("--Logging:LogLevel:Default=Warning")
            .ToArray();

    public static async Task<NvrServer> StartAsync(IDictionary<string, string>? settings = null, bool withAdminPassword = true)
    {
        var server = new NvrServer(settings: settings, withAdminPassword: withAdminPassword);
        await server.StartAsync();
        return server;
    }

    public async Task StartAsync()
    {
        Launch();
        await WaitUntilReadyAsync();
    }

    /// <summary>Starts the process without waiting for it to serve (for tests that expect it to refuse to start).</summary>
    public void Launch()
    {
        // In a process group of its own (setsid execs dotnet in place: same pid), a group stop reaches the server and its ffmpeg children, never the test runner.
        var start = new ProcessStartInfo(OwnProcessGroup ? "setsid" : "dotnet")
        {
            WorkingDirectory = WorkingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (OwnProcessGroup)
            start.ArgumentList.Add("dotnet");
        start.ArgumentList.Add(Path.Combine(TestPaths.WebAppFolder, "NvrBlazor.Web.dll"));
        foreach (var (key, value) in environment)
            start.Environment[key] = value;
        process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) output.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) output.Enqueue(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await process!.WaitForExitAsync(cts.Token);
        return process.ExitCode;
    }

    private async Task WaitUntilReadyAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            if (process!.HasExited)
                throw new InvalidOperationException($"NvrBlazor exited with code {process.ExitCode} while starting:\n{Output}");
            try
            {
                using var response = await http.GetAsync(new Uri(BaseUri, "healthz"));
                return;
            }
            catch (HttpRequestException)
            {
                await Task.Delay(100);
            }
            catch (TaskCanceledException)
            {
            }
        }
        throw new TimeoutException($"NvrBlazor did not answer /healthz within 90 s:\n{Output}");
    }

    /// <summary>The server's child processes with this program name (its ffmpeg processes), from /proc.</summary>
    public IReadOnlyList<int> ChildProcesses(string name)
    {
        var children = new List<int>();
        foreach (var folder in Directory.GetDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(folder), out var pid))
                continue;
            try
            {
                var stat = File.ReadAllText(Path.Combine(folder, "stat"));
                var open = stat.IndexOf('(');
                var close = stat.LastIndexOf(')');
                var fields = stat[(close + 2)..].Split(' ');
                if (stat[(open + 1)..close] == name && int.Parse(fields[1]) == process!.Id)
                    children.Add(pid);
            }
            catch (IOException)
            {
                // The process ended while we looked.
            }
        }
        return children;
    }

    /// <summary>SIGKILL for the server and its ffmpeg processes at once: a power cut as near as a test gets (no clean finish anywhere).</summary>
    public async Task KillHardAsync()
    {
        // One kill(1) for all of them, so neither side gets to react to the other's death.
        var pids = ChildProcesses("ffmpeg").Prepend(process!.Id).Select(p => p.ToString());
        using (var kill = Process.Start("kill", ["-KILL", .. pids]))
            await kill.WaitForExitAsync();
        await process.WaitForExitAsync();
    }

    /// <summary>Runs the server in a process group of its own, so <see cref="StopProcessGroupAsync"/> can signal all of it.</summary>
    public bool OwnProcessGroup { get; set; }

    /// <summary>SIGTERM to the server's whole process group (its ffmpeg children get it too), as systemd's default KillMode, docker stop of a shell entrypoint, or timeout(1) do it.</summary>
    public async Task StopProcessGroupAsync(TimeSpan timeout)
    {
        if (!OwnProcessGroup)
            throw new InvalidOperationException("Set OwnProcessGroup before starting the server.");
        using (var kill = Process.Start("kill", ["-TERM", "--", $"-{process!.Id}"]))
            await kill.WaitForExitAsync();
        using var cts = new CancellationTokenSource(timeout);
        await process.WaitForExitAsync(cts.Token);
    }

    /// <summary>A clean stop (SIGTERM), as systemd or docker stop would do it.</summary>
    public async Task StopAsync()
    {
        if (process is null || process.HasExited)
            return;
        using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString()]))
            await kill.WaitForExitAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
        }
    }

    public async Task RestartAsync()
    {
        await StopAsync();
        process?.Dispose();
        await StartAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        process?.Dispose();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
