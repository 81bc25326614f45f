using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace KetaCare.Pharmacology.Population;

/// <summary>
/// Advances a range of subjects through a block of grid segments (x ← Φx + Γu, boluses added at segment
/// ends) and writes the output concentration of every output row in the block, clamped at 0, while
/// tracking each subject's peak. One vector holds consecutive subjects; each subject's state stays in
/// registers across the block. Subjects [i0, i1) are multiples of the vector width; <c>rows</c> holds
/// rows r0… of the block, <c>Np</c> apart.
/// </summary>
/// <remarks>
/// The hot loops of the population engine (these kernels, the summaries, the percentile selection, the small
/// exponentials) are marked <see cref="MethodImplOptions.AggressiveOptimization"/>: compiled optimised at their first
/// call whatever the host's tiering settings. The web app runs with the default tiering, where a one-second run
/// spent most of its time in unoptimised tier-0 code (100,000 patients: 3.3–4.3 s from the page to the bands, then
/// 0.8–1.2 s).
/// </remarks>
internal static class SteppingKernels
{
    /// <summary>Advances subjects [i0, i1) through segments [segFirst, segLast], writing output rows from r0.</summary>
    public static void Advance(SubjectSystems s, int i0, int i1, int segFirst, int segLast, int r0, double[] x, double[] peak, double[] rows)
    {
        if (s.M == 3 && s.InputCount <= 1)
        {
            // The step is latency-bound, so wider vectors pay: eight subjects per vector where AVX-512 is there.
            if (SimdPaths.Wide512)
            {
                Advance3<Vector512<double>, Lanes512>(s, i0, i1, segFirst, segLast, r0, x, peak, rows);
            }
            else
            {
                Advance3<Vector<double>, LanesPortable>(s, i0, i1, segFirst, segLast, r0, x, peak, rows);
            }

            return;
        }

        AdvanceAny(s, i0, i1, segFirst, segLast, r0, x, peak, rows);
    }

    // Any order and any number of inputs: Φ and Γ are read from memory at every step.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AdvanceAny(SubjectSystems s, int i0, int i1, int segFirst, int segLast, int r0, double[] x, double[] peak, double[] rows)
    {
        var m = s.M;
        var np = s.Np;
        var mm = m * m;
        var ni = s.InputCount;
        var w = Vector<double>.Count;
        var g = s.Grid;
        Span<Vector<double>> xs = stackalloc Vector<double>[m];
        Span<Vector<double>> ys = stackalloc Vector<double>[m];
        ref var phi = ref MemoryMarshal.GetArrayDataReference(s.Phi);
        ref var gam = ref MemoryMarshal.GetArrayDataReference(s.Gamma);
        ref var xr = ref MemoryMarshal.GetArrayDataReference(x);
        ref var rv = ref MemoryMarshal.GetArrayDataReference(s.RateValues);
        ref var bv = ref MemoryMarshal.GetArrayDataReference(s.BolusValues);
        ref var out0 = ref MemoryMarshal.GetArrayDataReference(rows);
        unchecked
        {
            for (var i = i0; i < i1; i += w)
            {
                var ui = (nuint)i;
                for (var r = 0; r < m; r++)
                {
                    xs[r] = Vector.LoadUnsafe(ref xr, (nuint)(r * np) + ui);
                }

                var pk = Vector.LoadUnsafe(ref MemoryMarshal.GetArrayDataReference(peak), ui);
                var sc = Vector.LoadUnsafe(ref MemoryMarshal.GetArrayDataReference(s.Scale), ui);
                for (var seg = segFirst; seg <= segLast; seg++)
                {
                    var hb = g.SegH[seg] * mm;
                    for (var r = 0; r < m; r++)
                    {
                        var acc = Vector<double>.Zero;
                        for (var c = 0; c < m; c++)
                        {
                            acc += Vector.LoadUnsafe(ref phi, (nuint)((hb + (r * m) + c) * np) + ui) * xs[c];
                        }

                        ys[r] = acc;
                    }

                    for (var a = g.SegActiveStart[seg]; a < g.SegActiveStart[seg + 1]; a++)
                    {
                        var slot = g.ActiveList[a];
                        var u = Vector.LoadUnsafe(ref rv, (nuint)(slot * np) + ui);
                        var gb = ((g.SegH[seg] * ni) + s.RateInput[slot]) * m;
                        for (var r = 0; r < m; r++)
                        {
                            ys[r] += u * Vector.LoadUnsafe(ref gam, (nuint)((gb + r) * np) + ui);
                        }
                    }

                    for (var b = g.SegBoluses[seg]; b < g.SegBoluses[seg + 1]; b++)
                    {
                        var slot = g.BolusList[b];
                        ys[s.BolusState[slot]] += Vector.LoadUnsafe(ref bv, (nuint)(slot * np) + ui);
                    }

                    ys.CopyTo(xs);
                    var row = g.SegRow[seg];
                    if (row >= 0)
                    {
                        var c = Vector.Max(Vector<double>.Zero, xs[s.OutState] * sc);
                        c.StoreUnsafe(ref out0, (nuint)((row - r0) * np) + ui);
                        pk = Vector.Max(pk, c);
                    }
                }

                for (var r = 0; r < m; r++)
                {
                    xs[r].StoreUnsafe(ref xr, (nuint)(r * np) + ui);
                }

                pk.StoreUnsafe(ref MemoryMarshal.GetArrayDataReference(peak), ui);
            }
        }
    }

