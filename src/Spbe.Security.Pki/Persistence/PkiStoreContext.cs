using Microsoft.EntityFrameworkCore;

namespace Spbe.Security.Pki.Persistence;

/// <summary>
/// The PKI's relational store: issued certificates and their status, per-CA CRL counters, registration requests,
/// server-generated signer keys (wrapped) and the hash-chained audit ledger. The engine-specific subclasses exist only
/// to carry their own migrations; all code uses this type.
/// </summary>
public abstract class PkiStoreContext : DbContext
{
    /// <summary>The store name: <c>data/pki.db</c> on SQLite, schema <c>pki</c> on PostgreSQL.</summary>
    public const string StoreName = "pki";

    /// <summary>Creates the context.</summary>
    protected PkiStoreContext(DbContextOptions options)
        : base(options)
    {
    }

    internal DbSet<CertificateRecord> Certificates => Set<CertificateRecord>();

    internal DbSet<LedgerRecord> Ledger => Set<LedgerRecord>();

    internal DbSet<CaStateRecord> CaStates => Set<CaStateRecord>();

    internal DbSet<RegistrationRecord> Registrations => Set<RegistrationRecord>();

    internal DbSet<SignerKeyRecord> SignerKeys => Set<SignerKeyRecord>();

    internal DbSet<SigningRecord> Signings => Set<SigningRecord>();

    internal DbSet<NaskahRecord> Naskah => Set<NaskahRecord>();

    internal DbSet<NaskahStepRecord> NaskahSteps => Set<NaskahStepRecord>();

    /// <inheritdoc />
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);
        modelBuilder.Entity<CertificateRecord>(e =>
        {
            e.ToTable("certificates");
            e.HasKey(c => c.Serial);
            e.Property(c => c.Serial).HasMaxLength(40);
            e.Property(c => c.Ca).HasMaxLength(32);
            e.Property(c => c.Profile).HasMaxLength(64);
            e.Property(c => c.Subject).HasMaxLength(1024);
            e.Property(c => c.Nip).HasMaxLength(18);
            e.Property(c => c.Opd).HasMaxLength(32);
            e.Property(c => c.Thumbprint).HasMaxLength(64);
            e.Property(c => c.Version).IsConcurrencyToken();
            e.HasIndex(c => new { c.Ca, c.State });
            e.HasIndex(c => c.Nip);
            e.HasIndex(c => c.Opd);
            e.HasIndex(c => c.RevokedAt);
        });
        modelBuilder.Entity<LedgerRecord>(e =>
        {
            e.ToTable("ledger");
            e.HasKey(l => l.Sequence);
            e.Property(l => l.Sequence).ValueGeneratedNever();
            e.Property(l => l.Action).HasMaxLength(64);
            e.Property(l => l.Actor).HasMaxLength(64);
            e.Property(l => l.Target).HasMaxLength(128);
            e.Property(l => l.PreviousHash).HasMaxLength(64);
            e.Property(l => l.Hash).HasMaxLength(64);
        });
        modelBuilder.Entity<CaStateRecord>(e =>
        {
            e.ToTable("ca_state");
            e.HasKey(c => c.Name);
            e.Property(c => c.Name).HasMaxLength(32);
            e.Property(c => c.Version).IsConcurrencyToken();
        });
        modelBuilder.Entity<RegistrationRecord>(e =>
        {
            e.ToTable("registrations");
            e.HasKey(r => r.Id);
            e.Property(r => r.Profile).HasMaxLength(64);
            e.Property(r => r.SubjectId).HasMaxLength(32);
            e.Property(r => r.Opd).HasMaxLength(32);
            e.Property(r => r.SubjectJson).HasMaxLength(4096);
            e.Property(r => r.RequestedBy).HasMaxLength(64);
            e.Property(r => r.DecidedBy).HasMaxLength(64);
            e.Property(r => r.Note).HasMaxLength(1024);
            e.Property(r => r.Serial).HasMaxLength(40);
            e.Property(r => r.Replaces).HasMaxLength(40);
            e.Property(r => r.Version).IsConcurrencyToken();
            e.HasIndex(r => new { r.State, r.Opd });
            e.HasIndex(r => r.SubjectId);
        });
        modelBuilder.Entity<SignerKeyRecord>(e =>
        {
            e.ToTable("signer_keys");
            e.HasKey(k => k.Id);
            e.Property(k => k.Nip).HasMaxLength(18);
            e.Property(k => k.Serial).HasMaxLength(40);
            e.Property(k => k.Version).IsConcurrencyToken();
            e.HasIndex(k => k.Serial);
            e.HasIndex(k => k.Nip);
        });
        modelBuilder.Entity<SigningRecord>(e =>
        {
            e.ToTable("signings");
            e.HasKey(r => r.Id);
            e.Property(r => r.Id).ValueGeneratedNever();
            e.Property(r => r.Nip).HasMaxLength(18);
            e.Property(r => r.Opd).HasMaxLength(32);
            e.Property(r => r.SignerName).HasMaxLength(128);
            e.Property(r => r.Jabatan).HasMaxLength(128);
            e.Property(r => r.Serial).HasMaxLength(40);
            e.Property(r => r.Outcome).HasMaxLength(16);
            e.Property(r => r.Level).HasMaxLength(8);
            e.Property(r => r.InputSha256).HasMaxLength(64);
            e.Property(r => r.OutputSha256).HasMaxLength(64);
            e.HasIndex(r => r.DocumentId);
            e.HasIndex(r => new { r.Opd, r.At });
            e.HasIndex(r => new { r.Nip, r.At });
        });
        modelBuilder.Entity<NaskahRecord>(e =>
        {
            e.ToTable("naskah");
            e.HasKey(n => n.Id);
            e.Property(n => n.Id).ValueGeneratedNever();
            e.Property(n => n.Title).HasMaxLength(256);
            e.Property(n => n.Opd).HasMaxLength(32);
            e.Property(n => n.DrafterNip).HasMaxLength(18);
            e.Property(n => n.Anchor).HasMaxLength(64);
            e.Property(n => n.OriginalSha256).HasMaxLength(64);
            e.Property(n => n.Sha256).HasMaxLength(64);
            e.Property(n => n.Version).IsConcurrencyToken();
            e.HasIndex(n => n.DrafterNip);
            e.HasIndex(n => n.PurgeAt);
        });
        modelBuilder.Entity<NaskahStepRecord>(e =>
        {
            e.ToTable("naskah_steps");
            e.HasKey(s => s.Id);
            e.Property(s => s.Id).ValueGeneratedNever();
            e.Property(s => s.Nip).HasMaxLength(18);
            e.Property(s => s.Name).HasMaxLength(128);
            e.Property(s => s.Jabatan).HasMaxLength(128);
            e.Property(s => s.Note).HasMaxLength(1024);
            e.HasIndex(s => new { s.NaskahId, s.Position }).IsUnique();
            e.HasIndex(s => s.Nip);
        });
    }
}
