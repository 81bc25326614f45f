using KetaCare.Clinic.Findings;
using KetaCare.Clinic.Outcomes;
using KetaCare.Clinic.Protocols;
using KetaCare.Clinic.Sessions;
using KetaCare.Pharmacology.Models;
using KetaCare.Pharmacology.Simulation;
using KetaCare.Pharmacology.Units;

namespace KetaCare.Clinic.Analytics;

/// <summary>
/// The population prior and the fixed parts of the two individual models. Labelled assumptions: no published
/// population analysis of CADSS or of relief against ketamine concentration in chronic-pain infusions was found, so
/// the priors are centred on the published bands and wide enough that a few sessions move them.
/// </summary>
/// <param name="DissociationEc50">Prior median of the individual dissociation EC50 (effect site), ng/mL.</param>
/// <param name="DissociationOmega">Prior SD of log EC50.</param>
/// <param name="CadssMax">Highest CADSS the model reaches (of 0–92).</param>
/// <param name="Hill">Steepness of the CADSS curve.</param>
/// <param name="CadssSd">Residual SD of a CADSS score.</param>
/// <param name="ReliefEc50">Prior median of the individual relief EC50 (effect-site AUC of a session), ng·h/mL.</param>
/// <param name="ReliefOmega">Prior SD of log relief EC50.</param>
/// <param name="ReliefMax">Largest in-session relief fraction.</param>
/// <param name="ReliefSd">Residual SD of a relief fraction.</param>
public sealed record IndividualPrior(double DissociationEc50, double DissociationOmega, double CadssMax, double Hill, double CadssSd, double ReliefEc50, double ReliefOmega, double ReliefMax, double ReliefSd)
{
    /// <summary>
    /// The default prior: dissociation EC50 median 160 ng/mL (the geometric middle of the 100–250 ng/mL dissociation
    /// band, Zanos 2018) with ω 0.35, so 95 % of patients lie between 80 and 320 ng/mL; CADSS up to 48 of 92 with a Hill
    /// coefficient of 2 and a residual SD of 3; relief EC50 median 400 ng·h/mL (about one hour of 0.6 mg/kg/h for
    /// 70 kg) with ω 0.5, relief up to 75 % with a residual SD of 0.12. Assumptions, stated in docs/analytics.md.
    /// </summary>
    public static IndividualPrior Default { get; } = new(160, 0.35, 48, 2, 3, 400, 0.5, 0.75, 0.12);

    /// <summary>Where the prior comes from.</summary>
    public static Source Source { get; } = Source.Assumption("individualisation prior centred on the dissociation band of Zanos 2018 (100–250 ng/mL); widths, CADSS ceiling and relief model are assumptions (docs/analytics.md)");

    /// <summary>Predicted CADSS at an effect-site concentration for an EC50.</summary>
    public double Cadss(double effectNgPerMl, double ec50)
    {
        var c = Math.Pow(Math.Max(0, effectNgPerMl), Hill);
        return CadssMax * c / (Math.Pow(ec50, Hill) + c);
    }

    /// <summary>Predicted in-session relief fraction at a session's effect-site AUC for an EC50.</summary>
    public double Relief(double aucNgHoursPerMl, double ec50) => ReliefMax * aucNgHoursPerMl / (ec50 + aucNgHoursPerMl);

    /// <summary>The highest effect-site concentration whose predicted CADSS stays at or below <paramref name="limit"/> for an EC50.</summary>
    public double ConcentrationFor(double limit, double ec50) => limit >= CadssMax ? double.PositiveInfinity : ec50 * Math.Pow(limit / (CadssMax - limit), 1 / Hill);
}

/// <summary>One observation the individual estimate uses.</summary>
/// <param name="Session">The session.</param>
/// <param name="At">When.</param>
/// <param name="Exposure">Predicted effect-site concentration (ng/mL, for CADSS) or effect-site AUC of the session (ng·h/mL, for relief).</param>
/// <param name="Observed">CADSS total, or in-session relief fraction.</param>
public sealed record IndividualObservation(SessionId Session, DateTimeOffset At, double Exposure, double Observed);

