using System.Globalization;
using KetaCare.Clinic;
using KetaCare.Clinic.Dosing;
using KetaCare.Clinic.Protocols;
using KetaCare.Clinic.Services;
using KetaCare.Interop.Text;
using KetaCare.Pharmacology.Models;
using KetaCare.Pharmacology.Units;
using KetaCare.Web.Infrastructure;
using Microsoft.Extensions.Localization;
using RouteOfAdministration = KetaCare.Pharmacology.Models.Route;

namespace KetaCare.Web.Pages.Admin;

/// <summary>
/// The fields of the protocol editor as typed (numbers in the user's decimal separator, parsed with
/// <see cref="WebNumber"/>), to and from a <see cref="Protocol"/>. The clinical checks (hard limits, ranges) are
/// <see cref="ProtocolService.Validate"/>'s; this only turns text into a protocol, naming the field that is not one.
/// </summary>
public sealed class ProtocolForm
{
    /// <summary>Dose units offered, as written in <see cref="DoseLevel"/>.</summary>
    public static IReadOnlyList<string> Units { get; } = ["mg/kg/h", "mg/kg", "mg"];

    /// <summary>Routes offered, by their codes.</summary>
    public static IReadOnlyList<RouteOfAdministration> RouteChoices { get; } = Enum.GetValues<RouteOfAdministration>();

    public string Id { get; set; } = string.Empty;

    public string Name { get; set; } = string.Empty;

    public string Route { get; set; } = "iv";

    public string Unit { get; set; } = "mg/kg/h";

    public string Start { get; set; } = string.Empty;

    public string Step { get; set; } = string.Empty;

    public string Ceiling { get; set; } = string.Empty;

    public string DurationMinutes { get; set; } = string.Empty;

    public string IntervalDays { get; set; } = string.Empty;

    public string Sessions { get; set; } = string.Empty;

    public string MaxRateMgPerHour { get; set; } = string.Empty;

    /// <summary>The weight per-kg doses use: Actual, Ideal or Adjusted (<see cref="DosingWeightRule"/>).</summary>
    public string DosingWeight { get; set; } = nameof(DosingWeightRule.Actual);

    /// <summary>The oldest a dosing weight may be, days; empty for the default.</summary>
    public string WeightValidDays { get; set; } = string.Empty;

    /// <summary>The shortest fast before a session, hours; empty for the default.</summary>
    public string MinimumFastingHours { get; set; } = string.Empty;

    /// <summary>The free-text premedication of protocols stored before structured orders: shown, never edited; kept as it was.</summary>
    public string Premedication { get; set; } = string.Empty;

    /// <summary>The premedication and rescue orders as typed, one row each; a row without a drug is no order (how one is removed).</summary>
    public List<OrderRow> Orders { get; set; } = [];

    public string HoldStopRules { get; set; } = string.Empty;

    /// <summary>One source a line: "section | reference | P, S, U or assumption"; a line with the reference alone is an assumption.</summary>
    public string Sources { get; set; } = string.Empty;

    public bool ClinicDefinedExample { get; set; }

    public string Reason { get; set; } = string.Empty;

    /// <summary>The form filled from a stored protocol (numbers in the user's culture).</summary>
    public static ProtocolForm From(Protocol p)
    {
        ArgumentNullException.ThrowIfNull(p);
        return new ProtocolForm
        {
            Id = p.Id,
            Name = p.Name,
            Route = p.Route.Code(),
            Unit = UnitOf(p.Ceiling.Basis),
            Start = WebNumber.Show(p.Start.Value, 6),
            Step = WebNumber.Show(p.Step.Value, 6),
            Ceiling = WebNumber.Show(p.Ceiling.Value, 6),
            DurationMinutes = p.InfusionDuration is { } d ? WebNumber.Show(d.Minutes, 6) : string.Empty,
            IntervalDays = p.IntervalDays.ToString(CultureInfo.InvariantCulture),
            Sessions = p.NumberOfSessions.ToString(CultureInfo.InvariantCulture),
            MaxRateMgPerHour = p.MaxRateMgPerHour is { } mgh ? WebNumber.Show(mgh, 6) : string.Empty,
            DosingWeight = p.DosingWeight.ToString(),
            WeightValidDays = p.WeightValidDays is { } days ? days.ToString(CultureInfo.InvariantCulture) : string.Empty,
            MinimumFastingHours = p.MinimumFastingHours is { } hours ? WebNumber.Show(hours, 6) : string.Empty,
            Premedication = p.Premedication,
            Orders = [.. p.AncillaryOrders.Select(OrderRow.From), .. BlankOrders()],
            HoldStopRules = string.Join("\n", p.HoldStopRules),
            Sources = string.Join("\n", p.Sources.Select(SourceLine)),
            ClinicDefinedExample = p.IsClinicDefinedExample,
        };
    }

