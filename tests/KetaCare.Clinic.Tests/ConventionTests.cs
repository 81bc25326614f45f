using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;

namespace KetaCare.Clinic.Tests;

/// <summary>Conventions enforced by scanning the source.</summary>
public partial class ConventionTests
{
    private static string Root([CallerFilePath] string path = "") => Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, "..", ".."));

    private static IEnumerable<string> ClinicSources() => Directory.EnumerateFiles(Path.Combine(Root(), "src", "KetaCare.Clinic"), "*.cs", SearchOption.AllDirectories)
        .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal));

    [Fact]
    public void ClinicProject_References_PharmacologyAndEfCoreOnly()
    {
        var csproj = File.ReadAllText(Path.Combine(Root(), "src", "KetaCare.Clinic", "KetaCare.Clinic.csproj"));
        var refs = ProjectReference().Matches(csproj).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(["../KetaCare.Pharmacology/KetaCare.Pharmacology.csproj"], refs);

        // Storage is the only I/O the clinic core has (docs/architecture.md): EF Core with its two providers, plus the EF Core stores
        // of the user directory and of the data-protection key ring (same database, one context) — nothing of HTTP or UI.
        var packages = PackageReference().Matches(csproj).Select(m => m.Groups[1].Value).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["Microsoft.AspNetCore.DataProtection.EntityFrameworkCore", "Microsoft.AspNetCore.Identity.EntityFrameworkCore", "Microsoft.EntityFrameworkCore.Design", "Microsoft.EntityFrameworkCore.Sqlite", "Npgsql.EntityFrameworkCore.PostgreSQL"], packages);
        var referenced = typeof(KetaCare.Clinic.Persistence.KetaCareDbContext).Assembly.GetReferencedAssemblies().Select(a => a.Name ?? string.Empty).ToList();
        Assert.DoesNotContain(referenced, n => n.StartsWith("Microsoft.AspNetCore.Http", StringComparison.Ordinal) || n.StartsWith("Microsoft.AspNetCore.Mvc", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("KetaCare.Web")]
    [InlineData("KetaCare.Cli")]
    [InlineData("KetaCare.Interop")]
    public void Faces_Scanned_NeverTakeASessionOrPrescriptionStepAroundTheWorkflow(string project)
    {
        // Hazard: a face that starts an infusion or prescribes on its own can skip the dose check, the vital-sign gate or
        // the blind check. Every such step is SessionWorkflow's or TreatmentService's; the session's own methods and
        // SessionService.ChangeAsync are not for faces (the latter is internal: a face cannot even compile a call to it).
        var files = Directory.EnumerateFiles(Path.Combine(Root(), "src", project), "*.*", SearchOption.AllDirectories)
            .Where(f => (f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".cshtml", StringComparison.Ordinal))
                && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .ToList();
        Assert.NotEmpty(files);
        string[] forbidden = [".StartInfusion(", ".GiveSingleDose(", ".RecordSecondCheck(", ".RecordPumpProgram(", ".Discharge(", ".Resume(", "TreatmentPlan.Prescribe(", "DoseAuthorization.Authorize(", "PumpProgram.Compute(", ".CompletePreAssessment("];
        var hits = files.SelectMany(f => File.ReadLines(f).Select((line, i) => (f, line, i)))
            .Where(x => forbidden.Any(call => x.line.Contains(call, StringComparison.Ordinal)))
            .Select(x => $"{Path.GetRelativePath(Root(), x.f)}:{x.i + 1}: {x.line.Trim()}")
            .ToList();
        Assert.True(hits.Count == 0, "A face takes a clinical step around the workflow:\n" + string.Join('\n', hits));
    }

    [Fact]
    public void ClinicSources_Scanned_NoWallClock()
    {
        Assert.NotEmpty(ClinicSources());
        foreach (var file in ClinicSources())
        {
            var text = File.ReadAllText(file);
            Assert.DoesNotMatch(WallClock(), text);
        }
    }

    [Fact]
    public void PumpProgramCompute_PublicSignature_TypedQuantitiesNotDoubles()
    {
        // Doses cross public boundaries as typed quantities (DoseLevel, BodyWeight, Duration), never as a bare double.
        var text = File.ReadAllText(Path.Combine(Root(), "src", "KetaCare.Clinic", "Dosing", "PumpProgram.cs"));
        Assert.Contains("public static Outcome<PumpProgram> Compute(DoseLevel prescribed, BodyWeight weight, Preparation preparation, Duration duration", text, StringComparison.Ordinal);
    }

    [GeneratedRegex("<ProjectReference Include=\"([^\"]+)\"")]
    private static partial Regex ProjectReference();

    [GeneratedRegex("<PackageReference Include=\"([^\"]+)\"")]
    private static partial Regex PackageReference();

    [GeneratedRegex(@"DateTime(Offset)?\.(Now|UtcNow|Today)\b")]
    private static partial Regex WallClock();
}