/// <summary>A MAP estimate with its Laplace 95 % interval.</summary>
/// <param name="Value">Posterior mode, in the quantity's unit.</param>
/// <param name="Low">Lower 95 % limit.</param>
/// <param name="High">Upper 95 % limit.</param>
/// <param name="Prior">Prior median.</param>
/// <param name="LogSd">Posterior SD of the log (Laplace).</param>
/// <param name="Observations">The observations used.</param>
public sealed record PosteriorEstimate(double Value, double Low, double High, double Prior, double LogSd, IReadOnlyList<IndividualObservation> Observations)
{
    /// <summary>
    /// The MAP of log θ = log θ₀ + η with η ~ N(0, ω²) and additive normal residuals, found by golden-section search
    /// over η in ±6ω (the objective is smooth and, for the one parameter, unimodal in practice); the Laplace
    /// approximation takes the posterior of η as normal with variance 1 / J''(η̂), J''(η̂) by central differences.
    /// </summary>
    public static PosteriorEstimate Map(double priorMedian, double omega, double residualSd, IReadOnlyList<IndividualObservation> data, Func<double, double, double> predict)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(predict);
        double J(double eta)
        {
            var theta = priorMedian * Math.Exp(eta);
            var s = eta * eta / (2 * omega * omega);
            foreach (var o in data)
            {
                var r = o.Observed - predict(o.Exposure, theta);
                s += r * r / (2 * residualSd * residualSd);
            }

            return s;
        }

        double a = -6 * omega, b = 6 * omega;
        var phi = (Math.Sqrt(5) - 1) / 2;
        double x1 = b - (phi * (b - a)), x2 = a + (phi * (b - a)), f1 = J(x1), f2 = J(x2);
        for (var i = 0; i < 100 && b - a > 1e-10; i++)
        {
            if (f1 < f2)
            {
                (b, x2, f2) = (x2, x1, f1);
                x1 = b - (phi * (b - a));
                f1 = J(x1);
            }
            else
            {
                (a, x1, f1) = (x1, x2, f2);
                x2 = a + (phi * (b - a));
                f2 = J(x2);
            }
        }

        var eta = (a + b) / 2;
        const double h = 1e-4;
        var curvature = (J(eta + h) - (2 * J(eta)) + J(eta - h)) / (h * h);
        var sd = curvature > 0 ? 1 / Math.Sqrt(curvature) : omega;
        var z = Statistics.Z95;
        return new PosteriorEstimate(priorMedian * Math.Exp(eta), priorMedian * Math.Exp(eta - (z * sd)), priorMedian * Math.Exp(eta + (z * sd)), priorMedian, sd, data);
    }
}

/// <summary>The individualised proposal for the next session.</summary>
/// <param name="Dissociation">Individual dissociation EC50 (effect site, ng/mL).</param>
/// <param name="Relief">Individual relief EC50 (effect-site AUC of a session, ng·h/mL).</param>
/// <param name="CadssLimit">The clinic's CADSS limit the rate keeps the prediction at or below (its alert threshold).</param>
/// <param name="Rate">Proposed rate for the protocol's infusion time, mg/kg/h; null when no rate keeps dissociation under the limit at the protocol's lowest step.</param>
/// <param name="PredictedPeakCadss">Predicted peak CADSS at the rate with the MAP EC50, and at the lower 95 % EC50 limit (the cautious case the rate is chosen on).</param>
/// <param name="PredictedRelief">Predicted in-session relief fraction at the rate (MAP relief EC50), with the 95 % limits.</param>
/// <param name="Prior">The prior used.</param>
public sealed record IndividualProposal(PosteriorEstimate Dissociation, PosteriorEstimate Relief, int CadssLimit, DoseLevel? Rate, (double Map, double Cautious) PredictedPeakCadss, (double Map, double Low, double High) PredictedRelief, IndividualPrior Prior);

