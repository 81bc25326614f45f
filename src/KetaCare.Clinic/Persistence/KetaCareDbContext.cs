using System.Text;
using KetaCare.Clinic.Stock;
using KetaCare.Clinic.Users;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Storage;

namespace KetaCare.Clinic.Persistence;

/// <summary>
/// The one EF Core context of KetaCare (SQLite or PostgreSQL). Aggregates are stored as a row of indexed columns
/// plus their document; <see cref="SaveChanges(bool)"/> enforces the record-keeping rules: clinical records and
/// audit events are never deleted, assessments and audit events never change, every insert and update of a clinical
/// record writes a hash-chained <see cref="AuditEvent"/> by <see cref="Actor"/> in the same transaction, and
/// versions are concurrency tokens (a stale update fails instead of overwriting). Not thread-safe; use one context
/// per unit of work. The same database holds the user directory (ASP.NET Core Identity) and the web app's
/// data-protection keys, so that several app instances share sign-ins and antiforgery tokens.
/// </summary>
public class KetaCareDbContext : IdentityDbContext<ClinicUser, IdentityRole<Guid>, Guid>, IDataProtectionKeyContext
{
    // Appends to the audit chain are serialised so that no two events claim the same predecessor: on PostgreSQL by
    // this transaction-scoped advisory lock (several app instances), on SQLite by the write lock its non-deferred
    // transaction takes at BEGIN. The sequence primary key refuses a fork in any case.
    private const long ChainLockKey = 0x4B65_7461_4175_6469;

    private readonly List<AuditEvent> _pendingReads = [];

    /// <summary>Creates the context; use <see cref="ClinicDatabase"/> to build the options for a provider.</summary>
    public KetaCareDbContext(DbContextOptions options)
        : base(options)
    {
    }

    /// <summary>Patients.</summary>
    public DbSet<PatientRecord> Patients => Set<PatientRecord>();

    /// <summary>Eligibility assessments.</summary>
    public DbSet<AssessmentRecord> Assessments => Set<AssessmentRecord>();

    /// <summary>Treatment plans.</summary>
    public DbSet<PlanRecord> Plans => Set<PlanRecord>();

    /// <summary>Infusion sessions.</summary>
    public DbSet<SessionRecord> Sessions => Set<SessionRecord>();

    /// <summary>Stored per-session exposures, with the inputs they were computed from.</summary>
    public DbSet<SessionExposureRecord> SessionExposures => Set<SessionExposureRecord>();

    /// <summary>Stored analytics facts of each patient's courses, with the inputs they were built from.</summary>
    public DbSet<CourseFactsRecord> CourseFacts => Set<CourseFactsRecord>();

    /// <summary>Protocol library: every version of every protocol.</summary>
    public DbSet<ProtocolRecord> Protocols => Set<ProtocolRecord>();

    /// <summary>The audit chain.</summary>
    public DbSet<AuditEvent> AuditEvents => Set<AuditEvent>();

    /// <summary>Clinic-wide settings: every version of every setting.</summary>
    public DbSet<SettingsRecord> Settings => Set<SettingsRecord>();

    /// <summary>Controlled-substance products.</summary>
    public DbSet<StockProductRecord> StockProducts => Set<StockProductRecord>();

    /// <summary>Storage locations (safes, cabinets).</summary>
    public DbSet<StockLocationRecord> StockLocations => Set<StockLocationRecord>();

    /// <summary>Lots of the products.</summary>
    public DbSet<StockLotRecord> StockLots => Set<StockLotRecord>();

    /// <summary>The perpetual stock ledger (append-only).</summary>
    public DbSet<StockMovementRecord> StockMovements => Set<StockMovementRecord>();

    /// <summary>On hand per lot and location (the ledger's sum, the concurrency anchor of every movement).</summary>
    public DbSet<StockBalanceRecord> StockBalances => Set<StockBalanceRecord>();

    /// <summary>Count discrepancies.</summary>
    public DbSet<StockDiscrepancyRecord> StockDiscrepancies => Set<StockDiscrepancyRecord>();

    /// <summary>Infusion chairs and rooms.</summary>
    public DbSet<ChairRecord> Chairs => Set<ChairRecord>();

