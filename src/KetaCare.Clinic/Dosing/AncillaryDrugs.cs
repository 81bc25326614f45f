using System.Globalization;
using KetaCare.Clinic.Findings;
using KetaCare.Clinic.Patients;
using KetaCare.Pharmacology.Models;

namespace KetaCare.Clinic.Dosing;

/// <summary>The drugs given beside ketamine: premedication and rescue for its side effects.</summary>
public enum AncillaryDrug
{
    /// <summary>Midazolam: premedication and rescue for emergence reactions (benzodiazepine).</summary>
    Midazolam,

    /// <summary>Clonidine: premedication against psychotomimetic and cardiovascular effects.</summary>
    Clonidine,

    /// <summary>Ondansetron: premedication and rescue for nausea and vomiting.</summary>
    Ondansetron,
}

/// <summary>Why an order is given.</summary>
public enum OrderPurpose
{
    /// <summary>Before the ketamine starts.</summary>
    Premedication,

    /// <summary>When needed during or after the session (an emergence reaction, nausea).</summary>
    Rescue,
}

/// <summary>
/// One ancillary drug in the drug library: the routes it may be given by, its own interaction classes (what it adds to
/// the patient's medications) and its hard and soft limits per dose and per session, each with its source. A dose
/// exactly at a limit passes; above a soft limit it needs a physician's reason; above a hard limit it is refused.
/// </summary>
/// <param name="Drug">The drug.</param>
/// <param name="Routes">Routes allowed.</param>
/// <param name="Classes">The drug's own interaction classes (midazolam: benzodiazepine and CNS depressant).</param>
/// <param name="SoftDoseMg">Soft limit of one dose, mg.</param>
/// <param name="HardDoseMg">Hard limit of one dose, mg.</param>
/// <param name="SoftSessionMg">Soft limit of the session's total, mg.</param>
/// <param name="HardSessionMg">Hard limit of the session's total, mg.</param>
public sealed record AncillaryDrugEntry(AncillaryDrug Drug, IReadOnlyList<Route> Routes, InteractionClass Classes, Limit SoftDoseMg, Limit HardDoseMg, Limit SoftSessionMg, Limit HardSessionMg);

/// <summary>
/// A premedication or rescue order of a protocol, prescribed with the plan: drug, purpose, dose and route. The session
/// gives it against the drug library's limits.
/// </summary>
/// <param name="Drug">The drug.</param>
/// <param name="Purpose">Premedication or rescue.</param>
/// <param name="DoseMg">The dose of one administration, mg.</param>
/// <param name="Route">The route.</param>
/// <param name="MaxSessionMg">
/// The most of the drug this order allows in one session, mg; null for the drug library's limits alone. Set by the
/// protocol's author within the library's hard session limit; a dose that would take the session above it is refused.
/// </param>
public sealed record AncillaryOrder(AncillaryDrug Drug, OrderPurpose Purpose, double DoseMg, Route Route, double? MaxSessionMg = null);

/// <summary>
/// The ancillary drugs' defaults and the checks of an order or an administration against them, with the same limit
/// findings as the ketamine dose check ("limit." + <see cref="DoseLimitId"/> or <see cref="SessionLimitId"/>). Pure.
/// </summary>
public static class AncillaryDrugs
{
    /// <summary>Largest dose a form or command accepts as typed, mg: input plausibility (an assumption), far above every hard limit.</summary>
    public const double MaxEnteredDoseMg = 100;

    /// <summary>Limit id of one dose; the finding code is "limit." + the id.</summary>
    public const string DoseLimitId = "ancillary-dose-mg";

    /// <summary>Limit id of the session's total of one drug.</summary>
    public const string SessionLimitId = "ancillary-session-mg";

    /// <summary>Midazolam 2 mg twice and clonidine 0.1 mg with each infusion (Schwartzman 2009) [P].</summary>
    public static Source Schwartzman2009 => new("clinical-reference: Premedication and rescue (schwartzman2009)", "Schwartzman RJ et al., Pain 2009: midazolam 2 mg ×2 and clonidine 0.1 mg with each 4-h infusion", Certainty.Primary);

    /// <summary>Midazolam and ondansetron premedication in 369 outpatient infusions (Patil and Anitescu 2012) [P], doses not given.</summary>
    public static Source PatilAnitescu2012 => new("clinical-reference: Premedication and rescue (patil2012)", "Patil S, Anitescu M, Pain Med 2012: midazolam and ondansetron premedication for outpatient ketamine infusions; doses not stated", Certainty.Primary);

