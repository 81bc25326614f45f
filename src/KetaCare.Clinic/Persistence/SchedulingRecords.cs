using KetaCare.Clinic.Scheduling;
using Microsoft.EntityFrameworkCore;

namespace KetaCare.Clinic.Persistence;

/// <summary>An infusion chair or room; clinic-wide, renamed or taken out of use with a new version, never deleted.</summary>
public sealed class ChairRecord : IClinicalRecord
{
    /// <summary>Identity.</summary>
    public ChairId Id { get; set; }

    /// <summary>Name shown on the calendar ("Chair 1", "Room B"); unique.</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>False when out of use: kept for its past bookings, offered for no new one.</summary>
    public bool Active { get; set; } = true;

    /// <summary>Optimistic-concurrency token.</summary>
    public long Version { get; set; } = 1;

    PatientId IClinicalRecord.PatientId => default;

    string IClinicalRecord.RecordKey => Id.ToString();
}

/// <summary>The nurses on duty on one day (the day's capacity is nurses × patients per nurse); changed with a new version and a reason.</summary>
public sealed class StaffingRecord : IClinicalRecord
{
    /// <summary>The clinic-local day.</summary>
    public DateOnly Day { get; set; }

    /// <summary>Nurses on duty, 0 to <see cref="SchedulingSettings.MaxNursesOnDuty"/>.</summary>
    public int NursesOnDuty { get; set; }

    /// <summary>Why it was set or changed.</summary>
    public string Reason { get; set; } = string.Empty;

    /// <summary>Optimistic-concurrency token.</summary>
    public long Version { get; set; } = 1;

    PatientId IClinicalRecord.PatientId => default;

    string IClinicalRecord.RecordKey => Day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>One session of a plan booked into a chair; its status changes with a reason, the row is never deleted.</summary>
public sealed class AppointmentRecord : IClinicalRecord
{
    /// <summary>Identity.</summary>
    public AppointmentId Id { get; set; }

    /// <summary>The patient.</summary>
    public PatientId PatientId { get; set; }

    /// <summary>The plan whose session it is.</summary>
    public PlanId PlanId { get; set; }

    /// <summary>The planned session created by the booking.</summary>
    public SessionId SessionId { get; set; }

    /// <summary>The chair.</summary>
    public ChairId ChairId { get; set; }

    /// <summary>The clinic-local day of the start (what day and week views query).</summary>
    public DateOnly Day { get; set; }

    /// <summary>Start (UTC).</summary>
    public DateTimeOffset StartsAt { get; set; }

    /// <summary>End of infusion and recovery (UTC).</summary>
    public DateTimeOffset EndsAt { get; set; }

    /// <summary>The <see cref="AppointmentStatus"/> by name.</summary>
    public string Status { get; set; } = nameof(AppointmentStatus.Booked);

    /// <summary>Reason of a cancellation or no-show.</summary>
    public string? Reason { get; set; }

    /// <summary>Who booked it.</summary>
    public UserId BookedBy { get; set; }

    /// <summary>When it was booked (UTC).</summary>
    public DateTimeOffset BookedAt { get; set; }

    /// <summary>Who cancelled it or recorded the no-show.</summary>
    public UserId? ChangedBy { get; set; }

    /// <summary>When (UTC).</summary>
    public DateTimeOffset? ChangedAt { get; set; }

    /// <summary>E-mail address the reminders go to, if any.</summary>
    public string? ReminderEmail { get; set; }

    /// <summary>Mobile number the text reminders go to, if any.</summary>
    public string? ReminderPhone { get; set; }

    /// <summary>Language of the reminders ("en" or "tr").</summary>
    public string Language { get; set; } = "en";

    /// <summary>Optimistic-concurrency token.</summary>
    public long Version { get; set; } = 1;

    string IClinicalRecord.RecordKey => Id.ToString();
}

/// <summary>
/// A message waiting to be sent, being sent, or done with: the outbox of e-mails and text messages. Operational rather
/// than clinical (its changes are not audit events; the booking that queued it is). Times are Unix milliseconds so that
/// both databases compare them in SQL. Rows are never deleted: a cancelled reminder stays with its state.
/// </summary>
public sealed class OutboxMessageRecord
{
    /// <summary>Identity.</summary>
    public Guid Id { get; set; }

    /// <summary>Unique key of what the message is for ("appointment/{id}/reminder-48h"): queuing the same key twice queues one message.</summary>
    public string Key { get; set; } = string.Empty;

    /// <summary>The Message-Id every attempt of this message carries, so that a resend after a crash is recognisably the same message.</summary>
    public string MessageId { get; set; } = string.Empty;

