// Firely POCOs annotate every element as nullable; the assertions below are what checks their presence.
#nullable disable warnings

using Hl7.Fhir.Model;
using KetaCare.Clinic;
using KetaCare.Interop.Fhir;
using Task = System.Threading.Tasks.Task;

namespace KetaCare.Interop.Tests.Fhir;

/// <summary>Searches honour every parameter they declare and refuse every other one.</summary>
public sealed class FhirSearchTests
{
    private const string Base = "https://clinic.example/fhir";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SearchAsync_CodeDateLastUpdatedAndPaging_OnlyMatchesInClinicalTimeOrder()
    {
        await using var t = await SeededDatabase.DemoAsync();
        var (everything, id) = await FhirExportTests.EverythingAsync(t);
        await using var db = t.Database.Open(SeededDatabase.Reader, SeededDatabase.Clock);
        var exporter = new FhirExporter(db, SeededDatabase.Clock);
        async Task<Bundle> Run(params (string, string)[] query) => (await exporter.SearchAsync(FhirExportTests.Search("Observation", id, query), SeededDatabase.Reader, Base, Ct)).Value;
        var heartRates = FhirExportTests.Resources<Observation>(everything).Where(o => o.Code.Coding.Any(c => c.Code == FhirCodes.HeartRate)).ToList();

        var bySystem = await Run(("code", FhirCodes.Loinc + "|" + FhirCodes.HeartRate), ("_count", "500"));
        var bare = await Run(("code", FhirCodes.HeartRate), ("_count", "500"));
        var wrongSystem = await Run(("code", FhirCodes.Snomed + "|" + FhirCodes.HeartRate));
        var either = await Run(("code", FhirCodes.HeartRate + "," + FhirCodes.RespiratoryRate), ("_count", "500"));
        var january27 = await Run(("code", FhirCodes.HeartRate), ("date", "2026-01-27"), ("_count", "500"));
        var fromJanuary27 = await Run(("code", FhirCodes.HeartRate), ("date", "ge2026-01-27"), ("_count", "500"));
        var beforeJanuary27 = await Run(("code", FhirCodes.HeartRate), ("date", "lt2026-01-27"), ("_count", "500"));
        var window = await Run(("code", FhirCodes.HeartRate), ("date", "gt2026-01-27T09:00:00Z"), ("date", "le2026-01-27T09:50:00Z"));
        var updatedLater = await Run(("_lastUpdated", "gt2030-01-01"));
        var updatedBefore = await Run(("_lastUpdated", "le2030-01-01"), ("_count", "500"));

        Assert.Equal(heartRates.Select(o => o.Id).Order(), bySystem.Entry.Select(e => e.Resource.Id).Order());
        Assert.Equal(heartRates.Count, bySystem.Total);
        Assert.Equal(bySystem.Total, bare.Total);
        Assert.Equal(0, wrongSystem.Total);
        Assert.True(either.Total > bySystem.Total);
        Assert.NotEqual(0, january27.Total);
        Assert.NotEqual(0, beforeJanuary27.Total);
        Assert.Equal(heartRates.Count, january27.Total + beforeJanuary27.Total);
        Assert.Equal(january27.Total, fromJanuary27.Total);
        Assert.All(january27.Entry, e => Assert.StartsWith("2026-01-27", ((FhirDateTime)((Observation)e.Resource).Effective).Value, StringComparison.Ordinal));
        Assert.NotEqual(0, window.Total);
        Assert.True(window.Total < january27.Total);
        Assert.All(window.Entry, e => Assert.InRange(((FhirDateTime)((Observation)e.Resource).Effective).ToDateTimeOffset(TimeSpan.Zero), new DateTimeOffset(2026, 1, 27, 9, 0, 1, TimeSpan.Zero), new DateTimeOffset(2026, 1, 27, 9, 50, 0, TimeSpan.Zero)));
        Assert.Equal(0, updatedLater.Total);
        Assert.Equal(FhirExportTests.Resources<Observation>(everything).Count(), updatedBefore.Total);

        // Paging: pages of 2 follow each other through the next links, without gaps or repeats, in clinical time order.
        var seen = new List<string>();
        var page = await Run(("code", FhirCodes.HeartRate), ("_count", "2"));
        while (true)
        {
            Assert.True(page.Entry.Count <= 2);
            Assert.Equal(heartRates.Count, page.Total);
            seen.AddRange(page.Entry.Select(e => e.Resource.Id));
            if (page.Link.FirstOrDefault(l => l.Relation == "next")?.Url is not { } next)
            {
                break;
            }

            var query = new Uri(next).Query.TrimStart('?').Split('&').Select(p => p.Split('=')).Where(p => p[0] != "patient").Select(p => (p[0], Uri.UnescapeDataString(p[1]))).ToArray();
            page = await Run(query);
        }

        Assert.Equal(bySystem.Entry.Select(e => e.Resource.Id), seen);
        var times = bySystem.Entry.Select(e => ((FhirDateTime)((Observation)e.Resource).Effective).ToDateTimeOffset(TimeSpan.Zero)).ToList();
        Assert.Equal(times.Order(), times);
    }

