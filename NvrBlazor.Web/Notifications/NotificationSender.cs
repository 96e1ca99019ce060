using System.Text;
using System.Text.Json;
using Hangfire;
using Hangfire.Server;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using NvrBlazor.Domain.Notifications;
using NvrBlazor.Web.Cameras;
using NvrBlazor.Web.Clips;

namespace NvrBlazor.Web.Notifications;

/// <summary>A delivery failed; Hangfire retries the job with backoff (the message is the outcome the log shows).</summary>
public sealed class DeliveryFailedException(string message) : Exception(message);

/// <summary>
/// Sends one event to one webhook or e-mail channel: a Hangfire job in the "notifications" queue, retried with backoff
/// (2 s, 10 s, 1 min, 5 min) when the receiver fails; every attempt is written to the channel's delivery log.
/// "Send test" uses the same code directly and reports the exact outcome.
/// </summary>
public sealed class NotificationSender(
    ChannelStore channels, IHttpClientFactory http, CameraHub hub, ClipCatalog clips, NotificationOptions options, TimeProvider clock,
    Microsoft.EntityFrameworkCore.IDbContextFactory<Data.NvrDbContext> contexts)
{
    public const string Queue = "notifications";
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    [Queue(Queue)]
    [AutomaticRetry(Attempts = 4, DelaysInSeconds = [2, 10, 60, 300], OnAttemptsExceeded = AttemptsExceededAction.Fail, LogEvents = false)]
    public async Task DeliverAsync(int channelId, string eventJson, PerformContext? context, CancellationToken cancellationToken)
    {
        var channel = await channels.FindAsync(channelId, cancellationToken);
        if (channel is not { Enabled: true })
            return;
        var e = JsonSerializer.Deserialize<NvrEvent>(eventJson, Json) ?? throw new ArgumentException("not an event", nameof(eventJson));
        var attempt = (context?.GetJobParameter<int>("RetryCount") ?? 0) + 1;
        var (delivered, outcome) = await SendAsync(channel, e, cancellationToken);
        await channels.LogAsync(channel, e, attempt, delivered, outcome);
        if (!delivered)
            throw new DeliveryFailedException($"Notification channel \"{channel.Name}\": {outcome}");
    }

    /// <summary>Sends now; the outcome in words ("HTTP 200", "HTTP 500: …", "connection refused").</summary>
    public async Task<(bool Delivered, string Outcome)> SendAsync(NotificationChannel channel, NvrEvent e, CancellationToken cancellationToken)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(Timeout);
            return channel.Kind switch
            {
                ChannelKind.Webhook => await PostAsync(channel, e.WithBase(options.PublicUrl), timeout.Token),
                ChannelKind.Email => await MailAsync(channel, e.WithBase(options.PublicUrl), timeout.Token),
                _ => (false, "MQTT channels publish through their broker connection, not as deliveries"),
            };
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (false, $"no answer within {Timeout.TotalSeconds:0} s");
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or System.Net.Sockets.SocketException or MailKit.ProtocolException
                                       or MailKit.Security.AuthenticationException or SmtpCommandException or SslHandshakeException or InvalidOperationException or FormatException)
        {
            return (false, ex.Message);
        }
    }

    private async Task<(bool, string)> PostAsync(NotificationChannel channel, NvrEvent e, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(channel.Address, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
            return (false, $"\"{channel.Address}\" is not an http or https URL");
        var (body, contentType, headers) = WebhookMessage.Build(channel.Shape, e);
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType);
        foreach (var (name, value) in headers)
            request.Headers.TryAddWithoutValidation(name, value);
        if (channels.SecretOf(channel) is { Length: > 0 } secret)
        {
            var timestamp = clock.GetUtcNow().ToUnixTimeSeconds();
            request.Headers.Add(WebhookMessage.TimestampHeader, timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
            request.Headers.Add(WebhookMessage.SignatureHeader, WebhookMessage.Sign(secret, timestamp, body));
        }
        using var client = http.CreateClient(nameof(NotificationSender));
        using var response = await client.SendAsync(request, cancellationToken);
        var status = $"HTTP {(int)response.StatusCode}";
        if (response.IsSuccessStatusCode)
            return (true, status);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        return (false, text.Length == 0 ? status : $"{status}: {(text.Length > 200 ? text[..200] : text)}");
    }

    private async Task<(bool, string)> MailAsync(NotificationChannel channel, NvrEvent e, CancellationToken cancellationToken)
    {
        var message = new MimeMessage { Subject = e.Title };
        message.From.Add(MailboxAddress.Parse(string.IsNullOrWhiteSpace(channel.From) ? "nvrblazor@localhost" : channel.From));
        foreach (var to in channel.To.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            message.To.Add(MailboxAddress.Parse(to));
        if (message.To.Count == 0)
            return (false, "the channel has no recipient (To)");
        var body = new BodyBuilder { TextBody = e.DownloadUrl is { } link ? $"{e.Message}\n\nDownload: {link}\n" : e.Message + "\n" };
        if (await PictureAsync(e, cancellationToken) is { } jpeg)
            body.Attachments.Add(PictureName(e), jpeg, new ContentType("image", "jpeg"));
        message.Body = body.ToMessageBody();

        using var smtp = new SmtpClient();
        var security = channel.Security switch
        {
            SmtpSecurity.Tls => SecureSocketOptions.SslOnConnect,
            SmtpSecurity.None => SecureSocketOptions.None,
            _ => SecureSocketOptions.StartTls,
        };
        var port = channel.Port > 0 ? channel.Port : channel.Security == SmtpSecurity.Tls ? 465 : 587;
        await smtp.ConnectAsync(channel.Address, port, security, cancellationToken);
        if (!string.IsNullOrEmpty(channel.UserName))
            await smtp.AuthenticateAsync(channel.UserName, channels.SecretOf(channel) ?? "", cancellationToken);
        var answer = await smtp.SendAsync(message, cancellationToken);
        await smtp.DisconnectAsync(true, cancellationToken);
        return (true, string.IsNullOrWhiteSpace(answer) ? "sent" : answer.Trim());
    }

    /// <summary>The clip's thumbnail for a finished clip; the camera's latest frame for motion; nothing else.</summary>
    private async Task<byte[]?> PictureAsync(NvrEvent e, CancellationToken cancellationToken)
    {
        if (e.ClipId is { } clipId && await FindClipAsync(clipId, cancellationToken) is { } clip && clips.FileOf(clip, thumbnail: true) is { } file)
            return await File.ReadAllBytesAsync(file, cancellationToken);
        if (e.Kind == EventKinds.MotionStarted && e.CameraId is { } camera && hub.Find(camera)?.LastFrame is { } frame)
            return frame.Jpeg;
        return null;
    }

    private async Task<Clip?> FindClipAsync(long id, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleOrDefaultAsync(db.Clips, c => c.Id == id, cancellationToken);
    }

    private static string PictureName(NvrEvent e) =>
        $"{(e.CameraName ?? "camera").Replace(' ', '-')}-{e.At.ToLocalTime():yyyyMMdd-HHmmss}.jpg";
}

/// <summary>Section "Nvr:Notifications".</summary>
public sealed class NotificationOptions
{
    /// <summary>The address people reach this server at (https://nvr.example.org), for the links in notifications; empty: links are paths only.</summary>
    public string PublicUrl { get; set; } = "";
}