    /// <summary>The patient it concerns, or the all-zero id.</summary>
    public PatientId PatientId { get; set; }

    /// <summary>The <see cref="Messaging.MessageChannel"/> by name.</summary>
    public string Channel { get; set; } = string.Empty;

    /// <summary>E-mail address or telephone number.</summary>
    public string Recipient { get; set; } = string.Empty;

    /// <summary>Template id (<see cref="Messaging.MessageTemplates"/>).</summary>
    public string Template { get; set; } = string.Empty;

    /// <summary>Language of the text ("en" or "tr").</summary>
    public string Language { get; set; } = "en";

    /// <summary>The template's parameters (a JSON object of strings).</summary>
    public string Parameters { get; set; } = "{}";

    /// <summary>The <see cref="Messaging.OutboxState"/> by name.</summary>
    public string State { get; set; } = nameof(Messaging.OutboxState.Pending);

    /// <summary>Not to be sent before this instant (Unix ms); moved later after a failed attempt.</summary>
    public long DueAtMs { get; set; }

    /// <summary>Attempts made (a claim counts as one, so a message that kills its sender cannot be retried for ever).</summary>
    public int Attempts { get; set; }

    /// <summary>The last failure, as the channel reported it.</summary>
    public string? LastError { get; set; }

    /// <summary>The claim of the sender sending it now; null when nobody is.</summary>
    public Guid? ClaimToken { get; set; }

    /// <summary>When the claim lapses (Unix ms): a sender that died holding it leaves the message to be retried after this.</summary>
    public long? ClaimExpiresAtMs { get; set; }

    /// <summary>When queued (Unix ms).</summary>
    public long CreatedAtMs { get; set; }

    /// <summary>When the channel accepted it (Unix ms).</summary>
    public long? SentAtMs { get; set; }
}

/// <summary>The tables of scheduling and the outbox, configured apart from the rest of the model.</summary>
internal static class SchedulingModel
{
    public static void Configure(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<ChairRecord>(b =>
        {
            b.ToTable("chairs");
            b.HasKey(c => c.Id);
            b.HasIndex(c => c.Name).IsUnique();
            b.Property(c => c.Name).HasMaxLength(64);
            b.Property(c => c.Version).IsConcurrencyToken();
        });
        modelBuilder.Entity<StaffingRecord>(b =>
        {
            b.ToTable("staffing_days");
            b.HasKey(s => s.Day);
            b.Property(s => s.Reason).HasMaxLength(500);
            b.Property(s => s.Version).IsConcurrencyToken();
        });
        modelBuilder.Entity<AppointmentRecord>(b =>
        {
            b.ToTable("appointments");
            b.HasKey(a => a.Id);
            b.HasIndex(a => a.Day);
            b.HasIndex(a => a.PatientId);
            b.HasIndex(a => a.ChairId);
            b.HasIndex(a => a.SessionId).IsUnique();
            b.HasOne<PatientRecord>().WithMany().HasForeignKey(a => a.PatientId).OnDelete(DeleteBehavior.Restrict);
            b.HasOne<PlanRecord>().WithMany().HasForeignKey(a => a.PlanId).OnDelete(DeleteBehavior.Restrict);
            b.HasOne<SessionRecord>().WithMany().HasForeignKey(a => a.SessionId).OnDelete(DeleteBehavior.Restrict);
            b.HasOne<ChairRecord>().WithMany().HasForeignKey(a => a.ChairId).OnDelete(DeleteBehavior.Restrict);
            b.Property(a => a.Status).HasMaxLength(16);
            b.Property(a => a.Reason).HasMaxLength(500);
            b.Property(a => a.ReminderEmail).HasMaxLength(254);
            b.Property(a => a.ReminderPhone).HasMaxLength(32);
            b.Property(a => a.Language).HasMaxLength(8);
            b.Property(a => a.Version).IsConcurrencyToken();
        });
        modelBuilder.Entity<OutboxMessageRecord>(b =>
        {
            b.ToTable("outbox_messages");
            b.HasKey(m => m.Id);
            b.HasIndex(m => m.Key).IsUnique();
            b.HasIndex(m => new { m.State, m.DueAtMs });
            b.Property(m => m.Key).HasMaxLength(200);
            b.Property(m => m.MessageId).HasMaxLength(200);
            b.Property(m => m.Channel).HasMaxLength(16);
            b.Property(m => m.Recipient).HasMaxLength(254);
            b.Property(m => m.Template).HasMaxLength(64);
            b.Property(m => m.Language).HasMaxLength(8);
            b.Property(m => m.State).HasMaxLength(16);
            b.Property(m => m.LastError).HasMaxLength(1000);
        });
    }
}
