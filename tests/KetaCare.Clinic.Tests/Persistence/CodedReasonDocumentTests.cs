using System.Text.Json.Nodes;
using KetaCare.Clinic.Findings;
using KetaCare.Clinic.Persistence;
using KetaCare.Clinic.Plans;
using KetaCare.Clinic.Titration;

namespace KetaCare.Clinic.Tests.Persistence;

/// <summary>Plans stored before dose-change reasons were coded still load, with their English text and no findings.</summary>
public class CodedReasonDocumentTests
{
    [Fact]
    public void Plan_StoredBeforeReasonsWereCoded_LoadsWithItsTextAndNoFindings()
    {
        var plan = AcceptedPlan();
        var document = JsonNode.Parse(StateJson.Serialize(plan))!.AsObject();
        // The document as it was written before: a four-part dose change, an English proposal, no status findings.
        var change = document["doseChanges"]![0]!.AsObject();
        change.Remove("Item5");
        change["Item2"] = "titration accepted: Tolerated, pain reduction between sessions below the hold threshold: one step up to 0.75 mg/kg/h (maximum 2 mg/kg/h).";
        document.Remove("statusFindings");
        var proposal = document["titrationDecisions"]![0]!["Proposal"]!.AsObject();
        proposal.Remove("findings");
        proposal["Reasons"] = new JsonArray("Tolerated, pain reduction between sessions below the hold threshold: one step up to 0.75 mg/kg/h (maximum 2 mg/kg/h).");

        var old = StateJson.Deserialize<TreatmentPlan>(document.ToJsonString());

        var (dose, reason, _, _, findings) = old.DoseChanges.Single();
        Assert.Equal(0.75, dose.Value);
        Assert.StartsWith("titration accepted: Tolerated", reason, StringComparison.Ordinal);
        Assert.Null(findings);
        Assert.Empty(old.StatusFindings);
        var oldProposal = old.TitrationDecisions.Single().Proposal;
        Assert.Empty(oldProposal.Findings);
        Assert.StartsWith("Tolerated", Assert.Single(oldProposal.Reasons), StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_WithCodedReasons_RoundTripsTheFindings()
    {
        var plan = AcceptedPlan();

        var restored = StateJson.Deserialize<TreatmentPlan>(StateJson.Serialize(plan));

        Assert.Equal(plan.DoseChanges.Single().Findings!, restored.DoseChanges.Single().Findings!);
        Assert.Equal(plan.TitrationDecisions.Single().Proposal.Findings, restored.TitrationDecisions.Single().Proposal.Findings);
    }

    private static TreatmentPlan AcceptedPlan()
    {
        var clock = Build.Clock();
        var (p, _) = Build.EligiblePatient(clock);
        var plan = TreatmentPlanTests.Prescribe(p, clock).Value;
        Assert.True(plan.Apply(TitrationDecision.Accept(TreatmentPlanTests.Tolerated(plan), Build.Physician, clock), clock).IsSuccess);
        Assert.Contains(plan.DoseChanges.Single().Findings!, f => f.Code == FindingCodes.TitrationStepUp);
        return plan;
    }
}
