using KetaCare.Clinic.Findings;
using KetaCare.Clinic.Patients;
using KetaCare.Clinic.Persistence;
using Microsoft.EntityFrameworkCore;

namespace KetaCare.Clinic.Services;

/// <summary>A row of a patient list: who, and the version to edit against. Opening the chart is a separate, audited read.</summary>
/// <param name="Id">Patient id.</param>
/// <param name="MedicalRecordNumber">Record number.</param>
/// <param name="FamilyName">Family name.</param>
/// <param name="GivenName">Given name.</param>
/// <param name="BirthDate">Date of birth.</param>
/// <param name="Version">Current version.</param>
/// <param name="IsDemo">True for demo data.</param>
public sealed record PatientSummary(PatientId Id, string MedicalRecordNumber, string FamilyName, string GivenName, DateOnly BirthDate, long Version, bool IsDemo);

/// <summary>
/// Registers patients, opens charts (audited) and changes them: every change names the version it was made against,
/// and a change against an older version is refused (optimistic concurrency), never merged silently. One instance per
/// unit of work, over one <see cref="KetaCareDbContext"/>; not thread-safe.
/// </summary>
/// <param name="db">The context.</param>
/// <param name="clock">The clock for recorded times.</param>
public sealed class PatientService(KetaCareDbContext db, TimeProvider clock)
{
    /// <summary>Registers a patient; refused when the record number is taken.</summary>
    public Task<Outcome<Patient>> RegisterAsync(Demographics demographics, UserId by, CancellationToken cancellationToken = default) =>
        RegisterAsync(demographics, by, isDemo: false, cancellationToken);

    /// <summary>Opens a patient's chart: the whole aggregate with every history; writes a "read" audit event.</summary>
    public async Task<Outcome<Patient>> OpenChartAsync(PatientId id, UserId by, CancellationToken cancellationToken = default)
    {
        var row = await db.Patients.AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, cancellationToken).ConfigureAwait(false);
        if (row is null)
        {
            return Refusal.NotFound("patient", id);
        }