    /// <summary>Nurses on duty per day.</summary>
    public DbSet<StaffingRecord> Staffing => Set<StaffingRecord>();

    /// <summary>Sessions booked into chairs.</summary>
    public DbSet<AppointmentRecord> Appointments => Set<AppointmentRecord>();

    /// <summary>E-mails and text messages to send.</summary>
    public DbSet<OutboxMessageRecord> Outbox => Set<OutboxMessageRecord>();

    /// <summary>The web app's data-protection key ring (cookies, antiforgery), shared by every instance.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    /// <summary>Who is acting; required to save any clinical change or audited read.</summary>
    public UserId? Actor { get; set; }

    /// <summary>The clock of audit events; the system clock unless replaced (tests).</summary>
    public TimeProvider Clock { get; set; } = TimeProvider.System;

    /// <summary>
    /// One audit event per session of viewing: a read recorded by <see cref="RecordRead"/> is not written again when
    /// the same actor's read of the same patient, record kind, key and detail is already in the log within this
    /// window (a dashboard refreshed every few seconds audits once, not at every refresh). Zero, the default, writes
    /// every read. Changes and other events are never coalesced.
    /// </summary>
    public TimeSpan ReadCoalescing { get; set; } = TimeSpan.Zero;

    /// <summary>Adds an audit event for reading a patient's record; written with the next save.</summary>
    /// <param name="patient">Whose record was read.</param>
    /// <param name="entityType">What was read (patient, session…).</param>
    /// <param name="entityId">Its key.</param>
    /// <param name="detail">Short detail, e.g. "chart opened".</param>
    public void RecordRead(PatientId patient, string entityType, string entityId, string detail) =>
        _pendingReads.Add(new AuditEvent { Action = "read", PatientId = patient, EntityType = entityType, EntityId = entityId, Detail = detail });

    /// <summary>
    /// Adds an audit event for an action outside the clinical records (user administration, sign-in lockout,
    /// an export); written with the next save, which it forces even when nothing else changed.
    /// </summary>
    /// <param name="action">Verb, at most 16 characters (e.g. "user-create", "export").</param>
    /// <param name="entityType">What it concerns (user, role, export…).</param>
    /// <param name="entityId">Its key.</param>
    /// <param name="detail">Short detail; never a password or other secret.</param>
    /// <param name="patient">The patient concerned, if any.</param>
    public void RecordEvent(string action, string entityType, string entityId, string detail, PatientId patient = default) =>
        _pendingReads.Add(new AuditEvent { Action = action, PatientId = patient, EntityType = entityType, EntityId = entityId, Detail = detail });

    /// <inheritdoc/>
    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        if (!ChangeTracker.HasChanges() && _pendingReads.Count == 0)
        {
            return 0;
        }

