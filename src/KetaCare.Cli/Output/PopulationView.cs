using System.Globalization;
using KetaCare.Pharmacology.Models;
using KetaCare.Pharmacology.Population;
using KetaCare.Pharmacology.Simulation;
using KetaCare.Pharmacology.Units;

namespace KetaCare.Cli.Output;

/// <summary>A truncated normal covariate as the user gave it (SD 0: the same value for everyone).</summary>
internal sealed record CovariateText(double Mean, double Sd, double Min, double Max, bool IsDefault)
{
    public string Describe(string unit) => Sd > 0
        ? string.Create(CultureInfo.InvariantCulture, $"Normal({Format.N(Mean)}, {Format.N(Sd)}²) {unit} truncated to {Format.N(Min)}–{Format.N(Max)} {unit}")
        : $"{Format.N(Mean)} {unit} for every patient";
}

/// <summary>What the population command was asked to simulate.</summary>
internal sealed record PopulationSetup(
    PkModel Model, int Count, ulong Seed, CovariateText Weight, CovariateText? Age, double? FemaleFraction, double? IivCvPercent, IReadOnlyList<string> IivNames,
    Regimen Regimen, Duration Until, Duration Step, Duration Every, string Output, Ke0Option? EffectSite, bool DefaultKe0);

/// <summary>A population run with everything the table, CSV, JSON and chart writers show.</summary>
internal sealed class PopulationView(PopulationSetup setup, PopulationSummary summary, IReadOnlyList<string> warnings)
{
    public PopulationSetup Setup { get; } = setup;

    public PopulationSummary Summary { get; } = summary;

    public IReadOnlyList<string> Warnings { get; } = warnings;

    /// <summary>The model's label of the summarised output ("Plasma", "Effect site", "S-norketamine").</summary>
    public string OutputLabel { get; } = setup.Model.Build(
        new Covariates(BodyWeight.FromKilograms((setup.Model.Population.WeightKg.Min + setup.Model.Population.WeightKg.Max) / 2), (setup.Model.Population.AgeYears.Min + setup.Model.Population.AgeYears.Max) / 2),
        new SubjectOptions { EffectSite = setup.EffectSite }).Output(setup.Output)?.Label ?? setup.Output;

    public string WeightSourceText => Setup.Weight.IsDefault ? " (default: the benchmark population of docs/performance.md, not a clinic's; change with --weight-*)" : string.Empty;

    public string VariabilityText => Setup.IivCvPercent is { } cv
        ? string.Create(CultureInfo.InvariantCulture, $"ASSUMED by the user (--iiv {Format.N(cv)} %): independent log-normal on {string.Join(", ", Setup.IivNames)}")
        : Setup.Model.Omega is { } omega ? $"the model's published Ω on {string.Join(", ", omega.Names)} ({omega.Source})" : "none (no Ω published; covariates only)";

    public static string PercentileLabel(double p) => PopulationSummary.PercentileLabel(p);

    public static string Column(double p) => "p" + Format.Data(p).Replace('.', '_') + "_ng_ml";

    public static string ThresholdColumn(Concentration c) => "frac_above_" + Format.Data(c.NanogramsPerMilliliter).Replace('.', '_') + "_ng_ml";

    public IEnumerable<string> HeaderLines()
    {
        var s = Setup;
        yield return string.Create(CultureInfo.InvariantCulture, $"Patients: {s.Count:N0}, seed {s.Seed}");
        yield return $"Weight:   {s.Weight.Describe("kg")}{WeightSourceText}";
        yield return $"Age:      {(s.Age is { } age ? age.Describe("years") : "not given")}";
        yield return $"Sex:      {(s.FemaleFraction is { } f ? Format.Percent(f) + " female" : "not given")}";
        yield return $"IIV:      {VariabilityText}";
        foreach (var adm in s.Regimen.Administrations)
        {
            yield return $"Dose:     {adm.Dose} {adm.Route.Code()} at {Format.Time(adm.Start.Minutes)}";
        }

        if (s.EffectSite is { } ke0)
        {
            yield return string.Create(CultureInfo.InvariantCulture, $"Effect:   ke0 {Format.N(ke0.Ke0PerMinute)} /min ({ke0.Id}; {ke0.Source})");
        }

        yield return $"Output:   {OutputLabel}";
        yield return $"Grid:     0 to {Format.Time(s.Until.Minutes)}, step {s.Step}";
    }

    /// <summary>
    /// The highest value of each percentile curve and its time (the table's interval can miss the end of an
    /// infusion). These are maxima of the curves, not percentiles of the patients' own peaks.
    /// </summary>
    public IReadOnlyList<(double Percentile, double NgPerMl, double TimeMinutes)> BandMaxima()
    {
        var list = new List<(double, double, double)>();
        for (var j = 0; j < Summary.Percentiles.Count; j++)
        {
            var series = Summary.PercentileSeries(j);
            var best = 0;
            for (var k = 1; k < series.Length; k++)
            {
                if (series[k] > series[best])
                {
                    best = k;
                }
            }

            list.Add((Summary.Percentiles[j], series[best] * 1000, Summary.Times[best]));
        }

        return list;
    }

    /// <summary>Indices of the output times shown in the table: multiples of --every, and the last time.</summary>
    public IEnumerable<int> TableRows()
    {
        var times = Summary.Times;
        for (var k = 0; k < times.Count; k++)
        {
            var ratio = times[k] / Setup.Every.Minutes;
            if (k == times.Count - 1 || Math.Abs(ratio - Math.Round(ratio)) <= 1e-6)
            {
                yield return k;
            }
        }
    }
}
