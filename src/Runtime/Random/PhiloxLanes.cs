using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Graph.Runtime;

/// <summary>
/// The vector operations <see cref="Philox4x32"/> computes a group of blocks with, one block per 64-bit lane and
/// every 32-bit word held in the low half of a lane; generic so that one source serves every vector width.
/// </summary>
/// <typeparam name="TVec">The vector of 64-bit lanes.</typeparam>
internal interface IPhiloxLanes<TVec>
    where TVec : struct
{
    /// <summary>Lanes per vector.</summary>
    static abstract int Count { get; }

    /// <summary>Every lane <paramref name="value"/>.</summary>
    static abstract TVec Create(uint value);

    /// <summary>Lane i holds <paramref name="start"/> + i.</summary>
    static abstract TVec Sequence(ulong start);

    /// <summary>Each lane times <paramref name="multiplier"/>: a 32 × 32 → 64-bit product, exact.</summary>
    static abstract TVec Multiply(TVec words, uint multiplier);

    /// <summary>Each lane's low 32 bits.</summary>
    static abstract TVec LowWords(TVec lanes);

    /// <summary>Each lane's high 32 bits, moved to the low half.</summary>
    static abstract TVec HighWords(TVec lanes);

    /// <summary><paramref name="a"/> ^ <paramref name="b"/> ^ <paramref name="key"/> in each lane.</summary>
    static abstract TVec Xor(TVec a, TVec b, uint key);

    /// <summary>Each lane <paramref name="low"/> | <paramref name="high"/> &lt;&lt; 32: two words, low word first in memory.</summary>
    static abstract TVec Join(TVec low, TVec high);

    /// <summary>Stores the lanes.</summary>
    static abstract unsafe void Store(TVec lanes, ulong* destination);
}

/// <summary><see cref="IPhiloxLanes{TVec}"/> on <see cref="Vector512{T}"/>.</summary>
internal readonly struct PhiloxLanes512 : IPhiloxLanes<Vector512<ulong>>
{
    public static int Count => Vector512<ulong>.Count;

    public static Vector512<ulong> Create(uint value) => Vector512.Create((ulong)value);

    public static Vector512<ulong> Sequence(ulong start) => Vector512.CreateSequence(start, 1UL);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<ulong> Multiply(Vector512<ulong> words, uint multiplier) => words * Vector512.Create((ulong)multiplier);

    public static Vector512<ulong> LowWords(Vector512<ulong> lanes) => lanes & Vector512.Create((ulong)uint.MaxValue);

    public static Vector512<ulong> HighWords(Vector512<ulong> lanes) => lanes >>> 32;

    public static Vector512<ulong> Xor(Vector512<ulong> a, Vector512<ulong> b, uint key) => a ^ b ^ Vector512.Create((ulong)key);

    public static Vector512<ulong> Join(Vector512<ulong> low, Vector512<ulong> high) => low | (high << 32);

    public static unsafe void Store(Vector512<ulong> lanes, ulong* destination) => lanes.Store(destination);
}

/// <summary><see cref="IPhiloxLanes{TVec}"/> on <see cref="Vector256{T}"/>.</summary>
internal readonly struct PhiloxLanes256 : IPhiloxLanes<Vector256<ulong>>
{
    public static int Count => Vector256<ulong>.Count;

    public static Vector256<ulong> Create(uint value) => Vector256.Create((ulong)value);

    public static Vector256<ulong> Sequence(ulong start) => Vector256.CreateSequence(start, 1UL);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<ulong> Multiply(Vector256<ulong> words, uint multiplier) => words * Vector256.Create((ulong)multiplier);

    public static Vector256<ulong> LowWords(Vector256<ulong> lanes) => lanes & Vector256.Create((ulong)uint.MaxValue);

    public static Vector256<ulong> HighWords(Vector256<ulong> lanes) => lanes >>> 32;

    public static Vector256<ulong> Xor(Vector256<ulong> a, Vector256<ulong> b, uint key) => a ^ b ^ Vector256.Create((ulong)key);

    public static Vector256<ulong> Join(Vector256<ulong> low, Vector256<ulong> high) => low | (high << 32);

    public static unsafe void Store(Vector256<ulong> lanes, ulong* destination) => lanes.Store(destination);
}
