namespace KetaCare.Clinic.Outcomes;

/// <summary>A pain NRS recorded between sessions (a follow-up call or visit), kept in the patient's chart.</summary>
public sealed record FollowUpPain
{
    private FollowUpPain(DateTimeOffset at, int nrs, string? note)
    {
        At = at;
        Nrs = nrs;
        Note = note;
    }

    /// <summary>When the score applies (UTC).</summary>
    public DateTimeOffset At { get; }

    /// <summary>Pain NRS 0–10 (clinical-reference: Scales and codes (scales)).</summary>
    public int Nrs { get; }

    /// <summary>Free text, e.g. "telephone follow-up".</summary>
    public string? Note { get; }

    /// <summary>Creates a follow-up score; refused outside 0–10.</summary>
    public static Outcome<FollowUpPain> Create(DateTimeOffset at, int nrs, string? note = null) => nrs is < 0 or > 10
        ? Refusal.OutOfRange("follow-up NRS", nrs, 0, 10)
        : Outcome<FollowUpPain>.Ok(new FollowUpPain(at.ToUniversalTime(), nrs, string.IsNullOrWhiteSpace(note) ? null : note.Trim()));

    /// <summary>The score as a point of the pain trajectory.</summary>
    public PainPoint ToPainPoint() => new(At, Nrs, null);
}

/// <summary>A Brief Pain Inventory short form completed on a date, kept in the patient's chart.</summary>
/// <param name="CompletedOn">Date completed.</param>
/// <param name="Form">The items (severity = mean of 4, interference = mean of 7).</param>
public sealed record BpiAssessment(DateOnly CompletedOn, BpiShortForm Form);

/// <summary>A Patient Global Impression of Change given on a date, kept in the patient's chart.</summary>
/// <param name="CompletedOn">Date completed.</param>
/// <param name="Score">PGIC 1–7; responder 1–2.</param>
public sealed record PgicAssessment(DateOnly CompletedOn, Pgic Score);
