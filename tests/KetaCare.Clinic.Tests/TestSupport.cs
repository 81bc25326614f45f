using KetaCare.Clinic.Eligibility;
using KetaCare.Clinic.Patients;
using KetaCare.Clinic.Sessions;
using KetaCare.Pharmacology.Models;

namespace KetaCare.Clinic.Tests;

/// <summary>A clock the test moves by hand.</summary>
internal sealed class TestClock(DateTimeOffset start) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = start;

    public override DateTimeOffset GetUtcNow() => Now;

    public void Advance(TimeSpan by) => Now += by;

    public DateOnly Today => DateOnly.FromDateTime(Now.UtcDateTime);
}

internal static class Build
{
    public static readonly DateTimeOffset Start = new(2026, 6, 1, 8, 0, 0, TimeSpan.Zero);

    public static readonly UserId Nurse = new(Guid.Parse("00000000-0000-0000-0000-000000000001"));

    public static readonly UserId Physician = new(Guid.Parse("00000000-0000-0000-0000-000000000002"));

    public static readonly UserId SecondNurse = new(Guid.Parse("00000000-0000-0000-0000-000000000003"));

    public static TestClock Clock() => new(Start);

    /// <summary>A checklist that passes: fasting since 8 h before <paramref name="now"/>, escort, no driving, no new medications.</summary>
    public static PreSessionChecklist Checklist(DateTimeOffset now, PregnancyCheck pregnancy = PregnancyCheck.NotTested) =>
        new(now.AddHours(-8), EscortConfirmed: true, NoDrivingAcknowledged: true, pregnancy, NewMedications: []);

    /// <summary>A 40-year-old male, 70 kg, CRPS I since a year, gabapentinoid failed, consented: eligible.</summary>
    public static (Patient Patient, EntryId Condition) EligiblePatient(TestClock clock, double kg = 70, Sex sex = Sex.Male)
    {
        var p = Patient.Register(new Demographics("MRN-1", "Ali", "Test", new DateOnly(1986, 1, 15), sex), Nurse, clock);
        p.Record(BodyMeasurement.Create(clock.Today.AddDays(-30), kg, 175).Value, Nurse, clock);
        var c = p.Record(new Condition(Icd10Code.Parse("G90.511").Value, "CRPS I right upper limb", clock.Today.AddYears(-1)), Physician, clock);
        p.Record(new PriorTreatment(TreatmentClass.Gabapentinoid, "pregabalin", "150 mg twice daily", Pharmacology.Units.Duration.FromDays(90), TreatmentOutcome.Ineffective), Physician, clock);
        p.Record(new Consent(ConsentKind.OffLabelKetamineForPain, clock.Today.AddDays(-1), null, "scan-001"), Physician, clock);
        p.Record(new NoKnownAllergies(clock.Today.AddDays(-1)), Nurse, clock);
        if (sex == Sex.Female)
        {
            p.Record(new PregnancyStatus(PregnancyState.NotPregnant, clock.Today), Nurse, clock);
        }

        return (p, c.Id);
    }

    public static EligibilityEvaluation Screen(Patient p, EntryId condition, DateOnly asOf) =>
        EligibilityRules.Evaluate(p.Snapshot(), condition, asOf);
}

/// <summary>Assertions on coded findings (tests assert codes, never message wording).</summary>
internal static class Codes
{
    /// <summary>The outcome was refused with a finding of <paramref name="code"/>.</summary>
    public static void Has(string code, Outcome outcome)
    {
        Assert.False(outcome.IsSuccess, "expected a refusal with " + code);
        Assert.Contains(code, outcome.Findings.Select(f => f.Code));
    }

    /// <summary>The outcome was refused with a finding of <paramref name="code"/>.</summary>
    public static void Has<T>(string code, Outcome<T> outcome)
    {
        Assert.False(outcome.IsSuccess, "expected a refusal with " + code);
        Assert.Contains(code, outcome.Findings.Select(f => f.Code));
    }

    /// <summary>The outcome was refused with one finding, of <paramref name="code"/>.</summary>
    public static void Only<T>(string code, Outcome<T> outcome)
    {
        Assert.False(outcome.IsSuccess, "expected a refusal with " + code);
        Assert.Equal([code], outcome.Findings.Select(f => f.Code));
    }
}
