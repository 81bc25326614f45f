namespace KetaCare.Clinic.Persistence;

/// <summary>
/// A stored clinical record: never deleted (the context refuses it), every insert and update audited with the
/// patient it belongs to.
/// </summary>
public interface IClinicalRecord
{
    /// <summary>The patient the record belongs to; the all-zero id for clinic-wide records (protocols).</summary>
    PatientId PatientId { get; }

    /// <summary>The record's key as text, for the audit log.</summary>
    string RecordKey { get; }

    /// <summary>Concurrency version: 1 when created, +1 per change (immutable records stay at 1).</summary>
    long Version { get; }
}

/// <summary>A patient row: indexed demographics and the aggregate's document.</summary>
public sealed class PatientRecord : IClinicalRecord
{
    /// <summary>Identity.</summary>
    public PatientId Id { get; set; }

    /// <summary>The clinic's record number (unique).</summary>
    public string MedicalRecordNumber { get; set; } = string.Empty;

    /// <summary>Family name, for search.</summary>
    public string FamilyName { get; set; } = string.Empty;

    /// <summary>Given name, for search.</summary>
    public string GivenName { get; set; } = string.Empty;

    /// <summary>Date of birth.</summary>
    public DateOnly BirthDate { get; set; }

    /// <summary>Registered at (UTC).</summary>
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Optimistic-concurrency token: the aggregate's version.</summary>
    public long Version { get; set; }

    /// <summary>True for the demo data written by <c>ketacare db seed</c>.</summary>
    public bool IsDemo { get; set; }

    /// <summary>The aggregate with its full chart history (JSON).</summary>
    public string Document { get; set; } = string.Empty;

    /// <summary>
    /// How many of the chart's clinician tasks are not closed, written with the document, so that the dashboard reads
    /// only the charts that have one. -1: not counted yet (a row stored before the column existed; counted at its next
    /// read by the dashboard).
    /// </summary>
    public int OpenTasks { get; set; }

    PatientId IClinicalRecord.PatientId => Id;

    string IClinicalRecord.RecordKey => Id.ToString();
}

/// <summary>An eligibility assessment row; immutable once written.</summary>
public sealed class AssessmentRecord : IClinicalRecord
{
    /// <summary>Identity.</summary>
    public AssessmentId Id { get; set; }

    /// <summary>Patient.</summary>
    public PatientId PatientId { get; set; }

    /// <summary>Result (Eligible, NotEligible, NeedsPhysicianReview).</summary>
    public string Result { get; set; } = string.Empty;

    /// <summary>Rule-set version the assessment ran.</summary>
    public string RuleSetVersion { get; set; } = string.Empty;

    /// <summary>Date assessed.</summary>
    public DateOnly AssessedOn { get; set; }

    /// <summary>Always 1: assessments are never changed.</summary>
    public long Version { get; set; } = 1;

    /// <summary>The assessment with every finding and its source (JSON).</summary>
    public string Document { get; set; } = string.Empty;

    /// <summary>The physician's review of a needs-review result, when given (JSON); written once.</summary>
    public string? ReviewDocument { get; set; }

    string IClinicalRecord.RecordKey => Id.ToString();
}

/// <summary>A treatment plan row.</summary>
public sealed class PlanRecord : IClinicalRecord
{
    /// <summary>Identity.</summary>
    public PlanId Id { get; set; }

    /// <summary>Patient.</summary>
    public PatientId PatientId { get; set; }

    /// <summary>Protocol id.</summary>
    public string ProtocolId { get; set; } = string.Empty;

    /// <summary>Plan status.</summary>
    public string Status { get; set; } = string.Empty;

    /// <summary>Optimistic-concurrency token: the aggregate's version.</summary>
    public long Version { get; set; }

    /// <summary>The aggregate (JSON).</summary>
    public string Document { get; set; } = string.Empty;

    string IClinicalRecord.RecordKey => Id.ToString();
}

/// <summary>An infusion session row.</summary>
public sealed class SessionRecord : IClinicalRecord
{
    /// <summary>Identity.</summary>
    public SessionId Id { get; set; }

    /// <summary>Plan.</summary>
    public PlanId PlanId { get; set; }

    /// <summary>Patient.</summary>
    public PatientId PatientId { get; set; }

    /// <summary>Session date.</summary>
    public DateOnly ScheduledFor { get; set; }

    /// <summary>Session state.</summary>
    public string State { get; set; } = string.Empty;

    /// <summary>Optimistic-concurrency token: the aggregate's version.</summary>
    public long Version { get; set; }

    /// <summary>The aggregate with segments, observations, alerts and adverse events (JSON).</summary>
    public string Document { get; set; } = string.Empty;

    string IClinicalRecord.RecordKey => Id.ToString();
}

/// <summary>
/// One version of a protocol of the clinic's library. Versions are never changed or deleted: an edit adds the next
/// version, so every plan's protocol version stays readable. Clinic-wide, so its audit events name no patient
/// (the all-zero patient id).
/// </summary>
public sealed class ProtocolRecord : IClinicalRecord
{
    /// <summary>Protocol id, e.g. "outpatient-seed".</summary>
    public string ProtocolId { get; set; } = string.Empty;

    /// <summary>Protocol version, 1-based.</summary>
    public int ProtocolVersion { get; set; }

    /// <summary>Display name.</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>When this version was added (UTC).</summary>
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Who added this version.</summary>
    public UserId CreatedBy { get; set; }

