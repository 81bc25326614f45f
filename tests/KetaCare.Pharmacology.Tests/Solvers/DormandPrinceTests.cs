using KetaCare.Pharmacology.Solvers;

namespace KetaCare.Pharmacology.Tests.Solvers;

public class DormandPrinceTests
{
    [Fact]
    public void Integrate_ExponentialDecay_MatchesClosedForm()
    {
        double[] y = [1.0];
        double[] times = [0.5, 1, 2.5, 7.3, 10];
        var got = new List<double>();
        DormandPrince.Integrate((t, x, dx) => dx[0] = -0.8 * x[0], 0, y, 10, new OdeOptions(1e-10, 1e-14), times, (t, x) => got.Add(x[0]));
        Assert.Equal(times.Length, got.Count);
        for (var i = 0; i < times.Length; i++)
        {
            // Dense output between steps is 4th order: tolerance 1e-8 relative at rtol 1e-10.
            Assert.Equal(Math.Exp(-0.8 * times[i]), got[i], Math.Exp(-0.8 * times[i]) * 1e-8);
        }

        Assert.Equal(Math.Exp(-8), y[0], Math.Exp(-8) * 1e-9);
    }

    [Fact]
    public void Integrate_NonlinearLogistic_MatchesClosedForm()
    {
        // dy/dt = r·y·(1 − y/K): nonlinear, y(t) = K / (1 + (K/y0 − 1)e^{−rt}).
        const double r = 1.5, k = 10, y0 = 0.1;
        double[] y = [y0];
        DormandPrince.Integrate((t, x, dx) => dx[0] = r * x[0] * (1 - (x[0] / k)), 0, y, 8, new OdeOptions(1e-11, 1e-14));
        var exact = k / (1 + (((k / y0) - 1) * Math.Exp(-r * 8)));
        Assert.Equal(exact, y[0], exact * 1e-9);
    }

    [Fact]
    public void Integrate_HarmonicOscillator_ConservesEnergy()
    {
        double[] y = [1, 0];
        DormandPrince.Integrate((t, x, dx) => { dx[0] = x[1]; dx[1] = -x[0]; }, 0, y, 20 * Math.PI, new OdeOptions(1e-11, 1e-14));
        Assert.Equal(1.0, y[0], 1e-8);
        Assert.Equal(0.0, y[1], 1e-8);
    }

    [Fact]
    public void Integrate_StepBudgetExceeded_Throws()
    {
        double[] y = [1.0];
        Assert.Throws<InvalidOperationException>(() =>
            DormandPrince.Integrate((t, x, dx) => dx[0] = -x[0], 0, y, 1000, new OdeOptions(1e-12, 1e-16, MaxSteps: 5)));
    }
}
