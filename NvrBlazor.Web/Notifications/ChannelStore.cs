using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using NvrBlazor.Web.Audit;
using NvrBlazor.Web.Data;
using NvrBlazor.Web.Hosting;

namespace NvrBlazor.Web.Notifications;

/// <summary>
/// The notification channels and their delivery log. Secrets are encrypted with data protection on the way in and
/// only the senders decrypt them; <see cref="Changed"/> tells the dispatcher and the MQTT bridges to reload.
/// </summary>
public sealed class ChannelStore(
    IDbContextFactory<NvrDbContext> contexts, IDataProtectionProvider protection, AuditLog audit, TimeProvider clock, PageUpdates? updates = null)
{
    public const int DeliveriesKeptPerChannel = 500;
    private readonly IDataProtector protector = protection.CreateProtector("NvrBlazor.Notifications.Secret");

    public event Action? Changed;

    public async Task<IReadOnlyList<NotificationChannel>> ListAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.NotificationChannels.AsNoTracking().OrderBy(c => c.Id).ToListAsync(cancellationToken);
    }

    public async Task<NotificationChannel?> FindAsync(int id, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.NotificationChannels.AsNoTracking().SingleOrDefaultAsync(c => c.Id == id, cancellationToken);
    }

    /// <summary>Adds (Id 0) or replaces a channel; null when the channel to replace is gone. A null <paramref name="secret"/> keeps the stored one; "" removes it.</summary>
    public async Task<NotificationChannel?> SaveAsync(NotificationChannel channel, string? secret, string actor, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (channel.Id != 0)
        {
            var stored = await db.NotificationChannels.AsNoTracking().SingleOrDefaultAsync(c => c.Id == channel.Id, cancellationToken);
            if (stored is null)
                return null;
            channel.ProtectedSecret = stored.ProtectedSecret;
            db.NotificationChannels.Update(channel);
        }
        else
            db.NotificationChannels.Add(channel);
        if (secret is not null)
            channel.ProtectedSecret = secret.Length == 0 ? null : protector.Protect(secret);
        await db.SaveChangesAsync(cancellationToken);
        await audit.AdminAsync(actor, AuditAction.Settings, $"notification channel \"{channel.Name}\" ({channel.Kind}) saved", cancellationToken);
        Changed?.Invoke();
        updates?.Changed(PageTopic.Notifications);
        return channel;
    }

    public async Task<bool> DeleteAsync(int id, string actor, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var channel = await db.NotificationChannels.SingleOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (channel is null)
            return false;
        db.NotificationChannels.Remove(channel);
        await db.SaveChangesAsync(cancellationToken);
        await audit.AdminAsync(actor, AuditAction.Settings, $"notification channel \"{channel.Name}\" deleted", cancellationToken);
        Changed?.Invoke();
        updates?.Changed(PageTopic.Notifications);
        return true;
    }

    public string? SecretOf(NotificationChannel channel) => channel.ProtectedSecret is { } stored ? protector.Unprotect(stored) : null;

    public async Task LogAsync(NotificationChannel channel, Domain.Notifications.NvrEvent e, int attempt, bool delivered, string outcome)
    {
        await using var db = await contexts.CreateDbContextAsync();
        db.NotificationDeliveries.Add(new NotificationDelivery
        {
            ChannelId = channel.Id, At = clock.GetUtcNow(), Event = e.Kind, CameraName = (e.CameraName ?? "").Ellipsis(100),
            Attempt = attempt, Delivered = delivered, Outcome = outcome.Ellipsis(500),
        });
        try
        {
            await db.SaveChangesAsync();
        }
        catch (DbUpdateException)
        {
            return; // the channel was deleted meanwhile: nothing to log against
        }
        await db.NotificationDeliveries.Where(d => d.ChannelId == channel.Id)
            .OrderByDescending(d => d.Id).Skip(DeliveriesKeptPerChannel).ExecuteDeleteAsync();
        updates?.Changed(PageTopic.Notifications);
    }

    public async Task<IReadOnlyList<NotificationDelivery>> DeliveriesAsync(int? channelId, int take, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var query = db.NotificationDeliveries.AsNoTracking();
        if (channelId is { } id)
            query = query.Where(d => d.ChannelId == id);
        return await query.OrderByDescending(d => d.Id).Take(Math.Clamp(take, 1, 500)).ToListAsync(cancellationToken);
    }
}