    // Three states (a mammillary model's central and two peripherals) and at most one input state: Φ and Γ
    // of the current step length stay in registers (12 vectors) across the block of time steps.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Advance3<TVec, L>(SubjectSystems s, int i0, int i1, int segFirst, int segLast, int r0, double[] x, double[] peak, double[] rows)
        where TVec : struct
        where L : struct, IVectorLanes<TVec>
    {
        var g = s.Grid;
        var single = s.HCount == 1;
        var oneInput = s.InputCount == 1;
        var segH = g.SegH;
        ref var xr = ref MemoryMarshal.GetArrayDataReference(x);
        ref var rv = ref MemoryMarshal.GetArrayDataReference(s.RateValues);
        ref var bv = ref MemoryMarshal.GetArrayDataReference(s.BolusValues);
        ref var out0 = ref MemoryMarshal.GetArrayDataReference(rows);
        ref var pkr = ref MemoryMarshal.GetArrayDataReference(peak);
        ref var scr = ref MemoryMarshal.GetArrayDataReference(s.Scale);
        ref var phi = ref MemoryMarshal.GetArrayDataReference(s.Phi);
        ref var gam = ref MemoryMarshal.GetArrayDataReference(s.Gamma);
        var o = s.OutState;
        unchecked
        {
            var unp = (nuint)s.Np;
            for (var i = i0; i < i1; i += L.Count)
            {
                var ui = (nuint)i;
                var x0 = L.Load(ref xr, ui);
                var x1 = L.Load(ref xr, unp + ui);
                var x2 = L.Load(ref xr, (2 * unp) + ui);
                var pk = L.Load(ref pkr, ui);
                var sc = L.Load(ref scr, ui);
                var h = segH[segFirst];
                LoadPropagator3<TVec, L>(ref phi, ref gam, oneInput, h, unp, ui, out var p00, out var p01, out var p02, out var p10, out var p11, out var p12, out var p20, out var p21, out var p22, out var g0, out var g1, out var g2);
                for (var seg = segFirst; seg <= segLast; seg++)
                {
                    if (!single && segH[seg] != h)
                    {
                        h = segH[seg];
                        LoadPropagator3<TVec, L>(ref phi, ref gam, oneInput, h, unp, ui, out p00, out p01, out p02, out p10, out p11, out p12, out p20, out p21, out p22, out g0, out g1, out g2);
                    }

                    // y = Φx, summed left to right as the scalar reference does.
                    var y0 = L.Add(L.Add(L.Multiply(p00, x0), L.Multiply(p01, x1)), L.Multiply(p02, x2));
                    var y1 = L.Add(L.Add(L.Multiply(p10, x0), L.Multiply(p11, x1)), L.Multiply(p12, x2));
                    var y2 = L.Add(L.Add(L.Multiply(p20, x0), L.Multiply(p21, x1)), L.Multiply(p22, x2));
                    var a0 = g.SegActiveStart[seg];
                    var a1 = g.SegActiveStart[seg + 1];
                    if (a1 > a0)
                    {
                        // y += Γ·u, u the sum of the active rates (all into the one input state).
                        var u = L.Load(ref rv, ((nuint)g.ActiveList[a0] * unp) + ui);
                        for (var a = a0 + 1; a < a1; a++)
                        {
                            u = L.Add(u, L.Load(ref rv, ((nuint)g.ActiveList[a] * unp) + ui));
                        }

                        y0 = L.Add(y0, L.Multiply(u, g0));
                        y1 = L.Add(y1, L.Multiply(u, g1));
                        y2 = L.Add(y2, L.Multiply(u, g2));
                    }

                    for (var b = g.SegBoluses[seg]; b < g.SegBoluses[seg + 1]; b++)
                    {
                        var slot = g.BolusList[b];
                        var amount = L.Load(ref bv, ((nuint)slot * unp) + ui);
                        switch (s.BolusState[slot])
                        {
                            case 0: y0 = L.Add(y0, amount); break;
                            case 1: y1 = L.Add(y1, amount); break;
                            default: y2 = L.Add(y2, amount); break;
                        }
                    }

                    x0 = y0;
                    x1 = y1;
                    x2 = y2;
                    var row = g.SegRow[seg];
                    if (row >= 0)
                    {
                        var c = L.Max(L.Zero, L.Multiply(o == 0 ? x0 : o == 1 ? x1 : x2, sc));
                        L.Store(c, ref out0, ((nuint)(row - r0) * unp) + ui);
                        pk = L.Max(pk, c);
                    }
                }

                L.Store(x0, ref xr, ui);
                L.Store(x1, ref xr, unp + ui);
                L.Store(x2, ref xr, (2 * unp) + ui);
                L.Store(pk, ref pkr, ui);
            }
        }
    }

