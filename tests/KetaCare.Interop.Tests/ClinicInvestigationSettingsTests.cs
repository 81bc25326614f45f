// Firely POCOs annotate every element as nullable; the assertions below are what checks their presence.
#nullable disable warnings

using Hl7.Fhir.Model;
using KetaCare.Clinic.Eligibility;
using KetaCare.Clinic.Patients;
using KetaCare.Clinic.Services;
using KetaCare.Interop.Csv;
using KetaCare.Interop.Fhir;
using KetaCare.Interop.Reports;
using KetaCare.Interop.Tests.Csv;
using KetaCare.Interop.Tests.Reports;
using Task = System.Threading.Tasks.Task;

namespace KetaCare.Interop.Tests;

/// <summary>
/// The session report, the course summary, the FHIR export and the research export judge a liver value by the clinic's
/// stored investigation settings, all alike: an ALT between the built-in upper limit (40 U/L) and the clinic's is
/// flagged by one and not the other, in both directions.
/// </summary>
public sealed class ClinicInvestigationSettingsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(null, 53, LabFlag.High)]
    [InlineData(60.0, 53, LabFlag.Normal)]
    [InlineData(null, 37, LabFlag.Normal)]
    [InlineData(30.0, 37, LabFlag.High)]
    public async Task ReportsAndExports_AltBetweenTheDefaultAndTheClinicsUpperLimit_FlaggedByTheClinicsLimitEverywhere(double? altUpper, double alt, LabFlag expected)
    {
        await using var db = await SeededDatabase.CreateAsync();
        var (patient, _, sessions) = await db.CrpsAsync();
        var session = sessions[1];
        await using (var w = db.Open())
        {
            var recorded = await new PatientService(w, db.Clock).RecordAsync(patient.Id, patient.Version, new LiverPanel(session.ScheduledFor.AddDays(-3), alt, 20, 0.5, null, null), SeededDatabase.Reader, Ct);
            Assert.True(recorded.IsSuccess, recorded.IsSuccess ? null : recorded.Error);
            if (altUpper is { } upper)
            {
                var revised = await new SettingsService(w, db.Clock).ReviseInvestigationSettingsAsync(new Dictionary<string, double> { ["altUpper"] = upper }, 0, "the laboratory's range", SeededDatabase.Reader, Ct);
                Assert.True(revised.IsSuccess, revised.IsSuccess ? null : revised.Error);
            }
        }

        var limit = altUpper ?? 40;
        var flagged = expected == LabFlag.High;
        await using var c = db.Open();
        var reports = new ReportService(c, db.Clock);

        var (_, sessionText) = PdfReportTests.ReadPdf((await reports.SessionReportAsync(session.Id, SeededDatabase.Reader, Ct)).Value);
        Assert.Equal(flagged, sessionText.Contains($"{alt} H", StringComparison.Ordinal));
        Assert.Equal(flagged, sessionText.Contains($"above the upper limit {limit} U/L", StringComparison.Ordinal));

        var (_, courseText) = PdfReportTests.ReadPdf((await reports.CourseReportAsync(patient.Id, SeededDatabase.Reader, Ct)).Value);
        Assert.Equal(flagged, courseText.Contains($"{alt} H", StringComparison.Ordinal));

        var bundle = (await new FhirExporter(c, db.Clock).EverythingAsync(patient.Id, SeededDatabase.Reader, null, Ct)).Value;
        var observation = Assert.Single(bundle.Entry.Select(e => e.Resource).OfType<Observation>(), o => o.Code.Coding.Any(x => x.Code == "1742-6") && ((Quantity)o.Value).Value == (decimal)alt);
        Assert.Equal((decimal)limit, observation.ReferenceRange.Single().High.Value);
        Assert.Equal(flagged ? "H" : null, observation.Interpretation.SingleOrDefault()?.Coding.First().Code);

        var files = await new ResearchExport(c, db.Clock).ExportAsync(deidentify: false, SeededDatabase.Reader, Ct);
        var row = ResearchExportTests.Parse(files.OutcomesCsv).Single(r => r["mrn"] == patient.Demographics.MedicalRecordNumber);
        Assert.Equal(expected.ToString(), row["liver_flag_latest"]);
    }
}
