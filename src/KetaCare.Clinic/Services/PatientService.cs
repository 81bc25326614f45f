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

    /// <summary>Patients whose record number or name contains <paramref name="text"/> (all when null), by family name; no chart is read.</summary>
    public async Task<IReadOnlyList<PatientSummary>> SearchAsync(string? text = null, CancellationToken cancellationToken = default)
    {
        var query = db.Patients.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(text))
        {
            var t = text.Trim();
            query = query.Where(p => p.MedicalRecordNumber.Contains(t) || p.FamilyName.Contains(t) || p.GivenName.Contains(t));
        }

        return await query.OrderBy(p => p.FamilyName).ThenBy(p => p.GivenName)
            .Select(p => new PatientSummary(p.Id, p.MedicalRecordNumber, p.FamilyName, p.GivenName, p.BirthDate, p.Version, p.IsDemo))
            .ToListAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Records a chart entry (measurement, condition, prior treatment, medication, finding, pregnancy status, consent).</summary>
    public async Task<Outcome<ChartEntry<T>>> RecordAsync<T>(PatientId id, long expectedVersion, T value, UserId by, CancellationToken cancellationToken = default)
        where T : notnull
    {
        ChartEntry<T>? entry = null;
        var r = await ChangeAsync(id, expectedVersion, p => { entry = p.Record(value, by, clock); return Outcome.Ok(); }, by, cancellationToken).ConfigureAwait(false);
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
        var taken = await db.Patients.AnyAsync(p => p.Id != id && p.MedicalRecordNumber == corrected.MedicalRecordNumber, cancellationToken).ConfigureAwait(false);
        return taken
            ? new Refusal($"medical record number: {corrected.MedicalRecordNumber} belongs to another patient.")
            : await ChangeAsync(id, expectedVersion, p => p.CorrectDemographics(corrected, reason, by, clock), by, cancellationToken).ConfigureAwait(false);
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
        if (await db.Patients.AnyAsync(p => p.MedicalRecordNumber == demographics.MedicalRecordNumber, cancellationToken).ConfigureAwait(false))
        {
            return new Refusal($"medical record number: {demographics.MedicalRecordNumber} is already registered.");
        }

        var patient = Patient.Register(demographics, by, clock);
        var row = new PatientRecord { Id = patient.Id, CreatedAt = patient.CreatedAt, IsDemo = isDemo };
        Write(row, patient);
        db.Patients.Add(row);
        db.Actor = by;
        var saved = await Conflicts.SaveAsync(db, "patient", cancellationToken).ConfigureAwait(false);
        return saved.IsSuccess ? Outcome<Patient>.Ok(patient) : saved.Refusal;
    }

    private static void Write(PatientRecord row, Patient patient)
    {
        row.MedicalRecordNumber = patient.Demographics.MedicalRecordNumber;
        row.FamilyName = patient.Demographics.FamilyName;
        row.GivenName = patient.Demographics.GivenName;
        row.BirthDate = patient.Demographics.BirthDate;
        row.Version = patient.Version;
        row.Document = StateJson.Serialize(patient);
    }
}