    /// <summary>"mg/kg/h", "mg/kg" or "mg".</summary>
    public static string UnitOf(DoseBasis basis) => basis switch
    {
        DoseBasis.MgPerKgPerHour => "mg/kg/h",
        DoseBasis.MgPerKg => "mg/kg",
        _ => "mg",
    };

    /// <summary>A source as one editable line.</summary>
    public static string SourceLine(Source s)
    {
        ArgumentNullException.ThrowIfNull(s);
        var tag = s.Certainty switch
        {
            Certainty.Primary => "P",
            Certainty.Secondary => "S",
            Certainty.Unverified => "U",
            _ => "assumption",
        };
        return $"{s.Section} | {s.Reference} | {tag}";
    }

    /// <summary>
    /// The protocol the form describes, as version <paramref name="version"/>, keeping <paramref name="basis"/>'s
    /// titration rules (the defaults for a new protocol); or the first field that is not readable.
    /// </summary>
    public Outcome<Protocol> ToProtocol(int version, Protocol? basis)
    {
        var route = Routes.Parse(Route, "route");
        if (!route.IsSuccess)
        {
            return Refusal.From(route);
        }

        DoseBasis? unit = Unit switch
        {
            "mg/kg/h" => DoseBasis.MgPerKgPerHour,
            "mg/kg" => DoseBasis.MgPerKg,
            "mg" => DoseBasis.Milligrams,
            _ => null,
        };
        if (unit is null)
        {
            return new Refusal(Texts["{0}: \"{1}\" is not a protocol dose unit; use mg/kg/h, mg/kg or mg.", Field("unit"), Unit ?? string.Empty]);
        }

        if (!Number(Start, "start", 0, PlausibilityLimits.MaxDoseMg, out var start, out var error)
            || !Number(Step, "step", 0, PlausibilityLimits.MaxDoseMg, out var step, out error)
            || !Number(Ceiling, "ceiling", 0, PlausibilityLimits.MaxDoseMg, out var ceiling, out error)
            || !WebNumber.TryParseWhole(IntervalDays, Field("interval (days)"), 0, ProtocolService.MaxIntervalDays, out var interval, out error)
            || !WebNumber.TryParseWhole(Sessions, Field("sessions"), 1, ProtocolService.MaxSessions, out var sessions, out error))
        {
            return new Refusal(error!);
        }

        Duration? duration = null;
        if (unit == DoseBasis.MgPerKgPerHour)
        {
            if (!Number(DurationMinutes, "duration (min)", 1, 24 * 60, out var minutes, out error))
            {
                return new Refusal(error!);
            }

            duration = Duration.FromMinutes(minutes);
        }

        double? maxRate = null;
        if (!string.IsNullOrWhiteSpace(MaxRateMgPerHour))
        {
            if (!Number(MaxRateMgPerHour, "maximum rate (mg/h)", 0, PlausibilityLimits.MaxRateMgPerHour, out var mgh, out error))
            {
                return new Refusal(error!);
            }

            maxRate = mgh;
        }

        if (!Enum.TryParse<DosingWeightRule>(DosingWeight, ignoreCase: false, out var dosingWeight) || !Enum.IsDefined(dosingWeight) || int.TryParse(DosingWeight, CultureInfo.InvariantCulture, out _))
        {
            return new Refusal(Texts["{0}: \"{1}\" is not one of {2}.", Field("dosing weight"), DosingWeight ?? string.Empty, string.Join(", ", Enum.GetNames<DosingWeightRule>())]);
        }

        int? weightDays = null;
        if (!string.IsNullOrWhiteSpace(WeightValidDays))
        {
            if (!WebNumber.TryParseWhole(WeightValidDays, "weight valid for (days)", Protocol.MinWeightValidDays, Protocol.MaxWeightValidDays, out var days, out error))
            {
                return new Refusal(error!);
            }

            weightDays = days;
        }

        double? fastingHours = null;
        if (!string.IsNullOrWhiteSpace(MinimumFastingHours))
        {
            if (!Number(MinimumFastingHours, "minimum fast (h)", 0, Protocol.MaxFastingHours, out var hours, out error))
            {
                return new Refusal(error!);
            }

            fastingHours = hours;
        }

        var sources = ParseSources(Sources);
        if (!sources.IsSuccess)
        {
            return sources.Refusal;
        }

        var orders = new List<AncillaryOrder>();
        for (var i = 0; i < Orders.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(Orders[i].Drug))
            {
                continue;
            }

            var order = Orders[i].ToOrder(orders.Count + 1);
            if (!order.IsSuccess)
            {
                return order.Refusal;
            }

            orders.Add(order.Value);
        }