        var gate = Database.CurrentTransaction is null ? WriteGate() : null;
        gate?.Wait();
        IDbContextTransaction? owned = null;
        var added = new List<EntityEntry<AuditEvent>>();
        try
        {
            owned = Database.CurrentTransaction is null ? Database.BeginTransaction() : null;
            if (Database.IsNpgsql())
            {
                Database.ExecuteSqlRaw("SELECT pg_advisory_xact_lock({0})", ChainLockKey);
            }

            added = Prepare(LastLink());
            var n = base.SaveChanges(acceptAllChangesOnSuccess);
            owned?.Commit();
            return n;
        }
        catch
        {
            Forget(added);
            throw;
        }
        finally
        {
            owned?.Dispose();
            gate?.Release();
        }
    }

    /// <inheritdoc/>
    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        await CoalesceReadsAsync(cancellationToken).ConfigureAwait(false);
        if (!ChangeTracker.HasChanges() && _pendingReads.Count == 0)
        {
            return 0;
        }

        var gate = Database.CurrentTransaction is null ? WriteGate() : null;
        if (gate is not null && !ChangeTracker.HasChanges() && _pendingReads.TrueForAll(r => r.Action == "read"))
        {
            return await SaveReadsInBatchAsync(gate, cancellationToken).ConfigureAwait(false);
        }

        if (gate is not null)
        {
            await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        IDbContextTransaction? owned = null;
        var added = new List<EntityEntry<AuditEvent>>();
        try
        {
            owned = Database.CurrentTransaction is null ? await Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false) : null;
            if (Database.IsNpgsql())
            {
                await Database.ExecuteSqlRawAsync("SELECT pg_advisory_xact_lock({0})", [ChainLockKey], cancellationToken).ConfigureAwait(false);
            }

            var last = await AuditEvents.AsNoTracking().OrderByDescending(a => a.Sequence).Select(a => new Link(a.Sequence, a.Hash)).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
            added = Prepare(last);
            var n = await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken).ConfigureAwait(false);
            if (owned is not null)
            {
                await owned.CommitAsync(cancellationToken).ConfigureAwait(false);
            }

            return n;
        }
        catch
        {
            Forget(added);
            throw;
        }
        finally
        {
            if (owned is not null)
            {
                await owned.DisposeAsync().ConfigureAwait(false);
            }

            gate?.Release();
        }
    }

    /// <summary>
    /// Group commit of audited reads on SQLite: a save that only records reads queues its events; whoever gets the
    /// write gate next writes every queued event in one transaction (one chain link look-up, one commit) and releases
    /// their savers, each of which returns only once its own events are committed. At fifty users opening charts the
    /// one-commit-per-view writes were the chart's p99; a read is still one audit event of its own, by its own user,
    /// at its own time.
    /// </summary>
    private async Task<int> SaveReadsInBatchAsync(SemaphoreSlim gate, CancellationToken cancellationToken)
    {
        if (Actor is not { } actor)
        {
            throw new ClinicalRecordException("no user is set for the audit log; every change and every read of a chart must name who made it.");
        }

        var at = AuditChain.ToMicroseconds(Clock.GetUtcNow());
        foreach (var e in _pendingReads)
        {
            e.UserId = actor;
            e.At = at;
        }

        var mine = new QueuedReads([.. _pendingReads]);
        _pendingReads.Clear();
        var queue = ReadQueues.GetOrAdd(Database.GetConnectionString() ?? string.Empty, _ => new ReadQueue());
        queue.Add(mine);
        try
        {
            await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (queue.TryRemove(mine))
        {
            throw;
        }
        catch (OperationCanceledException)
        {
            // Already taken by a writer: the events are being committed; wait for that rather than report a failure.
            await mine.Committed.Task.ConfigureAwait(false);
            return mine.Events.Count;
        }

        try
        {
            if (!mine.Committed.Task.IsCompleted)
            {
                await WriteQueuedReadsAsync(queue.TakeAll()).ConfigureAwait(false);
            }
        }
        finally
        {
            gate.Release();
        }

        await mine.Committed.Task.ConfigureAwait(false);
        return mine.Events.Count;
    }

    // Not cancellable: the batch carries other requests' events, whose savers wait for this commit.
    private async Task WriteQueuedReadsAsync(List<QueuedReads> batch)
    {
        var events = batch.SelectMany(b => b.Events).OrderBy(e => e.At).ToList();
        var added = new List<EntityEntry<AuditEvent>>(events.Count);
        try
        {
            await using (var transaction = await Database.BeginTransactionAsync(CancellationToken.None).ConfigureAwait(false))
            {
                var last = await AuditEvents.AsNoTracking().OrderByDescending(a => a.Sequence).Select(a => new Link(a.Sequence, a.Hash)).FirstOrDefaultAsync(CancellationToken.None).ConfigureAwait(false);
                added = Chain(events, last);
                await base.SaveChangesAsync(true, CancellationToken.None).ConfigureAwait(false);
                await transaction.CommitAsync(CancellationToken.None).ConfigureAwait(false);
            }

            Forget(added);
            batch.ForEach(b => b.Committed.TrySetResult());
        }
        catch (Exception ex)
        {
            Forget(added);
            batch.ForEach(b => b.Committed.TrySetException(ex));
        }
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, ReadQueue> ReadQueues = new(StringComparer.Ordinal);

    private sealed record QueuedReads(List<AuditEvent> Events)
    {
        public TaskCompletionSource Committed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed class ReadQueue
    {
        private readonly List<QueuedReads> _items = [];

        public void Add(QueuedReads item)
        {
            lock (_items)
            {
                _items.Add(item);
            }
        }

        public bool TryRemove(QueuedReads item)
        {
            lock (_items)
            {
                return _items.Remove(item);
            }
        }

        public List<QueuedReads> TakeAll()
        {
            lock (_items)
            {
                var all = _items.ToList();
                _items.Clear();
                return all;
            }
        }
    }

    /// <summary>
    /// The in-process queue of this SQLite file's writers, or null on PostgreSQL. SQLite lets one writer in at a time
    /// and makes the others retry in sleeps of up to 150 ms; under fifty concurrent users those sleeps were most of a
    /// page's p99. Waiting here in order instead keeps the wait to the writes ahead. Another process writing the same
    /// file (the CLI beside the app) still meets SQLite's own busy handling.
    /// </summary>
    private SemaphoreSlim? WriteGate() =>
        Database.IsSqlite() ? SqliteWriteGate(Database.GetConnectionString() ?? string.Empty) : null;

    /// <summary>The in-process write queue of the SQLite file of <paramref name="connectionString"/> (see <see cref="WriteGate"/>).</summary>
    internal static SemaphoreSlim SqliteWriteGate(string connectionString) =>
        SqliteWriteGates.GetOrAdd(connectionString, _ => new SemaphoreSlim(1, 1));

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, SemaphoreSlim> SqliteWriteGates = new(StringComparer.Ordinal);

    /// <summary>Drops pending reads already audited within <see cref="ReadCoalescing"/> (see there); no write, one indexed query.</summary>
    private async Task CoalesceReadsAsync(CancellationToken cancellationToken)
    {
        if (ReadCoalescing <= TimeSpan.Zero || Actor is not { } actor || !_pendingReads.Any(r => r.Action == "read"))
        {
            return;
        }

        var since = AuditChain.ToMicroseconds(Clock.GetUtcNow() - ReadCoalescing);
        var patients = _pendingReads.Where(r => r.Action == "read").Select(r => r.PatientId).Distinct().ToList();

        // The newest reads of these patients by this actor, times compared here: SQLite stores DateTimeOffset as text
        // and EF cannot compare it in SQL. A bounded look-back is enough: a coalesced read is among the newest.
        var latest = await AuditEvents.AsNoTracking()
            .Where(a => patients.Contains(a.PatientId) && a.UserId == actor && a.Action == "read")
            .OrderByDescending(a => a.Sequence)
            .Take(patients.Count * 20)
            .Select(a => new { a.PatientId, a.EntityType, a.EntityId, a.Detail, a.At })
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        var recent = latest.Where(a => a.At >= since).ToList();
        _pendingReads.RemoveAll(r => r.Action == "read" && recent.Any(a => a.PatientId == r.PatientId && a.EntityType == r.EntityType && a.EntityId == r.EntityId && a.Detail == r.Detail));
    }

    /// <inheritdoc/>
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        ArgumentNullException.ThrowIfNull(configurationBuilder);
        configurationBuilder.Properties<PatientId>().HaveConversion<IdConverters.Patient>();
        configurationBuilder.Properties<UserId>().HaveConversion<IdConverters.User>();
        configurationBuilder.Properties<PlanId>().HaveConversion<IdConverters.Plan>();
        configurationBuilder.Properties<SessionId>().HaveConversion<IdConverters.Session>();
        configurationBuilder.Properties<AssessmentId>().HaveConversion<IdConverters.Assessment>();
        configurationBuilder.Properties<ProductId>().HaveConversion<IdConverters.Product>();
        configurationBuilder.Properties<LocationId>().HaveConversion<IdConverters.Location>();
        configurationBuilder.Properties<LotId>().HaveConversion<IdConverters.Lot>();
        configurationBuilder.Properties<MovementId>().HaveConversion<IdConverters.Movement>();
        configurationBuilder.Properties<DiscrepancyId>().HaveConversion<IdConverters.Discrepancy>();
        configurationBuilder.Properties<Scheduling.ChairId>().HaveConversion<IdConverters.Chair>();
        configurationBuilder.Properties<Scheduling.AppointmentId>().HaveConversion<IdConverters.Appointment>();
    }

    /// <inheritdoc/>
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);
        base.OnModelCreating(modelBuilder);
        modelBuilder.Entity<ClinicUser>(b =>
        {
            b.ToTable("users");
            b.Property(u => u.DisplayName).HasMaxLength(200);
        });
        modelBuilder.Entity<IdentityRole<Guid>>().ToTable("roles");
        modelBuilder.Entity<IdentityUserRole<Guid>>().ToTable("user_roles");
        modelBuilder.Entity<IdentityUserClaim<Guid>>().ToTable("user_claims");
        modelBuilder.Entity<IdentityUserLogin<Guid>>().ToTable("user_logins");
        modelBuilder.Entity<IdentityUserToken<Guid>>().ToTable("user_tokens");
        modelBuilder.Entity<IdentityRoleClaim<Guid>>().ToTable("role_claims");
        modelBuilder.Entity<DataProtectionKey>().ToTable("data_protection_keys");
        modelBuilder.Entity<SettingsRecord>(b =>
        {
            b.ToTable("clinic_settings");
            b.HasKey(p => new { p.Key, p.SettingsVersion });
            b.Property(p => p.Key).HasMaxLength(64);
            b.Property(p => p.Reason).HasMaxLength(500);
            b.Property(p => p.Version).IsConcurrencyToken();
        });
        modelBuilder.Entity<PatientRecord>(b =>
        {
            b.ToTable("patients");
            b.HasKey(p => p.Id);
            b.HasIndex(p => p.MedicalRecordNumber).IsUnique();
            b.HasIndex(p => new { p.FamilyName, p.GivenName });
            b.HasIndex(p => p.OpenTasks);
            b.Property(p => p.MedicalRecordNumber).HasMaxLength(64);
            b.Property(p => p.FamilyName).HasMaxLength(200);
            b.Property(p => p.GivenName).HasMaxLength(200);
            b.Property(p => p.Version).IsConcurrencyToken();
        });
        modelBuilder.Entity<AssessmentRecord>(b =>
        {
            b.ToTable("eligibility_assessments");
            b.HasKey(a => a.Id);
            b.HasIndex(a => a.PatientId);
            b.HasOne<PatientRecord>().WithMany().HasForeignKey(a => a.PatientId).OnDelete(DeleteBehavior.Restrict);
            b.Property(a => a.Result).HasMaxLength(32);
            b.Property(a => a.RuleSetVersion).HasMaxLength(64);
            b.Property(a => a.Version).IsConcurrencyToken();
        });
        modelBuilder.Entity<PlanRecord>(b =>
        {
            b.ToTable("treatment_plans");
            b.HasKey(p => p.Id);
            b.HasIndex(p => p.PatientId);
            b.HasOne<PatientRecord>().WithMany().HasForeignKey(p => p.PatientId).OnDelete(DeleteBehavior.Restrict);
            b.Property(p => p.ProtocolId).HasMaxLength(64);
            b.Property(p => p.Status).HasMaxLength(32);
            b.Property(p => p.Version).IsConcurrencyToken();
        });
        modelBuilder.Entity<SessionRecord>(b =>
        {
            b.ToTable("infusion_sessions");
            b.HasKey(s => s.Id);
            b.HasIndex(s => s.PatientId);
            b.HasIndex(s => s.PlanId);
            b.HasOne<PlanRecord>().WithMany().HasForeignKey(s => s.PlanId).OnDelete(DeleteBehavior.Restrict);
            b.HasOne<PatientRecord>().WithMany().HasForeignKey(s => s.PatientId).OnDelete(DeleteBehavior.Restrict);
            b.Property(s => s.State).HasMaxLength(32);
            b.Property(s => s.Version).IsConcurrencyToken();
        });
        modelBuilder.Entity<SessionExposureRecord>(b =>
        {
            b.ToTable("session_exposures");
            b.HasKey(e => e.SessionId);
            b.HasIndex(e => e.PatientId);
            b.HasOne<SessionRecord>().WithMany().HasForeignKey(e => e.SessionId).OnDelete(DeleteBehavior.Restrict);
            b.Property(e => e.ModelId).HasMaxLength(64);
            b.Property(e => e.Covariates).HasMaxLength(1000);
        });
        modelBuilder.Entity<CourseFactsRecord>(b =>
        {
            b.ToTable("course_facts");
            b.HasKey(c => c.PatientId);
            b.HasOne<PatientRecord>().WithMany().HasForeignKey(c => c.PatientId).OnDelete(DeleteBehavior.Restrict);
            b.Property(c => c.Inputs).HasMaxLength(300);
        });
        modelBuilder.Entity<ProtocolRecord>(b =>
        {
            b.ToTable("protocols");
            b.HasKey(p => new { p.ProtocolId, p.ProtocolVersion });
            b.Property(p => p.ProtocolId).HasMaxLength(64);
            b.Property(p => p.Name).HasMaxLength(200);
            b.Property(p => p.Reason).HasMaxLength(500);
            b.Property(p => p.Version).IsConcurrencyToken();
        });
        OnStockModelCreating(modelBuilder);
        SchedulingModel.Configure(modelBuilder);
        modelBuilder.Entity<AuditEvent>(b =>
        {
            b.ToTable("audit_events");
            b.HasKey(a => a.Sequence);
            b.Property(a => a.Sequence).ValueGeneratedNever();
            b.HasIndex(a => a.PatientId);
            b.Property(a => a.Action).HasMaxLength(16);
            b.Property(a => a.EntityType).HasMaxLength(32);
            b.Property(a => a.EntityId).HasMaxLength(64);
            b.Property(a => a.PreviousHash).HasMaxLength(64);
            b.Property(a => a.Hash).HasMaxLength(64);
        });

        // snake_case columns on both databases, so hand-written SQL (tests, operators) reads the same everywhere.
        foreach (var entity in modelBuilder.Model.GetEntityTypes())
        {
            foreach (var property in entity.GetProperties())
            {
                property.SetColumnName(SnakeCase(property.Name));
            }
        }
    }

    private static void OnStockModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<StockProductRecord>(b =>
        {
            b.ToTable("stock_products");
            b.HasKey(p => p.Id);
            b.Property(p => p.Name).HasMaxLength(200);
            b.Property(p => p.Code).HasMaxLength(64);
            b.Property(p => p.Version).IsConcurrencyToken();
        });
        modelBuilder.Entity<StockLocationRecord>(b =>
        {
            b.ToTable("stock_locations");
            b.HasKey(l => l.Id);
            b.HasIndex(l => l.Name).IsUnique();
            b.Property(l => l.Name).HasMaxLength(200);
            b.Property(l => l.Kind).HasMaxLength(16);
            b.Property(l => l.Version).IsConcurrencyToken();
        });
        modelBuilder.Entity<StockLotRecord>(b =>
        {
            b.ToTable("stock_lots");
            b.HasKey(l => l.Id);
            b.HasIndex(l => new { l.ProductId, l.LotNumber }).IsUnique();
            b.HasOne<StockProductRecord>().WithMany().HasForeignKey(l => l.ProductId).OnDelete(DeleteBehavior.Restrict);
            b.Property(l => l.LotNumber).HasMaxLength(64);
            b.Property(l => l.Hold).HasMaxLength(16);
            b.Property(l => l.Version).IsConcurrencyToken();
        });
        modelBuilder.Entity<StockMovementRecord>(b =>
        {
            b.ToTable("stock_movements");
            b.HasKey(m => m.Sequence);
            b.Property(m => m.Sequence).ValueGeneratedOnAdd();
            b.HasIndex(m => new { m.LotId, m.LocationId });
            b.HasIndex(m => m.SessionId);
            b.HasIndex(m => m.MovementId);
            b.HasOne<StockLotRecord>().WithMany().HasForeignKey(m => m.LotId).OnDelete(DeleteBehavior.Restrict);
            b.HasOne<StockLocationRecord>().WithMany().HasForeignKey(m => m.LocationId).OnDelete(DeleteBehavior.Restrict);
            b.Property(m => m.Kind).HasMaxLength(16);
            b.Property(m => m.Party).HasMaxLength(200);
            b.Property(m => m.Reference).HasMaxLength(200);
            b.Property(m => m.Reason).HasMaxLength(500);
        });
        modelBuilder.Entity<StockBalanceRecord>(b =>
        {
            b.ToTable("stock_balances", t => t.HasCheckConstraint("ck_stock_balances_on_hand", "on_hand_microliters >= 0"));
            b.HasKey(x => new { x.LotId, x.LocationId });
            b.HasOne<StockLotRecord>().WithMany().HasForeignKey(x => x.LotId).OnDelete(DeleteBehavior.Restrict);
            b.HasOne<StockLocationRecord>().WithMany().HasForeignKey(x => x.LocationId).OnDelete(DeleteBehavior.Restrict);
            b.Property(x => x.Version).IsConcurrencyToken();
        });
        modelBuilder.Entity<StockDiscrepancyRecord>(b =>
        {
            b.ToTable("stock_discrepancies");
            b.HasKey(d => d.Id);
            b.HasIndex(d => d.Status);
            b.HasOne<StockLotRecord>().WithMany().HasForeignKey(d => d.LotId).OnDelete(DeleteBehavior.Restrict);
            b.HasOne<StockLocationRecord>().WithMany().HasForeignKey(d => d.LocationId).OnDelete(DeleteBehavior.Restrict);
            b.Property(d => d.Status).HasMaxLength(16);
            b.Property(d => d.Investigation).HasMaxLength(4000);
            b.Property(d => d.Resolution).HasMaxLength(500);
            b.Property(d => d.Version).IsConcurrencyToken();
        });
    }

    private static string SnakeCase(string name)
    {
        var sb = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0)
            {
                sb.Append('_');
            }

            sb.Append(char.ToLowerInvariant(name[i]));
        }

        return sb.ToString();
    }

    private Link? LastLink() =>
        AuditEvents.AsNoTracking().OrderByDescending(a => a.Sequence).Select(a => new Link(a.Sequence, a.Hash)).FirstOrDefault();

    /// <summary>Refuses deletions and changes of immutable rows, then adds one chained audit event per clinical change and per recorded read.</summary>
    private List<EntityEntry<AuditEvent>> Prepare(Link? last)
    {
        var events = new List<AuditEvent>();
        foreach (var entry in ChangeTracker.Entries())
        {
            switch (entry.State)
            {
                case EntityState.Deleted when entry.Entity is IClinicalRecord or AuditEvent:
                    throw new ClinicalRecordException($"{Kind(entry.Entity)} records are never deleted: correct them by an amendment with a reason, or mark them entered-in-error.");
                case EntityState.Added or EntityState.Modified when entry.Entity is AuditEvent:
                    throw new ClinicalRecordException("audit events are never changed, and are written only by the context itself.");
                case EntityState.Modified when entry.Entity is ProtocolRecord:
                    throw new ClinicalRecordException("protocol versions are never changed; add a new version instead.");
                case EntityState.Modified when entry.Entity is StockMovementRecord or StockProductRecord or StockLocationRecord:
                    throw new ClinicalRecordException("the stock ledger is append-only: a movement is never changed; record an adjustment linked to a discrepancy instead.");
                case EntityState.Modified when entry.Entity is SettingsRecord:
                    throw new ClinicalRecordException("settings versions are never changed; add a new version instead.");
                case EntityState.Modified when entry.Entity is AssessmentRecord && entry.Property(nameof(AssessmentRecord.Document)).IsModified:
                    throw new ClinicalRecordException("eligibility assessments are immutable; run a new assessment instead.");
                case EntityState.Added or EntityState.Modified when entry.Entity is IClinicalRecord record:
                    events.Add(new AuditEvent
                    {
                        Action = entry.State == EntityState.Added ? "create" : "update",
                        EntityType = Kind(record),
                        EntityId = record.RecordKey,
                        PatientId = record.PatientId,
                        Detail = "version " + record.Version.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    });
                    break;
            }
        }

        events.AddRange(_pendingReads);
        _pendingReads.Clear();
        if (events.Count == 0)
        {
            return [];
        }

        if (Actor is not { } actor)
        {
            throw new ClinicalRecordException("no user is set for the audit log; every change and every read of a chart must name who made it.");
        }

        var at = AuditChain.ToMicroseconds(Clock.GetUtcNow());
        foreach (var e in events)
        {
            e.At = at;
            e.UserId = actor;
        }

        return Chain(events, last);
    }

    /// <summary>Links <paramref name="events"/> (user and time set) after <paramref name="last"/> and adds them.</summary>
    private List<EntityEntry<AuditEvent>> Chain(List<AuditEvent> events, Link? last)
    {
        var sequence = last?.Sequence ?? 0;
        var previous = last?.Hash ?? AuditChain.Genesis;
        var added = new List<EntityEntry<AuditEvent>>(events.Count);
        foreach (var e in events)
        {
            e.Sequence = ++sequence;
            e.PreviousHash = previous;
            e.Hash = AuditChain.ComputeHash(previous, e);
            previous = e.Hash;
            added.Add(AuditEvents.Add(e));
        }

        return added;
    }

    // A failed save writes nothing: the generated audit events leave the change tracker so a retry starts clean.
    private static void Forget(List<EntityEntry<AuditEvent>> generated)
    {
        foreach (var e in generated)
        {
            e.State = EntityState.Detached;
        }
    }

    private static string Kind(object entity) => entity switch
    {
        PatientRecord => "patient",
        AssessmentRecord => "assessment",
        PlanRecord => "plan",
        SessionRecord => "session",
        ProtocolRecord => "protocol",
        SettingsRecord => "settings",
        StockProductRecord => "stock-product",
        StockLocationRecord => "stock-location",
        StockLotRecord => "stock-lot",
        StockMovementRecord m => "stock-" + m.Kind.ToLowerInvariant(),
        StockBalanceRecord => "stock-balance",
        StockDiscrepancyRecord => "stock-discrepancy",
        ChairRecord => "chair",
        StaffingRecord => "staffing",
        AppointmentRecord => "appointment",
        AuditEvent => "audit event",
        _ => entity.GetType().Name,
    };

    private sealed record Link(long Sequence, string Hash);
}

