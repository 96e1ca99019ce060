using System.Net.Sockets;
using NvrBlazor.Tests.Support;

namespace NvrBlazor.Tests.Integration;

/// <summary>FFMpegCore's pipe sockets that a killed server left in the temporary folder are removed at the next start; live ones are not.</summary>
public class PipeSweepTests
{
    /// <summary>
    /// The server's own temporary folder (TMPDIR): in the shared one, another test's server starting at the same
    /// moment removed the leftover first, and this server, finding none, rightly said nothing. Short: a Unix socket's
    /// path may not exceed 107 bytes.
    /// </summary>
    private readonly string temp = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "nvr-tests", $"p{Guid.NewGuid():N}"[..11])).FullName;

    [Fact]
    public async Task Leftover_ffmpeg_pipe_sockets_are_removed_at_startup_and_live_or_fresh_ones_are_left_alone()
    {
        var old = DateTime.UtcNow.AddMinutes(-5);
        var dead = Socket("dead", old);
        var fresh = Socket("fresh", DateTime.UtcNow);
        using var live = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        var livePath = PipePath("live");
        live.Bind(new UnixDomainSocketEndPoint(livePath));
        live.Listen();
        File.SetLastWriteTimeUtc(livePath, old);

        await using var server = await NvrServer.StartAsync(new Dictionary<string, string> { ["TMPDIR"] = temp });

        Assert.False(File.Exists(dead), "the socket nobody listens on was removed");
        Assert.True(File.Exists(fresh), "a socket younger than a minute is left alone (its ffmpeg may be about to connect)");
        Assert.True(File.Exists(livePath), "a socket something listens on is left alone");
        Assert.Contains("ffmpeg pipe sockets that a stopped run left", server.Output);
        File.Delete(fresh);
        File.Delete(livePath);
    }

    private string PipePath(string what) => Path.Combine(temp, $"CoreFxPipe_FFMpegCore_test{what}{Guid.NewGuid():N}"[..^16]);

    /// <summary>A socket file as a killed process leaves it: nothing listens on it. .NET unlinks what it bound when the socket closes, so a hard link keeps the file.</summary>
    private string Socket(string what, DateTime modified)
    {
        var path = PipePath(what);
        var bound = path + "-bound";
        using (var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified))
        {
            socket.Bind(new UnixDomainSocketEndPoint(bound));
            using var link = System.Diagnostics.Process.Start("ln", [bound, path]);
            link.WaitForExit();
        }
        File.SetLastWriteTimeUtc(path, modified);
        return path;
    }
}
