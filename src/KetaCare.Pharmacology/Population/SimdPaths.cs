using System.Runtime.Intrinsics;

namespace KetaCare.Pharmacology.Population;

/// <summary>
/// Chooses between the 512-bit kernels and the portable <c>Vector&lt;double&gt;</c> ones. The portable path
/// can be forced for the current logical call (it flows into Parallel.For workers), so that tests on an
/// AVX-512 machine also exercise the code every other machine runs.
/// </summary>
internal static class SimdPaths
{
    private static readonly AsyncLocal<bool> PortableOnly = new();

    /// <summary>True when the 512-bit kernels are used.</summary>
    public static bool Wide512 => Vector512.IsHardwareAccelerated && !PortableOnly.Value;

    /// <summary>Forces the portable kernels until the returned scope is disposed.</summary>
    public static IDisposable ForcePortable()
    {
        var previous = PortableOnly.Value;
        PortableOnly.Value = true;
        return new Scope(() => PortableOnly.Value = previous);
    }

    private sealed class Scope(Action restore) : IDisposable
    {
        public void Dispose() => restore();
    }
}
