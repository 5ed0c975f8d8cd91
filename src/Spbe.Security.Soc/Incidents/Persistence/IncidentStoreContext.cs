using Microsoft.EntityFrameworkCore;

namespace Spbe.Security.Soc.Incidents.Persistence;

/// <summary>
/// The CSIRT's incidents: the incidents, their linked alerts, timeline, tasks and attachments. The engine-specific
/// subclasses exist only to carry their own migrations; all code uses this type.
/// </summary>
public abstract class IncidentStoreContext : DbContext
{
    /// <summary>The store name: <c>data/incidents.db</c> on SQLite, schema <c>incidents</c> on PostgreSQL.</summary>
    public const string StoreName = "incidents";

    /// <summary>Creates the context.</summary>
    protected IncidentStoreContext(DbContextOptions options)
        : base(options)
    {
    }

    internal DbSet<IncidentRecord> Incidents => Set<IncidentRecord>();

    internal DbSet<IncidentAlertRecord> Alerts => Set<IncidentAlertRecord>();

    internal DbSet<IncidentEntryRecord> Entries => Set<IncidentEntryRecord>();

    internal DbSet<IncidentTaskRecord> Tasks => Set<IncidentTaskRecord>();

    internal DbSet<IncidentAttachmentRecord> Attachments => Set<IncidentAttachmentRecord>();

    /// <inheritdoc />
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);
        modelBuilder.Entity<IncidentRecord>(e =>
        {
            e.ToTable("incidents");
            e.HasKey(i => i.Id);
            e.Property(i => i.Key).HasMaxLength(512);
            e.Property(i => i.Title).HasMaxLength(IncidentLimits.TitleLength);
            e.Property(i => i.Assignee).HasMaxLength(18);
            e.Property(i => i.Opd).HasMaxLength(32);
            e.Property(i => i.Groups).HasMaxLength(1024);
            e.Property(i => i.Mitre).HasMaxLength(512);
            e.Property(i => i.Hashes).HasMaxLength(8192);
            e.Property(i => i.Urls).HasMaxLength(32768);
            e.Property(i => i.Version).IsConcurrencyToken();
            e.HasIndex(i => new { i.Status, i.Id });
            e.HasIndex(i => new { i.Opd, i.Id });
            e.HasIndex(i => i.LastSeen);
            e.HasIndex(i => i.Key);
            e.HasIndex(i => i.CreatedAt);
        });
        modelBuilder.Entity<IncidentAlertRecord>(e =>
        {
            e.ToTable("incident_alerts");
            e.HasKey(a => a.Sequence);
            e.Property(a => a.Sequence).ValueGeneratedNever();
            e.Property(a => a.Description).HasMaxLength(1024);
            e.Property(a => a.SourceIp).HasMaxLength(64);
            e.Property(a => a.User).HasMaxLength(256);
            e.Property(a => a.Host).HasMaxLength(256);
            e.HasIndex(a => new { a.IncidentId, a.At });
        });
        modelBuilder.Entity<IncidentEntryRecord>(e =>
        {
            e.ToTable("incident_entries");
            e.HasKey(x => x.Id);
            e.Property(x => x.Actor).HasMaxLength(32);
            e.Property(x => x.Kind).HasMaxLength(32);
            e.Property(x => x.Text).HasMaxLength(IncidentLimits.TextLength + 200);
            e.HasIndex(x => new { x.IncidentId, x.At });
        });
        modelBuilder.Entity<IncidentTaskRecord>(e =>
        {
            e.ToTable("incident_tasks");
            e.HasKey(x => x.Id);
            e.Property(x => x.Title).HasMaxLength(IncidentLimits.TextLength);
            e.Property(x => x.CreatedBy).HasMaxLength(32);
            e.HasIndex(x => x.IncidentId);
        });
        modelBuilder.Entity<IncidentAttachmentRecord>(e =>
        {
            e.ToTable("incident_attachments");
            e.HasKey(x => x.Id);
            e.Property(x => x.Sha256).HasMaxLength(64);
            e.Property(x => x.Name).HasMaxLength(256);
            e.Property(x => x.AddedBy).HasMaxLength(32);
            e.HasIndex(x => x.IncidentId);
        });
    }
}

/// <summary>The incident store on SQLite; owns <c>Migrations/Sqlite</c>.</summary>
public sealed class SqliteIncidentStoreContext : IncidentStoreContext
{
    /// <summary>Creates the context.</summary>
    public SqliteIncidentStoreContext(DbContextOptions options)
        : base(options)
    {
    }
}

/// <summary>The incident store on PostgreSQL, in schema <c>incidents</c>; owns <c>Migrations/Postgres</c>.</summary>
public sealed class NpgsqlIncidentStoreContext : IncidentStoreContext
{
    /// <summary>Creates the context.</summary>
    public NpgsqlIncidentStoreContext(DbContextOptions options)
        : base(options)
    {
    }

    /// <inheritdoc />
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);
        modelBuilder.HasDefaultSchema(StoreName);
        base.OnModelCreating(modelBuilder);
    }
}
