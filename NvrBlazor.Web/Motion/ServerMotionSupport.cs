namespace NvrBlazor.Web.Motion;

/// <summary>Whether server-side motion detection can run (libjpeg-turbo loaded), and if not, why: logged once at startup and shown in health.</summary>
public sealed partial class ServerMotionSupport
{
    /// <param name="jpegLibrary">Nvr:Motion:JpegLibrary, the libjpeg-turbo to load.</param>
    public ServerMotionSupport(string jpegLibrary, ILogger<ServerMotionSupport> logger)
    {
        Available = TurboJpeg.TryLoad(jpegLibrary, out var why);
        Problem = why is null ? null : $"Server-side motion detection is off: {why}. Cameras that report motion themselves still record.";
        if (Problem is not null)
            LogOff(logger, Problem);
    }

    public bool Available { get; }
    public string? Problem { get; }

    [LoggerMessage(EventId = 501, Level = LogLevel.Warning, Message = "{Problem}")]
    private static partial void LogOff(ILogger logger, string problem);
}
