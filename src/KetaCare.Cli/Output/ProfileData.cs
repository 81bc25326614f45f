using System.Text;
using System.Text.Json;

namespace KetaCare.Cli.Output;

/// <summary>CSV and JSON for pipes and files: every grid row, invariant culture, round-trip numbers.</summary>
internal static class ProfileData
{
    public static void WriteCsv(TextWriter w, Profile p)
    {
        var header = new List<string> { "time_min" };
        header.AddRange(p.Series.Select(s => s.Column));
        if (p.Relief is not null)
        {
            header.Add("relief_fraction");
        }

        w.WriteLine(string.Join(',', header));
        var times = p.Result.Times;
        var line = new StringBuilder();
        for (var k = 0; k < times.Count; k++)
        {
            line.Clear().Append(Format.Data(times[k]));
            foreach (var s in p.Series)
            {
                line.Append(',').Append(Format.Data(s.NgPerMl[k]));
            }

            if (p.Relief is { } relief)
            {
                line.Append(',').Append(Format.Data(relief[k]));
            }

            w.WriteLine(line.ToString());
        }
    }

    public static void WriteJson(TextWriter w, Profile p)
    {
        JsonOut.Write(w, j =>
        {
            var r = p.Request;
            j.WriteStartObject();
            JsonOut.Model(j, r.Model);

            JsonOut.Patient(j, r.Patient);

            JsonOut.Regimen(j, r.Regimen);

            JsonOut.Grid(j, r.Until, r.Step);

            if (r.EffectSite is { } ke0)
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

            j.WriteStartObject("series");
            WriteArray(j, "time_min", p.Result.Times);
            foreach (var s in p.Series)
            {
                WriteArray(j, s.Column, s.NgPerMl);
            }

            if (p.Relief is { } relief)
            {
                WriteArray(j, "relief_fraction", relief);
            }

            j.WriteEndObject();

            j.WriteNumber("threshold_ng_ml", p.Threshold.NanogramsPerMilliliter);
            j.WriteStartObject("metrics");
            foreach (var s in p.Series)
            {
                j.WriteStartObject(s.Key);
                j.WriteNumber("cmax_ng_ml", s.Metrics.Cmax.NanogramsPerMilliliter);
                j.WriteNumber("tmax_min", s.Metrics.Tmax.Minutes);
                j.WriteNumber("auc_ng_h_per_ml", s.Metrics.AucNgHoursPerMl);
                JsonOut.Nullable(j, "time_above_threshold_min", s.TimeAbove?.Minutes);
                j.WriteEndObject();
            }

            j.WriteEndObject();

            var b = p.Balance;
            j.WriteStartObject("balance");
            j.WriteNumber("administered_mg", b.AdministeredMg);
            j.WriteNumber("entered_mg", b.EnteredMg);
            j.WriteNumber("in_body_mg", b.InBodyMg);
            j.WriteNumber("eliminated_mg", b.EliminatedMg);
            j.WriteNumber("relative_error", b.RelativeError);
            j.WriteEndObject();

            j.WriteStartArray("warnings");
            foreach (var warning in p.Result.Warnings)
            {
                j.WriteStringValue(warning.Message);
            }

            j.WriteEndArray();
            j.WriteEndObject();
        });
    }

    private static void WriteArray(Utf8JsonWriter j, string name, IEnumerable<double> values)
    {
        j.WriteStartArray(name);
        foreach (var v in values)
        {
            j.WriteNumberValue(v);
        }

        j.WriteEndArray();
    }

}
