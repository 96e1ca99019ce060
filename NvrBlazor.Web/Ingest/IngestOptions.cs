using NvrBlazor.Domain.Ingest;
namespace NvrBlazor.Web.Ingest;

/// <summary>Section "Nvr:Ingest".</summary>
public sealed class IngestOptions
{
    public Esp32Admission Esp32Admission { get; set; } = Esp32Admission.Pending;
    /// <summary>The reference server closes a camera after 10 s without any message; a paused camera sends "paused" every 2 s.</summary>
    public int IdleTimeoutSeconds { get; set; } = 10;
    /// <summary>Largest WebSocket message accepted; a larger one closes the connection with status 1009.</summary>
    public int MaxMessageBytes { get; set; } = 2 * 1024 * 1024;

    /// <summary>How often each ESP32 camera is asked for its quick status (status?q), as the reference server did once a minute.</summary>
    public int StatusPollSeconds { get; set; } = 60;

    public TimeSpan StatusPoll => TimeSpan.FromSeconds(Math.Max(1, StatusPollSeconds));

    /// <summary>Frames a camera may send per second (one-second burst allowed); excess frames are dropped and counted. 0 = no limit.</summary>
    public double MaxFps { get; set; } = 30;

    /// <summary>Connection attempts to /ws one address may make at once, then <see cref="ConnectsPerSecond"/>; beyond that: 429.</summary>
    public int ConnectBurst { get; set; } = 20;
    public int ConnectsPerSecond { get; set; } = 2;

    /// <summary>Unknown ESP32 cameras waiting for approval at most; beyond it new ones are refused (anyone can register one).</summary>
    public int MaxPending { get; set; } = 20;

    public TimeSpan IdleTimeout => TimeSpan.FromSeconds(Math.Max(1, IdleTimeoutSeconds));
}
