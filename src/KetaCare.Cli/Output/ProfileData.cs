using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using KetaCare.Pharmacology.Models;

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
        using var stream = new MemoryStream();
        using (var j = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            var r = p.Request;
            j.WriteStartObject();
            j.WriteStartObject("model");
            j.WriteString("id", r.Model.Id);
            j.WriteString("title", r.Model.Title);
            j.WriteString("citation", r.Model.Citation);
            j.WriteEndObject();

            j.WriteStartObject("patient");
            j.WriteNumber("weight_kg", r.Patient.Weight.Kilograms);
            WriteNullable(j, "age_years", r.Patient.AgeYears);
            if (r.Patient.Sex is { } sex)
            {
                j.WriteString("sex", sex == Sex.Female ? "f" : "m");
            }
            else
            {
                j.WriteNull("sex");
            }

            WriteNullable(j, "height_cm", r.Patient.HeightCm);
            j.WriteEndObject();

            j.WriteStartArray("regimen");
            foreach (var a in r.Regimen.Administrations)
            {
                j.WriteStartObject();
                j.WriteNumber("at_min", a.Start.Minutes);
                j.WriteString("dose", a.Dose.Text);
                j.WriteString("route", a.Route.Code());
                j.WriteEndObject();
            }

            j.WriteEndArray();

            j.WriteStartObject("grid");
            j.WriteNumber("until_min", r.Until.Minutes);
            j.WriteNumber("step_min", r.Step.Minutes);
            j.WriteEndObject();

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
                WriteNullable(j, "time_above_threshold_min", s.TimeAbove?.Minutes);
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
                j.WriteStringValue(warning);
            }

            j.WriteEndArray();
            j.WriteEndObject();
        }

        w.WriteLine(Encoding.UTF8.GetString(stream.ToArray()));
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

    private static void WriteNullable(Utf8JsonWriter j, string name, double? value)
    {
        if (value is { } v)
        {
            j.WriteNumber(name, v);
        }
        else
        {
            j.WriteNull(name);
        }
    }
}
