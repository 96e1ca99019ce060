using System.Diagnostics;
using System.Net.Sockets;

namespace NvrBlazor.Tests.Support;

/// <summary>
/// A real server program started by a test on a loopback port: Debian's mosquitto (MQTT broker) or Python's aiosmtpd
/// (an SMTP server writing what it receives to a mailbox). Stopped (and startable again on the same port) by the test.
/// </summary>
public sealed class LocalDaemon : IAsyncDisposable
{
    private readonly string program;
    private readonly string[] arguments;
    private Process? process;

    private LocalDaemon(string program, string[] arguments, int port, string folder)
    {
        this.program = program;
        this.arguments = arguments;
        Port = port;
        Folder = folder;
    }

    public int Port { get; }
    /// <summary>The daemon's own folder (configuration; the mailbox of the SMTP server).</summary>
    public string Folder { get; }

    public static async Task<LocalDaemon> MosquittoAsync()
    {
        var folder = TestPaths.NewTempFolder("mosquitto");
        var port = FreePort.Next();
        var config = Path.Combine(folder, "mosquitto.conf");
        await File.WriteAllTextAsync(config, $"listener {port} 127.0.0.1\nallow_anonymous true\npersistence false\nlog_dest stderr\n");
        var daemon = new LocalDaemon("/usr/sbin/mosquitto", ["-c", config], port, folder);
        await daemon.StartAsync();
        return daemon;
    }

    /// <summary>aiosmtpd with its Mailbox handler: each message lands in the Maildir <see cref="Folder"/>/mail (see <see cref="Mail"/>).</summary>
    public static async Task<LocalDaemon> SmtpAsync()
    {
        var folder = TestPaths.NewTempFolder("smtp");
        var port = FreePort.Next();
        var daemon = new LocalDaemon("/usr/bin/python3", ["-m", "aiosmtpd", "-n", "-l", $"127.0.0.1:{port}", "-c", "aiosmtpd.handlers.Mailbox", Path.Combine(folder, "mail")], port, folder);
        await daemon.StartAsync();
        return daemon;
    }

    /// <summary>The messages the SMTP server received so far, as their raw text.</summary>
    public static IEnumerable<string> Mail(LocalDaemon smtp)
    {
        var maildir = Path.Combine(smtp.Folder, "mail");
        return Directory.Exists(maildir) ? Directory.EnumerateFiles(maildir, "*", SearchOption.AllDirectories).Select(File.ReadAllText) : [];
    }

    public async Task StartAsync()
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        process = Process.Start(start)!;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var until = DateTime.UtcNow.AddSeconds(15);
        while (DateTime.UtcNow < until)
        {
            if (process.HasExited)
                throw new InvalidOperationException($"{program} exited with {process.ExitCode} while starting");
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync("127.0.0.1", Port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }
        throw new TimeoutException($"{program} did not listen on {Port} within 15 s");
    }

    public async Task StopAsync()
    {
        if (process is { HasExited: false })
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        process?.Dispose();
        process = null;
    }

    public async ValueTask DisposeAsync() => await StopAsync();
}
