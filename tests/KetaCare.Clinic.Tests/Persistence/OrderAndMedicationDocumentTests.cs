using System.Text.Json.Nodes;
using KetaCare.Clinic.Dosing;
using KetaCare.Clinic.Patients;
using KetaCare.Clinic.Persistence;
using KetaCare.Pharmacology.Models;

namespace KetaCare.Clinic.Tests.Persistence;

/// <summary>Medications and orders stored before their source, report date and session maximum existed still load, with the defaults.</summary>
public class OrderAndMedicationDocumentTests
{
    [Fact]
    public void Medication_StoredBeforeItsSource_LoadsAsEnteredOnTheChart()
    {
        var document = Without(new Medication("tramadol", "50 mg", InteractionClass.CnsDepressant, MedicationSource.PreSessionChecklist, new DateOnly(2026, 1, 2)), "Source", "ReportedOn");

        var old = StateJson.Deserialize<Medication>(document);

        Assert.Equal(new Medication("tramadol", "50 mg", InteractionClass.CnsDepressant, MedicationSource.Chart, null), old);
    }

    [Fact]
    public void Order_StoredBeforeTheSessionMaximum_LoadsWithNone()
    {
        var document = Without(new AncillaryOrder(AncillaryDrug.Midazolam, OrderPurpose.Rescue, 1, Route.Intravenous, 3), "MaxSessionMg");

        var old = StateJson.Deserialize<AncillaryOrder>(document);

        Assert.Equal(new AncillaryOrder(AncillaryDrug.Midazolam, OrderPurpose.Rescue, 1, Route.Intravenous), old);
        Assert.Null(old.MaxSessionMg);
    }

    // The document as written before the fields existed: the properties removed, whatever their JSON name's case.
    private static string Without<T>(T value, params string[] names)
    {
        var node = JsonNode.Parse(StateJson.Serialize(value))!.AsObject();
        var removed = node.Select(p => p.Key).Where(k => names.Contains(k, StringComparer.OrdinalIgnoreCase)).ToList();
        Assert.Equal(names.Length, removed.Count);
        foreach (var key in removed)
        {
            node.Remove(key);
        }

        return node.ToJsonString();
    }
}