/// <summary>A record-keeping rule was broken (a delete of clinical data, a change to an immutable record, no user for the audit).</summary>
public sealed class ClinicalRecordException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    public ClinicalRecordException()
    {
    }

    /// <summary>Creates the exception with its message.</summary>
    public ClinicalRecordException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its message and cause.</summary>
    public ClinicalRecordException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>Value converters from typed ids to their GUIDs.</summary>
internal static class IdConverters
{
    public sealed class Patient() : Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter<PatientId, Guid>(v => v.Value, v => new PatientId(v));

    public sealed class User() : Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter<UserId, Guid>(v => v.Value, v => new UserId(v));

    public sealed class Plan() : Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter<PlanId, Guid>(v => v.Value, v => new PlanId(v));

    public sealed class Session() : Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter<SessionId, Guid>(v => v.Value, v => new SessionId(v));

    public sealed class Assessment() : Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter<AssessmentId, Guid>(v => v.Value, v => new AssessmentId(v));

    public sealed class Product() : Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter<ProductId, Guid>(v => v.Value, v => new ProductId(v));

    public sealed class Location() : Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter<LocationId, Guid>(v => v.Value, v => new LocationId(v));

    public sealed class Lot() : Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter<LotId, Guid>(v => v.Value, v => new LotId(v));

    public sealed class Movement() : Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter<MovementId, Guid>(v => v.Value, v => new MovementId(v));

    public sealed class Discrepancy() : Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter<DiscrepancyId, Guid>(v => v.Value, v => new DiscrepancyId(v));

    public sealed class Chair() : Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter<Scheduling.ChairId, Guid>(v => v.Value, v => new Scheduling.ChairId(v));

    public sealed class Appointment() : Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter<Scheduling.AppointmentId, Guid>(v => v.Value, v => new Scheduling.AppointmentId(v));
}
