using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using NvrBlazor.Web.Audit;
using NvrBlazor.Web.Cameras;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using NvrBlazor.Web.Live;
using NvrBlazor.Web.Recording;
using NvrBlazor.Web.Retention;
using NvrBlazor.Web.Users;

namespace NvrBlazor.Web.Data;

/// <summary>The one SQLite database (data/nvr.db). Its schema is created and upgraded by the migrations in Data/Migrations at startup.</summary>
public sealed class NvrDbContext(DbContextOptions<NvrDbContext> options) : IdentityDbContext<NvrUser>(options)
{
    public DbSet<Camera> Cameras => Set<Camera>();
    public DbSet<StoredPreset> CommandPresets => Set<StoredPreset>();
    public DbSet<CameraGrant> CameraGrants => Set<CameraGrant>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();
    public DbSet<Clip> Clips => Set<Clip>();
    public DbSet<MotionEvent> MotionEvents => Set<MotionEvent>();
    public DbSet<JobRun> JobRuns => Set<JobRun>();
    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();
    public DbSet<NotificationChannel> NotificationChannels => Set<NotificationChannel>();
    public DbSet<NotificationDelivery> NotificationDeliveries => Set<NotificationDelivery>();

    /// <summary>Unix milliseconds: SQLite sorts and compares them, which it cannot do with DateTimeOffset text.</summary>
    private static readonly ValueConverter<DateTimeOffset, long> UnixMilliseconds =
        new(v => v.ToUnixTimeMilliseconds(), v => DateTimeOffset.FromUnixTimeMilliseconds(v));

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.Entity<Camera>(camera =>
        {
            camera.Property(c => c.Name).HasMaxLength(100);
            camera.Property(c => c.HostName).HasMaxLength(64);
            camera.Property(c => c.TokenHash).HasMaxLength(128);
            camera.Property(c => c.LastRemoteAddress).HasMaxLength(64);
            camera.Property(c => c.PendingReason).HasMaxLength(200);
            camera.Property(c => c.PullUrl).HasMaxLength(NvrBlazor.Domain.Pull.PullSource.MaxUrlLength);
            camera.Property(c => c.PullCredentials).HasMaxLength(2000);
            camera.Property(c => c.DetectLabels).HasMaxLength(400);
            camera.Property(c => c.Zones).HasMaxLength(40000);
            camera.Ignore(c => c.PullSource);
            camera.HasIndex(c => c.HostName).IsUnique();
            camera.HasIndex(c => c.TokenHash).IsUnique();
        });
        builder.Entity<StoredPreset>(preset =>
        {
            preset.ToTable("CommandPresets");
            preset.Property(p => p.Name).HasMaxLength(100);
            preset.Property(p => p.Commands).HasMaxLength(127);
        });
        builder.Entity<CameraGrant>(grant =>
        {
            grant.HasKey(g => new { g.UserId, g.CameraId });
            grant.HasOne<NvrUser>().WithMany().HasForeignKey(g => g.UserId).OnDelete(DeleteBehavior.Cascade);
            grant.HasOne<Camera>().WithMany().HasForeignKey(g => g.CameraId).OnDelete(DeleteBehavior.Cascade);
            grant.HasIndex(g => g.CameraId);
        });
        builder.Entity<AuditEntry>(entry =>
        {
            entry.Property(e => e.UserName).HasMaxLength(256);
            entry.Property(e => e.CameraName).HasMaxLength(100);
            entry.Property(e => e.Detail).HasMaxLength(200);
            entry.HasIndex(e => e.CameraId);
            entry.HasIndex(e => e.ClipId);
        });
        builder.Entity<Clip>(clip =>
        {
            clip.Property(c => c.CameraName).HasMaxLength(100);
            clip.Property(c => c.Path).HasMaxLength(400);
            clip.Property(c => c.ThumbnailPath).HasMaxLength(400);
            clip.Property(c => c.Error).HasMaxLength(2000);
            clip.Property(c => c.Labels).HasMaxLength(400);
            clip.Property(c => c.Start).HasConversion(UnixMilliseconds);
            clip.Property(c => c.End).HasConversion(UnixMilliseconds);
            clip.HasIndex(c => new { c.CameraId, c.Start });
            clip.HasIndex(c => c.Start);
            clip.HasIndex(c => c.State);
        });
        builder.Entity<ApiKey>(key =>
        {
            key.Property(k => k.Name).HasMaxLength(100);
            key.Property(k => k.Shown).HasMaxLength(20);
            key.Property(k => k.Hash).HasMaxLength(64);
            key.Property(k => k.Created).HasConversion(UnixMilliseconds);
            key.Property(k => k.LastUsed).HasConversion(UnixMilliseconds);
            key.HasIndex(k => k.Hash).IsUnique();
            key.HasIndex(k => k.UserId);
            key.HasOne<NvrUser>().WithMany().HasForeignKey(k => k.UserId).OnDelete(DeleteBehavior.Cascade);
        });
        builder.Entity<NotificationChannel>(channel =>
        {
            channel.Property(c => c.Name).HasMaxLength(100);
            channel.Property(c => c.CameraIds).HasMaxLength(1000);
            channel.Property(c => c.Labels).HasMaxLength(400);
            channel.Property(c => c.Address).HasMaxLength(400);
            channel.Property(c => c.UserName).HasMaxLength(200);
            channel.Property(c => c.From).HasMaxLength(200);
            channel.Property(c => c.To).HasMaxLength(1000);
            channel.Property(c => c.ProtectedSecret).HasMaxLength(2000);
        });
        builder.Entity<NotificationDelivery>(delivery =>
        {
            delivery.Property(d => d.CameraName).HasMaxLength(100);
            delivery.Property(d => d.Outcome).HasMaxLength(500);
            delivery.Property(d => d.At).HasConversion(UnixMilliseconds);
            delivery.HasIndex(d => new { d.ChannelId, d.Id });
            delivery.HasOne<NotificationChannel>().WithMany().HasForeignKey(d => d.ChannelId).OnDelete(DeleteBehavior.Cascade);
        });
        builder.Entity<MotionEvent>(motion =>
        {
            motion.Property(m => m.Start).HasConversion(UnixMilliseconds);
            motion.Property(m => m.Labels).HasMaxLength(400);
            motion.Property(m => m.Box).HasMaxLength(60);
            motion.Property(m => m.End).HasConversion(UnixMilliseconds);
            motion.HasIndex(m => new { m.CameraId, m.Start });
            motion.HasIndex(m => m.ClipId);
        });
        builder.Entity<JobRun>(run =>
        {
            run.Property(r => r.Job).HasMaxLength(40);
            run.Property(r => r.RequestedBy).HasMaxLength(256);
            run.Property(r => r.Summary).HasMaxLength(4000);
            run.Property(r => r.Error).HasMaxLength(2000);
            run.Property(r => r.Started).HasConversion(UnixMilliseconds);
            run.Property(r => r.Ended).HasConversion(UnixMilliseconds);
            run.HasIndex(r => new { r.Job, r.Id });
            run.HasIndex(r => r.Started);
        });
    }
}