    // One vector of subjects' 3×3 Φ and 3×1 Γ (zero without a rate input) for step length h, into locals
    // (out parameters, not a struct of twelve vectors, so that the JIT keeps them in registers).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void LoadPropagator3<TVec, L>(ref double phi, ref double gam, bool oneInput, int h, nuint unp, nuint ui,
        out TVec p00, out TVec p01, out TVec p02, out TVec p10, out TVec p11, out TVec p12, out TVec p20, out TVec p21, out TVec p22, out TVec g0, out TVec g1, out TVec g2)
        where TVec : struct
        where L : struct, IVectorLanes<TVec>
    {
        unchecked
        {
            var b = (nuint)(h * 9) * unp;
            p00 = L.Load(ref phi, b + ui);
            p01 = L.Load(ref phi, b + unp + ui);
            p02 = L.Load(ref phi, b + (2 * unp) + ui);
            p10 = L.Load(ref phi, b + (3 * unp) + ui);
            p11 = L.Load(ref phi, b + (4 * unp) + ui);
            p12 = L.Load(ref phi, b + (5 * unp) + ui);
            p20 = L.Load(ref phi, b + (6 * unp) + ui);
            p21 = L.Load(ref phi, b + (7 * unp) + ui);
            p22 = L.Load(ref phi, b + (8 * unp) + ui);
            if (oneInput)
            {
                var gb = (nuint)(h * 3) * unp;
                g0 = L.Load(ref gam, gb + ui);
                g1 = L.Load(ref gam, gb + unp + ui);
                g2 = L.Load(ref gam, gb + (2 * unp) + ui);
            }
            else
            {
                g0 = g1 = g2 = L.Zero;
            }
        }
    }
}
