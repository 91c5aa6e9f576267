using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Graph.Runtime;

/// <summary>
/// Float tanh, 16 lanes at a time with AVX-512 or 8 with 256-bit vectors: over a buffer for <see cref="Kernels.Tanh{T}"/>
/// and a vector at a time for the generated loops' <see cref="Simd.Tanh{T}(System.Numerics.Vector{T})"/>. Within 1.03
/// units in the last place of the exact value over every float from 0 to 10 (checked once over all of them;
/// <c>FloatTanhTests</c> checks every 61st), and all in one method, so that its speed does not hang on what the JIT
/// inlines.
/// </summary>
/// <remarks>
/// <para>Below |x| = <see cref="PolynomialBelow"/>, tanh(x) = x + x·t·P(t) with t = x² and P of degree 6, fitted to
/// (tanh(x)/x − 1)/t on that range (at most 0.85 units in the last place). From there, tanh(|x|) =
/// 1 − 2/(e + 1) with e = exp(2|x|): 2|x| = n·ln 2 + r (|r| ≤ ln 2 / 2, ln 2 in two parts so that n·ln 2 is exact
/// enough), exp(r) = 1 + r + r²·Q(r) with Q of degree 4 fitted to (exp(r) − 1 − r)/r², and e = exp(r)·2ⁿ; tanh is
/// at least 0.63 there, so 1 − 2/(e + 1) loses little to cancellation. |x| is clamped to
/// <see cref="SaturatesFrom"/>, where tanh rounds to 1. The sign of x is put back last (so tanh(−0) = −0); NaN gives
/// NaN, ±∞ gives ±1.</para>
/// <para>Every element takes the same vector code wherever it lies (a buffer's last, partial vector is computed as a
/// whole vector ending at the buffer's end, read before anything is written, so the output may be the input), so the
/// result does not depend on how a buffer is cut across threads. The code is written once over
/// <see cref="ILanes{TVec, T}"/>: each lane's value is the same at either width, so a tanh stored on its own (the
/// buffer kernel, at the widest width) and one fused into a generated loop (the width of <c>Vector&lt;float&gt;</c>)
/// give the same bits.</para>
/// </remarks>
internal static unsafe class FloatTanh
{
    /// <summary>The magnitude below which the odd polynomial is used, and from which the exponential.</summary>
    private const float PolynomialBelow = 0.75f;

    /// <summary>The magnitude from which tanh rounds to 1 in float (it does from 9.01).</summary>
    private const float SaturatesFrom = 9.5f;

    // P(t), t = x², lowest degree first: (tanh(x)/x − 1)/t ≈ P(t) on 0 ≤ x < 0.75.
    private const float P0 = -0.3333333432674408f;
    private const float P1 = 0.1333332359790802f;
    private const float P2 = -0.0539652444422245f;
    private const float P3 = 0.02183636464178562f;
    private const float P4 = -0.008686704561114311f;
    private const float P5 = 0.00309305009432137f;
    private const float P6 = -0.0006983758648857474f;

    // Q(r), lowest degree first: (exp(r) − 1 − r)/r² ≈ Q(r) on |r| ≤ ln 2 / 2.
    private const float Q0 = 0.5f;
    private const float Q1 = 0.16666576266288757f;
    private const float Q2 = 0.04166646674275398f;
    private const float Q3 = 0.008363175205886364f;
    private const float Q4 = 0.0013933643931522965f;

    /// <summary>ln 2 in two parts: the first with 16 significant bits (n·LnTwoHigh is exact for |n| &lt; 2⁸), the second the rest.</summary>
    private const float LnTwoHigh = 0.693145751953125f;

    /// <inheritdoc cref="LnTwoHigh"/>
    private const float LnTwoLow = 1.428606765330187e-06f;

    private const float Log2E = 1.4426950408889634f;

    /// <summary>Whether <see cref="Apply"/> runs here: 512- or 256-bit vectors hardware-accelerated (elsewhere
    /// <see cref="Kernels.Tanh{T}"/> and <see cref="Simd.Tanh{T}(System.Numerics.Vector{T})"/> compute in double).</summary>
    public static bool IsSupported => Vector512.IsHardwareAccelerated || Vector256.IsHardwareAccelerated;

    /// <summary><c>y[i] = tanh(x[i])</c> for spans of the same length that are the same span or do not overlap, at the
    /// widest accelerated width.</summary>
    public static void Apply(ReadOnlySpan<float> x, Span<float> y)
    {
        if (Vector512.IsHardwareAccelerated)
        {
            Apply<Lanes512<float>, Vector512<float>>(x, y);
        }
        else
        {
            Apply<Lanes256<float>, Vector256<float>>(x, y);
        }
    }