    /// <summary>
    /// Midazolam (IV), clonidine (oral or IV) and ondansetron (IV). Soft limits are the published doses where there are
    /// some (Schwartzman 2009); every hard limit and the ondansetron doses are assumptions a clinic can change.
    /// </summary>
    public static IReadOnlyList<AncillaryDrugEntry> Default =>
    [
        new(AncillaryDrug.Midazolam, [Route.Intravenous], InteractionClass.Benzodiazepine | InteractionClass.CnsDepressant,
            new Limit(2, Schwartzman2009), Hard(5, "midazolam: 5 mg in one IV dose"), new Limit(4, Schwartzman2009), Hard(10, "midazolam: 10 mg in one session")),
        new(AncillaryDrug.Clonidine, [Route.Oral, Route.Intravenous], InteractionClass.CnsDepressant,
            new Limit(0.1, Schwartzman2009), Hard(0.3, "clonidine: 0.3 mg in one dose"), new Limit(0.1, Schwartzman2009), Hard(0.3, "clonidine: 0.3 mg in one session")),
        new(AncillaryDrug.Ondansetron, [Route.Intravenous], InteractionClass.None,
            Soft(4, "ondansetron: 4 mg in one IV dose"), Hard(8, "ondansetron: 8 mg in one IV dose"), Soft(8, "ondansetron: 8 mg in one session"), Hard(16, "ondansetron: 16 mg in one session")),
    ];

    /// <summary>
    /// The limit findings of one dose of <paramref name="entry"/>'s drug, given <paramref name="givenMg"/> of it earlier in
    /// the session: the dose against the per-dose limits, the new total against the per-session limits. A route the
    /// drug library does not allow and a dose of zero or less are hard.
    /// </summary>
    public static IReadOnlyList<Finding> CheckDose(AncillaryDrugEntry entry, double doseMg, Route route, double givenMg)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var findings = new List<Finding>();
        if (!entry.Routes.Contains(route))
        {
            findings.Add(Finding.Refused(FindingCodes.OrderRoute, FindingArg.Of("drug", entry.Drug.ToString()), FindingArg.Of("route", route.ToString())));
        }

        if (!(doseMg > 0) || !double.IsFinite(doseMg))
        {
            findings.Add(Finding.Refused(FindingCodes.DoseNotPositive, FindingArg.Of("field", "dose")));
            return findings;
        }

