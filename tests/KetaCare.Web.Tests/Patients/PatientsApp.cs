using System.Net;
using System.Text.RegularExpressions;
using KetaCare.Clinic;
using KetaCare.Clinic.Patients;
using KetaCare.Clinic.Persistence;
using KetaCare.Clinic.Plans;
using KetaCare.Clinic.Services;
using Microsoft.Extensions.DependencyInjection;

namespace KetaCare.Web.Tests.Patients;

/// <summary>One app with the demo data for a test class, and reads of what the pages stored, through the services.</summary>
public sealed partial class PatientsApp : IDisposable
{
    public WebAppFactory Factory { get; } = new();

    public ClinicDatabase Database => Factory.Services.GetRequiredService<ClinicDatabase>();

    /// <summary>A demo patient by record number (DEMO-0001 CRPS, DEMO-0002 neuropathic, DEMO-0003 not eligible).</summary>
    public async Task<PatientSummary> PatientAsync(string recordNumber)
    {
        await using var db = Database.Open(DemoSeed.SeedUser);
        return (await new PatientService(db, TimeProvider.System).SearchAsync(recordNumber)).Single(p => p.MedicalRecordNumber == recordNumber);
    }

    /// <summary>Weighs the patient today (the last weight and height again), so that doses are calculated on a current weight.</summary>
    public async Task WeighTodayAsync(PatientId id)
    {
        var chart = await ChartAsync(id);
        var last = chart.Snapshot().Measurements[^1];
        await using var db = Database.Open(DemoSeed.SeedUser);
        var today = DateOnly.FromDateTime(TimeProvider.System.GetUtcNow().UtcDateTime);
        var r = await new PatientService(db, TimeProvider.System).RecordAsync(id, chart.Version, BodyMeasurement.Create(today, last.Weight.Kilograms, last.HeightCm).Value, DemoSeed.DemoNurse);
        Assert.True(r.IsSuccess, r.Error);
    }

    /// <summary>The stored chart (read as the seed user).</summary>
    public async Task<Patient> ChartAsync(PatientId id)
    {
        await using var db = Database.Open(DemoSeed.SeedUser);
        return (await new PatientService(db, TimeProvider.System).OpenChartAsync(id, DemoSeed.SeedUser)).Value;
    }

    /// <summary>The stored plans of a patient.</summary>
    public async Task<IReadOnlyList<TreatmentPlan>> PlansAsync(PatientId id)
    {
        await using var db = Database.Open(DemoSeed.SeedUser);
        return await new TreatmentService(db, TimeProvider.System).PlansAsync(id, DemoSeed.SeedUser);
    }

    /// <summary>Registers a patient through the services (for tests that change a chart without touching the demo patients).</summary>
    public async Task<Patient> RegisterAsync(string recordNumber, params object[] entries)
    {
        await using var db = Database.Open(DemoSeed.SeedUser);
        var service = new PatientService(db, TimeProvider.System);
        var p = (await service.RegisterAsync(new Demographics(recordNumber, "Deniz", "Test", new DateOnly(1980, 1, 2), KetaCare.Pharmacology.Models.Sex.Male), DemoSeed.DemoNurse)).Value;
        var version = p.Version;
        foreach (var e in entries)
        {
            var r = e switch
            {
                BodyMeasurement m => (await service.RecordAsync(p.Id, version, m, DemoSeed.DemoNurse)).Error,
                Condition c => (await service.RecordAsync(p.Id, version, c, DemoSeed.DemoNurse)).Error,
                PriorTreatment t => (await service.RecordAsync(p.Id, version, t, DemoSeed.DemoNurse)).Error,
                Medication m => (await service.RecordAsync(p.Id, version, m, DemoSeed.DemoNurse)).Error,
                PregnancyStatus s => (await service.RecordAsync(p.Id, version, s, DemoSeed.DemoNurse)).Error,
                Consent c => (await service.RecordAsync(p.Id, version, c, DemoSeed.DemoNurse)).Error,
                _ => throw new ArgumentException("unknown entry", nameof(entries)),
            };
            Assert.Null(r);
            version++;
        }

        return (await service.OpenChartAsync(p.Id, DemoSeed.SeedUser)).Value;
    }

    /// <summary>Switches the client's UI language (the layout's language form).</summary>
    public static async Task UseLanguageAsync(HttpClient client, string culture)
    {
        var r = await client.PostFormAsync("/Patients", new() { ["culture"] = culture, ["returnUrl"] = "/Patients" }, "/culture");
        Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);
    }

    /// <summary>The text of the elements with a data-testid (tags stripped, entities decoded).</summary>
    public static IReadOnlyList<string> TestIds(string html, string testId) =>
        [.. Regex.Matches(html, "<(\\w+)[^>]*data-testid=\"" + Regex.Escape(testId) + "\"[^>]*>(.*?)</\\1>", RegexOptions.Singleline)
            .Select(m => WebUtility.HtmlDecode(Regex.Replace(m.Groups[2].Value, "<[^>]+>", " ")).Trim())];

    public void Dispose() => Factory.Dispose();
}
