using CsCheck;
using KetaCare.Clinic.Findings;
using KetaCare.Clinic.Outcomes;
using KetaCare.Clinic.Persistence;
using KetaCare.Clinic.Sessions;

namespace KetaCare.Clinic.Tests;

/// <summary>
/// The session's safety invariants over random event sequences: whatever a nurse, a physician and the clock do, in any
/// order, (1) the dose given never exceeds VTBI × concentration, (2) the drug never starts or resumes while the latest
/// vitals within the window cross a hard threshold (or without such vitals), (3) no discharge happens before the minimum
/// observation time unless a physician's override is recorded, and (4) every reachable state stores, restores and
/// computes its figures without an exception (what every page and report of the session needs).
/// </summary>
public class SessionInvariantTests
{
    private enum Act
    {
        Vitals,
        BadVitals,
        SoftVitals,
        Wait,
        Start,
        StartOverride,
        Pause,
        Resume,
        ResumeOverride,
        Rate,
        Acknowledge,
        Complete,
        Stop,
        Recover,
        Discharge,
        DischargeOverride,
    }

    private static readonly Gen<(Act Act, int Minutes, double Value)> Step =
        Gen.Select(Gen.Enum<Act>(), Gen.Int[1, 90], Gen.Double[0, 60]);

    [Fact]
    public void RandomEventSequences_SafetyInvariantsHoldInEveryReachableState()
    {
        Step.Array[1, 40].Sample(steps =>
        {
            var f = new SessionFixture().PreAssessed();
            var (_, auth) = f.CheckedProgram();
            var s = f.Session;
            var physician = new PhysicianOverride(SessionFixture.PhysicianStaff, "clinical judgement");
            var concentration = s.Program!.Preparation.Concentration.MilligramsPerMilliliter;
            var vtbiMg = s.Program.VtbiMl * concentration;
            foreach (var (act, minutes, value) in steps)
            {
                var before = s.State;
                var gate = s.GateFindings(f.Settings, f.Clock.Now);
                var overridesBefore = s.Overrides.Count;
                var r = act switch
                {
                    Act.Vitals => Ok(s.RecordObservation(Vitals(f, 128, 14, 98), f.Settings, Build.Nurse, f.Clock).IsSuccess),
                    Act.BadVitals => Ok(s.RecordObservation(OneHard(f, (int)value % 4), f.Settings, Build.Nurse, f.Clock).IsSuccess),
                    Act.SoftVitals => Ok(s.RecordObservation(Vitals(f, 186, 14, 91), f.Settings, Build.Nurse, f.Clock).IsSuccess),
                    Act.Wait => Advance(f, minutes),
                    Act.Start => s.StartInfusion(auth, null, f.Settings, Build.Nurse, f.Clock),
                    Act.StartOverride => s.StartInfusion(auth, physician, f.Settings, Build.Physician, f.Clock),
                    Act.Pause => s.Pause("random pause", Build.Nurse, f.Clock),
                    Act.Resume => s.Resume(Build.Nurse, f.Clock, value < 1 ? null : value, null, f.Settings),
                    Act.ResumeOverride => s.Resume(Build.Physician, f.Clock, null, physician, f.Settings),
                    Act.Rate => s.ChangeRate(value, "random rate", Build.Nurse, f.Clock),
                    Act.Acknowledge => s.UnacknowledgedStopAlerts.Count > 0 ? s.AcknowledgeAlert(s.UnacknowledgedStopAlerts[0], "treated", Build.Nurse, f.Clock) : Outcome.Ok(),
                    Act.Complete => s.Complete(Build.Nurse, f.Clock, f.PumpShows(), f.Settings),
                    Act.Stop => s.StopEarly("random stop", Build.Nurse, f.Clock),
                    Act.Recover => s.BeginRecovery(Build.Nurse, f.Clock),
                    Act.Discharge => s.Discharge(AldreteScore.Create(2, 2, 2, 2, 2).Value, true, f.Prediction(), null, f.Settings, Build.Nurse, f.Clock),
                    _ => s.Discharge(AldreteScore.Create(2, 2, 2, 2, 2).Value, true, f.Prediction(), physician, f.Settings, Build.Physician, f.Clock),
                };

                // (1) The pump stops at the VTBI.
                Assert.True(s.DoseGiven(f.Clock.Now).Milligrams <= vtbiMg + 1e-9, $"{act}: dose {s.DoseGiven(f.Clock.Now)} above VTBI {vtbiMg} mg");

                // (2) Drug starts or resumes only with fresh vitals inside the hard thresholds, and past alert thresholds only by override.
                if (s.State == SessionState.Running && before is SessionState.PreAssessment or SessionState.Paused)
                {
                    Assert.True(r.IsSuccess);
                    Assert.DoesNotContain(gate, x => x.Severity == FindingSeverity.HardStop);
                    Assert.True(gate.All(x => x.Severity != FindingSeverity.NeedsOverride) || s.Overrides.Count == overridesBefore + 1, $"{act}: soft gate passed without an override");
                    Assert.Empty(before == SessionState.Paused ? UnacknowledgedStopsBefore(s) : []);
                }

                // (3) No discharge before the minimum observation time without a physician's override.
                if (s.State == SessionState.Discharged && before == SessionState.Recovery)
                {
                    var elapsed = f.Clock.Now - s.DrugEndedAt!.Value;
                    Assert.True(elapsed >= s.MinimumObservation(f.Settings) || s.Overrides.Any(o => o.Step == "discharge" && o.By == Build.Physician), $"discharged after {elapsed} without an override");
                }

                // (4) Every reachable state stores, restores and computes what its pages and reports show.
                var restored = StateJson.Deserialize<InfusionSession>(StateJson.Serialize(s));
                Assert.Equal(s.Version, restored.Version);
                Assert.Equal(s.DoseGiven(f.Clock.Now), restored.DoseGiven(f.Clock.Now));
                _ = restored.Account(f.Clock.Now);
                _ = OutcomeAnalysis.RegimenGiven([restored], restored.Segments.Select(x => x.Start).DefaultIfEmpty(f.Clock.Now).Min(), f.Clock.Now);
                _ = f.Prediction();
                _ = restored.GateFindings(f.Settings, f.Clock.Now);
                _ = restored.DischargeFindings(null, false, f.Prediction(), f.Settings, f.Clock.Now);
            }
        }, iter: 500);
    }

    // Before a resume was accepted, no stop-level alert may have been open; after it, the same alerts are still acknowledged.
    private static IReadOnlyList<int> UnacknowledgedStopsBefore(InfusionSession s) => s.UnacknowledgedStopAlerts;

    private static Outcome Ok(bool success) => success ? Outcome.Ok() : Outcome.Fail("refused");

    private static Outcome Advance(SessionFixture f, int minutes)
    {
        f.Clock.Advance(TimeSpan.FromMinutes(minutes));
        return Outcome.Ok();
    }

    // One vital sign past its hard threshold, the others normal: each hard threshold must stop the start on its own.
    private static Observation OneHard(SessionFixture f, int which) => which switch
    {
        0 => Vitals(f, 128, 14, 88),
        1 => Vitals(f, 128, 6, 98),
        2 => Vitals(f, 215, 14, 98),
        _ => Observation.Create(f.Clock.Now, 128, 80, 38, 98, 14).Value,
    };

    private static Observation Vitals(SessionFixture f, int sbp, int rr, int spo2) =>
        Observation.Create(f.Clock.Now, sbp, 80, 80, spo2, rr).Value;
}
