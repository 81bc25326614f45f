using System.Globalization;
using System.Text.RegularExpressions;
using KetaCare.Clinic;
using KetaCare.Clinic.Findings;
using KetaCare.Clinic.Plans;
using KetaCare.Clinic.Protocols;
using KetaCare.Clinic.Services;
using KetaCare.Interop.Text;

namespace KetaCare.Interop.Tests.Text;

/// <summary>
/// Refusals the clinic's services give, read by a Turkish user: each is coded, and its Turkish text carries none of
/// the English sentences (hazard: a Turkish clinician meets an English refusal and misreads or ignores it).
/// </summary>
public partial class TurkishRefusalTests
{
    private static readonly CultureInfo Turkish = CultureInfo.GetCultureInfo("tr-TR");

    // Every stretch of English words in any finding's English template (text between placeholders, four words or more).
    private static readonly IReadOnlyList<string> EnglishPhrases = [.. FindingText.Codes
        .SelectMany(c => Placeholder().Split(FindingText.Template(c)!))
        .SelectMany(part => Regex.Split(part, "[;:()\"—.,]"))
        .Select(p => p.Trim())
        .Where(p => p.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length >= 4)
        .Distinct(StringComparer.Ordinal)];

    [Fact]
    public async Task ServiceRefusals_InTurkish_CodedAndFreeOfEnglishSentences()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var seeded = await SeededDatabase.CreateAsync();
        var (_, plan, _) = await seeded.CrpsAsync();
        await using var db = seeded.Open();
        var protocols = new ProtocolService(db, seeded.Clock);
        var audit = new AuditLogService(db);
        var treatment = new TreatmentService(db, seeded.Clock);
        var existing = ProtocolLibrary.SeedOutpatient;

        Refusal[] refusals =
        [
            (await protocols.FindAsync("no-such-protocol", null, ct)).Refusal,
            (await protocols.AddAsync(existing with { Id = "Clinic Scheme" }, "clinic scheme", SeededDatabase.Reader, ct)).Refusal,
            (await protocols.AddAsync(existing with { Id = "clinic-scheme", Step = DoseLevel.MgPerKgPerHour(2.5) }, "clinic scheme", SeededDatabase.Reader, ct)).Refusal,
            (await audit.SearchAsync(new AuditQuery { Page = 0 }, ct)).Refusal,
            (await audit.SearchAsync(new AuditQuery { From = seeded.Clock.GetUtcNow(), Before = seeded.Clock.GetUtcNow().AddDays(-1) }, ct)).Refusal,
            (await treatment.ChangePlanAsync(plan.Id, plan.Version, p => p.SetNextDose(DoseLevel.MgPerKgPerHour(5), "no effect", SeededDatabase.Reader, seeded.Clock), SeededDatabase.Reader, ct)).Refusal,
            (await treatment.ChangePlanAsync(plan.Id, plan.Version, p => p.Close(PlanStatus.Active, "reopen"), SeededDatabase.Reader, ct)).Refusal,
        ];

        Assert.Equal(
            [FindingCodes.ProtocolUnknown, FindingCodes.ProtocolIdInvalid, FindingCodes.ProtocolLevelAboveHardLimit, FindingCodes.InputOutOfRange, FindingCodes.AuditDatesOrder, FindingCodes.PlanDoseAboveCeiling, FindingCodes.PlanStatusChange],
            refusals.Select(r => Assert.Single(r.Findings).Code));
        Assert.True(EnglishPhrases.Count > 100, $"only {EnglishPhrases.Count} English phrases to look for");
        foreach (var r in refusals)
        {
            var tr = FindingText.Render(r.Findings, r.Error, Turkish);
            Assert.DoesNotContain("?", tr.Replace("\"", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
            Assert.DoesNotContain(EnglishPhrases, p => tr.Contains(p, StringComparison.Ordinal));
            Assert.NotEqual(r.Error, tr);
        }

        // The English text of the API and the CLI is unchanged, and is what the English reader gets.
        Assert.Equal("protocol: \"no-such-protocol\" is not in the library.", refusals[0].Error);
        Assert.Equal(refusals[0].Error, FindingText.Render(refusals[0].Findings, "unused", CultureInfo.InvariantCulture));
        Assert.Equal("protokol: \"no-such-protocol\" kütüphanede yok.", FindingText.Render(refusals[0].Findings, "unused", Turkish));
        Assert.Equal("sayfa: 0, izin verilen 1 ile 1000000 aralığının dışında.", FindingText.Render(refusals[3].Findings, "unused", Turkish));
    }

    [GeneratedRegex(@"\{[a-z]+\}")]
    private static partial Regex Placeholder();
}
