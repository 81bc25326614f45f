using System.Globalization;
using KetaCare.Clinic.Findings;
using KetaCare.Clinic.Outcomes;

namespace KetaCare.Clinic.Patients;

/// <summary>
/// Limits on what a chart stores, checked before anything is saved: lengths of every text, characters that make a
/// name or record number read differently than it is stored (control characters, bidirectional overrides,
/// zero-width characters), and dates within plausible windows (not in the future, not before the birth date, not
/// before <see cref="EarliestDate"/>). Each refusal names the field and the allowed range. The hazards: a 29 MB record
/// number that makes every list 39 MB, a name that displays as another patient's, a weight dated 2999 that is "the
/// latest" for centuries. Pure functions; thread-safe.
/// </summary>
public static class ChartInput
{
    /// <summary>Longest medical record number (characters).</summary>
    public const int MaxRecordNumberLength = 40;

    /// <summary>Longest given or family name (characters).</summary>
    public const int MaxNameLength = 100;

    /// <summary>Longest short free text: drug, dose as documented, description, document reference (characters).</summary>
    public const int MaxShortTextLength = 200;

    /// <summary>Longest note or reason (characters).</summary>
    public const int MaxNoteLength = 2000;

    /// <summary>Earliest date a chart accepts (birth dates, onsets, measurements); earlier is a typing slip in the year.</summary>
    public static readonly DateOnly EarliestDate = new(1900, 1, 1);

