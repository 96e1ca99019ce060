using NvrBlazor.Web.Hosting;

namespace NvrBlazor.Web.Recording;

/// <summary>
/// FFMpegCore hands each ffmpeg its frames through a Unix socket, <c>$TMPDIR/CoreFxPipe_FFMpegCore_*</c>,
/// removed when the clip ends but left behind when the server is killed. This server's sockets live in a
/// folder of its own (under the data folder), so the sweep at startup removes only what an earlier run of
/// this server left, never a socket another server on the machine is using.
/// </summary>
public static partial class FfmpegPipes
{
    public const string Pattern = "CoreFxPipe_FFMpegCore_*";
    /// <summary>A Unix socket's path must fit in 108 bytes; FFMpegCore's names take 40 of them.</summary>
    private const int MaxFolderLength = 60;

    public static string FolderFor(StorageFolders folders)
    {
        var folder = Path.Combine(folders.DataPath, "tmp");
        if (folder.Length <= MaxFolderLength)
            return folder;
        // A deep data folder: a short folder of its own under /tmp, named after the data folder.
        var hash = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(folders.DataPath)))[..12];
        return Path.Combine(Path.GetTempPath(), $"nvrblazor-{hash}");
    }

    /// <summary>Creates the folder, removes leftover sockets and points the process's temporary folder (TMPDIR, which FFMpegCore uses) at it.</summary>
    public static int Prepare(StorageFolders folders, ILogger log)
    {
        var folder = FolderFor(folders);
        Directory.CreateDirectory(folder);
        var swept = 0;
        foreach (var leftover in Directory.EnumerateFiles(folder, Pattern))
        {
            try
            {
                File.Delete(leftover);
                swept++;
            }
            catch (IOException)
            {
            }
        }
        if (swept > 0)
            LogSwept(log, swept, folder);
        Environment.SetEnvironmentVariable("TMPDIR", folder);
        return swept;
    }

    [LoggerMessage(EventId = 470, Level = LogLevel.Information, Message = "Removed {Count} ffmpeg pipe sockets an earlier run left in {Folder} (it was stopped without finishing its clips).")]
    private static partial void LogSwept(ILogger logger, int count, string folder);
}