    /// <summary><see cref="Apply(ReadOnlySpan{float}, Span{float})"/> at the width of <typeparamref name="TLanes"/>.</summary>
    internal static void Apply<TLanes, TVec>(ReadOnlySpan<float> x, Span<float> y)
        where TLanes : ILanes<TVec, float>
        where TVec : struct
    {
        int width = TLanes.Count;
        int length = x.Length;
        if (length < width)
        {
            // One vector over a copy, so that a short buffer's elements get the same code as a long one's.
            float* lanes = stackalloc float[width];
            new Span<float>(lanes, width).Clear();
            x.CopyTo(new Span<float>(lanes, width));
            TLanes.Store(Tanh<TLanes, TVec>(TLanes.Load(lanes)), lanes);
            new ReadOnlySpan<float>(lanes, length).CopyTo(y);
            return;
        }

        fixed (float* input = x, output = y)
        {
            // The last vector is read before any store: the output may be the input.
            TVec last = TLanes.Load(input + length - width);
            int i = 0;
            for (; i <= length - width; i += width)
            {
                TLanes.Store(Tanh<TLanes, TVec>(TLanes.Load(input + i)), output + i);
            }

            if (i < length)
            {
                TLanes.Store(Tanh<TLanes, TVec>(last), output + length - width);
            }
        }
    }

    /// <summary>tanh of each lane: the polynomial or the exponential's form, only the one every lane needs where they
    /// agree (a layer's pre-activations are mostly small or mostly large), else both and each lane's own.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static TVec Tanh<TLanes, TVec>(TVec x)
        where TLanes : ILanes<TVec, float>
        where TVec : struct
    {
        TVec magnitude = TLanes.Abs(x);
        TVec small = TLanes.LessThan(magnitude, TLanes.Splat(PolynomialBelow));
        ulong lanes = TLanes.Bits(small);
        TVec unsigned = lanes == TLanes.AllBits ? Small<TLanes, TVec>(magnitude)
            : lanes == 0 ? Large<TLanes, TVec>(magnitude)
            : TLanes.Select(small, Small<TLanes, TVec>(magnitude), Large<TLanes, TVec>(magnitude));
        return TLanes.Select(TLanes.Equals(x, x), TLanes.WithSignOf(unsigned, x), x);
    }

    /// <summary>tanh(|x|) = |x| + |x|·t·P(t), t = x², for |x| below <see cref="PolynomialBelow"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVec Small<TLanes, TVec>(TVec magnitude)
        where TLanes : ILanes<TVec, float>
        where TVec : struct
    {
        TVec t = TLanes.Multiply(magnitude, magnitude);
        TVec p = TLanes.FusedMultiplyAdd(TLanes.Splat(P6), t, TLanes.Splat(P5));
        p = TLanes.FusedMultiplyAdd(p, t, TLanes.Splat(P4));
        p = TLanes.FusedMultiplyAdd(p, t, TLanes.Splat(P3));
        p = TLanes.FusedMultiplyAdd(p, t, TLanes.Splat(P2));
        p = TLanes.FusedMultiplyAdd(p, t, TLanes.Splat(P1));
        p = TLanes.FusedMultiplyAdd(p, t, TLanes.Splat(P0));
        return TLanes.FusedMultiplyAdd(TLanes.Multiply(magnitude, t), p, magnitude);
    }

    /// <summary>tanh(|x|) = 1 − 2/(exp(2|x|) + 1), for |x| from <see cref="PolynomialBelow"/> (clamped to
    /// <see cref="SaturatesFrom"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVec Large<TLanes, TVec>(TVec magnitude)
        where TLanes : ILanes<TVec, float>
        where TVec : struct
    {
        TVec twice = TLanes.Multiply(TLanes.MinNative(magnitude, TLanes.Splat(SaturatesFrom)), TLanes.Splat(2f));
        TVec n = TLanes.Round(TLanes.Multiply(twice, TLanes.Splat(Log2E)));
        TVec r = TLanes.FusedMultiplyAdd(n, TLanes.Splat(-LnTwoHigh), twice);
        r = TLanes.FusedMultiplyAdd(n, TLanes.Splat(-LnTwoLow), r);
        TVec q = TLanes.FusedMultiplyAdd(TLanes.Splat(Q4), r, TLanes.Splat(Q3));
        q = TLanes.FusedMultiplyAdd(q, r, TLanes.Splat(Q2));
        q = TLanes.FusedMultiplyAdd(q, r, TLanes.Splat(Q1));
        q = TLanes.FusedMultiplyAdd(q, r, TLanes.Splat(Q0));
        TVec one = TLanes.Splat(1f);
        TVec expR = TLanes.FusedMultiplyAdd(TLanes.Multiply(r, r), q, TLanes.Add(r, one));
        return TLanes.Subtract(one, TLanes.Divide(TLanes.Splat(2f), TLanes.FusedMultiplyAdd(expR, TLanes.AddToExponent(TLanes.Splat(1f), n), one)));
    }
}
