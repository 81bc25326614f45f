using System.Globalization;
using System.Text.Json;
using KetaCare.Clinic.Findings;
using KetaCare.Clinic.Messaging;
using KetaCare.Clinic.Persistence;
using KetaCare.Clinic.Plans;
using KetaCare.Clinic.Scheduling;
using KetaCare.Clinic.Sessions;
using Microsoft.EntityFrameworkCore;

namespace KetaCare.Clinic.Services;

/// <summary>
/// Infusion-chair scheduling: chairs, the nurses on duty per day, booking a plan's session into a chair at a start time
/// (checked by <see cref="BookingRules"/> inside one serialised transaction, so two bookings racing for the last place
/// cannot both win), cancellations and no-shows with a reason, day and week views, proposed dates from the plan's
/// interval, and the reminders each booking queues in the outbox. One instance per unit of work; not thread-safe.
/// </summary>
/// <param name="db">The context.</param>
/// <param name="clock">The clock.</param>
/// <param name="zone">The clinic's time zone: opening hours and days are clinic-local.</param>
public sealed class SchedulingService(KetaCareDbContext db, TimeProvider clock, TimeZoneInfo zone)
{
    /// <summary>Key of the scheduling settings among the clinic settings.</summary>
    public const string SettingsKey = "scheduling";

    /// <summary>Longest chair name.</summary>
    public const int MaxChairNameLength = 64;

    /// <summary>Longest reason of a cancellation, no-show or staffing change.</summary>
    public const int MaxReasonLength = 500;

    /// <summary>The path of the patient portal that the checklist reminder links to (the sender makes it absolute).</summary>
    public const string PortalPath = "/Portal";

