using CsCheck;
using KetaCare.Clinic.Dosing;
using KetaCare.Clinic.Protocols;
using KetaCare.Clinic.Titration;
using KetaCare.Pharmacology.Units;

namespace KetaCare.Clinic.Tests;

/// <summary>Laws that must hold for any input, checked on random cases.</summary>
public class PropertyTests
{
    private static readonly string[] Preparations = ["bag-1", "bag-2", "syringe-5"];

    [Fact]
    public void PumpProgram_AnyRateAndWeight_DeliversAtMostPrescribedAndWithinOneIncrement()
    {
        var clock = Build.Clock();
        Gen.Select(Gen.Double[0.05, 2.0], Gen.Double[30, 200], Gen.Int[0, 2]).Sample((rate, kg, i) =>
        {
            var prep = DrugLibrary.Default.Preparation(Preparations[i]).Value;
            var r = PumpProgram.Compute(DoseLevel.MgPerKgPerHour(rate), BodyWeight.FromKilograms(kg), prep, Duration.FromHours(1), PumpSettings.Default, Build.Nurse, clock);
            if (!r.IsSuccess)
            {
                return rate * kg / prep.Concentration.MilligramsPerMilliliter < 0.1; // only a rate below one increment is refused
            }

            var p = r.Value;
            var exactMlh = rate * kg / prep.Concentration.MilligramsPerMilliliter;
            return p.BackCalculated.Value <= rate * (1 + 1e-12)
                && exactMlh - p.RateMlPerHour < 0.1 + 1e-9
                && p.VtbiMl <= p.RateMlPerHour + 1e-9;
        });
    }

    [Fact]
    public void DoseCheck_SeedProtocol_HardRateStopExactlyAboveTwo()
    {
        var lib = new DrugLibrary("t", DrugLibrary.Default.Preparations, DrugLibrary.Default.Limits, new PkThresholds(1e6, 1e6, Source.Assumption("test")));
        var prep = DrugLibrary.Default.Preparation("bag-1").Value;
        Gen.Select(Gen.Double[0.01, 4.0], Gen.Double[30, 200]).Sample((rate, kg) =>
        {
            var r = DoseCheck.Evaluate(new PlannedDose(ProtocolLibrary.SeedOutpatient, new Pharmacology.Models.Covariates(BodyWeight.FromKilograms(kg), 40), DoseLevel.MgPerKgPerHour(rate), prep, "domino1984"), lib);
            return r.Findings.Any(f => f.LimitId == "rate-mg-kg-h" && f.Severity == LimitSeverity.Hard) == (rate > 2.0 * (1 + 1e-9));
        });
    }

    [Fact]
    public void TitrationAdvisor_AnyHistory_NeverAboveCeilingOrHardLimit()
    {
        var protocols = ProtocolLibrary.Default.Protocols.Where(p => p.IsInfusion).ToArray();
        var summary = Gen.Select(Gen.Int[0, 5], Gen.Bool, Gen.Int[0, 2], Gen.Int[0, 1], Gen.Int[0, 10], Gen.Int[0, 10])
            .Select((grade, serious, pause, stop, before, after) => (grade, serious, pause, stop, before, after));
        Gen.Select(Gen.Int[0, protocols.Length - 1], Gen.Double[30, 200], Gen.Double[0.05, 2.0], summary.Array[0, 4]).Sample((pi, kg, current, history) =>
        {
            var p = protocols[pi];
            var limits = DrugLibrary.Default.LimitsFor(p);
            var weight = BodyWeight.FromKilograms(kg);
            var dose = DoseLevel.MgPerKgPerHour(Math.Min(current, p.Ceiling.Value));
            var h = history.Select(x => new SessionSummary(SessionId.New(), dose, x.before, x.after, x.grade, x.serious, x.pause, x.stop, false)).ToList();
            var r = TitrationAdvisor.Propose(p, limits, weight, dose, h);
            var max = TitrationAdvisor.Maximum(p, limits, weight);
            return r.NextDose is null
                || (r.NextDose.Value <= max && r.NextDose.Value <= p.Ceiling && r.NextDose.Value.Value * kg <= (p.MaxRateMgPerHour ?? double.MaxValue) * (1 + 1e-12));
        });
    }

    [Fact]
    public void DoseGiven_AnySegments_EqualsSumOfRateTimesTimeUpToTheVtbi()
    {
        Gen.Select(Gen.Int[1, 60], Gen.Int[1, 60], Gen.Int[1, 60], Gen.Double[1, 35]).Sample((m1, m2, m3, lower) =>
        {
            var f = new SessionFixture().Running(); // 35 mL/h of 1 mg/mL
            f.Clock.Advance(TimeSpan.FromMinutes(m1));
            f.Session.ChangeRate(lower, "test", Build.Nurse, f.Clock);
            f.Clock.Advance(TimeSpan.FromMinutes(m2));
            f.Session.Pause("test", Build.Nurse, f.Clock);
            f.Clock.Advance(TimeSpan.FromMinutes(m3));
            f.Session.StopEarly("test", Build.Nurse, f.Clock);
            // The pump stops at the VTBI (35 mL of 1 mg/mL): never more than 35 mg, however long the segments ran.
            var expected = Math.Min((35.0 * m1 / 60) + (lower * m2 / 60), 35.0);
            return Math.Abs(f.Session.DoseGiven(f.Clock.Now).Milligrams - expected) < 1e-9;
        }, iter: 200);
    }
}
