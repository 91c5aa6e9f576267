using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Graph.Runtime;

/// <summary>
/// tanh over a float buffer, 16 lanes at a time with AVX-512, for <see cref="Kernels.Tanh{T}"/>: within 1.03 units in
/// the last place of the exact value over every float from 0 to 10 (checked once over all of them; <c>FloatTanhTests</c>
/// checks every 61st), and all in one method, so that its speed does not hang on what the JIT inlines.
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
/// result does not depend on how a buffer is cut across threads.</para>
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

    /// <summary>The lanes of one vector.</summary>
    private const int Lanes = 16;

    /// <summary>Whether <see cref="Apply"/> runs here: AVX-512 accelerated (elsewhere <see cref="Kernels.Tanh{T}"/>
    /// takes <c>TensorPrimitives</c>).</summary>
    public static bool IsSupported => Vector512.IsHardwareAccelerated;

    /// <summary><c>y[i] = tanh(x[i])</c> for spans of the same length that are the same span or do not overlap.</summary>
    public static void Apply(ReadOnlySpan<float> x, Span<float> y)
    {
        int length = x.Length;
        if (length < Lanes)
        {
            // One vector over a copy, so that a short buffer's elements get the same code as a long one's.
            float* lanes = stackalloc float[Lanes];
            new Span<float>(lanes, Lanes).Clear();
            x.CopyTo(new Span<float>(lanes, Lanes));
            Vector512.Store(Tanh(Vector512.Load(lanes)), lanes);
            new ReadOnlySpan<float>(lanes, length).CopyTo(y);
            return;
        }

        fixed (float* input = x, output = y)
        {
            // The last vector is read before any store: the output may be the input.
            Vector512<float> last = Vector512.Load(input + length - Lanes);
            int i = 0;
            for (; i <= length - Lanes; i += Lanes)
            {
                Vector512.Store(Tanh(Vector512.Load(input + i)), output + i);
            }

            if (i < length)
            {
                Vector512.Store(Tanh(last), output + length - Lanes);
            }
        }
    }

    /// <summary>tanh of each lane: the polynomial or the exponential's form, only the one every lane needs where they
    /// agree (a layer's pre-activations are mostly small or mostly large), else both and each lane's own.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Tanh(Vector512<float> x)
    {
        Vector512<float> magnitude = Vector512.Abs(x);
        Vector512<float> small = Vector512.LessThan(magnitude, Vector512.Create(PolynomialBelow));
        ulong lanes = small.ExtractMostSignificantBits();
        Vector512<float> unsigned = lanes == 0xFFFF ? Small(magnitude)
            : lanes == 0 ? Large(magnitude)
            : Vector512.ConditionalSelect(small, Small(magnitude), Large(magnitude));
        Vector512<float> signed = unsigned | (x & Vector512.Create(-0f));
        return Vector512.ConditionalSelect(Vector512.Equals(x, x), signed, x);
    }

    /// <summary>tanh(|x|) = |x| + |x|·t·P(t), t = x², for |x| below <see cref="PolynomialBelow"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Small(Vector512<float> magnitude)
    {
        Vector512<float> t = magnitude * magnitude;
        Vector512<float> p = Vector512.FusedMultiplyAdd(Vector512.Create(P6), t, Vector512.Create(P5));
        p = Vector512.FusedMultiplyAdd(p, t, Vector512.Create(P4));
        p = Vector512.FusedMultiplyAdd(p, t, Vector512.Create(P3));
        p = Vector512.FusedMultiplyAdd(p, t, Vector512.Create(P2));
        p = Vector512.FusedMultiplyAdd(p, t, Vector512.Create(P1));
        p = Vector512.FusedMultiplyAdd(p, t, Vector512.Create(P0));
        return Vector512.FusedMultiplyAdd(magnitude * t, p, magnitude);
    }

    /// <summary>tanh(|x|) = 1 − 2/(exp(2|x|) + 1), for |x| from <see cref="PolynomialBelow"/> (clamped to
    /// <see cref="SaturatesFrom"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Large(Vector512<float> magnitude)
    {
        Vector512<float> twice = Vector512.MinNative(magnitude, Vector512.Create(SaturatesFrom)) * 2f;
        Vector512<float> n = Vector512.Round(twice * Log2E);
        Vector512<float> r = Vector512.FusedMultiplyAdd(n, Vector512.Create(-LnTwoHigh), twice);
        r = Vector512.FusedMultiplyAdd(n, Vector512.Create(-LnTwoLow), r);
        Vector512<float> q = Vector512.FusedMultiplyAdd(Vector512.Create(Q4), r, Vector512.Create(Q3));
        q = Vector512.FusedMultiplyAdd(q, r, Vector512.Create(Q2));
        q = Vector512.FusedMultiplyAdd(q, r, Vector512.Create(Q1));
        q = Vector512.FusedMultiplyAdd(q, r, Vector512.Create(Q0));
        Vector512<float> expR = Vector512.FusedMultiplyAdd(r * r, q, r + Vector512<float>.One);
        Vector512<float> powerOfTwo = Vector512.ShiftLeft(Vector512.ConvertToInt32(n) + Vector512.Create(127), 23).AsSingle();
        return Vector512<float>.One - (Vector512.Create(2f) / Vector512.FusedMultiplyAdd(expR, powerOfTwo, Vector512<float>.One));
    }
}
