using KetaCare.Clinic.Analytics;
using KetaCare.Clinic.Findings;
using KetaCare.Clinic.Protocols;
using KetaCare.Clinic.Sessions;
using KetaCare.Pharmacology.Models;

namespace KetaCare.Clinic.Tests;

/// <summary>
/// The individual EC50 estimates against an independent computation of the same posterior (numerical integration on a
/// fine grid), recovery of a known EC50 from simulated scores, and the proposed rate against the clinic's limit.
/// </summary>
public class IndividualisationTests
{
    private static readonly IndividualPrior Prior = IndividualPrior.Default;

    private static List<IndividualObservation> Simulated(double ec50, int count, int seed)
    {
        var rng = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(i =>
        {
            var c = 40 + (i * 400.0 / count);
            return new IndividualObservation(new SessionId(Guid.Empty), DateTimeOffset.UnixEpoch, c, Prior.Cadss(c, ec50) + (Prior.CadssSd * Normal(rng)));
        })];
    }

    [Fact]
    public void Map_ModeAndLaplaceSd_MatchTheNumericallyIntegratedPosterior()
    {
        var data = Simulated(220, 12, 3);

        var map = PosteriorEstimate.Map(Prior.DissociationEc50, Prior.DissociationOmega, Prior.CadssSd, data, Prior.Cadss);

        // Independent: the unnormalised posterior of η on 40,001 points over ±6ω; its mode, and its SD by quadrature.
        var omega = Prior.DissociationOmega;
        var etas = Enumerable.Range(0, 40001).Select(k => -6 * omega + (12 * omega * k / 40000)).ToArray();
        var logp = etas.Select(e => -(e * e / (2 * omega * omega)) - data.Sum(o => Math.Pow(o.Observed - Prior.Cadss(o.Exposure, 160 * Math.Exp(e)), 2) / (2 * Prior.CadssSd * Prior.CadssSd))).ToArray();
        var mode = etas[Array.IndexOf(logp, logp.Max())];
        var w = logp.Select(l => Math.Exp(l - logp.Max())).ToArray();
        var mean = etas.Zip(w, (e, x) => e * x).Sum() / w.Sum();
        var sd = Math.Sqrt(etas.Zip(w, (e, x) => (e - mean) * (e - mean) * x).Sum() / w.Sum());

        Assert.Equal(mode, Math.Log(map.Value / 160), 1e-3);
        Assert.Equal(sd, map.LogSd, sd * 0.05); // the Laplace SD is the curvature at the mode: within 5 % of the true SD here
    }

    [Fact]
    public void Map_PatientsDrawnFromThePrior_IntervalsCoverTheTruthAtAbout95PercentAndNarrowWithData()
    {
        // For truths drawn from the prior the posterior interval is calibrated: over 400 patients of 24 scores each the
        // coverage of a 95 % interval lies within 91–99 % (binomial SD of the share is 1.1 %; the Laplace approximation
        // may lose a little), and every posterior is narrower than the prior.
        var rng = new Random(17);
        var covered = 0;
        for (var i = 0; i < 400; i++)
        {
            var truth = Prior.DissociationEc50 * Math.Exp(Prior.DissociationOmega * Normal(rng));
            var map = PosteriorEstimate.Map(Prior.DissociationEc50, Prior.DissociationOmega, Prior.CadssSd, Simulated(truth, 24, rng.Next()), Prior.Cadss);
            covered += truth >= map.Low && truth <= map.High ? 1 : 0;
            Assert.True(map.LogSd < Prior.DissociationOmega);
        }

        Assert.InRange(covered / 400.0, 0.91, 0.99);
    }

    [Fact]
    public void Map_NoData_IsThePrior()
    {
        var map = PosteriorEstimate.Map(Prior.DissociationEc50, Prior.DissociationOmega, Prior.CadssSd, [], Prior.Cadss);

        Assert.Equal(160, map.Value, 1e-6);
        Assert.Equal(Prior.DissociationOmega, map.LogSd, 1e-4);
    }

    [Fact]
    public void ConcentrationFor_IsTheInverseOfTheCadssCurve()
    {
        var c = Prior.ConcentrationFor(30, 180);

        Assert.Equal(30, Prior.Cadss(c, 180), 1e-9);
        Assert.True(double.IsPositiveInfinity(Prior.ConcentrationFor(60, 180)));
    }

    private static SessionFixture CompletedWithCadss(params int[] cadss)
    {
        var f = new SessionFixture().Running();
        foreach (var c in cadss)
        {
            f.Clock.Advance(TimeSpan.FromMinutes(15));
            Assert.True(f.Session.RecordObservation(Observation.Create(f.Clock.Now, 130, 80, 80, 98, 14, null, c, null).Value, f.Settings, Build.Nurse, f.Clock).IsSuccess);
        }

        f.Clock.Advance(TimeSpan.FromMinutes(5));
        Assert.True(f.Session.Complete(Build.Nurse, f.Clock, f.PumpShows(), f.Settings).IsSuccess);
        return f;
    }

    [Fact]
    public void Propose_ScoresOfASession_RateKeepsTheCautiousPredictionUnderTheLimitAndOneStepMoreWouldNot()
    {
        var f = CompletedWithCadss(8, 14, 18);
        var model = ModelLibrary.Get("domino1984").Value;
        var covariates = f.Patient.Snapshot().CovariatesOn(f.Session.ScheduledFor).Value;

        var p = Individualisation.Propose([f.Session], f.Protocol, model, covariates, f.Protocol.Ceiling, 30).Value;

        Assert.Equal(4, p.Dissociation.Observations.Count); // the three during the infusion and the pre-assessment's 0 at the start
        var rate = p.Rate!.Value.Value;
        Assert.True(p.PredictedPeakCadss.Cautious <= 30 + 1e-9, $"cautious CADSS {p.PredictedPeakCadss.Cautious}");
        var (peak, _) = Individualisation.UnitExposure(f.Protocol, f.Protocol.InfusionDuration!.Value, model, covariates);
        Assert.True(rate + Individualisation.RateStep > f.Protocol.Ceiling.Value || Prior.Cadss((rate + Individualisation.RateStep) * peak, p.Dissociation.Low) > 30, "the next step up would pass the limit");
        Assert.InRange(p.PredictedRelief.Map, p.PredictedRelief.Low, p.PredictedRelief.High);
    }

    [Fact]
    public void Propose_HighScoresAtALowDose_ProposesLessThanTheProtocolCeiling()
    {
        var f = CompletedWithCadss(30, 40, 44);

        var p = Individualisation.Propose([f.Session], f.Protocol, ModelLibrary.Get("domino1984").Value, f.Patient.Snapshot().CovariatesOn(f.Session.ScheduledFor).Value, f.Protocol.Ceiling, 30).Value;

        Assert.True(p.Dissociation.Value < Prior.DissociationEc50, "a patient dissociating at low concentrations has a low EC50");
        Assert.True(p.Rate is null || p.Rate.Value.Value < f.Protocol.Ceiling.Value);
    }

    [Fact]
    public void Propose_NoCadssYet_RefusedWithCode_AndASingleDoseProtocolIsRefused()
    {
        var f = new SessionFixture();
        var model = ModelLibrary.Get("domino1984").Value;
        var covariates = f.Patient.Snapshot().CovariatesOn(f.Session.ScheduledFor).Value;
        var intranasal = ProtocolLibrary.Default.Find("clinic-in-example").Value;

        var none = Individualisation.Propose([f.Session], f.Protocol, model, covariates, f.Protocol.Ceiling, 30);
        var single = Individualisation.Propose([f.Session], intranasal, model, covariates, intranasal.Ceiling, 30);

        Assert.Equal(FindingCodes.IndividualNoObservations, Assert.Single(none.Findings).Code);
        Assert.Equal(FindingCodes.IndividualNotInfusion, Assert.Single(single.Findings).Code);
    }

    private static double Normal(Random rng) => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
}
