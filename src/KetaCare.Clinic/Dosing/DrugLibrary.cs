using KetaCare.Clinic.Findings;
using KetaCare.Clinic.Protocols;
using KetaCare.Pharmacology.Models;
using KetaCare.Pharmacology.Units;

namespace KetaCare.Clinic.Dosing;

/// <summary>Kinds of container.</summary>
public enum ContainerKind
{
    /// <summary>A vial as supplied.</summary>
    Vial,

    /// <summary>An infusion bag prepared by the clinic.</summary>
    Bag,

    /// <summary>A syringe for a syringe driver.</summary>
    Syringe,
}

/// <summary>A ketamine preparation in the drug library.</summary>
/// <param name="Id">Stable id, e.g. "bag-1".</param>
/// <param name="Kind">Container kind.</param>
/// <param name="Concentration">Concentration.</param>
/// <param name="ContainerVolume">Volume of one container (the largest volume to be infused from it).</param>
/// <param name="RequiresDilutionForIv">True when it must not be given IV undiluted (the 100 mg/mL vial).</param>
/// <param name="Source">Where it comes from.</param>
public sealed record Preparation(string Id, ContainerKind Kind, Concentration Concentration, Volume ContainerVolume, bool RequiresDilutionForIv, Source Source)
{
    /// <summary>"Bag 1 mg/mL, 250 mL".</summary>
    public override string ToString() => $"{Kind} {SafeNumber.Format(Concentration.MilligramsPerMilliliter)} mg/mL, {ContainerVolume}";
}

/// <summary>A numeric limit with its source.</summary>
/// <param name="Value">The limit in the unit named by the property holding it.</param>
/// <param name="Source">Where the number comes from.</param>
public sealed record Limit(double Value, Source Source);

/// <summary>
/// Hard and soft dose limits of one protocol. A value above a hard limit is refused and cannot be overridden;
/// above a soft limit it needs an override with a reason. A value exactly at a limit passes. Null means no limit
/// of that kind.
/// </summary>
public sealed record DoseLimits
{
    /// <summary>Hard limit on the weight-normalised rate, mg/kg/h.</summary>
    public Limit? HardMgPerKgPerHour { get; init; }

    /// <summary>Soft limit on the weight-normalised rate, mg/kg/h.</summary>
    public Limit? SoftMgPerKgPerHour { get; init; }

    /// <summary>Hard limit on the absolute rate, mg/h.</summary>
    public Limit? HardMgPerHour { get; init; }

    /// <summary>Soft limit on the absolute rate, mg/h.</summary>
    public Limit? SoftMgPerHour { get; init; }

    /// <summary>Hard limit on a weight-based single dose (bolus or injection), mg/kg.</summary>
    public Limit? HardBolusMgPerKg { get; init; }

    /// <summary>Hard limit on a fixed single dose, mg.</summary>
    public Limit? HardSingleDoseMg { get; init; }

    /// <summary>Hard limit on the total of one session, mg, whatever the weight.</summary>
    public Limit? HardMgPerSession { get; init; }

    // The defaults here and below are built on each access (a few allocations) rather than by static initialisers: an
    // initialiser runs once per process, so a test run that swaps definitions within one process (mutation testing
    // does) would never see the change, and the rules built on these numbers would go unmeasured.
    /// <summary>
    /// Default absolute rate cap, mg/h, for infusion protocols without a published one: the 2 mg/kg/h ceiling of Cohen
    /// 2018 at a 100-kg dosing weight (an assumption a clinic can change). Without it a 200-kg patient at 2 mg/kg/h would
    /// receive 400 mg/h inside every weight-normalised limit.
    /// </summary>
    public static Limit AbsoluteRateCeiling => new(200, Source.Assumption("absolute rate cap: the 2 mg/kg/h ceiling (Cohen 2018) at a dosing weight of 100 kg; clinic-configurable"));

    /// <summary>Cohen 2018: infusion 0.5–2 mg/kg/h outside ICU settings (up to 7 only in ICU).</summary>
    public static Limit CohenInfusionCeiling => new(2.0, Source.Cohen2018);

    /// <summary>Cohen 2018: bolus ≤ 0.35 mg/kg.</summary>
    public static Limit CohenBolusCeiling => new(0.35, Source.Cohen2018);

    /// <summary>
    /// The cap on the infusion rate with raised intracranial or intraocular pressure, mg/kg/h. Cohen 2018 says "do not
    /// use, or low dose with extreme caution" without a number; the cap is the bottom of its 0.5–2 mg/kg/h infusion
    /// range (an assumption a clinic can change).
    /// </summary>
    public static Limit RaisedPressureInfusionCap => new(0.5, Source.Assumption("raised intracranial or intraocular pressure: \"low dose with extreme caution\" (Cohen 2018, Grade C) without a number; capped at 0.5 mg/kg/h, the bottom of the 0.5–2 mg/kg/h infusion range; clinic-configurable"));