/// <summary>
/// Bayesian individualisation of one patient: MAP estimates of the individual dissociation and relief EC50 from the
/// population prior and the patient's own sessions, and a proposed rate for the next session that keeps the predicted
/// peak CADSS at or below the clinic's limit — on the cautious side, at the lower 95 % limit of the EC50 — while
/// giving the most predicted relief (relief rises with dose, so that is the highest such rate). Advisory: a physician
/// uses it through the titration override, with the reason recorded. Pure apart from the engine's deterministic
/// simulations.
/// </summary>
public static class Individualisation
{
    /// <summary>Rates are proposed on steps of this size, mg/kg/h.</summary>
    public const double RateStep = 0.05;

    /// <summary>
    /// The observations of the patient's sessions: every active CADSS score against the predicted effect-site
    /// concentration at its time, and each session's in-session relief (1 − last NRS / first NRS) against its
    /// predicted effect-site AUC.
    /// </summary>
    public static (IReadOnlyList<IndividualObservation> Cadss, IReadOnlyList<IndividualObservation> Relief) Observations(IEnumerable<InfusionSession> sessions, PkModel model, Covariates patient)
    {
        ArgumentNullException.ThrowIfNull(sessions);
        ArgumentNullException.ThrowIfNull(model);
        var cadss = new List<IndividualObservation>();
        var relief = new List<IndividualObservation>();
        var ke0 = model.EffectSiteOptions.Count > 0 ? model.EffectSiteOptions[0] : EffectSites.Olofsen2012Analgesia;
        foreach (var s in sessions.Where(s => s.DrugEndedAt is not null))
        {
            var origin = s.Segments.Select(x => (DateTimeOffset?)x.Start).Concat(s.SingleDoses.Select(d => (DateTimeOffset?)d.At)).Min();
            if (origin is not { } o)
            {
                continue;
            }

            var regimen = OutcomeAnalysis.RegimenGiven([s], o);
            var scored = s.Observations.ActiveValues.Where(x => x.Cadss is not null && x.At >= o).OrderBy(x => x.At).ToList();
            if (regimen.Administrations.Count == 0)
            {
                continue;
            }

            var times = scored.Select(x => (x.At - o).TotalMinutes).Append(0).Append(((s.DrugEndedAt!.Value - o).TotalMinutes) + (24 * 60)).Distinct().Order().ToArray();
            var run = Simulator.Run(new SimulationRequest(model, patient, regimen) { EffectSite = ke0 }, times);
            if (!run.IsSuccess)
            {
                continue;
            }

            var ce = run.Value.NgPerMl("effect");
            cadss.AddRange(scored.Select(x => new IndividualObservation(s.Id, x.At, ce[Array.IndexOf(times, (x.At - o).TotalMinutes)], x.Cadss!.Value)));
            var pain = s.Observations.ActiveValues.Where(x => x.PainNrs is not null).OrderBy(x => x.At).ToList();
            if (pain.Count > 1 && pain[0].PainNrs > 0)
            {
                relief.Add(new IndividualObservation(s.Id, pain[^1].At, run.Value.Metrics("effect").AucNgHoursPerMl, 1 - ((double)pain[^1].PainNrs!.Value / pain[0].PainNrs!.Value)));
            }
        }

        return (cadss, relief);
    }

