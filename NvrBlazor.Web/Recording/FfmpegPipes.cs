using System.Net.Sockets;

namespace NvrBlazor.Web.Recording;

/// <summary>
/// FFMpegCore hands each ffmpeg its frames through a Unix socket, <c>$TMPDIR/CoreFxPipe_FFMpegCore_*</c>,
/// removed when the clip ends but left behind when the server is killed. At startup the ones nobody
/// listens on any more are removed. Another program on the machine may be using FFMpegCore at the same
/// time, so a socket is only removed when it is older than a minute (a live one has long been connected
/// by then) and a connection to it is refused (nothing listens: its process is gone).
/// </summary>
public static partial class FfmpegPipes
{
    public const string Pattern = "CoreFxPipe_FFMpegCore_*";
    private static readonly TimeSpan YoungerIsLeftAlone = TimeSpan.FromMinutes(1);

    public static int Sweep(string folder, ILogger log)
    {
        var swept = 0;
        foreach (var file in Directory.EnumerateFiles(folder, Pattern))
        {
            try
            {
                if (DateTime.UtcNow - File.GetLastWriteTimeUtc(file) < YoungerIsLeftAlone || Listening(file))
                    continue;
                File.Delete(file);
                swept++;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Another user's, or gone meanwhile: not ours to remove.
            }
        }
        if (swept > 0)
            LogSwept(log, swept, folder);
        return swept;
    }

    private static bool Listening(string path)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            socket.Connect(new UnixDomainSocketEndPoint(path));
            return true;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionRefused)
        {
            return false;
        }
        catch (SocketException)
        {
            return true; // not a socket we understand: leave it
        }
    }

    [LoggerMessage(EventId = 470, Level = LogLevel.Information, Message = "Removed {Count} ffmpeg pipe sockets that a stopped run left in {Folder}.")]
    private static partial void LogSwept(ILogger logger, int count, string folder);
}