    /// <summary>
    /// These limits for a patient with raised intracranial or intraocular pressure: the hard rate limit no higher than
    /// <see cref="RaisedPressureInfusionCap"/>; for single-dose protocols the hard limit no higher than the protocol's
    /// start dose, so the dose can never be titrated up. The lower limit keeps its own source.
    /// </summary>
    public DoseLimits ForRaisedPressure(Protocol protocol)
    {
        ArgumentNullException.ThrowIfNull(protocol);
        var startCap = new Limit(protocol.Start.Value, Source.Assumption($"raised intracranial or intraocular pressure: \"low dose with extreme caution\" (Cohen 2018, Grade C); {protocol.Id} is held at its start dose; clinic-configurable"));
        return protocol.Start.Basis switch
        {
            DoseBasis.MgPerKgPerHour => this with { HardMgPerKgPerHour = Lower(HardMgPerKgPerHour, RaisedPressureInfusionCap) },
            DoseBasis.MgPerKg => this with { HardBolusMgPerKg = Lower(HardBolusMgPerKg, startCap) },
            _ => this with { HardSingleDoseMg = Lower(HardSingleDoseMg, startCap) },
        };
    }

    private static Limit Lower(Limit? current, Limit cap) => current is { } c && c.Value <= cap.Value ? c : cap;

    /// <summary>
    /// The default limits for a protocol: hard rate = Cohen 2018's 2 mg/kg/h or the protocol's own published
    /// maximum when lower (Schwartzman 2009: 0.35 mg/kg/h, 25 mg/h); soft rate = the protocol's ceiling when it
    /// is below the hard limit; bolus ≤ 0.35 mg/kg (Cohen 2018); a fixed-dose protocol's ceiling is its hard limit.
    /// </summary>
    public static DoseLimits ForProtocol(Protocol protocol)
    {
        ArgumentNullException.ThrowIfNull(protocol);
        var ceilingSource = protocol.Sources[0];
        switch (protocol.Ceiling.Basis)
        {
            case DoseBasis.MgPerKgPerHour:
                var publishedMax = protocol.MaxRateMgPerHour is not null; // a protocol with its own published maxima
                var hard = publishedMax && protocol.Ceiling.Value < CohenInfusionCeiling.Value ? new Limit(protocol.Ceiling.Value, ceilingSource) : CohenInfusionCeiling;
                var rateCap = protocol.MaxRateMgPerHour is { } mgh ? new Limit(mgh, ceilingSource) : AbsoluteRateCeiling;
                var hours = protocol.InfusionDuration?.Hours ?? 1;
                return new DoseLimits
                {
                    HardMgPerKgPerHour = hard,
                    SoftMgPerKgPerHour = protocol.Ceiling.Value < hard.Value ? new Limit(protocol.Ceiling.Value, ceilingSource) : null,
                    HardMgPerHour = rateCap,
                    HardBolusMgPerKg = CohenBolusCeiling,

                    // The session cap follows from the rate cap over the protocol's duration (a longer planned
                    // infusion than the protocol's cannot carry more drug than the protocol allows).
                    HardMgPerSession = new Limit(rateCap.Value * hours, rateCap.Source),
                };
            case DoseBasis.MgPerKg:
                return new DoseLimits
                {
                    HardBolusMgPerKg = CohenBolusCeiling,
                };
            default:
                return new DoseLimits
                {
                    HardSingleDoseMg = new Limit(protocol.Ceiling.Value, Source.Assumption($"{protocol.Id}: the protocol's ceiling as its hard limit")),
                };
        }
    }
}

/// <summary>
/// Thresholds on the predicted peak plasma concentration of a planned session. Defaults are assumptions
/// anchored on the concentration–effect facts (clinical-reference: Concentration and effect (zanos2018)): soft = top of the dissociation range (100–250 ng/mL, Zanos 2018), hard = bottom
/// of the anaesthesia range (1,200–2,400 ng/mL, Zanos 2018).
/// </summary>
/// <param name="SoftPeakNgPerMl">Above this a warning that needs an override.</param>
/// <param name="HardPeakNgPerMl">Above this a hard stop.</param>
/// <param name="Source">Where the thresholds come from.</param>
public sealed record PkThresholds(double SoftPeakNgPerMl, double HardPeakNgPerMl, Source Source)
{
    /// <summary>250 / 1,200 ng/mL (assumption anchored on Zanos 2018).</summary>
    public static PkThresholds Default => new(250, 1200, Source.Assumption(
        "configurable; soft = top of the dissociation range 100–250 ng/mL, hard = bottom of the anaesthesia range 1,200–2,400 ng/mL (Zanos 2018, clinical-reference: Predicted-peak limits (peak-thresholds, zanos2018))"));
}

/// <summary>The drug library: preparations, per-protocol limits and PK thresholds. Versioned data.</summary>
public sealed class DrugLibrary
{
    /// <summary>Creates a library.</summary>
    public DrugLibrary(string version, IEnumerable<Preparation> preparations, IReadOnlyDictionary<string, DoseLimits> limits, PkThresholds pk)
    {
        Version = Guard.NotBlank(version);
        Preparations = [.. preparations];
        Limits = limits;
        Pk = pk;
    }