    /// <summary>Why this version was added (e.g. "built-in library 2026.1" or the editor's reason).</summary>
    public string Reason { get; set; } = string.Empty;

    /// <summary>Always 1: a version is never changed.</summary>
    public long Version { get; set; } = 1;

    /// <summary>The protocol (JSON).</summary>
    public string Document { get; set; } = string.Empty;

    PatientId IClinicalRecord.PatientId => default;

    string IClinicalRecord.RecordKey => ProtocolId + " v" + ProtocolVersion.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>
/// One audit event: who did what to which record of which patient, and when. Events form a hash chain:
/// <see cref="Hash"/> = SHA-256(<see cref="PreviousHash"/> ‖ canonical form of the event), so that any altered,
/// inserted or deleted event is found by <see cref="AuditChain.VerifyAsync"/>. Never updated or deleted.
/// </summary>
public sealed class AuditEvent
{
    /// <summary>Position in the chain, 1-based and without gaps.</summary>
    public long Sequence { get; set; }

    /// <summary>When (UTC, whole microseconds so both databases store it exactly).</summary>
    public DateTimeOffset At { get; set; }

    /// <summary>Who.</summary>
    public UserId UserId { get; set; }

    /// <summary>create, update or read.</summary>
    public string Action { get; set; } = string.Empty;

    /// <summary>Kind of record (patient, assessment, plan, session).</summary>
    public string EntityType { get; set; } = string.Empty;

    /// <summary>The record's key.</summary>
    public string EntityId { get; set; } = string.Empty;

    /// <summary>Which patient's record.</summary>
    public PatientId PatientId { get; set; }

    /// <summary>Short detail, e.g. the version written.</summary>
    public string Detail { get; set; } = string.Empty;

    /// <summary>Hash of the previous event (hex), or 64 zeros for the first.</summary>
    public string PreviousHash { get; set; } = string.Empty;

    /// <summary>SHA-256 of the previous hash and this event's canonical form (hex).</summary>
    public string Hash { get; set; } = string.Empty;
}

/// <summary>
/// One version of a clinic-wide setting (alert thresholds, drug library limits…): never changed or deleted; a
/// revision adds the next version, so what was in force at any time stays readable. Audited like clinical records.
/// </summary>
public sealed class SettingsRecord : IClinicalRecord
{
    /// <summary>Setting key, e.g. "alert-thresholds".</summary>
    public string Key { get; set; } = string.Empty;

    /// <summary>1-based version of this setting.</summary>
    public int SettingsVersion { get; set; }

    /// <summary>When this version was written (UTC).</summary>
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Who wrote it.</summary>
    public UserId CreatedBy { get; set; }

    /// <summary>Why (required).</summary>
    public string Reason { get; set; } = string.Empty;

    /// <summary>Always 1: a version is never changed.</summary>
    public long Version { get; set; } = 1;

    /// <summary>The setting's value (JSON).</summary>
    public string Document { get; set; } = string.Empty;

    PatientId IClinicalRecord.PatientId => default;

    string IClinicalRecord.RecordKey => Key + " v" + SettingsVersion.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>
/// The stored exposure of a session that has delivered drug (<see cref="Sessions.SessionExposure"/>), with the inputs it
/// was computed from: the session's version, the plan's model, the patient's covariates on the session date and the
/// method's version. Derived, not a clinical record (no audit event of its own): a row whose inputs differ from the
/// current ones is stale and is recomputed and replaced on the next read (<see cref="Services.ExposureStore"/>).
/// </summary>
public sealed class SessionExposureRecord
{
    /// <summary>The session.</summary>
    public SessionId SessionId { get; set; }

    /// <summary>The session's patient.</summary>
    public PatientId PatientId { get; set; }

    /// <summary>The session's version the figures were computed from.</summary>
    public long SessionVersion { get; set; }

    /// <summary>The PK model used.</summary>
    public string ModelId { get; set; } = string.Empty;

    /// <summary>The covariates used (JSON): weight, age, sex and height on the session date, as the chart had them.</summary>
    public string Covariates { get; set; } = string.Empty;

    /// <summary>The version of the computation (<see cref="Services.ExposureStore.Method"/>).</summary>
    public int Method { get; set; }

    /// <summary>The exposure (JSON).</summary>
    public string Document { get; set; } = string.Empty;
}

/// <summary>
/// The analytics facts of one patient's courses (<see cref="Analytics.CourseFacts"/> without their pseudonyms, which are
/// given at read), with the inputs they were built from (<see cref="Inputs"/>): the chart's version, the count, sum and
/// highest version of the patient's plans and of their sessions, the analytics-settings and alert-threshold versions
/// and the versions of the exposure and facts computations. Derived, not a clinical record (no audit event of its own):
/// a row whose inputs differ from the current ones is stale and is built again from the documents on the next read
/// (<see cref="Services.CourseFactsStore"/>). One row per patient because a course's facts read the patient's whole
/// trajectory (later courses' scores and follow-ups).
/// </summary>
public sealed class CourseFactsRecord
{
    /// <summary>The patient.</summary>
    public PatientId PatientId { get; set; }

    /// <summary>The inputs the facts were built from, as one comparable text (see the type's summary).</summary>
    public string Inputs { get; set; } = string.Empty;

    /// <summary>Number of courses in <see cref="Document"/>.</summary>
    public int Courses { get; set; }

    /// <summary>The courses (JSON): each with its plan, the end of its first session (for the pseudonym order) and its facts.</summary>
    public string Document { get; set; } = string.Empty;
}