    /// <summary>
    /// The individual estimates and the proposed rate for the next session of <paramref name="protocol"/>. Refused
    /// (coded <see cref="FindingCodes.IndividualNotInfusion"/>) for protocols not dosed in mg/kg/h, and
    /// (<see cref="FindingCodes.IndividualNoObservations"/>) before any CADSS score was recorded after a dose.
    /// </summary>
    /// <param name="sessions">The patient's sessions (every plan: the EC50 is the patient's, not the course's).</param>
    /// <param name="protocol">The plan's protocol.</param>
    /// <param name="model">The plan's PK model.</param>
    /// <param name="patient">The patient's covariates now.</param>
    /// <param name="maximum">The most the titration allows (protocol ceiling and hard limits).</param>
    /// <param name="cadssLimit">The clinic's CADSS limit (its alert threshold).</param>
    /// <param name="prior">The prior (default <see cref="IndividualPrior.Default"/>).</param>
    public static Outcome<IndividualProposal> Propose(IEnumerable<InfusionSession> sessions, Protocol protocol, PkModel model, Covariates patient, DoseLevel maximum, int cadssLimit, IndividualPrior? prior = null)
    {
        ArgumentNullException.ThrowIfNull(protocol);
        ArgumentNullException.ThrowIfNull(patient);
        prior ??= IndividualPrior.Default;
        if (protocol.Start.Basis != DoseBasis.MgPerKgPerHour || protocol.InfusionDuration is not { } duration)
        {
            return Refusal.Coded(FindingCodes.IndividualNotInfusion, FindingArg.Of("protocol", protocol.Id));
        }

        var (cadss, relief) = Observations(sessions, model, patient);
        if (cadss.Count == 0)
        {
            return Refusal.Coded(FindingCodes.IndividualNoObservations, FindingArg.Of("field", "sessions"));
        }

        var diss = PosteriorEstimate.Map(prior.DissociationEc50, prior.DissociationOmega, prior.CadssSd, cadss, prior.Cadss);
        var rel = PosteriorEstimate.Map(prior.ReliefEc50, prior.ReliefOmega, prior.ReliefSd, relief, prior.Relief);
        var (peakPerUnit, aucPerUnit) = UnitExposure(protocol, duration, model, patient);
        var allowed = prior.ConcentrationFor(cadssLimit, diss.Low);
        var top = Math.Min(maximum.Value, protocol.Ceiling.Value);
        var rate = Math.Floor(Math.Min(top, allowed / peakPerUnit) / RateStep) * RateStep;
        rate = Math.Round(rate, 9);
        DoseLevel? proposed = rate >= RateStep ? DoseLevel.MgPerKgPerHour(rate) : null;
        var r = proposed?.Value ?? 0;
        return Outcome<IndividualProposal>.Ok(new IndividualProposal(
            diss,
            rel,
            cadssLimit,
            proposed,
            (prior.Cadss(r * peakPerUnit, diss.Value), prior.Cadss(r * peakPerUnit, diss.Low)),
            (prior.Relief(r * aucPerUnit, rel.Value), prior.Relief(r * aucPerUnit, rel.High), prior.Relief(r * aucPerUnit, rel.Low)),
            prior));
    }

    /// <summary>Peak effect-site concentration (ng/mL) and effect-site AUC (ng·h/mL) of 1 mg/kg/h for the protocol's time: both scale with the rate (linear PK).</summary>
    public static (double Peak, double Auc) UnitExposure(Protocol protocol, Duration duration, PkModel model, Covariates patient)
    {
        ArgumentNullException.ThrowIfNull(protocol);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(patient);
        var regimen = new Regimen([new Administration(Duration.Zero, DoseExpression.AtRate(DoseRate.FromMilligramsPerHour(patient.Weight.Kilograms), duration), protocol.Route)]);
        var ke0 = model.EffectSiteOptions.Count > 0 ? model.EffectSiteOptions[0] : EffectSites.Olofsen2012Analgesia;
        var run = Simulator.Run(new SimulationRequest(model, patient, regimen) { EffectSite = ke0, Until = duration + Duration.FromHours(24), Step = Duration.FromMinutes(0.5) }).Value;
        return (run.Metrics("effect").Cmax.NanogramsPerMilliliter, run.Metrics("effect").AucNgHoursPerMl);
    }
}
