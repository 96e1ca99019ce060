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

    /// <summary>
    /// An RTSP camera: GStreamer's RTSP server (Debian gir1.2-gst-rtsp-server-1.0) serving a moving test pattern as H.264
    /// at 640x360, 25 fps on rtsp://127.0.0.1:port/cam, as IP cameras do.
    /// </summary>
    public static async Task<LocalDaemon> RtspAsync()
    {
        var folder = TestPaths.NewTempFolder("rtsp");
        var port = FreePort.Next();
        var script = Path.Combine(folder, "rtsp_camera.py");
        await File.WriteAllTextAsync(script, """
            import sys, gi
            gi.require_version('Gst', '1.0')
            gi.require_version('GstRtspServer', '1.0')
            from gi.repository import Gst, GstRtspServer, GLib
            Gst.init(None)
            server = GstRtspServer.RTSPServer()
            server.set_address('127.0.0.1')
            server.set_service(sys.argv[1])
            factory = GstRtspServer.RTSPMediaFactory()
            factory.set_launch('( videotestsrc is-live=true pattern=ball ! video/x-raw,width=640,height=360,framerate=25/1 ! x264enc tune=zerolatency speed-preset=ultrafast key-int-max=25 ! rtph264pay name=pay0 pt=96 )')
            factory.set_shared(True)
            server.get_mount_points().add_factory('/cam', factory)
            server.attach(None)
            GLib.MainLoop().run()
            """);
        var daemon = new LocalDaemon("/usr/bin/python3", [script, port.ToString(System.Globalization.CultureInfo.InvariantCulture)], port, folder);
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
