using System.Text;
using System.Text.Json;
using KetaCare.Pharmacology.Tci;
using KetaCare.Pharmacology.Units;

namespace KetaCare.Cli.Output;

/// <summary>CSV (the fine schedule) and JSON (everything) of a TCI plan: invariant culture, round-trip numbers.</summary>
internal static class TciData
{
    public const string CsvHeader = "start_s,end_s,rate_mg_h,rate_ml_h,plasma_ng_ml,effect_ng_ml";

    /// <summary>
    /// One line per update period of the joined plan (a period cut by a re-plan ends at the change); the effect
    /// cell is empty when the plan has no effect site.
    /// </summary>
    public static void WriteCsv(TextWriter w, TciSession session)
    {
        w.WriteLine(CsvHeader);
        var line = new StringBuilder();
        foreach (var s in session.Steps)
        {
            line.Clear()
                .Append(Format.Data(Seconds(s.Start))).Append(',')
                .Append(Format.Data(Seconds(s.End))).Append(',')
                .Append(Format.Data(s.Rate.MilligramsPerHour)).Append(',')
                .Append(Format.Data(s.PumpRate.MillilitersPerHour)).Append(',')
                .Append(Format.Data(s.PlasmaAtEnd.NanogramsPerMilliliter)).Append(',')
                .Append(s.EffectAtEnd is { } e ? Format.Data(e.NanogramsPerMilliliter) : string.Empty);
            w.WriteLine(line.ToString());
        }
    }

    /// <summary>
    /// Everything: model, patient and settings at the start, the segments (one without re-planning; each with its
    /// target, weight, start state and manual steps), the combined summary, the joined fine steps and the warnings.
    /// A plan without re-planning also has its manual steps at the top level.
    /// </summary>
    public static void WriteJson(TextWriter w, TciSession session)
    {
        var v = session.First;
        JsonOut.Write(w, j =>
        {
            var plan = v.Plan;
            var s = plan.Settings;
            j.WriteStartObject();
            JsonOut.Model(j, v.Model);

            JsonOut.Patient(j, v.Patient);

            j.WriteStartObject("settings");
            j.WriteNumber("target_ng_ml", s.Target.NanogramsPerMilliliter);
            j.WriteString("site", s.Site == TciSite.EffectSite ? "effect" : "plasma");
            j.WriteNumber("duration_min", s.Duration.Minutes);
            j.WriteNumber("update_period_s", s.UpdatePeriod.Seconds);
            j.WriteNumber("concentration_mg_ml", s.Concentration.MilligramsPerMilliliter);
            j.WriteNumber("max_rate_ml_h", s.MaxRate.MillilitersPerHour);
            JsonOut.Nullable(j, "max_plasma_ng_ml", s.MaxPlasma?.NanogramsPerMilliliter);
            JsonOut.Nullable(j, "max_rate_per_kg_mg_kg_h", s.MaxRatePerKg?.MilligramsPerKilogramPerHour);
            j.WriteNumber("manual_steps", s.Steps);
            j.WriteNumber("manual_rate_resolution_ml_h", s.ManualRateResolution.MillilitersPerHour);
            j.WriteEndObject();

            if (v.EffectSite is { } ke0)
            {
                j.WriteStartObject("effect_site");
                j.WriteString("id", ke0.Id);
                j.WriteNumber("ke0_per_min", ke0.Ke0PerMinute);
                j.WriteString("source", ke0.Source);
                j.WriteBoolean("borrowed", ke0.Borrowed);
                j.WriteBoolean("model_default", v.DefaultKe0);
                j.WriteEndObject();
            }
            else
            {
                j.WriteNull("effect_site");
            }

            j.WriteStartObject("summary");
            j.WriteNumber("start_min", plan.Start.Minutes);
            j.WriteNumber("end_min", session.End.Minutes);
            JsonOut.Nullable(j, "time_to_target_min", plan.TimeToTarget?.Minutes);
            JsonOut.Nullable(j, "handoff_min", plan.HandoffTime?.Minutes);
            j.WriteNumber("total_mg", session.TotalAmount.Milligrams);
            j.WriteNumber("total_ml", session.Replanned ? session.TotalAmount.Milligrams / s.Concentration.MilligramsPerMilliliter : plan.TotalVolume?.Milliliters ?? 0);
            j.WriteNumber("peak_plasma_ng_ml", session.PeakPlasma.NanogramsPerMilliliter);
            j.WriteNumber("peak_plasma_min", session.PeakPlasmaTime.Minutes);
            JsonOut.Nullable(j, "peak_effect_ng_ml", session.PeakEffect?.NanogramsPerMilliliter);
            j.WriteEndObject();

            j.WriteStartArray("segments");
            foreach (var seg in session.Segments)
            {
                j.WriteStartObject();
                j.WriteNumber("segment", seg.Number);
                j.WriteString("change", seg.Reason);
                j.WriteNumber("start_min", seg.Start.Minutes);
                j.WriteNumber("end_min", seg.End.Minutes);
                j.WriteNumber("target_ng_ml", seg.Target.NanogramsPerMilliliter);
                j.WriteNumber("weight_kg", seg.Weight.Kilograms);
                JsonOut.Nullable(j, "max_plasma_ng_ml", seg.View.Plan.Settings.MaxPlasma?.NanogramsPerMilliliter);
                j.WriteNumber("plasma_at_start_ng_ml", seg.PlasmaAtStart.NanogramsPerMilliliter);
                JsonOut.Nullable(j, "effect_at_start_ng_ml", seg.EffectAtStart?.NanogramsPerMilliliter);
                JsonOut.Nullable(j, "time_to_target_min", seg.View.Plan.TimeToTarget?.Minutes);
                JsonOut.Nullable(j, "handoff_min", seg.View.Plan.HandoffTime?.Minutes);
                if (seg.View.Plan.Manual is { } segmentManual)
                {
                    WriteManual(j, seg.View, segmentManual);
                }
                else
                {
                    j.WriteNull("manual");
                }

                j.WriteEndObject();
            }

            j.WriteEndArray();

            // Re-planned, each segment has its own manual steps; otherwise they are at the top level too.
            if (!session.Replanned)
            {
                if (plan.Manual is { } manual)
                {
                    WriteManual(j, v, manual);
                }
                else
                {
                    j.WriteNull("manual");
                }
            }

            j.WriteStartArray("steps");
            foreach (var step in session.Steps)
            {
                j.WriteStartObject();
                j.WriteNumber("start_s", Seconds(step.Start));
                j.WriteNumber("end_s", Seconds(step.End));
                j.WriteNumber("rate_mg_h", step.Rate.MilligramsPerHour);
                j.WriteNumber("rate_ml_h", step.PumpRate.MillilitersPerHour);
                j.WriteNumber("plasma_ng_ml", step.PlasmaAtEnd.NanogramsPerMilliliter);
                JsonOut.Nullable(j, "effect_ng_ml", step.EffectAtEnd?.NanogramsPerMilliliter);
                j.WriteString("control", step.Control == TciControl.EffectSite ? "effect" : "plasma");
                j.WriteEndObject();
            }

            j.WriteEndArray();

            j.WriteStartArray("warnings");
            foreach (var warning in session.Warnings)
            {
                j.WriteStringValue(warning);
            }

            j.WriteEndArray();
            j.WriteEndObject();
        });
    }