    // Bookings are serialised on PostgreSQL by this transaction-scoped advisory lock; on SQLite the transaction's write
    // lock taken at BEGIN does the same. Without it two bookings could each see the other's place as free.
    private const long BookingLockKey = 0x4B65_7461_4368_6169;

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = false };

    /// <summary>The clinic's time zone.</summary>
    public TimeZoneInfo Zone => zone;

    /// <summary>
    /// How long a session of <paramref name="protocol"/> holds its chair: the infusion (zero for a single dose) plus the
    /// minimum observation after the drug — the protocol's, else the clinic's (60 min; 120 min intranasal).
    /// </summary>
    public static TimeSpan ExpectedDuration(Protocols.Protocol protocol, SessionSettings settings)
    {
        ArgumentNullException.ThrowIfNull(protocol);
        ArgumentNullException.ThrowIfNull(settings);
        var infusion = protocol.InfusionDuration is { } d ? TimeSpan.FromMinutes(d.Minutes) : TimeSpan.Zero;
        return infusion + settings.MinimumObservation(protocol);
    }

    /// <summary>The scheduling settings in force and their version (0 = the built-in defaults).</summary>
    public async Task<(SchedulingSettings Settings, int Version)> SettingsAsync(CancellationToken cancellationToken = default)
    {
        var latest = await new SettingsService(db, clock).LatestAsync(SettingsKey, cancellationToken).ConfigureAwait(false);
        return latest is null
            ? (SchedulingSettings.Default, 0)
            : (JsonSerializer.Deserialize<SchedulingSettings>(latest.Json, Json) ?? throw new ClinicalRecordException($"{SettingsKey} v{latest.Version} is not readable."), latest.Version);
    }

    /// <summary>Checks and stores new scheduling settings as the next version; bookings already made stay as they are.</summary>
    public async Task<Outcome<SettingVersion>> ReviseSettingsAsync(SchedulingSettings settings, int expectedVersion, string reason, UserId by, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var check = settings.Validate();
        return check.IsSuccess
            ? await new SettingsService(db, clock).ReviseAsync(SettingsKey, JsonSerializer.Serialize(settings, Json), expectedVersion, reason, by, cancellationToken).ConfigureAwait(false)
            : check.Refusal;
    }

    /// <summary>The chairs by name; out-of-use ones only when <paramref name="includeInactive"/>.</summary>
    public async Task<IReadOnlyList<ChairView>> ChairsAsync(bool includeInactive = false, CancellationToken cancellationToken = default)
    {
        var rows = await db.Chairs.AsNoTracking().Where(c => includeInactive || c.Active).OrderBy(c => c.Name).ToListAsync(cancellationToken).ConfigureAwait(false);
        return [.. rows.Select(c => new ChairView(c.Id, c.Name, c.Active, c.Version))];
    }

    /// <summary>Adds a chair; refused for an empty, too long or taken name.</summary>
    public async Task<Outcome<ChairView>> AddChairAsync(string name, UserId by, CancellationToken cancellationToken = default)
    {
        var checkedName = await CheckChairNameAsync(name, null, cancellationToken).ConfigureAwait(false);
        if (!checkedName.IsSuccess)
        {
            return checkedName.Refusal;
        }

        var row = new ChairRecord { Id = ChairId.New(), Name = checkedName.Value };
        db.Chairs.Add(row);
        db.Actor = by;
        var saved = await Conflicts.SaveAsync(db, "chair", cancellationToken).ConfigureAwait(false);
        return saved.IsSuccess ? Outcome<ChairView>.Ok(new ChairView(row.Id, row.Name, row.Active, row.Version)) : saved.Refusal;
    }

    /// <summary>Renames a chair or takes it out of (or back into) use; its past and future bookings stay.</summary>
    public async Task<Outcome<ChairView>> ChangeChairAsync(ChairId id, long expectedVersion, string name, bool active, UserId by, CancellationToken cancellationToken = default)
    {
        var row = await db.Chairs.FirstOrDefaultAsync(c => c.Id == id, cancellationToken).ConfigureAwait(false);
        if (row is null)
        {
            return Refusal.NotFound("chair", id);
        }

        if (Conflicts.Check("chair", row.Version, expectedVersion) is { } stale)
        {
            db.Entry(row).State = EntityState.Detached;
            return stale;
        }

        var checkedName = await CheckChairNameAsync(name, id, cancellationToken).ConfigureAwait(false);
        if (!checkedName.IsSuccess)
        {
            db.Entry(row).State = EntityState.Detached;
            return checkedName.Refusal;
        }

        row.Name = checkedName.Value;
        row.Active = active;
        row.Version++;
        db.Actor = by;
        var saved = await Conflicts.SaveAsync(db, "chair", cancellationToken).ConfigureAwait(false);
        return saved.IsSuccess ? Outcome<ChairView>.Ok(new ChairView(row.Id, row.Name, row.Active, row.Version)) : saved.Refusal;
    }

    /// <summary>The nurses on duty on <paramref name="day"/> and the patients in care at once they allow.</summary>
    public async Task<DayCapacity> CapacityAsync(DateOnly day, CancellationToken cancellationToken = default)
    {
        var (settings, _) = await SettingsAsync(cancellationToken).ConfigureAwait(false);
        return await CapacityAsync(day, settings, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sets the nurses on duty on <paramref name="day"/> (0 to <see cref="SchedulingSettings.MaxNursesOnDuty"/>), with a reason.</summary>
    /// <remarks>Bookings already made are kept when the capacity falls below them; new ones are refused until it is back.</remarks>
    public async Task<Outcome<DayCapacity>> SetStaffingAsync(DateOnly day, int nursesOnDuty, string reason, UserId by, CancellationToken cancellationToken = default)
    {
        if (nursesOnDuty < 0 || nursesOnDuty > SchedulingSettings.MaxNursesOnDuty)
        {
            return Refusal.OutOfRange("nursesOnDuty", nursesOnDuty, 0, SchedulingSettings.MaxNursesOnDuty);
        }

        if (CheckReason(reason) is { } bad)
        {
            return bad;
        }

        var row = await db.Staffing.FirstOrDefaultAsync(s => s.Day == day, cancellationToken).ConfigureAwait(false);
        if (row is null)
        {
            db.Staffing.Add(new StaffingRecord { Day = day, NursesOnDuty = nursesOnDuty, Reason = reason.Trim() });
        }
        else
        {
            row.NursesOnDuty = nursesOnDuty;
            row.Reason = reason.Trim();
            row.Version++;
        }

        db.Actor = by;
        var saved = await Conflicts.SaveAsync(db, "staffing", cancellationToken).ConfigureAwait(false);
        return saved.IsSuccess ? Outcome<DayCapacity>.Ok(await CapacityAsync(day, cancellationToken).ConfigureAwait(false)) : saved.Refusal;
    }

    /// <summary>
    /// Books the plan's next session into a chair at a start time: refused (with every reason at once) when the chair or
    /// the patient is booked then, the day's capacity is reached, the time is outside the opening hours or past, the
    /// chair is out of use or the plan not active. On success the planned session (the plan's session already planned for
    /// that day by date only, else a new one), the appointment and its reminders (each contact × each reminder time, and
    /// the pre-visit checklist reminder) are saved together.
    /// </summary>
    public async Task<Outcome<AppointmentView>> BookAsync(BookingCommand command, UserId by, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        var planDoc = await db.Plans.AsNoTracking().Where(p => p.Id == command.Plan).Select(p => p.Document).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        if (planDoc is null)
        {
            return Refusal.NotFound("plan", command.Plan);
        }

        var chair = await db.Chairs.AsNoTracking().FirstOrDefaultAsync(c => c.Id == command.Chair, cancellationToken).ConfigureAwait(false);
        if (chair is null)
        {
            return Refusal.NotFound("chair", command.Chair);
        }

        if (!chair.Active)
        {
            return Refusal.Coded(FindingCodes.ScheduleChairInactive, FindingArg.Of("chair", chair.Name));
        }

        if (CheckContact(command.Contact) is { } badContact)
        {
            return badContact;
        }

        var plan = StateJson.Deserialize<TreatmentPlan>(planDoc);
        var sessionSettings = await new SettingsService(db, clock).SessionSettingsAsync(cancellationToken).ConfigureAwait(false);
        var (settings, _) = await SettingsAsync(cancellationToken).ConfigureAwait(false);
        var request = new BookingRequest(plan.PatientId, chair.Id, chair.Name, command.Start.ToUniversalTime(), ExpectedDuration(plan.Protocol, sessionSettings));
        var day = BookingRules.Day(request.Start, zone);

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        if (db.Database.IsNpgsql())
        {
            await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_xact_lock({0})", [BookingLockKey], cancellationToken).ConfigureAwait(false);
        }

        var booked = await BookedAroundAsync(day, cancellationToken).ConfigureAwait(false);
        var capacity = await CapacityAsync(day, settings, cancellationToken).ConfigureAwait(false);
        var findings = BookingRules.Check(request, booked, capacity.Capacity, settings, zone, clock.GetUtcNow());
        if (findings.Count > 0)
        {
            return Refusal.Of([.. findings]);
        }

        // A session planned for the day by date only (from the plan page) gets this chair instead of a second session.
        var scheduled = nameof(SessionState.Scheduled);
        var planned = await db.Sessions.AsNoTracking()
            .Where(x => x.PlanId == plan.Id && x.ScheduledFor == day && x.State == scheduled && !db.Appointments.Any(a => a.SessionId == x.Id))
            .Select(x => (SessionId?)x.Id)
            .FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        SessionId sessionId;
        if (planned is { } existing)
        {
            sessionId = existing;
        }
        else
        {
            var session = await new SessionService(db, clock).ScheduleAsync(plan.Id, day, by, cancellationToken).ConfigureAwait(false);
            if (!session.IsSuccess)
            {
                return session.Refusal;
            }

            sessionId = session.Value.Id;
        }

        var row = new AppointmentRecord
        {
            Id = AppointmentId.New(),
            PatientId = plan.PatientId,
            PlanId = plan.Id,
            SessionId = sessionId,
            ChairId = chair.Id,
            Day = day,
            StartsAt = request.Start,
            EndsAt = request.End,
            BookedBy = by,
            BookedAt = clock.GetUtcNow(),
            ReminderEmail = Blank(command.Contact?.Email),
            ReminderPhone = Blank(command.Contact?.Phone) is { } phone ? Patients.PatientContacts.Normalise(phone) : null,
            Language = command.Contact?.Language ?? "en",
        };
        db.Appointments.Add(row);
        await QueueRemindersAsync(row, chair.Name, settings, cancellationToken).ConfigureAwait(false);
        db.Actor = by;
        var saved = await Conflicts.SaveAsync(db, "appointment", cancellationToken).ConfigureAwait(false);
        if (!saved.IsSuccess)
        {
            return saved.Refusal;
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return Outcome<AppointmentView>.Ok(await ViewAsync(row.Id, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Cancels a booked appointment with a reason: frees the chair, cancels its planned session and withdraws its reminders.</summary>
    public Task<Outcome<AppointmentView>> CancelAsync(AppointmentId id, long expectedVersion, string reason, UserId by, CancellationToken cancellationToken = default) =>
        EndAsync(id, expectedVersion, AppointmentStatus.Cancelled, reason, by, cancellationToken);

    /// <summary>Records that the patient did not come, with a reason; only from the appointment's start. Cancels its planned session and withdraws its reminders.</summary>
    public Task<Outcome<AppointmentView>> NoShowAsync(AppointmentId id, long expectedVersion, string reason, UserId by, CancellationToken cancellationToken = default) =>
        EndAsync(id, expectedVersion, AppointmentStatus.NoShow, reason, by, cancellationToken);

    /// <summary>The appointment, or not-found.</summary>
    public async Task<Outcome<AppointmentView>> GetAsync(AppointmentId id, CancellationToken cancellationToken = default) =>
        await db.Appointments.AnyAsync(a => a.Id == id, cancellationToken).ConfigureAwait(false)
            ? Outcome<AppointmentView>.Ok(await ViewAsync(id, cancellationToken).ConfigureAwait(false))
            : Refusal.NotFound("appointment", id);

    /// <summary>The appointments from <paramref name="from"/> to <paramref name="to"/> (clinic-local days, inclusive), by start; every patient shown is an audited read by <paramref name="by"/>.</summary>
    public async Task<IReadOnlyList<AppointmentView>> RangeAsync(DateOnly from, DateOnly to, UserId by, CancellationToken cancellationToken = default)
    {
        var views = await QueryViews(db.Appointments.Where(a => a.Day >= from && a.Day <= to), cancellationToken).ConfigureAwait(false);
        await AuditAsync(views, "calendar viewed", by, cancellationToken).ConfigureAwait(false);
        return views;
    }

    /// <summary>The Monday-to-Sunday week of <paramref name="day"/>.</summary>
    public static (DateOnly Monday, DateOnly Sunday) WeekOf(DateOnly day)
    {
        var monday = day.AddDays(-(((int)day.DayOfWeek + 6) % 7));
        return (monday, monday.AddDays(6));
    }

    /// <summary>The patient's appointments, by start (audited read).</summary>
    public async Task<IReadOnlyList<AppointmentView>> ForPatientAsync(PatientId patient, UserId by, CancellationToken cancellationToken = default)
    {
        var views = await QueryViews(db.Appointments.Where(a => a.PatientId == patient), cancellationToken).ConfigureAwait(false);
        db.Actor = by;
        db.RecordRead(patient, "appointment", "*", "appointments listed");
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return views;
    }

    /// <summary>The chair's appointments from <paramref name="from"/> on, by start (every patient shown is an audited read).</summary>
    public async Task<Outcome<IReadOnlyList<AppointmentView>>> ForChairAsync(ChairId chair, DateOnly from, UserId by, CancellationToken cancellationToken = default)
    {
        if (!await db.Chairs.AnyAsync(c => c.Id == chair, cancellationToken).ConfigureAwait(false))
        {
            return Refusal.NotFound("chair", chair);
        }

        var views = await QueryViews(db.Appointments.Where(a => a.ChairId == chair && a.Day >= from), cancellationToken).ConfigureAwait(false);
        await AuditAsync(views, "chair calendar", by, cancellationToken).ConfigureAwait(false);
        return Outcome<IReadOnlyList<AppointmentView>>.Ok(views);
    }

    /// <summary>
    /// The dates the plan's remaining sessions fall on: one interval (<see cref="Protocols.Protocol.IntervalDays"/>)
    /// after the latest session not cancelled (or from tomorrow for a plan without one), each moved forward to the next
    /// open day, until the course's number of sessions is reached. Empty for a plan that is not active or complete.
    /// </summary>
    public async Task<Outcome<IReadOnlyList<DateOnly>>> ProposeDatesAsync(PlanId planId, CancellationToken cancellationToken = default)
    {
        var doc = await db.Plans.AsNoTracking().Where(p => p.Id == planId).Select(p => p.Document).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        if (doc is null)
        {
            return Refusal.NotFound("plan", planId);
        }

        var plan = StateJson.Deserialize<TreatmentPlan>(doc);
        var cancelled = nameof(SessionState.Cancelled);
        var dates = await db.Sessions.AsNoTracking().Where(s => s.PlanId == planId && s.State != cancelled).Select(s => s.ScheduledFor).ToListAsync(cancellationToken).ConfigureAwait(false);
        var (settings, _) = await SettingsAsync(cancellationToken).ConfigureAwait(false);
        var remaining = plan.Status == PlanStatus.Active ? Math.Max(0, plan.Protocol.NumberOfSessions - dates.Count) : 0;
        var today = BookingRules.Day(clock.GetUtcNow(), zone);
        var proposals = new List<DateOnly>(remaining);
        var previous = dates.Count > 0 ? dates.Max() : (DateOnly?)null;
        for (var i = 0; i < remaining; i++)
        {
            var next = previous is { } p ? p.AddDays(plan.Protocol.IntervalDays) : today.AddDays(1);
            next = NextOpenDay(next < today ? today : next, settings);
            proposals.Add(next);
            previous = next;
        }

        return Outcome<IReadOnlyList<DateOnly>>.Ok(proposals);
    }

    /// <summary>
    /// Free chairs and start times on <paramref name="day"/> for the plan's next session (at most <paramref name="max"/>),
    /// earliest first: every <see cref="SchedulingSettings.SlotMinutes"/> from opening, each active chair, kept when
    /// <see cref="BookingRules"/> finds nothing against it.
    /// </summary>
    public async Task<Outcome<IReadOnlyList<FreeSlot>>> FreeSlotsAsync(PlanId planId, DateOnly day, int max = 20, CancellationToken cancellationToken = default)
    {
        var doc = await db.Plans.AsNoTracking().Where(p => p.Id == planId).Select(p => p.Document).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        if (doc is null)
        {
            return Refusal.NotFound("plan", planId);
        }

        var plan = StateJson.Deserialize<TreatmentPlan>(doc);
        var duration = ExpectedDuration(plan.Protocol, await new SettingsService(db, clock).SessionSettingsAsync(cancellationToken).ConfigureAwait(false));
        var (settings, _) = await SettingsAsync(cancellationToken).ConfigureAwait(false);
        var chairs = await ChairsAsync(false, cancellationToken).ConfigureAwait(false);
        var booked = await BookedAroundAsync(day, cancellationToken).ConfigureAwait(false);
        var capacity = await CapacityAsync(day, settings, cancellationToken).ConfigureAwait(false);
        var now = clock.GetUtcNow();
        var slots = new List<FreeSlot>();
        for (var t = settings.Opens; t < settings.Closes && slots.Count < max; t = t.AddMinutes(settings.SlotMinutes))
        {
            var start = BookingRules.Instant(day, t, zone);
            foreach (var chair in chairs)
            {
                var request = new BookingRequest(plan.PatientId, chair.Id, chair.Name, start, duration);
                if (slots.Count < max && BookingRules.Check(request, booked, capacity.Capacity, settings, zone, now).Count == 0)
                {
                    slots.Add(new FreeSlot(chair.Id, chair.Name, start, request.End));
                }
            }

            if (t.AddMinutes(settings.SlotMinutes) <= t)
            {
                break; // wrapped past midnight
            }
        }

        return Outcome<IReadOnlyList<FreeSlot>>.Ok(slots);
    }

    /// <summary>The active plan of the patient with record number <paramref name="recordNumber"/>, or not-found (a patient with several active plans: the last the database lists; book those through the plan id).</summary>
    public async Task<Outcome<PlanId>> ActivePlanAsync(string recordNumber, CancellationToken cancellationToken = default)
    {
        var number = recordNumber?.Trim() ?? string.Empty;
        var active = nameof(PlanStatus.Active);
        var plans = await (
            from p in db.Plans.AsNoTracking()
            join patient in db.Patients.AsNoTracking() on p.PatientId equals patient.Id
            where patient.MedicalRecordNumber == number && p.Status == active
            select p.Id)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return plans.Count == 0 ? Refusal.NotFound("active plan of record", number) : Outcome<PlanId>.Ok(plans[^1]);
    }

    /// <summary>The first open day on or after <paramref name="day"/>.</summary>
    public static DateOnly NextOpenDay(DateOnly day, SchedulingSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        for (var i = 0; i < 7; i++)
        {
            if (settings.OpenDays.Contains(day.AddDays(i).DayOfWeek))
            {
                return day.AddDays(i);
            }
        }

        return day;
    }

    /// <summary>The outbox key prefix of an appointment's reminders.</summary>
    public static string ReminderKeyPrefix(AppointmentId id) => $"appointment/{id}/";

    private async Task<Outcome<AppointmentView>> EndAsync(AppointmentId id, long expectedVersion, AppointmentStatus status, string reason, UserId by, CancellationToken cancellationToken)
    {
        if (CheckReason(reason) is { } bad)
        {
            return bad;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var row = await db.Appointments.FirstOrDefaultAsync(a => a.Id == id, cancellationToken).ConfigureAwait(false);
        if (row is null)
        {
            return Refusal.NotFound("appointment", id);
        }

        var refusal = Conflicts.Check("appointment", row.Version, expectedVersion)
            ?? (row.Status != nameof(AppointmentStatus.Booked) ? (Refusal?)Refusal.Coded(FindingCodes.ScheduleNotBooked, FindingArg.Of("status", row.Status)) : null)
            ?? (status == AppointmentStatus.NoShow && clock.GetUtcNow() < row.StartsAt ? (Refusal?)Refusal.Coded(FindingCodes.ScheduleNoShowBeforeStart, FindingArg.Of("start", TimeZoneInfo.ConvertTime(row.StartsAt, zone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture))) : null);
        if (refusal is { } r)
        {
            db.Entry(row).State = EntityState.Detached;
            return r;
        }

        var sessions = new SessionService(db, clock);
        var session = await sessions.LoadAsync(row.SessionId, cancellationToken).ConfigureAwait(false);
        if (session is { State: not (SessionState.Scheduled or SessionState.PreAssessment or SessionState.Cancelled) })
        {
            db.Entry(row).State = EntityState.Detached;
            return Refusal.Coded(FindingCodes.ScheduleSessionBegun, FindingArg.Of("state", session.State.ToString()));
        }

        var text = reason.Trim();
        if (session is { State: not SessionState.Cancelled })
        {
            var sessionReason = status == AppointmentStatus.NoShow ? "no-show: " + text : text;
            var cancelled = await sessions.ChangeAsync(session.Id, session.Version, s => s.Cancel(sessionReason.Length <= PhysicianOverride.MaxReasonLength ? sessionReason : text, by, clock), by, cancellationToken).ConfigureAwait(false);
            if (!cancelled.IsSuccess)
            {
                return cancelled.Refusal;
            }
        }

        row.Status = status.ToString();
        row.Reason = text;
        row.ChangedBy = by;
        row.ChangedAt = clock.GetUtcNow();
        row.Version++;
        db.Actor = by;
        var saved = await Conflicts.SaveAsync(db, "appointment", cancellationToken).ConfigureAwait(false);
        if (!saved.IsSuccess)
        {
            return saved.Refusal;
        }

        await new OutboxService(db, clock).CancelAsync(ReminderKeyPrefix(id), cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return Outcome<AppointmentView>.Ok(await ViewAsync(id, cancellationToken).ConfigureAwait(false));
    }

    private async Task QueueRemindersAsync(AppointmentRecord row, string chairName, SchedulingSettings settings, CancellationToken cancellationToken)
    {
        var (identity, _) = await new SettingsService(db, clock).ClinicIdentityAsync(cancellationToken).ConfigureAwait(false);
        var chart = await db.Patients.AsNoTracking().Where(p => p.Id == row.PatientId).Select(p => p.Document).FirstAsync(cancellationToken).ConfigureAwait(false);
        var local = TimeZoneInfo.ConvertTime(row.StartsAt, zone);
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["date"] = local.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["time"] = local.ToString("HH:mm", CultureInfo.InvariantCulture),
            ["clinic"] = identity.Name,
            ["phone"] = identity.Phone,
            ["link"] = PortalPath,
            ["chair"] = chairName,
        };

        var slots = settings.ReminderHoursBefore.Distinct()
            .Select(h => new ReminderQueue.Slot($"reminder-{h}h", MessageTemplates.AppointmentReminder, row.StartsAt.AddHours(-h)))
            .Append(new ReminderQueue.Slot("checklist", MessageTemplates.ChecklistReminder, row.StartsAt.AddHours(-settings.ChecklistReminderHoursBefore)));
        new ReminderQueue(db, clock).QueueNew(row, slots, parameters, StateJson.Deserialize<Patients.Patient>(chart).Contact);
    }

    private async Task<DayCapacity> CapacityAsync(DateOnly day, SchedulingSettings settings, CancellationToken cancellationToken)
    {
        var nurses = await db.Staffing.AsNoTracking().Where(s => s.Day == day).Select(s => (int?)s.NursesOnDuty).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        return new DayCapacity(day, nurses ?? settings.DefaultNursesOnDuty, settings.CapacityFor(nurses ?? settings.DefaultNursesOnDuty), nurses is null);
    }

    // The day before and after too: a booking near midnight in another zone offset may touch them.
    private async Task<IReadOnlyCollection<BookedSlot>> BookedAroundAsync(DateOnly day, CancellationToken cancellationToken)
    {
        var from = day.AddDays(-1);
        var to = day.AddDays(1);
        var booked = nameof(AppointmentStatus.Booked);
        var rows = await db.Appointments.AsNoTracking()
            .Where(a => a.Day >= from && a.Day <= to && a.Status == booked)
            .Select(a => new { a.Id, a.PatientId, a.ChairId, a.StartsAt, a.EndsAt })
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return [.. rows.Select(a => new BookedSlot(a.Id, a.PatientId, a.ChairId, a.StartsAt, a.EndsAt))];
    }

    private async Task<AppointmentView> ViewAsync(AppointmentId id, CancellationToken cancellationToken) =>
        (await QueryViews(db.Appointments.Where(a => a.Id == id), cancellationToken).ConfigureAwait(false))[0];

    private async Task<IReadOnlyList<AppointmentView>> QueryViews(IQueryable<AppointmentRecord> appointments, CancellationToken cancellationToken)
    {
        var rows = await (
            from a in appointments.AsNoTracking()
            join p in db.Patients.AsNoTracking() on a.PatientId equals p.Id
            join c in db.Chairs.AsNoTracking() on a.ChairId equals c.Id
            select new { A = a, p.MedicalRecordNumber, p.FamilyName, p.GivenName, ChairName = c.Name })
            .ToListAsync(cancellationToken).ConfigureAwait(false);

        var ids = rows.Select(r => r.A.Id).ToHashSet();
        var patients = rows.Select(r => r.A.PatientId).Distinct().ToList();
        var reminders = (await db.Outbox.AsNoTracking()
            .Where(m => patients.Contains(m.PatientId) && m.Key.StartsWith("appointment/"))
            .Select(m => new { m.Key, m.Template, m.Channel, m.State, m.DueAtMs, m.LastError })
            .ToListAsync(cancellationToken).ConfigureAwait(false))
            .Select(m => (Appointment: new AppointmentId(Guid.TryParse(m.Key.Split('/')[1], out var g) ? g : Guid.Empty), Status: new ReminderStatus(
                m.Template,
                m.Key.EndsWith("/none", StringComparison.Ordinal) ? null : Enum.Parse<MessageChannel>(m.Channel),
                Enum.Parse<OutboxState>(m.State),
                DateTimeOffset.FromUnixTimeMilliseconds(m.DueAtMs),
                m.LastError is { } e && e.StartsWith("reminder.", StringComparison.Ordinal) ? e : null)))
            .Where(m => ids.Contains(m.Appointment))
            .ToLookup(m => m.Appointment, m => m.Status);

        // Ordered here: SQLite stores DateTimeOffset as text, which EF does not order in SQL.
        return [.. rows
            .OrderBy(r => r.A.StartsAt)
            .ThenBy(r => r.ChairName, StringComparer.Ordinal)
            .Select(r => new AppointmentView(
                r.A.Id,
                r.A.PatientId,
                r.MedicalRecordNumber,
                r.FamilyName + ", " + r.GivenName,
                r.A.PlanId,
                r.A.SessionId,
                r.A.ChairId,
                r.ChairName,
                r.A.Day,
                r.A.StartsAt,
                r.A.EndsAt,
                Enum.Parse<AppointmentStatus>(r.A.Status),
                r.A.Reason,
                r.A.Version)
            {
                Reminders = [.. reminders[r.A.Id].OrderBy(x => x.DueAt).ThenBy(x => x.Template, StringComparer.Ordinal)],
            })];
    }

    private async Task AuditAsync(IReadOnlyList<AppointmentView> views, string detail, UserId by, CancellationToken cancellationToken)
    {
        if (views.Count == 0)
        {
            return;
        }

        db.Actor = by;
        foreach (var patient in views.Select(v => v.Patient).Distinct())
        {
            db.RecordRead(patient, "appointment", "*", detail);
        }

        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<Outcome<string>> CheckChairNameAsync(string? name, ChairId? self, CancellationToken cancellationToken)
    {
        var check = Patients.ChartInput.Text(name, "name", MaxChairNameLength, required: true);
        if (!check.IsSuccess)
        {
            return check.Refusal;
        }

        var trimmed = name!.Trim();
        var taken = await db.Chairs.AsNoTracking().AnyAsync(c => c.Name == trimmed && (self == null || c.Id != self.Value), cancellationToken).ConfigureAwait(false);
        return taken ? Refusal.Coded(FindingCodes.ScheduleChairNameTaken, FindingArg.Of("field", "name"), FindingArg.Of("name", trimmed)) : Outcome<string>.Ok(trimmed);
    }

    private static Refusal? CheckReason(string? reason) =>
        string.IsNullOrWhiteSpace(reason) || reason.Trim().Length > MaxReasonLength
            ? (Refusal?)Refusal.Coded(FindingCodes.ReasonRequired, FindingArg.Of("field", "reason"), FindingArg.Of("max", MaxReasonLength))
            : null;

    private static Refusal? CheckContact(ReminderContact? contact)
    {
        if (contact is null)
        {
            return null;
        }

        if (!MessageTemplates.Languages.Contains(contact.Language))
        {
            return Refusal.Coded(FindingCodes.ScheduleContactInvalid, FindingArg.Of("field", "language"));
        }

        return (Blank(contact.Email) is { } e ? Contacts.Check(MessageChannel.Email, e) : null)
            ?? (Blank(contact.Phone) is { } p ? Contacts.Check(MessageChannel.Text, p) : null);
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