    [Fact]
    public async Task SearchAsync_EncounterDateAndAdministrationEffectiveTime_OnlyThatDay()
    {
        await using var t = await SeededDatabase.DemoAsync();
        var (_, id) = await FhirExportTests.EverythingAsync(t);
        await using var db = t.Database.Open(SeededDatabase.Reader, SeededDatabase.Clock);
        var exporter = new FhirExporter(db, SeededDatabase.Clock);

        var all = (await exporter.SearchAsync(FhirExportTests.Search("Encounter", id), SeededDatabase.Reader, Base, Ct)).Value;
        // The session of the 27th is completed but not yet discharged: its period is still open, so it reaches past any day.
        var onThe27th = (await exporter.SearchAsync(FhirExportTests.Search("Encounter", id, ("date", "ge2026-01-27")), SeededDatabase.Reader, Base, Ct)).Value;
        var administered = (await exporter.SearchAsync(FhirExportTests.Search("MedicationAdministration", id, ("effective-time", "2026-01-27"), ("code", FhirCodes.Snomed + "|" + FhirCodes.KetamineSubstance)), SeededDatabase.Reader, Base, Ct)).Value;

        Assert.True(all.Total > 1);
        Assert.Equal(1, onThe27th.Total);
        Assert.Equal(3, administered.Total);
    }

    [Theory]
    [InlineData("Observation", "subject", "x")]
    [InlineData("Observation", "code", "")]
    [InlineData("Observation", "date", "sa2026-01-01")]
    [InlineData("Observation", "date", "2026-01-27T09:00:00")]
    [InlineData("Observation", "_count", "0")]
    [InlineData("Observation", "_sort", "date")]
    [InlineData("MedicationAdministration", "date", "2026-01-27")]
    [InlineData("Encounter", "code", "AMB")]
    public void Parse_UnsupportedOrMalformedParameter_RefusedNamingIt(string type, string name, string value)
    {
        var patient = PatientId.New().ToString();

        var parsed = FhirSearch.Parse(type, [new(name, value), new("patient", patient)]);

        Assert.False(parsed.IsSuccess);
        Assert.StartsWith(name + ":", parsed.Error, StringComparison.Ordinal);
        Assert.True(FhirSearch.Parse(type, [new("patient", patient)]).IsSuccess);
        Assert.False(FhirSearch.Parse(type, []).IsSuccess);
        Assert.False(FhirSearch.Parse("Condition", [new("patient", patient)]).IsSuccess);
    }

    [Theory]
    [InlineData("eq2026-01-27", true)]
    [InlineData("2026-01-27", true)]
    [InlineData("ne2026-01-27", false)]
    [InlineData("ge2026-01-27", true)]
    [InlineData("le2026-01-27", true)]
    [InlineData("gt2026-01-27", false)]
    [InlineData("lt2026-01-27", false)]
    [InlineData("gt2026-01-26", true)]
    [InlineData("lt2026-01-28", true)]
    [InlineData("eq2026-01-27T09:15:00Z", true)]
    [InlineData("eq2026-01-27T12:15:00+03:00", true)]
    [InlineData("gt2026-01-27T09:15:00Z", false)]
    public void DateCondition_InstantOnTheDay_HoldsPerFhirDateSemantics(string value, bool holds)
    {
        var instant = new DateTimeOffset(2026, 1, 27, 9, 15, 0, TimeSpan.Zero);

        Assert.True(DateCondition.TryParse(value, out var condition));

        Assert.Equal(holds, condition.Holds(new TimeRange(instant, instant.AddSeconds(1))));
    }
}