        DoseLevel Level(double v) => unit switch
        {
            DoseBasis.MgPerKgPerHour => DoseLevel.MgPerKgPerHour(v),
            DoseBasis.MgPerKg => DoseLevel.MgPerKg(v),
            _ => DoseLevel.Milligrams(v),
        };

        return Outcome<Protocol>.Ok(new Protocol
        {
            Id = Id.Trim(),
            Version = version,
            Name = Name.Trim(),
            Route = route.Value,
            Start = Level(start),
            Step = Level(step),
            Ceiling = Level(ceiling),
            InfusionDuration = duration,
            IntervalDays = interval,
            NumberOfSessions = sessions,
            MaxRateMgPerHour = maxRate,
            DosingWeight = dosingWeight,
            WeightValidDays = weightDays,
            MinimumFastingHours = fastingHours,

            // Settings this form does not show stay as the protocol had them.
            MinimumAgeYears = basis?.MinimumAgeYears,
            // A protocol stored before structured orders keeps having none until an order is added.
            Orders = orders.Count == 0 && basis is { Orders: null } ? null : orders,
            VitalsWindowMinutes = basis?.VitalsWindowMinutes,
            MinimumObservationMinutes = basis?.MinimumObservationMinutes,
            HoldStopRules = Lines(HoldStopRules),
            Premedication = basis?.Premedication ?? "None specified.",
            Titration = basis?.Titration ?? TitrationRules.Default,
            Sources = sources.Value,
            IsClinicDefinedExample = ClinicDefinedExample,
        });
    }

    /// <summary>Empty order rows offered below the protocol's orders, for adding new ones.</summary>
    public static IEnumerable<OrderRow> BlankOrders() => [new OrderRow(), new OrderRow()];

    private static Outcome<IReadOnlyList<Source>> ParseSources(string text)
    {
        var list = new List<Source>();
        foreach (var line in Lines(text))
        {
            var parts = line.Split('|').Select(p => p.Trim()).ToArray();
            if (parts.Length == 1)
            {
                list.Add(Source.Assumption(parts[0]));
                continue;
            }

            if (parts.Length != 3 || parts.Any(p => p.Length == 0))
            {
                return new Refusal(Texts["{0}: \"{1}\" is not \"{2}\" (or a reference alone, taken as an assumption).", Field("sources"), line, "section | reference | P, S, U or assumption"]);
            }

            Certainty? certainty = parts[2].ToUpperInvariant() switch
            {
                "P" => Certainty.Primary,
                "S" => Certainty.Secondary,
                "U" => Certainty.Unverified,
                "ASSUMPTION" or "ASSUMPTION, CONFIGURABLE" => Certainty.Assumption,
                _ => null,
            };
            if (certainty is null)
            {
                return new Refusal(Texts["{0}: \"{1}\" in \"{2}\" is not a certainty; use P (primary), S (secondary), U (unverified) or assumption.", Field("sources"), parts[2], line]);
            }

            list.Add(new Source(parts[0], parts[1], certainty.Value));
        }

        return Outcome<IReadOnlyList<Source>>.Ok(list);
    }

    private static string[] Lines(string? text) =>
        (text ?? string.Empty).Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToArray();

    // The form speaks the reader's language: its own refusals and its field names are translated here.
    private static IStringLocalizer Texts => Strings.For(CultureInfo.CurrentUICulture);

    private static string Field(string field) => FindingText.Field(field, CultureInfo.CurrentUICulture);

    private static bool Number(string text, string field, double min, double max, out double value, out string? error) =>
        WebNumber.TryParse(text, Field(field), min, max, out value, out error);

    /// <summary>
    /// One premedication or rescue order as typed: drug and purpose by their names, route by its code, dose and maximum
    /// per session in mg in the user's decimal separator. Only turns text into an order; the drug library's limits are
    /// <see cref="AncillaryDrugs.CheckProtocolOrders"/>'s.
    /// </summary>
    public sealed class OrderRow
    {
        /// <summary>Drugs offered.</summary>
        public static IReadOnlyList<AncillaryDrug> DrugChoices { get; } = Enum.GetValues<AncillaryDrug>();

        /// <summary>Purposes offered.</summary>
        public static IReadOnlyList<OrderPurpose> PurposeChoices { get; } = Enum.GetValues<OrderPurpose>();

        /// <summary>Routes offered for orders: the ones the default drug library allows for any ancillary drug.</summary>
        public static IReadOnlyList<RouteOfAdministration> RouteChoices { get; } = [RouteOfAdministration.Intravenous, RouteOfAdministration.Oral, RouteOfAdministration.Intramuscular, RouteOfAdministration.Sublingual];

        public string Drug { get; set; } = string.Empty;

        public string Purpose { get; set; } = nameof(OrderPurpose.Premedication);

        public string Route { get; set; } = "iv";

        public string Dose { get; set; } = string.Empty;

        public string MaxPerSession { get; set; } = string.Empty;

        /// <summary>The row of a stored order.</summary>
        public static OrderRow From(AncillaryOrder o)
        {
            ArgumentNullException.ThrowIfNull(o);
            return new OrderRow
            {
                Drug = o.Drug.ToString(),
                Purpose = o.Purpose.ToString(),
                Route = o.Route.Code(),
                Dose = WebNumber.Show(o.DoseMg, 6),
                MaxPerSession = o.MaxSessionMg is { } max ? WebNumber.Show(max, 6) : string.Empty,
            };
        }

        /// <summary>The order the row describes, as order number <paramref name="number"/>; or the first field that is not readable.</summary>
        public Outcome<AncillaryOrder> ToOrder(int number)
        {
            var n = number.ToString(CultureInfo.InvariantCulture);
            if (!TryEnum<AncillaryDrug>(Drug, out var drug))
            {
                return new Refusal(Texts["{0}: \"{1}\" is not one of {2}.", Field("order " + n + " drug"), Drug, string.Join(", ", Enum.GetNames<AncillaryDrug>())]);
            }

            if (!TryEnum<OrderPurpose>(Purpose, out var purpose))
            {
                return new Refusal(Texts["{0}: \"{1}\" is not one of {2}.", Field("order " + n + " purpose"), Purpose, string.Join(", ", Enum.GetNames<OrderPurpose>())]);
            }

            var route = Routes.Parse(Route, "order " + n + " route");
            if (!route.IsSuccess)
            {
                return Refusal.From(route);
            }

            if (!Number(Dose, "order " + n + " dose", 0, AncillaryDrugs.MaxEnteredDoseMg, out var dose, out var error))
            {
                return new Refusal(error!);
            }

            double? max = null;
            if (!string.IsNullOrWhiteSpace(MaxPerSession))
            {
                if (!Number(MaxPerSession, "order " + n + " maximum per session", 0, AncillaryDrugs.MaxEnteredDoseMg, out var m, out error))
                {
                    return new Refusal(error!);
                }

                max = m;
            }

            return Outcome<AncillaryOrder>.Ok(new AncillaryOrder(drug, purpose, dose, route.Value, max));
        }

        // Names only: a number would bind to an enum value that is not offered.
        private static bool TryEnum<T>(string? text, out T value)
            where T : struct, Enum =>
            Enum.TryParse(text, ignoreCase: false, out value) && Enum.IsDefined(value) && !int.TryParse(text, CultureInfo.InvariantCulture, out _);
    }
}
