using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace KetaCare.Pharmacology.Population;

/// <summary>
/// The few vector operations the stepping kernels use, over one vector type, so that one kernel serves
/// every vector width. The implementations are structs with static members: the JIT specialises a kernel
/// for each and inlines every call, so the generic kernel compiles to the same code as one written for
/// the vector type (measured in docs/performance.md). The runtime's own ISimdVector is not public.
/// </summary>
/// <typeparam name="TVec">The vector of doubles.</typeparam>
internal interface IVectorLanes<TVec>
    where TVec : struct
{
    /// <summary>Doubles per vector.</summary>
    static abstract int Count { get; }

    /// <summary>All lanes zero.</summary>
    static abstract TVec Zero { get; }

    static abstract TVec Load(ref double source, nuint index);

    static abstract void Store(TVec value, ref double destination, nuint index);

    static abstract TVec Add(TVec left, TVec right);

    static abstract TVec Multiply(TVec left, TVec right);

    static abstract TVec Max(TVec left, TVec right);
}

/// <summary>Eight doubles per vector (AVX-512).</summary>
internal readonly struct Lanes512 : IVectorLanes<Vector512<double>>
{
    public static int Count => Vector512<double>.Count;

    public static Vector512<double> Zero => Vector512<double>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Load(ref double source, nuint index) => Vector512.LoadUnsafe(ref source, index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector512<double> value, ref double destination, nuint index) => value.StoreUnsafe(ref destination, index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Add(Vector512<double> left, Vector512<double> right) => left + right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Multiply(Vector512<double> left, Vector512<double> right) => left * right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Max(Vector512<double> left, Vector512<double> right) => Vector512.Max(left, right);
}

/// <summary><see cref="Vector{T}"/>: the machine's preferred width (256 bits on x64 unless configured otherwise).</summary>
internal readonly struct LanesPortable : IVectorLanes<Vector<double>>
{
    public static int Count => Vector<double>.Count;

    public static Vector<double> Zero => Vector<double>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<double> Load(ref double source, nuint index) => Vector.LoadUnsafe(ref source, index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector<double> value, ref double destination, nuint index) => value.StoreUnsafe(ref destination, index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<double> Add(Vector<double> left, Vector<double> right) => left + right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<double> Multiply(Vector<double> left, Vector<double> right) => left * right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<double> Max(Vector<double> left, Vector<double> right) => Vector.Max(left, right);
}
