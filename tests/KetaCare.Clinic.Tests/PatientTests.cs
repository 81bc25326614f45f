using KetaCare.Clinic.Patients;
using KetaCare.Pharmacology.Models;

namespace KetaCare.Clinic.Tests;

public class PatientTests
{
    [Fact]
    public void MeasurementOn_WeightRecordedOnSessionDay_UsesNewWeight()
    {
        var clock = Build.Clock();
        var (p, _) = Build.EligiblePatient(clock, kg: 70);
        p.Record(BodyMeasurement.Create(clock.Today, 64).Value, Build.Nurse, clock);
        Assert.Equal(64, p.Snapshot().MeasurementOn(clock.Today).Value.Weight.Kilograms);
        Assert.Equal(70, p.Snapshot().MeasurementOn(clock.Today.AddDays(-1)).Value.Weight.Kilograms);
    }

    [Fact]
    public void MeasurementOn_WeightRecordedNextDay_NotUsedForToday()
    {
        var clock = Build.Clock();
        var (p, _) = Build.EligiblePatient(clock, kg: 70);
        p.Record(BodyMeasurement.Create(clock.Today.AddDays(1), 90).Value, Build.Nurse, clock);
        Assert.Equal(70, p.Snapshot().MeasurementOn(clock.Today).Value.Weight.Kilograms);
    }

    [Fact]
    public void MeasurementOn_ImportedWeightNewerThanTheClinics_ClinicWeightAndHeightDoseTheSession()
    {
        var clock = Build.Clock();
        var (p, _) = Build.EligiblePatient(clock, kg: 70);
        p.Record(BodyMeasurement.Create(clock.Today.AddDays(-2), 95, 160).Value.AsImported(), Build.Nurse, clock);

        var snapshot = p.Snapshot();

        Assert.Equal(70, snapshot.MeasurementOn(clock.Today).Value.Weight.Kilograms);
        Assert.Equal((70.0, (double?)175.0), (snapshot.CovariatesOn(clock.Today).Value.Weight.Kilograms, snapshot.CovariatesOn(clock.Today).Value.HeightCm));
    }

