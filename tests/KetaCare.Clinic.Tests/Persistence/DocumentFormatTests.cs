using System.Runtime.CompilerServices;
using KetaCare.Clinic.Eligibility;
using KetaCare.Clinic.Patients;
using KetaCare.Clinic.Persistence;
using KetaCare.Clinic.Plans;
using KetaCare.Clinic.Sessions;

namespace KetaCare.Clinic.Tests.Persistence;

public class DocumentFormatTests
{
    [Fact]
    public void StoredDomainTypes_FieldNamesAndTypes_MatchTheCommittedDocumentFormat()
    {
        // Hazard: a renamed or added field of a stored domain type silently breaks every document already stored.
        var actual = string.Join('\n', StateJson.DescribeFormat(typeof(Patient), typeof(EligibilityAssessment), typeof(PhysicianReview), typeof(TreatmentPlan), typeof(InfusionSession), typeof(Protocols.Protocol))) + "\n";
        var expected = File.ReadAllText(FormatFile()).ReplaceLineEndings("\n");

        Assert.True(
            expected == actual,
            "The stored document format changed. Existing databases hold documents in the old format: add a migration that rewrites them, "
            + "then update tests/KetaCare.Clinic.Tests/Persistence/document-format.txt to:\n" + actual);
    }

    [Fact]
    public void SessionDocument_WrittenBeforeTheSafetyRecords_LoadsAndStillEnforcesThem()
    {
        // Hazard: sessions stored before alert acknowledgements, overrides, check attempts and record findings existed
        // must still open, and an unacknowledged stop alert in them must still block the resume.
        var f = new SessionFixture().Running();
        f.Session.RecordObservation(f.Vitals(spo2: 85), f.Settings, Build.Nurse, f.Clock);
        Assert.True(f.Session.Pause("SpO2 85 %", Build.Nurse, f.Clock).IsSuccess);
        var json = System.Text.Json.Nodes.JsonNode.Parse(StateJson.Serialize(f.Session))!.AsObject();
        foreach (var field in new[] { "acknowledgements", "overrides", "checkAttempts", "recordFindings", "PumpVolumeMl", "DischargeEffectSiteNgPerMl" })
        {
            Assert.True(json.Remove(field), field);
        }

        var loaded = StateJson.Deserialize<InfusionSession>(json.ToJsonString());

        Assert.Empty(loaded.Acknowledgements);
        Assert.Empty(loaded.Overrides);
        Assert.Empty(loaded.CheckAttempts);
        Assert.Empty(loaded.RecordFindings);
        Assert.Single(loaded.UnacknowledgedStopAlerts);
        f.FreshVitals();
        Codes.Has(Findings.FindingCodes.GateUnacknowledgedAlert, loaded.Resume(Build.Nurse, f.Clock, null, null, f.Settings));
        Assert.True(loaded.AcknowledgeAlert(loaded.UnacknowledgedStopAlerts[0], "oxygen 2 L/min", Build.Nurse, f.Clock).IsSuccess);
    }

    [Fact]
    public void PatientDocument_WrittenBeforeTheOutcomeHistories_LoadsWithEmptyOutcomeHistories()
    {
        // Hazard: documents stored before follow-up pain, BPI and PGIC were part of the chart must still open.
        var clock = Build.Clock();
        var patient = Patient.Register(new Demographics("MRN-OLD", "Ana", "Lima", new DateOnly(1970, 1, 1), KetaCare.Pharmacology.Models.Sex.Female), Build.Nurse, clock);
        var json = System.Text.Json.Nodes.JsonNode.Parse(StateJson.Serialize(patient))!.AsObject();
        Assert.True(json.Remove("followUpPains") && json.Remove("bpiAssessments") && json.Remove("pgicAssessments"));
        Assert.True(json.Remove("allergies") && json.Remove("allergyStatements")); // added later still

        var loaded = StateJson.Deserialize<Patient>(json.ToJsonString());

        Assert.Empty(loaded.FollowUpPains.All);
        Assert.Empty(loaded.BpiAssessments.All);
        Assert.Empty(loaded.PgicAssessments.All);
        Assert.Empty(loaded.Allergies.All);
        Assert.Empty(loaded.AllergyStatements.All);
        Assert.Equal(AllergyState.NotRecorded, loaded.Snapshot().AllergyState);
        loaded.Record(Outcomes.FollowUpPain.Create(clock.Now, 3).Value, Build.Nurse, clock);
        Assert.Single(loaded.FollowUpPains.ActiveValues);
    }

    [Fact]
    public void PlanDocument_WrittenBeforeTitrationDecisionsWereKept_LoadsWithNoDecisions()
    {
        var clock = Build.Clock();
        var (patient, _) = Build.EligiblePatient(clock);
        var plan = TreatmentPlan.Prescribe(patient.Snapshot(), Protocols.ProtocolLibrary.Default.Find("outpatient-seed").Value, "domino1984", Dosing.DrugLibrary.Default.Preparation("bag-1").Value, Protocols.DoseLevel.MgPerKgPerHour(0.5), Build.Physician, clock).Value;
        var json = System.Text.Json.Nodes.JsonNode.Parse(StateJson.Serialize(plan))!.AsObject();
        Assert.True(json.Remove("titrationDecisions"));

        var loaded = StateJson.Deserialize<TreatmentPlan>(json.ToJsonString());

        Assert.Empty(loaded.TitrationDecisions);
    }

    private static string FormatFile([CallerFilePath] string path = "") => Path.Combine(Path.GetDirectoryName(path)!, "document-format.txt");
}
