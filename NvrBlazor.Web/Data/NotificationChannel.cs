using NvrBlazor.Domain.Notifications;

namespace NvrBlazor.Web.Data;

public enum ChannelKind { Webhook = 0, Email = 1, Mqtt = 2 }

public enum SmtpSecurity { StartTls = 0, Tls = 1, None = 2 }

/// <summary>
/// Where notifications go and which (table NotificationChannels): a target (webhook, e-mail, MQTT broker) and its rule
/// in one row, so "push motion on the porch to my phone, not at night" is one thing to set up. The target's secret
/// (webhook signing secret, SMTP or broker password) is stored encrypted with ASP.NET data protection and never sent
/// back to a browser.
/// </summary>
public sealed class NotificationChannel
{
    public int Id { get; set; }
    public required string Name { get; set; }
    public ChannelKind Kind { get; set; }
    public bool Enabled { get; set; } = true;

    public EventKinds Events { get; set; } = EventKinds.MotionStarted | EventKinds.ClipCompleted | EventKinds.DiskFull | EventKinds.JobFailed;
    /// <summary>Comma-separated camera ids; null: every camera, including future ones.</summary>
    public string? CameraIds { get; set; }
    /// <summary>Minutes after local midnight; equal: no quiet hours.</summary>
    public int QuietFromMinutes { get; set; }
    public int QuietToMinutes { get; set; }
    public int MinGapSeconds { get; set; } = 60;
    /// <summary>The object detector's labels a sighting must carry ("person,car"); null: any.</summary>
    public string? Labels { get; set; }

    /// <summary>Webhook: the URL. E-mail: the SMTP server's host. MQTT: the broker's host.</summary>
    public string Address { get; set; } = "";
    /// <summary>E-mail and MQTT: the port (0: the usual one).</summary>
    public int Port { get; set; }
    public WebhookShape Shape { get; set; }
    public SmtpSecurity Security { get; set; }
    /// <summary>E-mail and MQTT: the user to sign in as (empty: none).</summary>
    public string UserName { get; set; } = "";
    /// <summary>E-mail: the sender. MQTT: the topic prefix (default "nvrblazor").</summary>
    public string From { get; set; } = "";
    /// <summary>E-mail: the recipients, comma-separated. MQTT: the Home Assistant discovery prefix (empty: no discovery).</summary>
    public string To { get; set; } = "";
    /// <summary>Encrypted (data protection); null when there is none.</summary>
    public string? ProtectedSecret { get; set; }

    public NotificationRule Rule() => new(Events, ParseCameras(CameraIds), TimeOnly.FromTimeSpan(TimeSpan.FromMinutes(QuietFromMinutes % 1440)),
        TimeOnly.FromTimeSpan(TimeSpan.FromMinutes(QuietToMinutes % 1440)), TimeSpan.FromSeconds(MinGapSeconds),
        Labels is null ? null : NvrBlazor.Domain.Detection.DetectionTally.Split(Labels).ToHashSet(StringComparer.Ordinal));

    public static IReadOnlySet<int>? ParseCameras(string? ids) =>
        ids is null ? null : ids.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(int.Parse).ToHashSet();

    public string TopicPrefix => string.IsNullOrWhiteSpace(From) ? "nvrblazor" : From.Trim().TrimEnd('/');
}

/// <summary>One delivery attempt (table NotificationDeliveries), kept 30 days: what Admin > Notifications shows per channel.</summary>
public sealed class NotificationDelivery
{
    public long Id { get; set; }
    public int ChannelId { get; set; }
    public DateTimeOffset At { get; set; }
    public EventKinds Event { get; set; }
    public string CameraName { get; set; } = "";
    /// <summary>1 for the first try, 2 for the first retry...</summary>
    public int Attempt { get; set; }
    public bool Delivered { get; set; }
    /// <summary>"HTTP 200", "HTTP 500: …", "250 OK", or the error in words.</summary>
    public string Outcome { get; set; } = "";
}
