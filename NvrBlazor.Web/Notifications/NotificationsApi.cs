using Microsoft.AspNetCore.Http.HttpResults;
using NvrBlazor.Domain.Notifications;
using NvrBlazor.Domain.Users;
using NvrBlazor.Web.Cameras;
using NvrBlazor.Web.Events;

namespace NvrBlazor.Web.Notifications;

/// <summary>/api/notifications (Admin): the channels (never their secrets), "send test", and the delivery log.</summary>
public static class NotificationsApi
{
    /// <summary>A channel as the API and the page show it: the secret only as "there is one".</summary>
    public sealed record ChannelInfo(
        int Id, string Name, ChannelKind Kind, bool Enabled, EventKinds Events, IReadOnlyList<int>? CameraIds, string QuietFrom, string QuietTo,
        int MinGapSeconds, string Address, int Port, WebhookShape Shape, SmtpSecurity Security, string UserName, string From, string To, bool HasSecret,
        IReadOnlyList<string>? Labels);

    /// <summary>What a client sends to add or change a channel; <see cref="Secret"/> null keeps the stored one, "" removes it.</summary>
    public sealed record ChannelInput(
        string? Name, ChannelKind Kind, bool Enabled = true, EventKinds? Events = null, IReadOnlyList<int>? CameraIds = null, string? QuietFrom = null,
        string? QuietTo = null, int MinGapSeconds = 60, string? Address = null, int Port = 0, WebhookShape Shape = WebhookShape.Generic,
        SmtpSecurity Security = SmtpSecurity.StartTls, string? UserName = null, string? From = null, string? To = null, string? Secret = null,
        IReadOnlyList<string>? Labels = null);

    public sealed record TestOutcome(bool Delivered, string Outcome);

    public static void MapNotificationsApi(this WebApplication app)
    {
        var group = app.MapGroup("/api/notifications").RequireAuthorization(policy => policy.RequireRole(Roles.Admin));
        group.MapGet("/", async (ChannelStore store, CancellationToken ct) => TypedResults.Ok((await store.ListAsync(ct)).Select(Info).ToList()));
        group.MapPost("/", SaveAsync).DisableAntiforgery().WithSummary("Adds a channel: a target (webhook, email, mqtt) and its rule.");
        group.MapPut("/{id:int}", SaveAsync).DisableAntiforgery();
        group.MapDelete("/{id:int}", async Task<Results<NoContent, NotFound>> (int id, HttpContext context, ChannelStore store, CancellationToken ct) =>
            await store.DeleteAsync(id, context.User.Identity?.Name ?? "?", ct) ? TypedResults.NoContent() : TypedResults.NotFound()).DisableAntiforgery();
        group.MapPost("/{id:int}/test", TestAsync).DisableAntiforgery().WithSummary("Sends a test event now and answers the exact outcome.");
        group.MapGet("/deliveries", async (int? channel, int? take, ChannelStore store, CancellationToken ct) =>
            TypedResults.Ok(await store.DeliveriesAsync(channel, take ?? 100, ct))).WithSummary("Delivery attempts, newest first.");
    }

    public static ChannelInfo Info(NotificationChannel c) => new(
        c.Id, c.Name, c.Kind, c.Enabled, c.Events, NotificationChannel.ParseCameras(c.CameraIds)?.Order().ToList(),
        ClockText(c.QuietFromMinutes), ClockText(c.QuietToMinutes), c.MinGapSeconds, c.Address, c.Port, c.Shape, c.Security, c.UserName, c.From, c.To, c.ProtectedSecret is not null,
        c.Labels is null ? null : NvrBlazor.Domain.Detection.DetectionTally.Split(c.Labels));

    /// <summary>Minutes after midnight as "HH:mm".</summary>
    public static string ClockText(int minutes) => $"{minutes / 60:00}:{minutes % 60:00}";

