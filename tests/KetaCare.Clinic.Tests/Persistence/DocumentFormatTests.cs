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
        var actual = string.Join('\n', StateJson.DescribeFormat(typeof(Patient), typeof(EligibilityAssessment), typeof(PhysicianReview), typeof(TreatmentPlan), typeof(InfusionSession))) + "\n";
        var expected = File.ReadAllText(FormatFile()).ReplaceLineEndings("\n");

        Assert.True(
            expected == actual,
            "The stored document format changed. Existing databases hold documents in the old format: add a migration that rewrites them, "
            + "then update tests/KetaCare.Clinic.Tests/Persistence/document-format.txt to:\n" + actual);
    }

    private static string FormatFile([CallerFilePath] string path = "") => Path.Combine(Path.GetDirectoryName(path)!, "document-format.txt");
}