    /// <summary>
    /// "Today" as the clinic may see it: the UTC date plus one day, because the clinic's zone can be ahead of UTC
    /// (Istanbul is UTC+3: at 01:00 local, local today is UTC tomorrow). A date later than this is in the future.
    /// </summary>
    public static DateOnly LatestDate(TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        return DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime).AddDays(1);
    }

    /// <summary>A record number: 1 to <see cref="MaxRecordNumberLength"/> characters, none of them invisible or controlling.</summary>
    public static Outcome RecordNumber(string? value, string field = "medicalRecordNumber") => Text(value, field, MaxRecordNumberLength, required: true, multiline: false);

    /// <summary>A name: 1 to <see cref="MaxNameLength"/> characters, none of them invisible or controlling.</summary>
    public static Outcome Name(string? value, string field) => Text(value, field, MaxNameLength, required: true, multiline: false);

    /// <summary>A reason for a correction or an entered-in-error mark: required, up to <see cref="MaxNoteLength"/> characters.</summary>
    public static Outcome Reason(string? value) => Text(value, "reason", MaxNoteLength, required: true, multiline: true);

    /// <summary>
    /// Checks a text: length within <paramref name="max"/> (after trimming), required when asked, and free of
    /// characters that change how it reads — C0/C1 controls (line breaks and tabs are allowed only when
    /// <paramref name="multiline"/>), bidirectional embeddings, overrides and isolates, zero-width and other
    /// invisible format characters, unpaired surrogates.
    /// </summary>
    public static Outcome Text(string? value, string field, int max, bool required = false, bool multiline = false)
    {
        var t = value?.Trim() ?? string.Empty;
        if (t.Length == 0)
        {
            return required
                ? Coded($"{field}: required, 1 to {max} characters.", FindingCodes.ChartTextRequired, FindingArg.Of("field", field), FindingArg.Of("max", max))
                : Outcome.Ok();
        }

        if (t.Length > max)
        {
            return Coded($"{field}: {t.Length} characters is longer than the allowed {max}.", FindingCodes.ChartTextTooLong, FindingArg.Of("field", field), FindingArg.Of("length", t.Length), FindingArg.Of("max", max));
        }

        for (var i = 0; i < t.Length; i++)
        {
            var c = t[i];
            if (char.IsSurrogate(c))
            {
                if (char.IsHighSurrogate(c) && i + 1 < t.Length && char.IsLowSurrogate(t[i + 1]))
                {
                    i++;
                    continue;
                }

                return Coded($"{field}: contains a broken character (an unpaired UTF-16 surrogate at position {i + 1}).", FindingCodes.ChartTextBrokenCharacter, FindingArg.Of("field", field), FindingArg.Of("position", i + 1));
            }

            if (multiline && c is '\n' or '\r' or '\t')
            {
                continue;
            }

            var category = CharUnicodeInfo.GetUnicodeCategory(c);
            if (category is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator)
            {
                return Coded(
                    $"{field}: contains an invisible or control character (U+{(int)c:X4} at position {i + 1}); only visible characters{(multiline ? ", line breaks and tabs" : string.Empty)} are allowed.",
                    multiline ? FindingCodes.ChartTextControlCharacterMultiline : FindingCodes.ChartTextControlCharacter,
                    FindingArg.Of("field", field),
                    FindingArg.Of("character", string.Create(CultureInfo.InvariantCulture, $"U+{(int)c:X4}")),
                    FindingArg.Of("position", i + 1));
            }
        }

        return Outcome.Ok();
    }

    /// <summary>A date between <paramref name="earliest"/> and <paramref name="latest"/> inclusive.</summary>
    public static Outcome Date(DateOnly value, string field, DateOnly earliest, DateOnly latest) =>
        value < earliest || value > latest
            ? Coded(
                $"{field}: {value:yyyy-MM-dd} is outside the allowed range {earliest:yyyy-MM-dd} to {latest:yyyy-MM-dd}.",
                FindingCodes.ChartDateOutOfRange,
                FindingArg.Of("field", field),
                FindingArg.Of("value", Iso(value)),
                FindingArg.Of("earliest", Iso(earliest)),
                FindingArg.Of("latest", Iso(latest)))
            : Outcome.Ok();

    /// <summary>Demographics: record number, names, and a birth date from <see cref="EarliestDate"/> to today.</summary>
    public static Outcome Demographics(Demographics demographics, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(demographics);
        return First(
            RecordNumber(demographics.MedicalRecordNumber),
            Name(demographics.GivenName, "givenName"),
            Name(demographics.FamilyName, "familyName"),
            Date(demographics.BirthDate, "birthDate", EarliestDate, LatestDate(clock)));
    }

    /// <summary>
    /// A chart entry of a patient born on <paramref name="birthDate"/>: its texts within their limits and its dates
    /// between the birth date (or <see cref="EarliestDate"/>) and today.
    /// </summary>
    public static Outcome Entry<T>(T value, DateOnly birthDate, TimeProvider clock)
        where T : notnull
    {
        var from = birthDate > EarliestDate ? birthDate : EarliestDate;
        var to = LatestDate(clock);
        return value switch
        {
            BodyMeasurement m => Date(m.MeasuredOn, "measuredOn", from, to),
            Condition c => First(Text(c.Description, "description", MaxShortTextLength), Date(c.Onset, "onset", from, to)),
            PriorTreatment t => First(Text(t.Drug, "drug", MaxShortTextLength, required: true), Text(t.DoseText, "dose", MaxShortTextLength)),
            Medication m => First(Text(m.Name, "medication", MaxShortTextLength, required: true), Text(m.DoseText, "dose", MaxShortTextLength)),
            ContraindicationFinding f => Text(f.Note, "note", MaxNoteLength, multiline: true),
            PregnancyStatus p => Date(p.AssessedOn, "assessedOn", from, to),
            Consent c => First(
                Text(c.DocumentReference, "documentReference", MaxShortTextLength, required: true),
                Date(c.SignedOn, "signedOn", from, to),
                c.ExpiresOn is { } e ? Date(e, "expiresOn", c.SignedOn, DateOnly.MaxValue) : Outcome.Ok(),
                c.WithdrawnOn is { } w ? Date(w, "withdrawnOn", c.SignedOn, to) : Outcome.Ok()),
            FollowUpPain p => First(Text(p.Note, "note", MaxNoteLength, multiline: true), Date(DateOnly.FromDateTime(p.At.UtcDateTime), "at", from, to)),
            BpiAssessment b => Date(b.CompletedOn, "completedOn", from, to),
            PgicAssessment p => Date(p.CompletedOn, "completedOn", from, to),
            AllergyIntolerance a => First(
                Text(a.Substance.Display, "substance", MaxShortTextLength, required: true),
                Text(a.Reaction, "reaction", MaxShortTextLength),
                a.Onset is { } onset ? Date(onset, "onset", from, to) : Outcome.Ok()),
            NoKnownAllergies n => Date(n.StatedOn, "statedOn", from, to),
            LiverPanel l => First([Date(l.CollectedOn, "collectedOn", from, to), l.Results.Any() ? Outcome.Ok() : new Refusal("liverPanel: at least one of alt, ast, bilirubin, ggt, alp is required.", [Finding.Refused(FindingCodes.ChartLiverPanelEmpty)]), .. l.Results.Select(r => LabValue(r.Test, r.Value))]),
            EcgRecord e => First(
                Date(e.RecordedOn, "recordedOn", from, to),
                e.QtcMs is { } q ? Number(q, "qtc", EcgRecord.MinQtcMs, EcgRecord.MaxQtcMs, "ms") : Outcome.Ok(),
                Text(e.Note, "note", MaxNoteLength, multiline: true)),
            Urinalysis u => Date(u.CollectedOn, "collectedOn", from, to),
            UrinarySymptoms q => First([Date(q.CompletedOn, "completedOn", from, to), .. q.Items.Select(i => Number(i.Score, i.Item, 0, UrinarySymptoms.MaxItem, string.Empty))]),
            ImportedVitalSign v => First(Date(DateOnly.FromDateTime(v.MeasuredAt.UtcDateTime), "measuredAt", from, to), Text(v.SourceSystem, "sourceSystem", MaxShortTextLength)),
            Portal.SideEffectReport r => First(Text(r.Note, "note", MaxNoteLength, multiline: true), Date(DateOnly.FromDateTime(r.At.UtcDateTime), "at", from, to)),
            Portal.PreVisitAnswers a => Text(a.NewMedications, "newMedications", MaxNoteLength, multiline: true),
            Portal.ClinicianTask t => Text(t.Note, "note", MaxNoteLength, multiline: true),
            PatientContact c => PatientContacts.Check(c),
            _ => Outcome.Ok(),
        };
    }

    /// <summary>A lab value within 0 and its test's largest plausible value, named by the test's field ("alt", "bilirubin").</summary>
    public static Outcome LabValue(LabTest test, double value)
    {
        var info = LabTestInfo.Of(test);
        return Number(value, test == LabTest.TotalBilirubin ? "bilirubin" : test.ToString().ToLowerInvariant(), 0, info.MaxValue, info.Unit);
    }

    private static Outcome Number(double value, string field, double min, double max, string unit) =>
        double.IsFinite(value) && value >= min && value <= max
            ? Outcome.Ok()
            : Coded(
                $"{field}: {value} is outside the accepted range {min}–{max}{(unit.Length > 0 ? " " + unit : string.Empty)}.",
                FindingCodes.ChartNumberOutOfRange,
                FindingArg.Of("field", field),
                FindingArg.Of("value", value),
                FindingArg.Of("min", min),
                FindingArg.Of("max", max, unit));

    private static Outcome First(params Outcome[] checks) => checks.FirstOrDefault(c => !c.IsSuccess);

    // The English sentence stays what it always was (clients and tests read it); the finding carries the same facts typed.
    private static Refusal Coded(FormattableString english, string code, params FindingArg[] args) =>
        new(english.ToString(CultureInfo.InvariantCulture), [Finding.Refused(code, args)]);

    private static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