        db.Actor = by;
        db.RecordRead(id, "patient", id.ToString(), "chart opened");
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return Outcome<Patient>.Ok(StateJson.Deserialize<Patient>(row.Document));
    }

    /// <summary>Largest page of a patient list (API and web).</summary>
    public const int MaxPageSize = 200;

    /// <summary>
    /// Patients whose record number or name contains <paramref name="text"/> (all when null), by family name; no chart
    /// is read. Case-, accent- and Turkish-i-insensitive (<see cref="PatientNames.Fold"/>).
    /// </summary>
    public async Task<IReadOnlyList<PatientSummary>> SearchAsync(string? text = null, CancellationToken cancellationToken = default) =>
        (await SearchPageAsync(text, 0, int.MaxValue, cancellationToken).ConfigureAwait(false)).Patients;

    /// <summary>
    /// One page of <see cref="SearchAsync"/>: at most <paramref name="limit"/> rows from <paramref name="offset"/>, and
    /// whether more follow. The match runs in memory over the list columns (record number and names, never the chart):
    /// neither SQLite's nor PostgreSQL's SQL folds accents and the Turkish i the same way, and a clinic's list is
    /// small; the page bound keeps every response small.
    /// </summary>
    public async Task<(IReadOnlyList<PatientSummary> Patients, bool HasMore)> SearchPageAsync(string? text, int offset, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        var folded = PatientNames.Fold(text);
        var all = await db.Patients.AsNoTracking()
            .OrderBy(p => p.FamilyName).ThenBy(p => p.GivenName).ThenBy(p => p.MedicalRecordNumber)
            .Select(p => new PatientSummary(p.Id, p.MedicalRecordNumber, p.FamilyName, p.GivenName, p.BirthDate, p.Version, p.IsDemo))
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        var matches = all.Where(p => PatientNames.Matches(p.MedicalRecordNumber, folded) || PatientNames.Matches(p.FamilyName, folded) || PatientNames.Matches(p.GivenName, folded) || PatientNames.Matches(p.GivenName + " " + p.FamilyName, folded));
        var page = matches.Skip(offset).Take(limit == int.MaxValue ? limit : limit + 1).ToList();
        var hasMore = limit != int.MaxValue && page.Count > limit;
        return (hasMore ? page[..limit] : page, hasMore);
    }

    /// <summary>
    /// Registered patients who may be the same person as <paramref name="demographics"/> (<see cref="PatientNames.Resemble"/>):
    /// a warning for the registering user, never a refusal. No chart is read.
    /// </summary>
    public async Task<IReadOnlyList<PatientSummary>> ResemblingAsync(Demographics demographics, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(demographics);
        var all = await SearchAsync(null, cancellationToken).ConfigureAwait(false);
        return [.. all.Where(p => p.MedicalRecordNumber != demographics.MedicalRecordNumber && PatientNames.Resemble(new Demographics(p.MedicalRecordNumber, p.GivenName, p.FamilyName, p.BirthDate, null), demographics))];
    }

    /// <summary>
    /// The registered patient another system's record number names, for matching an import (no chart is opened for a
    /// user: nothing is audited or stored): the chart whose record number is <paramref name="identifier"/>'s value and
    /// that carries the identifier (system and value), recorded when it was imported from that system. Null otherwise:
    /// the same number alone, from another system or typed at registration, is not proof of the same person.
    /// </summary>
    public async Task<Patient?> IdentifiedByAsync(PatientIdentifier identifier, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(identifier);
        var row = await db.Patients.AsNoTracking().FirstOrDefaultAsync(p => p.MedicalRecordNumber == identifier.Value, cancellationToken).ConfigureAwait(false);
        if (row is null)
        {
            return null;
        }

        var patient = StateJson.Deserialize<Patient>(row.Document);
        return patient.Identifiers.Contains(identifier) ? patient : null;
    }

    /// <summary>The demographics of registered patients, for comparing an import with them (sex included); nothing is audited.</summary>
    public async Task<IReadOnlyDictionary<PatientId, Demographics>> DemographicsOfAsync(IReadOnlyCollection<PatientId> ids, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var rows = await db.Patients.AsNoTracking().Where(p => ids.Contains(p.Id)).Select(p => p.Document).ToListAsync(cancellationToken).ConfigureAwait(false);
        return rows.Select(StateJson.Deserialize<Patient>).ToDictionary(p => p.Id, p => p.Demographics);
    }

    /// <summary>Records a chart entry (measurement, condition, prior treatment, medication, finding, pregnancy status, consent).</summary>
    public async Task<Outcome<ChartEntry<T>>> RecordAsync<T>(PatientId id, long expectedVersion, T value, UserId by, CancellationToken cancellationToken = default)
        where T : notnull
    {
        ChartEntry<T>? entry = null;
        var r = await ChangeAsync(
            id,
            expectedVersion,
            p =>
            {
                var valid = p.Check(value, clock);
                if (!valid.IsSuccess)
                {
                    return valid;
                }

                entry = p.Record(value, by, clock);
                return Outcome.Ok();
            },
            by,
            cancellationToken).ConfigureAwait(false);
        return r.IsSuccess ? Outcome<ChartEntry<T>>.Ok(entry!) : r.Refusal;
    }

    /// <summary>Amends a chart entry with a reason; the previous version stays in the history.</summary>
    public async Task<Outcome<ChartEntry<T>>> AmendAsync<T>(PatientId id, long expectedVersion, EntryId entry, T value, string reason, UserId by, CancellationToken cancellationToken = default)
        where T : notnull
    {
        ChartEntry<T>? amended = null;
        var r = await ChangeAsync(
            id,
            expectedVersion,
            p =>
            {
                var a = p.Amend(entry, value, reason, by, clock);
                amended = a.IsSuccess ? a.Value : null;
                return a.IsSuccess ? Outcome.Ok() : a.Refusal;
            },
            by,
            cancellationToken).ConfigureAwait(false);
        return r.IsSuccess ? Outcome<ChartEntry<T>>.Ok(amended!) : r.Refusal;
    }

    /// <summary>Marks a chart entry entered-in-error with a reason; it stays readable and no rule uses it.</summary>
    public async Task<Outcome<Patient>> MarkEnteredInErrorAsync<T>(PatientId id, long expectedVersion, EntryId entry, string reason, UserId by, CancellationToken cancellationToken = default)
        where T : notnull =>
        await ChangeAsync(id, expectedVersion, p => p.MarkEnteredInError<T>(entry, reason, by, clock), by, cancellationToken).ConfigureAwait(false);

    /// <summary>Corrects the demographics with a reason; the previous demographics stay in the history.</summary>
    public async Task<Outcome<Patient>> CorrectDemographicsAsync(PatientId id, long expectedVersion, Demographics corrected, string reason, UserId by, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(corrected);
        if (ChartInput.Demographics(corrected, clock) is { IsSuccess: false } invalid)
        {
            return invalid.Refusal;
        }

        var taken = await db.Patients.AnyAsync(p => p.Id != id && p.MedicalRecordNumber == corrected.MedicalRecordNumber, cancellationToken).ConfigureAwait(false);
        return taken
            ? new Refusal(
                $"medical record number: {corrected.MedicalRecordNumber} belongs to another patient.",
                [Finding.Refused(FindingCodes.PatientRecordNumberOfAnother, FindingArg.Of("field", "medicalRecordNumber"), FindingArg.Of("mrn", corrected.MedicalRecordNumber))])
            : await ChangeAsync(id, expectedVersion, p => p.CorrectDemographics(corrected, reason, by, clock), by, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Records the patient's contact details and reminder consents (<see cref="Patient.ChangeContact"/>) and, in the same
    /// transaction, brings the unsent reminders of the patient's bookings still ahead into line with them: new address
    /// and language, a withdrawn channel withdrawn, a newly consented channel queued for the reminders not yet due, and a
    /// reminder left with no channel set aside as not sendable. Refused, naming the field, for a bad address, number,
    /// language or a consent without its address; nothing is written then.
    /// </summary>
    /// <returns>The patient as saved.</returns>
    public async Task<Outcome<Patient>> ChangeContactAsync(PatientId id, long expectedVersion, ContactInput input, string? reason, UserId by, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var changed = await ChangeAsync(id, expectedVersion, p => p.ChangeContact(input, reason, by, clock) is { IsSuccess: false } bad ? bad.Refusal : Outcome.Ok(), by, cancellationToken).ConfigureAwait(false);
        if (!changed.IsSuccess)
        {
            return changed;
        }

        await new Scheduling.ReminderQueue(db, clock).RequeueAsync(id, changed.Value.Contact, cancellationToken).ConfigureAwait(false);
        db.Actor = by;
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return changed;
    }

    /// <summary>
    /// Applies <paramref name="change"/> to the patient at <paramref name="expectedVersion"/> and saves it with its audit
    /// event in one transaction. Refused when the patient changed since that version, when the change is refused,
    /// or when another user saved first; nothing is written then.
    /// </summary>
    public async Task<Outcome<Patient>> ChangeAsync(PatientId id, long expectedVersion, Func<Patient, Outcome> change, UserId by, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        var row = await db.Patients.FirstOrDefaultAsync(p => p.Id == id, cancellationToken).ConfigureAwait(false);
        if (row is null)
        {
            return Refusal.NotFound("patient", id);
        }

        if (Conflicts.Check("patient", row.Version, expectedVersion) is { } stale)
        {
            return stale;
        }

        var patient = StateJson.Deserialize<Patient>(row.Document);
        var r = change(patient);
        if (!r.IsSuccess)
        {
            db.Entry(row).State = EntityState.Detached;
            return r.Refusal;
        }

        Write(row, patient);
        db.Actor = by;
        var saved = await Conflicts.SaveAsync(db, "patient", cancellationToken).ConfigureAwait(false);
        return saved.IsSuccess ? Outcome<Patient>.Ok(patient) : saved.Refusal;
    }

    internal async Task<Outcome<Patient>> RegisterAsync(Demographics demographics, UserId by, bool isDemo, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(demographics);
        if (ChartInput.Demographics(demographics, clock) is { IsSuccess: false } invalid)
        {
            return invalid.Refusal;
        }

        if (await db.Patients.AnyAsync(p => p.MedicalRecordNumber == demographics.MedicalRecordNumber, cancellationToken).ConfigureAwait(false))
        {
            return new Refusal(
                $"medical record number: {demographics.MedicalRecordNumber} is already registered.",
                [Finding.Refused(FindingCodes.RecordNumberTaken, FindingArg.Of("field", "medicalRecordNumber"), FindingArg.Of("mrn", demographics.MedicalRecordNumber))]);
        }

        var patient = Patient.Register(demographics, by, clock);
        var row = new PatientRecord { Id = patient.Id, CreatedAt = patient.CreatedAt, IsDemo = isDemo };
        Write(row, patient);
        db.Patients.Add(row);
        db.Actor = by;
        var saved = await Conflicts.SaveAsync(db, "patient", cancellationToken).ConfigureAwait(false);
        return saved.IsSuccess ? Outcome<Patient>.Ok(patient) : saved.Refusal;
    }

    /// <summary>The chart's clinician tasks not yet closed (the dashboard's index column <see cref="PatientRecord.OpenTasks"/>).</summary>
    internal static int OpenTaskCount(Patient patient) => patient.Tasks.ActiveValues.Count(t => t.State != Portal.TaskState.Closed);

    private static void Write(PatientRecord row, Patient patient)
    {
        row.MedicalRecordNumber = patient.Demographics.MedicalRecordNumber;
        row.FamilyName = patient.Demographics.FamilyName;
        row.GivenName = patient.Demographics.GivenName;
        row.BirthDate = patient.Demographics.BirthDate;
        row.Version = patient.Version;
        row.Document = StateJson.Serialize(patient);
        row.OpenTasks = OpenTaskCount(patient);
    }
}
