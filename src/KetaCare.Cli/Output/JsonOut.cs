using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using KetaCare.Pharmacology.Models;
using KetaCare.Pharmacology.Simulation;
using KetaCare.Pharmacology.Units;

namespace KetaCare.Cli.Output;

/// <summary>The JSON documents of the report commands: one writer set-up and the blocks they share.</summary>
internal static class JsonOut
{
    /// <summary>Writes one indented JSON document (non-ASCII text such as "µg" and "–" kept readable) and a newline.</summary>
    public static void Write(TextWriter w, Action<Utf8JsonWriter> body)
    {
        using var stream = new MemoryStream();
        using (var j = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            body(j);
        }

        w.WriteLine(Encoding.UTF8.GetString(stream.ToArray()));
    }

    /// <summary>"model": id, title, citation.</summary>
    public static void Model(Utf8JsonWriter j, PkModel model)
    {
        j.WriteStartObject("model");
        j.WriteString("id", model.Id);
        j.WriteString("title", model.Title);
        j.WriteString("citation", model.Citation);
        j.WriteEndObject();
    }

    /// <summary>"patient": weight, age, sex, height (null where not given).</summary>
    public static void Patient(Utf8JsonWriter j, Covariates patient)
    {
        j.WriteStartObject("patient");
        j.WriteNumber("weight_kg", patient.Weight.Kilograms);
        Nullable(j, "age_years", patient.AgeYears);
        if (patient.Sex is { } sex)
        {
            j.WriteString("sex", sex == Sex.Female ? "f" : "m");
        }
        else
        {
            j.WriteNull("sex");
        }

        Nullable(j, "height_cm", patient.HeightCm);
        j.WriteEndObject();
    }

    /// <summary>"regimen": the administrations as written.</summary>
    public static void Regimen(Utf8JsonWriter j, Regimen regimen)
    {
        j.WriteStartArray("regimen");
        foreach (var a in regimen.Administrations)
        {
            j.WriteStartObject();
            j.WriteNumber("at_min", a.Start.Minutes);
            j.WriteString("dose", a.Dose.Text);
            j.WriteString("route", a.Route.Code());
            j.WriteEndObject();
        }

        j.WriteEndArray();
    }

    /// <summary>"grid": until and step in minutes.</summary>
    public static void Grid(Utf8JsonWriter j, Duration until, Duration step)
    {
        j.WriteStartObject("grid");
        j.WriteNumber("until_min", until.Minutes);
        j.WriteNumber("step_min", step.Minutes);
        j.WriteEndObject();
    }

    /// <summary>A number, or null when there is none.</summary>
    public static void Nullable(Utf8JsonWriter j, string name, double? value)
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