    /// <summary>Library version, recorded with each dose check.</summary>
    public string Version { get; }

    /// <summary>Preparations.</summary>
    public IReadOnlyList<Preparation> Preparations { get; }

    /// <summary>Limits by protocol id.</summary>
    public IReadOnlyDictionary<string, DoseLimits> Limits { get; }

    /// <summary>PK thresholds.</summary>
    public PkThresholds Pk { get; }

    /// <summary>The premedication and rescue drugs with their routes and limits (<see cref="AncillaryDrugs.Default"/> unless set).</summary>
    public IReadOnlyList<AncillaryDrugEntry> Ancillary { get; init; } = AncillaryDrugs.Default;

    /// <summary>The library's entry for <paramref name="drug"/>, or a refusal naming it.</summary>
    public Outcome<AncillaryDrugEntry> AncillaryEntry(AncillaryDrug drug) =>
        Ancillary.FirstOrDefault(e => e.Drug == drug) is { } entry
            ? Outcome<AncillaryDrugEntry>.Ok(entry)
            : Refusal.Coded(Findings.FindingCodes.OrderNotInLibrary, Findings.FindingArg.Of("drug", drug.ToString()));

    private static Source Label => new("clinical-reference: Product label (ketalar-label)", "Ketalar: vials 10, 50, 100 mg/mL, 100 must be diluted for IV (vial volumes are clinic settings)", Certainty.Primary);

    private static Source ClinicPreparation => Source.Assumption("clinic-prepared bags and syringes of 1, 2 and 5 mg/mL; container volumes are clinic settings");

    /// <summary>Vials 10, 50, 100 mg/mL (label; 100 must be diluted for IV) and clinic bags 1, 2, 5 mg/mL; default limits for the seed protocols.</summary>
    public static DrugLibrary Default => new(
        "drugs-2026.1",
        [
            new("vial-10", ContainerKind.Vial, Concentration.FromMilligramsPerMilliliter(10), Volume.FromMilliliters(20), false, Label),
            new("vial-50", ContainerKind.Vial, Concentration.FromMilligramsPerMilliliter(50), Volume.FromMilliliters(10), false, Label),
            new("vial-100", ContainerKind.Vial, Concentration.FromMilligramsPerMilliliter(100), Volume.FromMilliliters(5), true, Label),
            new("bag-1", ContainerKind.Bag, Concentration.FromMilligramsPerMilliliter(1), Volume.FromMilliliters(250), false, ClinicPreparation),
            new("bag-2", ContainerKind.Bag, Concentration.FromMilligramsPerMilliliter(2), Volume.FromMilliliters(100), false, ClinicPreparation),
            new("syringe-5", ContainerKind.Syringe, Concentration.FromMilligramsPerMilliliter(5), Volume.FromMilliliters(50), false, ClinicPreparation),
        ],
        ProtocolLibrary.Default.Protocols.ToDictionary(p => p.Id, DoseLimits.ForProtocol, StringComparer.Ordinal),
        PkThresholds.Default);

    /// <summary>Finds a preparation by id.</summary>
    public Outcome<Preparation> Preparation(string id) =>
        Preparations.FirstOrDefault(p => string.Equals(p.Id, id, StringComparison.Ordinal)) is { } p
            ? Outcome<Preparation>.Ok(p)
            : new Refusal(
                $"preparation: \"{id}\" is not in the drug library; known: {string.Join(", ", Preparations.Select(x => x.Id))}.",
                [Finding.Refused(FindingCodes.PreparationNotInLibrary, FindingArg.Of("field", "preparation"), FindingArg.Of("id", id), FindingArg.Of("known", string.Join(", ", Preparations.Select(x => x.Id))))]);

    /// <summary>The limits for a protocol: the library's entry, else the defaults derived from the protocol.</summary>
    public DoseLimits LimitsFor(Protocol protocol)
    {
        ArgumentNullException.ThrowIfNull(protocol);
        return Limits.TryGetValue(protocol.Id, out var l) ? l : DoseLimits.ForProtocol(protocol);
    }

    /// <summary>The limits for a protocol and a patient: <see cref="LimitsFor(Protocol)"/>, capped low when the patient has raised intracranial or intraocular pressure (<see cref="DoseLimits.ForRaisedPressure"/>).</summary>
    public DoseLimits LimitsFor(Protocol protocol, bool raisedPressure) =>
        raisedPressure ? LimitsFor(protocol).ForRaisedPressure(protocol) : LimitsFor(protocol);

    /// <summary>Refuses a preparation that cannot be used by the route (the 100 mg/mL vial undiluted IV).</summary>
    public static Outcome CheckPreparation(Preparation preparation, Route route)
    {
        ArgumentNullException.ThrowIfNull(preparation);
        return route == Route.Intravenous && preparation.RequiresDilutionForIv
            ? new Refusal(
                $"preparation: {preparation} must be diluted before IV use (Ketalar label).",
                [Finding.Refused(FindingCodes.PreparationNeedsDilution, FindingArg.Of("field", "preparation"), FindingArg.Of("preparation", preparation.Id))])
            : Outcome.Ok();
    }
}
