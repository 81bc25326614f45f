using KetaCare.Clinic.Dosing;
using KetaCare.Clinic.Findings;
using KetaCare.Pharmacology.Models;
using KetaCare.Pharmacology.Units;

namespace KetaCare.Clinic.Protocols;

/// <summary>
/// The protocol library shipped with KetaCare (version <see cref="Version"/>). A clinic edits it as data; the
/// built-in protocols below cite the clinical reference for every published number and label every other as an assumption.
/// </summary>
public sealed class ProtocolLibrary
{
    /// <summary>Creates a library from protocols (each must validate).</summary>
    public ProtocolLibrary(string version, IEnumerable<Protocol> protocols)
    {
        ArgumentNullException.ThrowIfNull(protocols);
        Version = Guard.NotBlank(version);
        Protocols = [.. protocols];
        foreach (var p in Protocols)
        {
            var v = p.Validate();
            if (!v.IsSuccess)
            {
                throw new ArgumentException(v.Error, nameof(protocols));
            }
        }
    }

    /// <summary>Library version.</summary>
    public string Version { get; }

    /// <summary>All protocols (every version).</summary>
    public IReadOnlyList<Protocol> Protocols { get; }

    /// <summary>Finds a protocol by id and version (latest when null).</summary>
    public Outcome<Protocol> Find(string id, int? version = null)
    {
        var p = Protocols.Where(x => string.Equals(x.Id, id, StringComparison.Ordinal) && (version is null || x.Version == version)).MaxBy(x => x.Version);
        return p is null
            ? new Refusal(
                $"protocol: \"{id}\" is not in the library; known: {string.Join(", ", Protocols.Select(x => x.Id).Distinct())}.",
                [Finding.Refused(FindingCodes.ProtocolNotInLibrary, FindingArg.Of("field", "protocol"), FindingArg.Of("id", id), FindingArg.Of("known", string.Join(", ", Protocols.Select(x => x.Id).Distinct())))])
            : Outcome<Protocol>.Ok(p);
    }

    /// <summary>
    /// The IV protocols' orders: ondansetron 4 mg before the infusion (midazolam and ondansetron premedication, Patil and
    /// Anitescu 2012; the dose is an assumption), midazolam 1 mg for an emergence reaction and ondansetron 4 mg for nausea
    /// as rescue (doses are assumptions under the drug library's limits).
    /// </summary>
    private static IReadOnlyList<AncillaryOrder> OutpatientOrders =>
    [
        new(AncillaryDrug.Ondansetron, OrderPurpose.Premedication, 4, Route.Intravenous),
        new(AncillaryDrug.Midazolam, OrderPurpose.Rescue, 1, Route.Intravenous),
        new(AncillaryDrug.Ondansetron, OrderPurpose.Rescue, 4, Route.Intravenous),
    ];

    private static readonly Source Seed = new("clinical-reference: Published regimens (outpatient-scheme)", "Outpatient scheme of the clinic requirements: 0.5–2 mg/kg over 1 h, start low, raise over sessions", Certainty.Unverified);

    /// <summary>The clinics' outpatient scheme: IV 0.5 → 2 mg/kg over 1 h, rising over sessions.</summary>
    public static Protocol SeedOutpatient { get; } = new()
    {
        Id = "outpatient-seed",
        Version = 1,
        Name = "Outpatient IV 0.5 → 2 mg/kg over 1 h",
        Route = Route.Intravenous,
        Start = DoseLevel.MgPerKgPerHour(0.5),
        Step = DoseLevel.MgPerKgPerHour(0.25),
        Ceiling = DoseLevel.MgPerKgPerHour(2),
        InfusionDuration = Duration.FromHours(1),
        IntervalDays = 7,
        NumberOfSessions = 6,
        HoldStopRules =
        [
            "Pause for vital-sign alerts (hypertension, tachycardia); stop for desaturation or deep sedation (alert thresholds).",
            "Do not escalate after a moderate adverse event; reduce after a severe one (titration rules).",
        ],
        Premedication = "None by default. Midazolam + ondansetron premedication has been used (Patil & Anitescu 2012).",
        Orders = OutpatientOrders,
        Sources =
        [
            Seed,
            Source.Cohen2018,
            Source.Assumption("step 0.25 mg/kg per session, weekly interval and 6 sessions are clinic settings: the outpatient scheme says only 'start low, raise over sessions'"),
        ],
    };