        Limits(DoseLimitId, doseMg, entry.SoftDoseMg, entry.HardDoseMg, findings);
        Limits(SessionLimitId, givenMg + doseMg, entry.SoftSessionMg, entry.HardSessionMg, findings);
        return findings;
    }

    /// <summary>
    /// What prescribing <paramref name="orders"/> for a patient on <paramref name="medications"/> finds: each order's dose
    /// against the library (as one dose in a session), a drug the library does not hold, and a sedative order
    /// (benzodiazepine or CNS depressant) for a patient already on a sedative medication, which needs a physician's reason.
    /// </summary>
    public static IReadOnlyList<Finding> CheckOrders(IEnumerable<AncillaryOrder> orders, IReadOnlyList<AncillaryDrugEntry> library, IEnumerable<Medication> medications)
    {
        ArgumentNullException.ThrowIfNull(orders);
        ArgumentNullException.ThrowIfNull(library);
        var meds = medications?.ToList() ?? throw new ArgumentNullException(nameof(medications));
        var findings = new List<Finding>();
        foreach (var order in orders)
        {
            // A plain null check rather than a pattern variable, so that every mutant of this method still compiles
            // and mutation testing covers it.
            var entry = library.FirstOrDefault(e => e.Drug == order.Drug);
            if (entry is null)
            {
                findings.Add(Finding.Refused(FindingCodes.OrderNotInLibrary, FindingArg.Of("drug", order.Drug.ToString())));
                continue;
            }

            findings.AddRange(CheckDose(entry, order.DoseMg, order.Route, 0));
            findings.AddRange(Interactions(entry, meds));
        }

        return findings;
    }

    /// <summary>
    /// Checks a protocol's orders against <paramref name="library"/> before the protocol is stored; refusals are coded
    /// and name the order's field ("order 2 dose") and the allowed range. A drug the library does not hold, a route it
    /// does not allow, a dose of zero or less or above the drug's hard per-dose limit, and a maximum per session below the
    /// order's dose or above the drug's hard session limit are refused. Soft limits are not refused here: prescribing
    /// asks a physician's reason for them against the patient.
    /// </summary>
    public static Outcome CheckProtocolOrders(IReadOnlyList<AncillaryOrder> orders, IReadOnlyList<AncillaryDrugEntry> library)
    {
        ArgumentNullException.ThrowIfNull(orders);
        ArgumentNullException.ThrowIfNull(library);
        if (orders.Count > MaxOrders)
        {
            return new Refusal(string.Create(CultureInfo.InvariantCulture, $"orders: {orders.Count} orders, at most {MaxOrders}."), [Finding.Refused(FindingCodes.OrderTooMany, FindingArg.Of("value", orders.Count), FindingArg.Of("max", MaxOrders))]);
        }

        var findings = new List<Finding>();
        for (var i = 0; i < orders.Count; i++)
        {
            var order = orders[i];
            var n = (i + 1).ToString(CultureInfo.InvariantCulture);
            // A plain null check rather than a pattern variable, so that every mutant of this method still compiles
            // and mutation testing covers it.
            var entry = library.FirstOrDefault(e => e.Drug == order.Drug);
            if (entry is null)
            {
                findings.Add(Finding.Refused(FindingCodes.OrderNotInLibrary, FindingArg.Of("drug", order.Drug.ToString())));
                continue;
            }

            if (!entry.Routes.Contains(order.Route))
            {
                findings.Add(Finding.Refused(FindingCodes.OrderRoute, FindingArg.Of("drug", entry.Drug.ToString()), FindingArg.Of("route", order.Route.ToString())));
            }

            if (!(order.DoseMg > 0) || !double.IsFinite(order.DoseMg) || order.DoseMg > entry.HardDoseMg.Value)
            {
                findings.Add(Finding.Of(FindingCodes.OrderDoseOutOfRange, FindingSeverity.HardStop, entry.HardDoseMg.Source,
                    FindingArg.Of("field", "order " + n + " dose"), FindingArg.Of("value", order.DoseMg, "mg"), FindingArg.Of("max", entry.HardDoseMg.Value, "mg")));
            }

            if (order.MaxSessionMg is { } max && (!double.IsFinite(max) || max < order.DoseMg || max > entry.HardSessionMg.Value))
            {
                findings.Add(Finding.Of(FindingCodes.OrderSessionMaxOutOfRange, FindingSeverity.HardStop, entry.HardSessionMg.Source,
                    FindingArg.Of("field", "order " + n + " maximum per session"), FindingArg.Of("value", max, "mg"), FindingArg.Of("min", order.DoseMg, "mg"), FindingArg.Of("max", entry.HardSessionMg.Value, "mg")));
            }
        }

        return findings.Count == 0 ? Outcome.Ok() : Refusal.Of(findings);
    }

    /// <summary>
    /// The order's own maximum per session: refused (<see cref="FindingCodes.OrderSessionMaxExceeded"/>) when
    /// <paramref name="doseMg"/> after <paramref name="givenMg"/> of the drug this session would exceed it; empty when the
    /// order sets none.
    /// </summary>
    public static IReadOnlyList<Finding> CheckOrderMaximum(AncillaryOrder order, double doseMg, double givenMg)
    {
        ArgumentNullException.ThrowIfNull(order);
        const double slack = 1e-9;
        return order.MaxSessionMg is { } max && givenMg + doseMg > max * (1 + slack)
            ? [Finding.Refused(FindingCodes.OrderSessionMaxExceeded, FindingArg.Of("drug", order.Drug.ToString()), FindingArg.Of("value", givenMg + doseMg, "mg"), FindingArg.Of("max", max, "mg"))]
            : [];
    }

    /// <summary>
    /// The sedation interactions of one dose of <paramref name="entry"/>'s drug with <paramref name="medications"/>: each
    /// sedative medication beside a sedative drug needs a physician's reason (<see cref="FindingCodes.OrderSedativeInteraction"/>).
    /// Prescribing checks it against the chart; giving a dose checks it again with the medications reported since.
    /// </summary>
    public static IReadOnlyList<Finding> InteractionFindings(AncillaryDrugEntry entry, IEnumerable<Medication> medications)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(medications);
        return [.. Interactions(entry, medications)];
    }

    /// <summary>Most orders one protocol holds (input sanity: the published regimens order two or three).</summary>
    public const int MaxOrders = 10;

    /// <summary>Source of the sedation interaction: the Ketalar label names benzodiazepines, opioids and other CNS depressants.</summary>
    public static Source SedationSource => new("clinical-reference: Product label (ketalar-label)", "Ketalar label: benzodiazepines, opioids and other CNS depressants add sedation and respiratory depression; a sedative order adds to the patient's own", Certainty.Primary);

    private static IEnumerable<Finding> Interactions(AncillaryDrugEntry entry, IEnumerable<Medication> medications)
    {
        const InteractionClass sedative = InteractionClass.Benzodiazepine | InteractionClass.CnsDepressant;
        if ((entry.Classes & sedative) == 0)
        {
            yield break;
        }

        foreach (var m in medications.Where(m => (m.Interactions & sedative) != 0))
        {
            yield return Finding.Of(FindingCodes.OrderSedativeInteraction, FindingSeverity.NeedsOverride, SedationSource, FindingArg.Of("drug", entry.Drug.ToString()), FindingArg.Of("medication", m.Name));
        }
    }

    private static void Limits(string id, double value, Limit soft, Limit hard, List<Finding> findings)
    {
        // The same relative slack as the ketamine dose check: floating-point noise passes, 2.01 above 2 does not.
        const double slack = 1e-9;
        if (value > hard.Value * (1 + slack))
        {
            findings.Add(LimitFinding.Create(id, LimitSeverity.Hard, value, hard.Value, "mg", hard.Source).ToFinding());
        }
        else if (value > soft.Value * (1 + slack))
        {
            findings.Add(LimitFinding.Create(id, LimitSeverity.Soft, value, soft.Value, "mg", soft.Source).ToFinding());
        }
    }

    private static Limit Hard(double mg, string what) => new(mg, Source.Assumption(what + " as the hard limit; no cited source sets one; clinic-configurable"));

    private static Limit Soft(double mg, string what) => new(mg, Source.Assumption(what + ", a common adult dose; no cited source sets the dose; clinic-configurable"));
}
