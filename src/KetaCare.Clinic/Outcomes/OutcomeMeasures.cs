namespace KetaCare.Clinic.Outcomes;

/// <summary>Who gave a score: clinic staff (a call, a visit, a session) or the patient in the portal.</summary>
public enum ReportSource
{
    /// <summary>Recorded by clinic staff; also every score stored before sources were kept.</summary>
    Staff,

    /// <summary>Reported by the patient in the portal, between sessions.</summary>
    Patient,
}

/// <summary>A pain NRS recorded between sessions (a follow-up call or visit, or the patient's diary), kept in the patient's chart.</summary>
public sealed record FollowUpPain
{
    private FollowUpPain(DateTimeOffset at, int nrs, string? note, ReportSource source)
    {
        At = at;
        Nrs = nrs;
        Note = note;
        Source = source;
    }

    /// <summary>Staff or the patient (the portal's pain diary).</summary>
    public ReportSource Source { get; }

    /// <summary>When the score applies (UTC).</summary>
    public DateTimeOffset At { get; }

    /// <summary>Pain NRS 0–10 (clinical-reference: Scales and codes (scales)).</summary>
    public int Nrs { get; }

    /// <summary>Free text, e.g. "telephone follow-up".</summary>
    public string? Note { get; }

    /// <summary>Creates a follow-up score; refused outside 0–10.</summary>
    public static Outcome<FollowUpPain> Create(DateTimeOffset at, int nrs, string? note = null, ReportSource source = ReportSource.Staff) => nrs is < 0 or > 10
        ? Refusal.OutOfRange("follow-up NRS", nrs, 0, 10)
        : Outcome<FollowUpPain>.Ok(new FollowUpPain(at.ToUniversalTime(), nrs, string.IsNullOrWhiteSpace(note) ? null : note.Trim(), source));

    /// <summary>The score as a point of the pain trajectory.</summary>
    public PainPoint ToPainPoint() => new(At, Nrs, null) { Source = Source };
}

/// <summary>A Brief Pain Inventory short form completed on a date, kept in the patient's chart.</summary>
/// <param name="CompletedOn">Date completed.</param>
/// <param name="Form">The items (severity = mean of 4, interference = mean of 7).</param>
/// <param name="Source">Staff or the patient in the portal.</param>
public sealed record BpiAssessment(DateOnly CompletedOn, BpiShortForm Form, ReportSource Source = ReportSource.Staff);

/// <summary>A Patient Global Impression of Change given on a date, kept in the patient's chart.</summary>
/// <param name="CompletedOn">Date completed.</param>
/// <param name="Score">PGIC 1–7; responder 1–2.</param>
/// <param name="Source">Staff or the patient in the portal.</param>
public sealed record PgicAssessment(DateOnly CompletedOn, Pgic Score, ReportSource Source = ReportSource.Staff);
