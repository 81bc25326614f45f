using KetaCare.Clinic.Findings;
using KetaCare.Clinic.Patients;
using KetaCare.Clinic.Sessions;

namespace KetaCare.Clinic.Tests;

/// <summary>
/// Vital signs imported from another system are history on the chart: a blood pressure from last year neither satisfies
/// nor fails a session's pre-session check or vital gate, which read only what the session itself measured.
/// </summary>
public class ImportedVitalSignTests
{
    private static ImportedVitalSign Imported(DateTimeOffset at, VitalSignKind kind, double value, double? diastolic = null) =>
        ImportedVitalSign.Create(at, kind, value, diastolic, kind == VitalSignKind.BloodPressure ? "85354-9" : "8867-4", "http://hospital.example/mrn").Value;

    private static SessionFixture WithImportedHistory(double systolic, double diastolic, double heartRate)
    {
        var f = new SessionFixture();
        var lastYear = f.Clock.Now.AddYears(-1);
        f.Patient.Record(Imported(lastYear, VitalSignKind.BloodPressure, systolic, diastolic), Build.Nurse, f.Clock);
        f.Patient.Record(Imported(lastYear, VitalSignKind.HeartRate, heartRate), Build.Nurse, f.Clock);
        Assert.Equal(2, f.Patient.ImportedVitalSigns.ActiveValues.Count());
        return f;
    }

    [Fact]
    public void CompletePreAssessment_NormalBloodPressureImportedLastYear_DoesNotStandInForTodaysVitals()
    {
        var f = WithImportedHistory(122, 78, 70);
        Assert.True(f.Session.BeginPreAssessment(Build.Nurse, f.Clock).IsSuccess);

        var r = f.Session.CompletePreAssessment(f.Input(), f.Settings, Build.Nurse, f.Clock);

        Codes.Has(FindingCodes.PreVitalsMissing, r);
        Assert.Single(VitalGate.Evaluate(f.Session.Observations.ActiveValues, f.Settings.Alerts, TimeSpan.FromMinutes(VitalGate.DefaultWindowMinutes), f.Clock.Now), x => x.Code == FindingCodes.GateVitalsMissing);
    }

    [Fact]
    public void CompletePreAssessment_HypertensiveBloodPressureImportedLastYear_DoesNotFailTodaysNormalSession()
    {
        // 230/130 is past the hard stop a session reading would hit; as last year's history it has no say today.
        var f = WithImportedHistory(230, 130, 160);
        f.PreAssessed();

        Assert.Empty(VitalGate.Evaluate(f.Session.Observations.ActiveValues, f.Settings.Alerts, TimeSpan.FromMinutes(VitalGate.DefaultWindowMinutes), f.Clock.Now));
        Assert.True(f.Session.PreAssessmentPassed);
    }

    [Theory]
    [InlineData(VitalSignKind.BloodPressure, 310.0, 80.0, "systolic: 310 mm[Hg] is outside the accepted range 40–300 mm[Hg].")]
    [InlineData(VitalSignKind.BloodPressure, 120.0, 130.0, "diastolic: 130 mm[Hg] is not below the systolic 120 mm[Hg].")]
    [InlineData(VitalSignKind.BloodPressure, 120, null, "diastolic: a blood pressure needs its diastolic.")]
    [InlineData(VitalSignKind.HeartRate, 80.0, 60.0, "diastolic: only a blood pressure has one (HeartRate).")]
    [InlineData(VitalSignKind.BodyTemperature, 98.6, null, "temperature: 98.6 Cel is outside the accepted range 25–45 Cel.")]
    [InlineData(VitalSignKind.PainScore, 11, null, "pain score: 11 {score} is outside the accepted range 0–10 {score}.")]
    public void Create_ImplausibleValue_RefusedNamingTheFieldAndRange(VitalSignKind kind, double value, double? diastolic, string error)
    {
        var r = ImportedVitalSign.Create(DateTimeOffset.UnixEpoch, kind, value, diastolic, "0000-0");
        Assert.Equal(error, r.Error);
        Assert.Equal(error[..error.IndexOf(':', StringComparison.Ordinal)], Assert.Single(r.Findings).Arg("field")!.Text);
    }

    [Fact]
    public void Create_Plausible_KeptAsSentInUtcWithItsUnit()
    {
        var v = ImportedVitalSign.Create(new DateTimeOffset(2025, 3, 1, 10, 0, 0, TimeSpan.FromHours(3)), VitalSignKind.BloodPressure, 128, 82, " 85354-9 ", " ").Value;
        Assert.Equal((new DateTimeOffset(2025, 3, 1, 7, 0, 0, TimeSpan.Zero), "85354-9", (string?)null, "128/82 mm[Hg]"), (v.MeasuredAt, v.Loinc, v.SourceSystem, v.ValueText));
        Assert.Equal(TimeSpan.Zero, v.MeasuredAt.Offset);
    }

    [Fact]
    public void AddIdentifier_TwiceOrEmpty_KeptOnceAndEmptyRefused()
    {
        var clock = Build.Clock();
        var (p, _) = Build.EligiblePatient(clock, kg: 70);
        var version = p.Version;
        Assert.True(p.AddIdentifier(new PatientIdentifier("http://hospital.example/mrn", "H-1")).IsSuccess);
        Assert.True(p.AddIdentifier(new PatientIdentifier("http://hospital.example/mrn", "H-1")).IsSuccess);
        Assert.False(p.AddIdentifier(new PatientIdentifier(" ", "H-2")).IsSuccess);
        Assert.Equal([new PatientIdentifier("http://hospital.example/mrn", "H-1")], p.Identifiers);
        Assert.Equal(version + 1, p.Version);
    }
}
