using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using NvrBlazor.Web.Cameras;
using NvrBlazor.Web.Users;

namespace NvrBlazor.Web.Data;

/// <summary>The one SQLite database (data/nvr.db). Its schema is created and upgraded by the migrations in Data/Migrations at startup.</summary>
public sealed class NvrDbContext(DbContextOptions<NvrDbContext> options) : IdentityDbContext<NvrUser>(options)
{
    public DbSet<Camera> Cameras => Set<Camera>();
    public DbSet<StoredPreset> CommandPresets => Set<StoredPreset>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.Entity<Camera>(camera =>
        {
            camera.Property(c => c.Name).HasMaxLength(100);
            camera.Property(c => c.HostName).HasMaxLength(64);
            camera.Property(c => c.TokenHash).HasMaxLength(128);
            camera.Property(c => c.LastRemoteAddress).HasMaxLength(64);
            camera.HasIndex(c => c.HostName).IsUnique();
            camera.HasIndex(c => c.TokenHash).IsUnique();
        });
        builder.Entity<StoredPreset>(preset =>
        {
            preset.ToTable("CommandPresets");
            preset.Property(p => p.Name).HasMaxLength(100);
            preset.Property(p => p.Commands).HasMaxLength(127);
        });
    }
}