    /// <summary>Seconds rounded to 1 µs: update times are whole periods, and 279.99999999999994 s is round-off of 280 s.</summary>
    public static double Seconds(Duration d) => Math.Round(d.Seconds, 6);

    private static void WriteManual(Utf8JsonWriter j, TciView v, ManualPumpSchedule manual)
    {
        j.WriteStartObject("manual");
        j.WriteNumber("boundary_spacing_min", manual.BoundarySpacing.Minutes);
        j.WriteNumber("total_mg", manual.TotalAmount.Milligrams);
        j.WriteNumber("peak_plasma_ng_ml", manual.PeakPlasma.NanogramsPerMilliliter);
        JsonOut.Nullable(j, "peak_effect_ng_ml", manual.PeakEffect?.NanogramsPerMilliliter);
        j.WriteStartArray("steps");
        foreach (var m in manual.Steps)
        {
            j.WriteStartObject();
            j.WriteNumber("start_min", m.Start.Minutes);
            j.WriteNumber("end_min", m.End.Minutes);
            j.WriteNumber("rate_ml_h", m.PumpRate.MillilitersPerHour);
            j.WriteNumber("rate_mg_h", m.Rate.MilligramsPerHour);
            j.WriteNumber("rate_mg_kg_h", v.PerKg(m.Rate));
            j.WriteNumber("amount_mg", m.Amount.Milligrams);
            j.WriteNumber("volume_ml", m.Volume?.Milliliters ?? 0);
            j.WriteNumber("tci_amount_mg", m.TciAmount.Milligrams);
            j.WriteNumber("plasma_at_end_ng_ml", m.PlasmaAtEnd.NanogramsPerMilliliter);
            JsonOut.Nullable(j, "effect_at_end_ng_ml", m.EffectAtEnd?.NanogramsPerMilliliter);
            j.WriteNumber("peak_plasma_ng_ml", m.PeakPlasma.NanogramsPerMilliliter);
            JsonOut.Nullable(j, "peak_effect_ng_ml", m.PeakEffect?.NanogramsPerMilliliter);
            j.WriteEndObject();
        }

        j.WriteEndArray();
        j.WriteEndObject();
    }

}
