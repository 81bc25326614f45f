using KetaCare.Clinic;
using KetaCare.Clinic.Persistence;
using KetaCare.Clinic.Services;
using KetaCare.Clinic.Users;
using KetaCare.Interop.Reports;
using Microsoft.EntityFrameworkCore;

namespace KetaCare.Interop.Tests.Reports;

/// <summary>
/// Every PDF document KetaCare prints, rendered once from fixed input: the demo data (fixed dates and names) read at a
/// fixed clock, a fixed clinic identity, staff with display names, the analytics of <see cref="KnownAnalyticsCohort"/>, and the CRPS patient's second session stored again
/// under a fixed id for the session report, which prints it (the demo's ids are random). English, and Turkish where the
/// document has it.
/// </summary>
public sealed class ReportDocuments : IAsyncLifetime
{
    /// <summary>The id the session report is printed under.</summary>
    public static readonly SessionId FixedSession = new(Guid.Parse("5e551000-0000-4000-8000-000000000002"));

    private SeededDatabase? _db;
    private readonly Dictionary<string, byte[]> _pdfs = [];

    /// <summary>The documents' names, which are also the prefixes of their reference images.</summary>
    public static IReadOnlyList<string> All { get; } = ["session-report", "course-summary", "leaflet-en", "leaflet-tr", "consent-en", "consent-tr", "analytics-en"];

    /// <summary><see cref="All"/> as theory data.</summary>
    public static TheoryData<string> Names => new(All);

    /// <summary>The PDF of a document named in <see cref="All"/>.</summary>
    public byte[] this[string name] => _pdfs[name];

    /// <summary>What the leaflet and the consent form are filled with.</summary>
    public PatientDocumentFacts Facts { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        _db = await SeededDatabase.CreateAsync();
        var (patient, _, sessions) = await _db.CrpsAsync();
        await using var c = _db.Open();
        var clinic = new KetaCare.Clinic.Clinics.ClinicIdentity("Anatolia Pain Clinic", "Hastane Caddesi 1\nÇankaya, Ankara", "+90 312 000 00 00", "+90 555 111 22 33 (24 h)", "TİTCK (Türkiye)");
        Assert.True((await new SettingsService(c, _db.Clock).ReviseClinicIdentityAsync(clinic, 0, "opening", SeededDatabase.Reader, ct)).IsSuccess);
        foreach (var (user, login, name) in new[] { (DemoSeed.DemoPhysician, "physician", "Dr Ayla Şahin"), (DemoSeed.DemoNurse, "nurse", "Nurse Deniz Aydın"), (DemoSeed.DemoSecondNurse, "nurse2", "Nurse Mehmet Öz") })
        {
            c.Users.Add(new ClinicUser { Id = user.Value, UserName = login, NormalizedUserName = login.ToUpperInvariant(), DisplayName = name });
        }

        await c.SaveChangesAsync(ct);

        var reports = new ReportService(c, _db.Clock);
        _pdfs["course-summary"] = Ok(await reports.CourseReportAsync(patient.Id, SeededDatabase.Reader, ct));
        Facts = Ok(await reports.FactsAsync(patient.Id, SeededDatabase.Reader, null, ct));
        foreach (var (language, code) in new[] { (ReportLanguage.English, "en"), (ReportLanguage.Turkish, "tr") })
        {
            _pdfs["leaflet-" + code] = PatientDocuments.Leaflet(Facts, language, ct);
            _pdfs["consent-" + code] = PatientDocuments.Consent(Facts, language, ct);
        }

        // The analytics of a cohort built by hand (no database): every figure on its pages is known.
        _pdfs["analytics-en"] = AnalyticsDocuments.Pdf(KnownAnalyticsCohort.Report(), System.Globalization.CultureInfo.GetCultureInfo("en-GB"), KnownAnalyticsCohort.PrintedAt, clinic, ct);

        // Only now the copy of the session: the course summary above counts the patient's sessions.
        var original = await c.Sessions.AsNoTracking().SingleAsync(s => s.Id == sessions[1].Id, ct);
        var id = original.Id.Value.ToString("D");
        Assert.Contains(id, original.Document, StringComparison.Ordinal);
        c.Sessions.Add(new SessionRecord
        {
            Id = FixedSession,
            PlanId = original.PlanId,
            PatientId = original.PatientId,
            ScheduledFor = original.ScheduledFor,
            State = original.State,
            Version = original.Version,
            Document = original.Document.Replace(id, FixedSession.Value.ToString("D"), StringComparison.Ordinal),
        });
        await c.SaveChangesAsync(ct);
        _pdfs["session-report"] = Ok(await reports.SessionReportAsync(FixedSession, SeededDatabase.Reader, ct));
    }

    public async ValueTask DisposeAsync()
    {
        if (_db is not null)
        {
            await _db.DisposeAsync();
        }
    }

    private static T Ok<T>(Outcome<T> outcome)
    {
        Assert.True(outcome.IsSuccess, outcome.IsSuccess ? null : outcome.Error);
        return outcome.Value;
    }
}