    /// <summary>The channel, or what is wrong with the input (each problem named).</summary>
    public static (NotificationChannel? Channel, string? Error) Validate(ChannelInput input, int id = 0)
    {
        var name = input.Name?.Trim() ?? "";
        if (name.Length is 0 or > 100)
            return (null, "Name: 1 to 100 characters.");
        if (!Enum.IsDefined(input.Kind))
            return (null, "Kind: webhook, email or mqtt.");
        var address = input.Address?.Trim() ?? "";
        if (input.Kind == ChannelKind.Webhook && (!Uri.TryCreate(address, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https")))
            return (null, $"Address: a webhook needs an http or https URL (got \"{address}\").");
        if (input.Kind != ChannelKind.Webhook && (address.Length == 0 || Uri.CheckHostName(address) == UriHostNameType.Unknown))
            return (null, $"Address: the {(input.Kind == ChannelKind.Email ? "SMTP server" : "MQTT broker")}'s host name or IP address (got \"{address}\").");
        if (input.Port is < 0 or > 65535)
            return (null, "Port: 0 (the usual one) to 65535.");
        if (input.Kind == ChannelKind.Email && string.IsNullOrWhiteSpace(input.To))
            return (null, "To: at least one e-mail address.");
        if (input.MinGapSeconds is < 0 or > 86_400)
            return (null, "MinGapSeconds: 0 to 86400.");
        if (!TryMinutes(input.QuietFrom, out var from) || !TryMinutes(input.QuietTo, out var to))
            return (null, "QuietFrom and QuietTo: times as HH:mm (equal: no quiet hours).");
        var events = input.Events ?? (EventKinds.MotionStarted | EventKinds.ClipCompleted | EventKinds.DiskFull | EventKinds.JobFailed);
        if ((events & ~EventKinds.All) != 0 || events == EventKinds.None)
            return (null, $"Events: one or more of {string.Join(", ", Enum.GetValues<EventKinds>().Where(k => k is not EventKinds.None and not EventKinds.All and not EventKinds.CameraRemoved))}.");
        // Labels as a person types them; none: any. Checked against the detector's (the 80 COCO classes and face).
        var labels = input.Labels is null ? null : NvrBlazor.Domain.Detection.DetectorLabels.Tidy(input.Labels);
        if (labels?.FirstOrDefault(l => !NvrBlazor.Domain.Detection.DetectorLabels.Known(l)) is { } unknown)
            return (null, $"Labels: '{unknown}' is not one of the detector's labels (person, car, dog, ... the 80 COCO classes, or face).");
        return (new NotificationChannel
        {
            Labels = labels is { Count: > 0 } ? string.Join(',', labels) : null,
            Id = id, Name = name, Kind = input.Kind, Enabled = input.Enabled, Events = events,
            CameraIds = input.CameraIds is null ? null : string.Join(',', input.CameraIds.Distinct().Order()),
            QuietFromMinutes = from, QuietToMinutes = to, MinGapSeconds = input.MinGapSeconds, Address = address, Port = input.Port,
            Shape = input.Shape, Security = input.Security, UserName = input.UserName?.Trim() ?? "", From = input.From?.Trim() ?? "", To = input.To?.Trim() ?? "",
        }, null);
    }

    private static bool TryMinutes(string? text, out int minutes)
    {
        minutes = 0;
        if (string.IsNullOrWhiteSpace(text))
            return true;
        if (!TimeOnly.TryParseExact(text.Trim(), "HH:mm", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var time))
            return false;
        minutes = time.Hour * 60 + time.Minute;
        return true;
    }

    private static async Task<Results<Ok<ChannelInfo>, BadRequest<ProblemMessage>, NotFound>> SaveAsync(
        int? id, ChannelInput input, HttpContext context, ChannelStore store, CancellationToken cancellationToken)
    {
        var (channel, error) = Validate(input, id ?? 0);
        if (channel is null)
            return TypedResults.BadRequest(new ProblemMessage(error!));
        return await store.SaveAsync(channel, input.Secret, context.User.Identity?.Name ?? "?", cancellationToken) is { } saved
            ? TypedResults.Ok(Info(saved))
            : TypedResults.NotFound();
    }

    private static async Task<Results<Ok<TestOutcome>, NotFound>> TestAsync(int id, ChannelStore store, NotificationSender sender, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (await store.FindAsync(id, cancellationToken) is not { } channel)
            return TypedResults.NotFound();
        var (delivered, outcome) = await SendTestAsync(channel, store, sender, clock, cancellationToken);
        return TypedResults.Ok(new TestOutcome(delivered, outcome));
    }

    /// <summary>A made-up motion event to the channel, logged like a real delivery.</summary>
    public static async Task<(bool, string)> SendTestAsync(NotificationChannel channel, ChannelStore store, NotificationSender sender, TimeProvider clock, CancellationToken cancellationToken)
    {
        var test = new NvrEvent { Kind = EventKinds.MotionStarted, At = clock.GetUtcNow(), CameraName = "Test camera", Source = "test", Message = $"Test message from NvrBlazor to \"{channel.Name}\"" };
        var (delivered, outcome) = channel.Kind == ChannelKind.Mqtt
            ? await MqttBridges.TestAsync(channel, store.SecretOf(channel), cancellationToken)
            : await sender.SendAsync(channel, test, cancellationToken);
        await store.LogAsync(channel, test, 1, delivered, "test: " + outcome);
        return (delivered, outcome);
    }

    public static IServiceCollection AddNotifications(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(configuration.GetSection("Nvr:Notifications").Get<NotificationOptions>() ?? new NotificationOptions());
        services.AddSingleton<NvrEvents>();
        services.AddSingleton<ChannelStore>();
        services.AddTransient<NotificationSender>();
        services.AddHttpClient(nameof(NotificationSender), client => client.DefaultRequestHeaders.UserAgent.ParseAdd("NvrBlazor"));
        services.AddHostedService<NotificationDispatcher>();
        services.AddHostedService<MqttBridges>();
        return services;
    }
}
