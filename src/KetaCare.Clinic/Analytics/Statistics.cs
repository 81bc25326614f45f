namespace KetaCare.Clinic.Analytics;

/// <summary>A proportion with its 95 % Wilson score interval.</summary>
/// <param name="Successes">Count with the outcome.</param>
/// <param name="Trials">Count observed.</param>
/// <param name="Low">Lower 95 % limit, 0–1.</param>
/// <param name="High">Upper 95 % limit, 0–1.</param>
public sealed record Proportion(int Successes, int Trials, double Low, double High)
{
    /// <summary>Successes / trials; NaN when nothing was observed.</summary>
    public double Estimate => Trials == 0 ? double.NaN : (double)Successes / Trials;

    /// <summary>
    /// The Wilson score interval (Wilson 1927; method 3 of Newcombe 1998, without continuity correction): the
    /// proportions p whose score test |p̂ − p| / √(p(1 − p)/n) does not reject at 5 %. Unlike p̂ ± 1.96·SE it stays
    /// inside 0–1 and keeps its coverage at the small counts a clinic has (0 of 12 gives 0–24 %, not 0–0).
    /// An empty group gives 0–1.
    /// </summary>
    public static Proportion Wilson(int successes, int trials)
    {
        Guard.InRange(trials, 0, int.MaxValue);
        Guard.InRange(successes, 0, trials);
        if (trials == 0)
        {
            return new(0, 0, 0, 1);
        }

        const double z = Statistics.Z95;
        double n = trials, p = successes / n, z2 = z * z;
        var centre = (p + (z2 / (2 * n))) / (1 + (z2 / n));
        var half = z / (1 + (z2 / n)) * Math.Sqrt((p * (1 - p) / n) + (z2 / (4 * n * n)));

        // At 0 and n the interval's edge is 0 or 1 exactly; rounding must not leave 1e-17.
        return new(successes, trials, successes == 0 ? 0 : Math.Max(0, centre - half), successes == trials ? 1 : Math.Min(1, centre + half));
    }
}

/// <summary>One step of a Kaplan–Meier curve: the estimate just after the events at <see cref="Time"/>.</summary>
/// <param name="Time">Event time, days.</param>
/// <param name="AtRisk">Number at risk just before <see cref="Time"/>.</param>
/// <param name="Events">Events at <see cref="Time"/>.</param>
/// <param name="Censored">Observations censored at <see cref="Time"/> (counted at risk for the events at the same time).</param>
/// <param name="Survival">Estimated probability of no event yet.</param>
/// <param name="StandardError">Greenwood standard error of <see cref="Survival"/>.</param>
/// <param name="Low">Lower 95 % limit (log transform).</param>
/// <param name="High">Upper 95 % limit (log transform, at most 1).</param>
public sealed record SurvivalStep(double Time, int AtRisk, int Events, int Censored, double Survival, double StandardError, double Low, double High);

/// <summary>A time to an event, or to the end of follow-up without one (censored).</summary>
/// <param name="Days">Time from the origin, days (≥ 0).</param>
/// <param name="Event">True for the event; false when follow-up ended without it.</param>
public readonly record struct TimeToEvent(double Days, bool Event);

/// <summary>A Kaplan–Meier estimate with Greenwood's variance.</summary>
/// <param name="Subjects">Number of observations.</param>
/// <param name="Steps">One step per distinct time with events or censoring, in time order.</param>
public sealed record KaplanMeierCurve(int Subjects, IReadOnlyList<SurvivalStep> Steps)
{
    /// <summary>The estimate at <paramref name="days"/> (right-continuous: the step at that time counts).</summary>
    public double SurvivalAt(double days) => Steps.LastOrDefault(s => s.Time <= days)?.Survival ?? 1.0;

    /// <summary>The first time the estimate is at or below 0.5; null when it never falls that far (the median is not reached).</summary>
    public double? Median => Steps.FirstOrDefault(s => s.Events > 0 && s.Survival <= 0.5)?.Time;

    /// <summary>
    /// Kaplan–Meier (1958): at each event time S ← S × (1 − d/n). Greenwood's variance Var S = S² Σ d / (n (n − d));
    /// the 95 % limits are taken on the log scale, exp(log S ± 1.96 √Σ d/(n(n − d))), capped at 1 — the default of R's
    /// <c>survfit</c>, so the figures can be compared with it. A time with only censoring adds a step with no change.
    /// </summary>
    public static KaplanMeierCurve Estimate(IEnumerable<TimeToEvent> observations)
    {
        ArgumentNullException.ThrowIfNull(observations);
        var all = observations.ToList();
        foreach (var o in all)
        {
            Guard.InRange(o.Days, 0, double.MaxValue);
        }

        var steps = new List<SurvivalStep>();
        var atRisk = all.Count;
        double s = 1, greenwood = 0;
        foreach (var g in all.GroupBy(o => o.Days).OrderBy(g => g.Key))
        {
            var d = g.Count(o => o.Event);
            var c = g.Count() - d;
            if (d > 0)
            {
                s *= 1 - ((double)d / atRisk);

                // d = n leaves S = 0 with an undefined log interval; the sum is then kept as is.
                greenwood += atRisk > d ? d / ((double)atRisk * (atRisk - d)) : 0;
            }

            var se = s * Math.Sqrt(greenwood);
            var spread = Math.Exp(Statistics.Z95 * Math.Sqrt(greenwood));
            steps.Add(new SurvivalStep(g.Key, atRisk, d, c, s, se, s / spread, Math.Min(1, s * spread)));
            atRisk -= d + c;
        }

        return new KaplanMeierCurve(all.Count, steps);
    }
}

/// <summary>Constants shared by the estimators.</summary>
public static class Statistics
{
    /// <summary>The two-sided 95 % standard normal quantile.</summary>
    public const double Z95 = 1.959963984540054;
}
