using CsCheck;
using KetaCare.Pharmacology.Solvers;

namespace KetaCare.Pharmacology.Tests.Solvers;

public class MatrixExponentialTests
{
    [Theory]
    [InlineData(0.001)]
    [InlineData(0.3)]
    [InlineData(2.0)]
    [InlineData(40.0)]
    [InlineData(900.0)]
    public void Compute_Diagonal_EqualsScalarExponentials(double scale)
    {
        // Norms across every Padé branch (m = 3 … 13 and scaling-and-squaring).
        double[] a = [-1 * scale, 0, 0, 0, -0.01 * scale, 0, 0, 0, 0];
        var e = MatrixExponential.Compute(3, a);
        Assert.Equal(Math.Exp(-scale), e[0], Math.Max(1e-300, Math.Exp(-scale) * 1e-12));
        Assert.Equal(Math.Exp(-0.01 * scale), e[4], Math.Exp(-0.01 * scale) * 1e-12);
        Assert.Equal(1.0, e[8], 15);
        Assert.Equal(0.0, e[1]);
    }

    [Fact]
    public void Compute_Rotation_IsCosSin()
    {
        // e^[[0, θ], [−θ, 0]] = [[cos θ, sin θ], [−sin θ, cos θ]].
        const double theta = 1.3;
        var e = MatrixExponential.Compute(2, [0, theta, -theta, 0]);
        Assert.Equal(Math.Cos(theta), e[0], 14);
        Assert.Equal(Math.Sin(theta), e[1], 14);
        Assert.Equal(-Math.Sin(theta), e[2], 14);
    }

    [Fact]
    public void Compute_JordanBlock_HasTeTerm()
    {
        // e^{t[[−k, 1], [0, −k]]} = e^{−kt}[[1, t], [0, 1]]: the defective case eigen-methods get wrong.
        const double k = 0.7, t = 3.0;
        var e = MatrixExponential.Compute(2, [-k * t, t, 0, -k * t]);
        Assert.Equal(Math.Exp(-k * t), e[0], 14);
        Assert.Equal(t * Math.Exp(-k * t), e[1], 14);
    }

    [Fact]
    public void Compute_TimesInverse_IsIdentity() =>
        Gen.Double[-2, 2].Array[9].Sample(a =>
        {
            var e = MatrixExponential.Compute(3, a);
            var m = MatrixExponential.Compute(3, a.Select(v => -v).ToArray());
            var p = new double[9];
            MatrixExponential.Multiply(3, e, m, p);
            for (var i = 0; i < 9; i++)
            {
                Assert.Equal(i % 4 == 0 ? 1.0 : 0.0, p[i], 1e-10);
            }
        }, iter: 200);
}
