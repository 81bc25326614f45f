using System.Text;
using System.Text.Json;
using KetaCare.Pharmacology.Population;

namespace KetaCare.Cli.Output;

/// <summary>CSV and JSON of a population run: every output time, invariant culture, round-trip numbers.</summary>
internal static class PopulationData
{
    public static void WriteCsv(TextWriter w, PopulationView v)
    {
        var s = v.Summary;
        var header = new List<string> { "time_min" };
        header.AddRange(s.Percentiles.Select(PopulationView.Column));
        header.Add("mean_ng_ml");
        header.AddRange(s.Thresholds.Select(PopulationView.ThresholdColumn));
        w.WriteLine(string.Join(',', header));
        var line = new StringBuilder();
        for (var k = 0; k < s.Times.Count; k++)
        {
            line.Clear().Append(Format.Data(s.Times[k]));
            for (var j = 0; j < s.Percentiles.Count; j++)
            {
                line.Append(',').Append(Format.Data(s.PercentileNgPerMl(j, k)));
            }

            line.Append(',').Append(Format.Data(s.MeanMgPerLiter[k] * 1000));
            for (var i = 0; i < s.Thresholds.Count; i++)
            {
                line.Append(',').Append(Format.Data(s.FractionAbove(i)[k]));
            }

            w.WriteLine(line.ToString());
        }
    }

    public static void WriteJson(TextWriter w, PopulationView v)
    {
        var s = v.Summary;
        var p = v.Setup;
        JsonOut.Write(w, j =>
        {
            j.WriteStartObject();
            JsonOut.Model(j, p.Model);

            j.WriteStartObject("population");
            j.WriteNumber("n", p.Count);
            j.WriteNumber("seed", p.Seed);
            j.WriteStartObject("weight_kg");
            WriteCovariate(j, p.Weight);
            j.WriteBoolean("default", p.Weight.IsDefault);
            if (p.Weight.IsDefault)
            {
                j.WriteString("source", "KetaCare default: the benchmark population of docs/performance.md (Workloads)");
            }

            j.WriteEndObject();
            if (p.Age is { } age)
            {
                j.WriteStartObject("age_years");
                WriteCovariate(j, age);
                j.WriteEndObject();
            }
            else
            {
                j.WriteNull("age_years");
            }

            if (p.FemaleFraction is { } f)
            {
                j.WriteNumber("female_fraction", f);
            }
            else
            {
                j.WriteNull("female_fraction");
            }

            j.WriteStartObject("variability");
            j.WriteString("kind", p.IivCvPercent is not null ? "user assumption" : p.Model.Omega is not null ? "published" : "none");
            if (p.IivCvPercent is { } cv)
            {
                j.WriteNumber("cv_percent", cv);
                j.WriteNumber("omega_squared", Math.Log(1 + Math.Pow(cv / 100, 2)));
            }

            j.WriteStartArray("parameters");
            foreach (var name in p.IivCvPercent is not null ? p.IivNames : p.Model.Omega?.Names ?? [])
            {
                j.WriteStringValue(name);
            }

            j.WriteEndArray();
            j.WriteString("description", v.VariabilityText);
            j.WriteEndObject();
            j.WriteEndObject();

            JsonOut.Regimen(j, p.Regimen);

            JsonOut.Grid(j, p.Until, p.Step);
            j.WriteString("output", s.Output);
            if (p.EffectSite is { } ke0)
            {
                j.WriteStartObject("effect_site");
                j.WriteString("id", ke0.Id);
                j.WriteNumber("ke0_per_min", ke0.Ke0PerMinute);
                j.WriteString("source", ke0.Source);
                j.WriteBoolean("borrowed", ke0.Borrowed);
                j.WriteEndObject();
            }
            else
            {
                j.WriteNull("effect_site");
            }

            WriteArray(j, "percentiles", s.Percentiles);
            WriteArray(j, "thresholds_ng_ml", s.Thresholds.Select(t => t.NanogramsPerMilliliter));

            j.WriteStartObject("series");
            WriteArray(j, "time_min", s.Times);
            for (var k = 0; k < s.Percentiles.Count; k++)
            {
                var series = s.PercentileSeries(k).ToArray();
                WriteArray(j, PopulationView.Column(s.Percentiles[k]), series.Select(x => x * 1000));
            }

            WriteArray(j, "mean_ng_ml", s.MeanMgPerLiter.ToArray().Select(x => x * 1000));
            for (var i = 0; i < s.Thresholds.Count; i++)
            {
                WriteArray(j, PopulationView.ThresholdColumn(s.Thresholds[i]), s.FractionAbove(i).ToArray());
            }

            j.WriteEndObject();

            j.WriteStartArray("band_maxima");
            foreach (var (percentile, ngPerMl, time) in v.BandMaxima())
            {
                j.WriteStartObject();
                j.WriteNumber("percentile", percentile);
                j.WriteNumber("ng_ml", ngPerMl);
                j.WriteNumber("time_min", time);
                j.WriteEndObject();
            }

            j.WriteEndArray();

            j.WriteStartArray("target_attainment");
            foreach (var t in s.Targets)
            {
                j.WriteStartObject();
                j.WriteString("criterion", t.Criterion.Name);
                switch (t.Criterion)
                {
                    case StaysWithin w1:
                        j.WriteString("kind", "stays_within");
                        j.WriteNumber("low_ng_ml", w1.Low.NanogramsPerMilliliter);
                        j.WriteNumber("high_ng_ml", w1.High.NanogramsPerMilliliter);
                        j.WriteNumber("from_min", w1.From.Minutes);
                        j.WriteNumber("to_min", w1.To.Minutes);
                        break;
                    case PeakAbove pa:
                        j.WriteString("kind", "peak_above");
                        j.WriteNumber("threshold_ng_ml", pa.Threshold.NanogramsPerMilliliter);
                        break;
                }

                j.WriteNumber("count", t.Count);
                j.WriteNumber("fraction", t.Fraction);
                j.WriteEndObject();
            }

            j.WriteEndArray();

            var tm = s.Timings;
            j.WriteStartObject("timings");
            j.WriteNumber("setup_s", tm.SetupSeconds);
            j.WriteNumber("stepping_s", tm.SteppingSeconds);
            j.WriteNumber("summary_s", tm.SummarySeconds);
            j.WriteEndObject();

            j.WriteStartArray("warnings");
            foreach (var warning in v.Warnings)
            {
                j.WriteStringValue(warning);
            }

            j.WriteEndArray();
            j.WriteEndObject();
        });
    }

    private static void WriteCovariate(Utf8JsonWriter j, CovariateText c)
    {
        j.WriteString("distribution", c.Sd > 0 ? "truncated normal" : "fixed");
        j.WriteNumber("mean", c.Mean);
        j.WriteNumber("sd", c.Sd);
        j.WriteNumber("min", c.Sd > 0 ? c.Min : c.Mean);
        j.WriteNumber("max", c.Sd > 0 ? c.Max : c.Mean);
    }

    private static void WriteArray(Utf8JsonWriter j, string name, IEnumerable<double> values)
    {
        j.WriteStartArray(name);
        foreach (var x in values)
        {
            j.WriteNumberValue(x);
        }

        j.WriteEndArray();
    }
}
