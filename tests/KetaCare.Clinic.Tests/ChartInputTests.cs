using KetaCare.Clinic.Findings;
using KetaCare.Clinic.Outcomes;
using KetaCare.Clinic.Patients;
using KetaCare.Clinic.Sessions;
using KetaCare.Pharmacology.Models;

namespace KetaCare.Clinic.Tests;

/// <summary>What a chart refuses to store: oversized or invisible text and implausible dates, each naming its field.</summary>
public sealed class ChartInputTests
{
    private static readonly TimeProvider Clock = new FixedClock(new DateTimeOffset(2026, 12, 4, 12, 0, 0, TimeSpan.Zero));

    [Theory]
    [InlineData("Ada\u0000", "U+0000")]
    [InlineData("Ad\u202Ea", "U+202E")]
    [InlineData("A\u200Bda", "U+200B")]
    [InlineData("A\u2066da", "U+2066")]
    [InlineData("Ada\nLovelace", "U+000A")]
    [InlineData("\uFEFFAda", "U+FEFF")]
    public void Name_InvisibleOrControlCharacter_IsRefusedNamingTheCharacter(string name, string code) =>
        Assert.Contains(code, ChartInput.Name(name, "givenName").Error, StringComparison.Ordinal);

    [Fact]
    public void Name_TurkishLettersAndHyphen_AreAccepted()
    {
        Assert.True(ChartInput.Name("Şükrü Öztürk-İnce", "givenName").IsSuccess);
    }

    [Fact]
    public void Name_OverTheLimit_IsRefusedNamingTheLimit() =>
        Assert.Equal("givenName: 101 characters is longer than the allowed 100.", ChartInput.Name(new string('a', 101), "givenName").Error);

    [Fact]
    public void Demographics_BirthDateInTheFuture_IsRefused() =>
        Assert.StartsWith("birthDate: 2099-01-01 is outside the allowed range 1900-01-01 to 2026-12-05", ChartInput.Demographics(new Demographics("MRN-1", "Ada", "L", new DateOnly(2099, 1, 1), Sex.Female), Clock).Error, StringComparison.Ordinal);

    [Fact]
    public void Entry_WeightDated2999_IsRefusedNamingMeasuredOn() =>
        Assert.StartsWith("measuredOn: 2999-01-01 is outside", ChartInput.Entry(BodyMeasurement.Create(new DateOnly(2999, 1, 1), 70).Value, new DateOnly(1980, 1, 1), Clock).Error, StringComparison.Ordinal);

    [Fact]
    public void Entry_WeightBeforeTheBirthDate_IsRefused() =>
        Assert.False(ChartInput.Entry(BodyMeasurement.Create(new DateOnly(1979, 1, 1), 70).Value, new DateOnly(1980, 1, 1), Clock).IsSuccess);

    [Fact]
    public void Entry_FindingNoteOfAHundredThousandCharacters_IsRefused() =>
        Assert.Contains("longer than the allowed 2000", ChartInput.Entry(new ContraindicationFinding(FindingKind.Hypertension, Severity.Mild, false, new string('x', 100_000)), new DateOnly(1980, 1, 1), Clock).Error, StringComparison.Ordinal);

    [Fact]
    public void Entry_FollowUpPainDatedAfterToday_IsRefusedNamingTheField()
    {
        var tomorrow = Clock.GetUtcNow().AddDays(2);
        Assert.StartsWith("at: ", ChartInput.Entry(FollowUpPain.Create(tomorrow, 4).Value, new DateOnly(1980, 1, 1), Clock).Error, StringComparison.Ordinal);
        Assert.True(ChartInput.Entry(FollowUpPain.Create(Clock.GetUtcNow(), 4).Value, new DateOnly(1980, 1, 1), Clock).IsSuccess);
    }

    [Fact]
    public void AdverseEvent_DescriptionOverTheLimit_IsRefusedNamingTheField()
    {
        var at = Clock.GetUtcNow();
        Assert.StartsWith("description:", AdverseEvent.Create(SessionId.New(), null, AdverseEventType.PsychomimeticOrDissociation, 1, false, AdverseEventAction.None, AdverseEventOutcome.Resolved, at, new string('x', 2001)).Error, StringComparison.Ordinal);
        Assert.True(AdverseEvent.Create(SessionId.New(), null, AdverseEventType.PsychomimeticOrDissociation, 1, false, AdverseEventAction.None, AdverseEventOutcome.Resolved, at, new string('x', 2000)).IsSuccess);
    }

    [Fact]
    public void Entry_NoteWithLineBreaks_IsAccepted() =>
        Assert.True(ChartInput.Entry(new ContraindicationFinding(FindingKind.Hypertension, Severity.Mild, false, "line one\r\nline two\tend"), new DateOnly(1980, 1, 1), Clock).IsSuccess);

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    [Fact]
    public void Refusals_AreCoded_WithTheFieldAndTheRangeTyped()
    {
        var birth = ChartInput.Demographics(new Demographics("MRN-1", "Ada", "L", new DateOnly(2099, 1, 1), Sex.Female), Clock).Refusal.Findings.Single();
        Assert.Equal(FindingCodes.ChartDateOutOfRange, birth.Code);
        Assert.Equal(["field=birthDate", "value=2099-01-01", "earliest=1900-01-01", "latest=2026-12-05"], birth.Args.Select(a => a.Name + "=" + a.Invariant()));

        var longName = ChartInput.Name(new string('a', 101), "givenName").Refusal.Findings.Single();
        Assert.Equal(FindingCodes.ChartTextTooLong, longName.Code);
        Assert.Equal(["field=givenName", "length=101", "max=100"], longName.Args.Select(a => a.Name + "=" + a.Invariant()));

        Assert.Equal(FindingCodes.ChartTextRequired, ChartInput.Name(" ", "familyName").Refusal.Findings.Single().Code);
        Assert.Equal(FindingCodes.ChartTextControlCharacter, ChartInput.Name("Ad\u202Ea", "givenName").Refusal.Findings.Single().Code);
        Assert.Equal(FindingCodes.ChartTextControlCharacterMultiline, ChartInput.Reason("why\u200B").Refusal.Findings.Single().Code);
        Assert.Equal(FindingCodes.ChartTextBrokenCharacter, ChartInput.Name("A\uD800da", "givenName").Refusal.Findings.Single().Code);

        var lab = ChartInput.LabValue(LabTest.Alt, -1).Refusal;
        Assert.Equal(FindingCodes.ChartNumberOutOfRange, lab.Findings.Single().Code);
        Assert.StartsWith("alt: -1 is outside the accepted range 0–", lab.Error, StringComparison.Ordinal);

        var icd = Icd10Code.Parse("X", "ICD-10").Refusal.Findings.Single();
        Assert.Equal(FindingCodes.ChartIcd10Invalid, icd.Code);
        Assert.Equal(["field=ICD-10", "text=X"], icd.Args.Select(a => a.Name + "=" + a.Invariant()));
    }
}
