using System.Globalization;
using KetaCare.Pharmacology.Models;
using KetaCare.Pharmacology.Simulation;
using KetaCare.Pharmacology.Units;

namespace KetaCare.Cli.Commands;

/// <summary>
/// Option values shared by commands, parsed with the engine's invariant-culture parsers so that an error
/// names the option and says what is allowed.
/// </summary>
internal static class Inputs
{
    /// <summary>The error for an impossible choice of outputs (CSV and JSON together, a chart file that is not .png/.svg), or null.</summary>
    public static string? OutputChoice(bool csv, bool json, FileInfo? plot) =>
        csv && json ? "--csv and --json: choose one output format."
        : plot is not null && !Output.ChartFile.IsSupported(plot.Name) ? $"--plot: \"{plot.Name}\" must end in .png or .svg."
        : null;

    /// <summary>Smallest and largest ke0 accepted on the command line, 1/min (input sanity; published values are 0.06–3.8 /min).</summary>
    public const double MinKe0 = 1e-4, MaxKe0 = 100;

    /// <summary>A body weight: "70" or "70 kg"; an error names the option and the allowed range.</summary>
    public static ParseResult<BodyWeight> Weight(string text, string option)
    {
        var weight = QuantityParser.ParseBodyWeight(text, option);
        return weight.IsSuccess || weight.Error.Contains("allowed range", StringComparison.Ordinal)
            ? weight
            : ParseResult<BodyWeight>.Fail(string.Create(CultureInfo.InvariantCulture, $"{weight.Error} Allowed range: {BodyWeight.MinKilograms}–{BodyWeight.MaxKilograms} kg."));
    }

    public static ParseResult<double?> OptionalNumber(string? text, string option, double min, double max, string unit)
    {
        if (text is null)
        {
            return ParseResult<double?>.Ok(null);
        }

        var n = QuantityParser.ParseNumber(text, option);
        if (!n.IsSuccess)
        {
            return ParseResult<double?>.Fail(n);
        }

        return n.Value < min || n.Value > max
            ? ParseResult<double?>.Fail(string.Create(CultureInfo.InvariantCulture, $"{option}: {Format.N(n.Value)} {unit} is outside the allowed range {Format.N(min)}–{Format.N(max)} {unit}."))
            : ParseResult<double?>.Ok(n.Value);
    }

    public static ParseResult<Sex?> Sex(string? text, string option) => text?.Trim().ToLowerInvariant() switch
    {
        null => ParseResult<Sex?>.Ok(null),
        "f" or "female" => ParseResult<Sex?>.Ok(Pharmacology.Models.Sex.Female),
        "m" or "male" => ParseResult<Sex?>.Ok(Pharmacology.Models.Sex.Male),
        _ => ParseResult<Sex?>.Fail($"{option}: \"{text}\" is not a sex; use f or m."),
    };

    /// <summary>A positive duration ("24h", "1 min").</summary>
    public static ParseResult<Duration> PositiveDuration(string text, string option)
    {
        var d = QuantityParser.ParseDuration(text, option);
        if (!d.IsSuccess)
        {
            return d;
        }

        return d.Value.Minutes > 0 ? d : ParseResult<Duration>.Fail($"{option}: must be greater than 0, e.g. \"1 min\".");
    }

    /// <summary>
    /// An effect-site constant: an id the model offers, another known id (then labelled borrowed), or a
    /// number with a rate unit ("0.1/min", "6 /h").
    /// </summary>
    public static ParseResult<Ke0Option?> Ke0(string? text, PkModel model, string option)
    {
        if (text is null)
        {
            return ParseResult<Ke0Option?>.Ok(null);
        }

        var t = text.Trim();
        if (model.EffectSiteOptions.FirstOrDefault(k => string.Equals(k.Id, t, StringComparison.OrdinalIgnoreCase)) is { } offered)
        {
            return ParseResult<Ke0Option?>.Ok(offered);
        }

        if (EffectSites.All.FirstOrDefault(k => string.Equals(k.Id, t, StringComparison.OrdinalIgnoreCase)) is { } known)
        {
            // Not estimated with this model's PK: the simulator labels borrowed constants in its warnings.
            return ParseResult<Ke0Option?>.Ok(known with { Borrowed = true });
        }

        var slash = t.IndexOf('/', StringComparison.Ordinal);
        var ids = string.Join(", ", EffectSites.All.Select(k => k.Id));
        if (slash <= 0)
        {
            return ParseResult<Ke0Option?>.Fail($"{option}: \"{t}\" is neither a known effect-site constant ({ids}) nor a rate such as \"0.1/min\".");
        }

        var unit = t[(slash + 1)..].Trim().ToLowerInvariant();
        var perMinute = unit switch
        {
            "min" => 1.0,
            "h" => 1.0 / 60,
            "s" => 60.0,
            _ => double.NaN,
        };
        if (double.IsNaN(perMinute))
        {
            return ParseResult<Ke0Option?>.Fail($"{option}: \"{t}\": the unit must be /min, /h or /s, e.g. \"0.1/min\".");
        }

        var n = QuantityParser.ParseNumber(t[..slash], option);
        if (!n.IsSuccess)
        {
            return ParseResult<Ke0Option?>.Fail(n);
        }

        var ke0 = n.Value * perMinute;
        return ke0 is < MinKe0 or > MaxKe0
            ? ParseResult<Ke0Option?>.Fail(string.Create(CultureInfo.InvariantCulture, $"{option}: {Format.N(ke0)} /min is outside the allowed range {Format.N(MinKe0)}–{Format.N(MaxKe0)} /min."))
            : ParseResult<Ke0Option?>.Ok(EffectSites.UserSupplied(ke0));
    }

    /// <summary>
    /// The regimen of --regimen FILE and/or --dose (given by --route at --at); errors name the option.
    /// </summary>
    public static ParseResult<Pharmacology.Simulation.Regimen> Regimen(string? doseText, string routeText, string atText, FileInfo? regimenFile)
    {
        var items = new List<Administration>();
        if (regimenFile is { } file)
        {
            string text;
            try
            {
                text = File.ReadAllText(file.FullName);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return ParseResult<Pharmacology.Simulation.Regimen>.Fail($"--regimen: cannot read \"{file.FullName}\": {e.Message}");
            }

            var parsed = Pharmacology.Simulation.Regimen.ParseJson(text);
            if (!parsed.IsSuccess)
            {
                return ParseResult<Pharmacology.Simulation.Regimen>.Fail($"--regimen ({file.Name}): {parsed.Error}");
            }

            items.AddRange(parsed.Value.Administrations);
        }

        if (doseText is not null)
        {
            var dose = DoseExpression.Parse(doseText, "--dose");
            if (!dose.IsSuccess)
            {
                return ParseResult<Pharmacology.Simulation.Regimen>.Fail(dose);
            }

            var route = Routes.Parse(routeText, "--route");
            if (!route.IsSuccess)
            {
                return ParseResult<Pharmacology.Simulation.Regimen>.Fail(route);
            }

            var at = QuantityParser.ParseDuration(atText, "--at");
            if (!at.IsSuccess)
            {
                return ParseResult<Pharmacology.Simulation.Regimen>.Fail(at);
            }

            items.Add(new Administration(at.Value, dose.Value, route.Value));
        }

        return items.Count == 0
            ? ParseResult<Pharmacology.Simulation.Regimen>.Fail("--dose: a dose is required (or --regimen FILE), e.g. --dose \"0.5 mg/kg over 60 min\".")
            : ParseResult<Pharmacology.Simulation.Regimen>.Ok(new Pharmacology.Simulation.Regimen(items));
    }
}