    [Fact]
    public void MeasurementOn_OnlyImportedWeights_RefusedAsHistory()
    {
        var clock = Build.Clock();
        var p = Patient.Register(new Demographics("MRN-9", "Ali", "Test", new DateOnly(1986, 1, 15), Sex.Male), Build.Nurse, clock);
        p.Record(BodyMeasurement.Create(new DateOnly(1999, 11, 3), 59, 166).Value.AsImported(), Build.Nurse, clock);

        var weight = p.Snapshot().MeasurementOn(clock.Today);
        var covariates = p.Snapshot().CovariatesOn(clock.Today);

        Assert.False(weight.IsSuccess);
        Assert.False(covariates.IsSuccess);
        Assert.Contains("imported history (1999-11-03)", weight.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void MeasurementOn_NoWeightBeforeDate_RefusedNamingWeight()
    {
        var clock = Build.Clock();
        var (p, _) = Build.EligiblePatient(clock);
        var r = p.Snapshot().MeasurementOn(clock.Today.AddDays(-365));
        Assert.False(r.IsSuccess);
        Assert.StartsWith("weight:", r.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0.2, null, "weight")]
    [InlineData(501.0, null, "weight")]
    [InlineData(double.NaN, null, "weight")]
    [InlineData(70.0, 20.0, "height")]
    [InlineData(70.0, 251.0, "height")]
    public void BodyMeasurementCreate_OutOfRange_RefusedNamingField(double kg, double? cm, string field)
    {
        var r = BodyMeasurement.Create(new DateOnly(2026, 1, 1), kg, cm);
        Assert.False(r.IsSuccess);
        Assert.StartsWith(field + ":", r.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Amend_WithReason_KeepsOldVersionAndBumpsVersion()
    {
        var clock = Build.Clock();
        var (p, _) = Build.EligiblePatient(clock, kg: 70);
        var entry = p.Measurements.All[0];
        var before = p.Version;
        var r = p.Amend(entry.Id, BodyMeasurement.Create(entry.Value.MeasuredOn, 72).Value, "scale recalibrated", Build.Nurse, clock);
        Assert.True(r.IsSuccess);
        Assert.Equal(before + 1, p.Version);
        Assert.Equal(2, p.Measurements.All.Count(e => e.Id == entry.Id));
        Assert.Equal(EntryStatus.Amended, p.Measurements.All[0].Status);
        Assert.Equal(72, p.Snapshot().Measurements.Single().Weight.Kilograms);
        Assert.Equal("scale recalibrated", r.Value.Reason);
        Assert.Equal(2, r.Value.Revision);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Amend_WithoutReason_Refused(string reason)
    {
        var clock = Build.Clock();
        var (p, _) = Build.EligiblePatient(clock);
        var before = p.Version;
        var r = p.Amend(p.Measurements.All[0].Id, BodyMeasurement.Create(clock.Today, 72).Value, reason, Build.Nurse, clock);
        Assert.False(r.IsSuccess);
        Assert.Equal(before, p.Version);
    }

    [Fact]
    public void MarkEnteredInError_Medication_KeptInHistoryIgnoredBySnapshot()
    {
        var clock = Build.Clock();
        var (p, _) = Build.EligiblePatient(clock);
        var m = p.Record(new Medication("theophylline", "200 mg", InteractionClass.TheophyllineOrAminophylline), Build.Nurse, clock);
        Assert.Single(p.Snapshot().Medications);
        Assert.True(p.MarkEnteredInError<Medication>(m.Id, "wrong patient", Build.Nurse, clock).IsSuccess);
        Assert.Empty(p.Snapshot().Medications);
        Assert.Contains(p.Medications.All, e => e.Status == EntryStatus.EnteredInError && e.Reason == "wrong patient");
        Assert.Equal(2, p.Medications.All.Count);
    }

    [Fact]
    public void MarkEnteredInError_Twice_SecondRefused()
    {
        var clock = Build.Clock();
        var (p, _) = Build.EligiblePatient(clock);
        var m = p.Record(new Medication("x", null, InteractionClass.None), Build.Nurse, clock);
        Assert.True(p.MarkEnteredInError<Medication>(m.Id, "dup", Build.Nurse, clock).IsSuccess);
        Assert.False(p.MarkEnteredInError<Medication>(m.Id, "dup", Build.Nurse, clock).IsSuccess);
    }

    [Fact]
    public void CorrectDemographics_WithReason_KeepsPrevious()
    {
        var clock = Build.Clock();
        var (p, _) = Build.EligiblePatient(clock);
        var old = p.Demographics;
        Assert.True(p.CorrectDemographics(old with { FamilyName = "Tester" }, "typo", Build.Nurse, clock).IsSuccess);
        Assert.Equal("Tester", p.Demographics.FamilyName);
        Assert.Equal(old, p.DemographicsHistory.Single().Previous);
    }

    [Theory]
    [InlineData("G90.511", "G90.511")]
    [InlineData("g90511", "G90.511")]
    [InlineData(" M79.7 ", "M79.7")]
    [InlineData("B02.23", "B02.23")]
    [InlineData("G89.4", "G89.4")]
    public void Icd10Parse_ValidCode_Normalised(string text, string expected) =>
        Assert.Equal(expected, Icd10Code.Parse(text).Value.Code);

    [Theory]
    [InlineData("")]
    [InlineData("90.5")]
    [InlineData("G9")]
    [InlineData("G90.51111")]
    [InlineData("G90,5")]
    public void Icd10Parse_Malformed_Refused(string text) => Assert.False(Icd10Code.Parse(text).IsSuccess);

    [Theory]
    [InlineData("2026-01-01", null, null, "2026-01-01", true)]
    [InlineData("2026-01-02", null, null, "2026-01-01", false)]
    [InlineData("2026-01-01", "2026-03-01", null, "2026-03-01", true)]
    [InlineData("2026-01-01", "2026-03-01", null, "2026-03-02", false)]
    [InlineData("2026-01-01", null, "2026-02-01", "2026-01-31", true)]
    [InlineData("2026-01-01", null, "2026-02-01", "2026-02-01", false)]
    public void ConsentIsValidOn_Dates_AsExpected(string signed, string? expires, string? withdrawn, string on, bool valid)
    {
        var c = new Consent(ConsentKind.OffLabelKetamineForPain, DateOnly.Parse(signed, System.Globalization.CultureInfo.InvariantCulture),
            expires is null ? null : DateOnly.Parse(expires, System.Globalization.CultureInfo.InvariantCulture), "doc",
            withdrawn is null ? null : DateOnly.Parse(withdrawn, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(valid, c.IsValidOn(DateOnly.Parse(on, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void CovariatesOn_SessionDate_UsesDatedWeightAgeAndHeight()
    {
        var clock = Build.Clock();
        var (p, _) = Build.EligiblePatient(clock, kg: 70);
        var c = p.Snapshot().CovariatesOn(clock.Today).Value;
        Assert.Equal(70, c.Weight.Kilograms);
        Assert.Equal(40, c.AgeYears);
        Assert.Equal(175, c.HeightCm);
        Assert.Equal(Sex.Male, c.Sex);
    }

    [Fact]
    public void Record_EveryChange_IncrementsVersion()
    {
        var clock = Build.Clock();
        var (p, _) = Build.EligiblePatient(clock);
        var v = p.Version;
        p.Record(new ContraindicationFinding(FindingKind.CardiovascularRisk, Severity.Mild, false), Build.Nurse, clock);
        Assert.Equal(v + 1, p.Version);
        Assert.Equal(v + 1, p.Snapshot().Version);
    }
}