    /// <summary>Schwartzman 2009 (CRPS): 4 h/day × 10 days, ≤ 0.35 mg/kg/h and ≤ 25 mg/h.</summary>
    public static Protocol Schwartzman2009 { get; } = new()
    {
        Id = "schwartzman2009",
        Version = 1,
        Name = "Schwartzman 2009: 4 h daily × 10 days",
        Route = Route.Intravenous,
        Start = DoseLevel.MgPerKgPerHour(0.35),
        Step = DoseLevel.MgPerKgPerHour(0),
        Ceiling = DoseLevel.MgPerKgPerHour(0.35),
        InfusionDuration = Duration.FromHours(4),
        IntervalDays = 1,
        NumberOfSessions = 10,
        MaxRateMgPerHour = 25,
        HoldStopRules = ["Never above 0.35 mg/kg/h or 25 mg/h (whichever is lower)."],
        Premedication = "Midazolam 2 mg ×2 and clonidine 0.1 mg (Schwartzman 2009).",

        // The paper's second midazolam dose is a repeat of the same order; clonidine's route is not in the clinical
        // reference: oral is assumed.
        Orders =
        [
            new(AncillaryDrug.Midazolam, OrderPurpose.Premedication, 2, Route.Intravenous),
            new(AncillaryDrug.Clonidine, OrderPurpose.Premedication, 0.1, Route.Oral),
        ],
        Sources =
        [
            new("clinical-reference: Published regimens (schwartzman2009)", "Schwartzman RJ et al., Pain 2009: 4 h/day × 10 days, max 0.35 mg/kg/h and ≤ 25 mg/h", Certainty.Primary),
            Source.Assumption("start at the published maximum with no step; a clinic may start lower"),
        ],
    };

    /// <summary>Rema 2012 (neuropathic pain): daily escalation 0.2 → 0.4 → 0.6 mg/kg/h, 4 h each.</summary>
    public static Protocol Rema2012 { get; } = new()
    {
        Id = "rema2012",
        Version = 1,
        Name = "Rema 2012: 0.2 → 0.4 → 0.6 mg/kg/h, 4 h daily",
        Route = Route.Intravenous,
        Start = DoseLevel.MgPerKgPerHour(0.2),
        Step = DoseLevel.MgPerKgPerHour(0.2),
        Ceiling = DoseLevel.MgPerKgPerHour(0.6),
        InfusionDuration = Duration.FromHours(4),
        IntervalDays = 1,
        NumberOfSessions = 3,
        HoldStopRules = ["Escalate one level per day unless a titration hold rule applies."],
        Orders = OutpatientOrders,
        Sources = [new("clinical-reference: Published regimens (rema2012)", "Rema 2012 (abstract): daily escalation 0.2 → 0.4 → 0.6 mg/kg/h, 4 h each", Certainty.Primary)],
    };

    /// <summary>Clinic-defined example of an IM protocol (configurable; not a guideline).</summary>
    public static Protocol ClinicIntramuscular { get; } = new()
    {
        Id = "clinic-im-example",
        Version = 1,
        Name = "IM injection (clinic-defined example)",
        Route = Route.Intramuscular,
        Start = DoseLevel.MgPerKg(0.1),
        Step = DoseLevel.MgPerKg(0.05),
        Ceiling = DoseLevel.MgPerKg(0.35),
        IntervalDays = 7,
        NumberOfSessions = 6,
        HoldStopRules = ["Observe at least through the expected peak (≈ 20 min after IM, Clements 1982 [U]) and until discharge criteria are met."],
        IsClinicDefinedExample = true,
        Sources =
        [
            new("clinical-reference: Routes and bioavailability (clements1982)", "IM: F ≈ 0.93, Cmax ≈ 20 min (Clements 1982)", Certainty.Unverified),
            new("clinical-reference: Consensus guideline (cohen2018)", "Ceiling anchored on Cohen 2018's bolus limit ≤ 0.35 mg/kg (an IV figure applied to IM by the clinic)", Certainty.Secondary),
            Source.Assumption("clinic-defined example: start 0.1 mg/kg, step 0.05 mg/kg, weekly × 6; no guideline defines an IM pain protocol"),
        ],
    };

    /// <summary>Clinic-defined example of an intranasal protocol (configurable; not a guideline).</summary>
    public static Protocol ClinicIntranasal { get; } = new()
    {
        Id = "clinic-in-example",
        Version = 1,
        Name = "Intranasal racemic ketamine (clinic-defined example)",
        Route = Route.Intranasal,
        Start = DoseLevel.Milligrams(10),
        Step = DoseLevel.Milligrams(10),
        Ceiling = DoseLevel.Milligrams(50),
        IntervalDays = 7,
        NumberOfSessions = 6,
        HoldStopRules = ["Observe for at least 2 h after dosing (borrowed from the esketamine nasal spray REMS)."],
        IsClinicDefinedExample = true,
        Sources =
        [
            new("clinical-reference: Routes and bioavailability (yanagihara2003, intranasal2022)", "Intranasal racemic F ≈ 0.45 (Yanagihara 2003, n = 3); 0.11–0.17 at 10–50 mg (Pharmacotherapy 2022;42:298)", Certainty.Primary),
            new("clinical-reference: Regulatory status (spravato-label)", "Esketamine nasal spray: REMS, ≥ 2 h observation", Certainty.Primary),
            Source.Assumption("clinic-defined example: 10 → 50 mg in 10-mg steps spans the dose range of the 2022 bioavailability study, not an efficacy study; weekly × 6"),
        ],
    };

    // Declared last: static initialisers run in text order and this one reads the protocols above.

    /// <summary>The built-in protocol library, written to a database that lacks its versions.</summary>
    public static ProtocolLibrary Default { get; } = new("protocols-2026.1", [SeedOutpatient, Schwartzman2009, Rema2012, ClinicIntramuscular, ClinicIntranasal]);
}
