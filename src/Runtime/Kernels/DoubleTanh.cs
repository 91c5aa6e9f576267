using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Graph.Runtime;

/// <summary>
/// Double tanh, 8 lanes at a time with AVX-512 or 4 with 256-bit vectors, each lane the same bits as
/// <see cref="Math.Tanh"/>: over a buffer for <see cref="Kernels.Tanh{T}"/> and a vector at a time for the generated
/// loops' <see cref="Simd.Tanh{T}(System.Numerics.Vector{T})"/>. Used only where <see cref="IsSupported"/>: where a
/// probe over every path of the computation finds the platform's <see cref="Math.Tanh"/> to be the one reproduced here.
/// </summary>
/// <remarks>
/// <para><see cref="Math.Tanh"/> on x86-64 Linux is the C library's: glibc's tanh, which takes t = expm1(2|x|) for
/// |x| ≥ 1 and returns 1 − 2/(t + 2), t = expm1(−2|x|) below and returns −t/(t + 2), x·(1 + x) below 2⁻⁵⁵, 1 from 22
/// on, the sign of x put back. Its expm1, on a CPU with FMA and AVX2, is the build whose multiply-adds the compiler
/// fused: argument reduction u = k·ln 2 + r (ln 2 in two parts, k chosen by the magnitude of u), a rational
/// approximation of degree 5 in r²/2, and a reconstruction that depends on k. This class computes every lane through
/// the same operations in the same order, each multiply-add fused where that build fuses it, all branches at once and
/// each lane's own picked, so each lane gives the scalar function's bits (the tests compare millions of inputs
/// against <see cref="Math.Tanh"/> at both widths). Elsewhere (another C library, no FMA) the probe fails and
/// <see cref="Kernels.Tanh{T}"/> and the generated loops call <see cref="Math.Tanh"/> for each element instead.</para>
/// <para>A vector whose every lane is below 2⁻⁵⁵ in magnitude (a layer's zero pre-activations) takes x·(1 + x) alone, and
/// one whose lanes all fall in expm1's first one or two ranges of k skips the other ranges' reconstructions.</para>
/// </remarks>
internal static unsafe class DoubleTanh
{
    /// <summary>The vectors of a block that <see cref="Apply{TLanes, TVec}"/> takes in two passes.</summary>
    private const int BlockVectors = 16;

    // tanh's thresholds on |x|.
    private const double TinyBelow = 2.7755575615628914e-17; // 2⁻⁵⁵: tanh(x) = x·(1 + x)
    private const double SaturatesFrom = 22.0;               // tanh(x) = ±1

    // expm1's thresholds on |u|: k = 0 up to ½ ln 2, k = −1 (u < 0) up to 1.5 ln 2; they compare the high 32 bits of
    // |u| (0x3fd62e42 and 0x3ff0a2b1 are the last high words of each range).
    private static readonly double KZeroBelow = BitConverter.UInt64BitsToDouble(0x3fd62e43_00000000);
    private static readonly double KMinusOneBelow = BitConverter.UInt64BitsToDouble(0x3ff0a2b2_00000000);

    // ln 2 in two parts (the first with its low 21 bits clear, so that k·LnTwoHigh is exact), and 1 / ln 2.
    private static readonly double LnTwoHigh = BitConverter.UInt64BitsToDouble(0x3fe62e42_fee00000);
    private static readonly double LnTwoLow = BitConverter.UInt64BitsToDouble(0x3dea39ef_35793c76);
    private static readonly double InverseLnTwo = BitConverter.UInt64BitsToDouble(0x3ff71547_652b82fe);

    // The rational approximation's coefficients, Q1 … Q5.
    private static readonly double Q1 = BitConverter.UInt64BitsToDouble(0xbfa11111_111110f4);
    private static readonly double Q2 = BitConverter.UInt64BitsToDouble(0x3f5a01a0_19fe5585);
    private static readonly double Q3 = BitConverter.UInt64BitsToDouble(0xbf14ce19_9eaadbb7);
    private static readonly double Q4 = BitConverter.UInt64BitsToDouble(0x3ed0cfca_86e65239);
    private static readonly double Q5 = BitConverter.UInt64BitsToDouble(0xbe8afdb7_6e09c32d);

    /// <summary>Whether the lanes reproduce <see cref="Math.Tanh"/> here (the probe at every accelerated width agrees).</summary>
    public static bool IsSupported { get; } = Probe();

    /// <summary><c>y[i] = tanh(x[i])</c> for spans of the same length that are the same span or do not overlap, at the
    /// widest accelerated width; the elements past the last whole vector through <see cref="Math.Tanh"/> (the same bits).</summary>
    public static void Apply(ReadOnlySpan<double> x, Span<double> y)
    {
        if (Vector512.IsHardwareAccelerated)
        {
            Apply<Lanes512<double>, Vector512<double>>(x, y);
        }
        else
        {
            Apply<Lanes256<double>, Vector256<double>>(x, y);
        }
    }

    /// <summary><see cref="Apply(ReadOnlySpan{double}, Span{double})"/> at the width of <typeparamref name="TLanes"/>.</summary>
    internal static void Apply<TLanes, TVec>(ReadOnlySpan<double> x, Span<double> y)
        where TLanes : ILanes<TVec, double>
        where TVec : struct
    {
        int width = TLanes.Count;
        int length = x.Length;
        int i = 0;
        double* expMinusOne = stackalloc double[BlockVectors * width];
        fixed (double* input = x, output = y)
        {
            // A block of vectors in two passes, expm1 of every vector and then the rest: each pass's chain of
            // dependent operations (a division in each) is half the whole, so more vectors are in flight at once; the
            // same operations. Over 1.28M values at 512 bits this halved the time (the bench's tanh command).
            for (; i <= length - (BlockVectors * width); i += BlockVectors * width)
            {
                for (int v = 0; v < BlockVectors; v++)
                {
                    TLanes.Store(ExpMinusOneOf<TLanes, TVec>(TLanes.Load(input + i + (v * width))), expMinusOne + (v * width));
                }

                for (int v = 0; v < BlockVectors; v++)
                {
                    TVec lanes = TLanes.Load(input + i + (v * width));
                    TLanes.Store(TanhFrom<TLanes, TVec>(lanes, TLanes.Load(expMinusOne + (v * width))), output + i + (v * width));
                }
            }

            for (; i <= length - width; i += width)
            {
                TLanes.Store(Tanh<TLanes, TVec>(TLanes.Load(input + i)), output + i);
            }
        }

        for (; i < length; i++)
        {
            y[i] = Math.Tanh(x[i]);
        }
    }

    /// <summary>tanh of each lane, <see cref="Math.Tanh"/>'s bits where <see cref="IsSupported"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static TVec Tanh<TLanes, TVec>(TVec x)
        where TLanes : ILanes<TVec, double>
        where TVec : struct => TanhFrom<TLanes, TVec>(x, ExpMinusOneOf<TLanes, TVec>(x));

    /// <summary>The expm1 that tanh of each lane divides: of −2|x| below 1, of 2|x| from there (any value where every
    /// lane is below 2⁻⁵⁵, which <see cref="TanhFrom"/> does not read).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVec ExpMinusOneOf<TLanes, TVec>(TVec x)
        where TLanes : ILanes<TVec, double>
        where TVec : struct
    {
        TVec magnitude = TLanes.Abs(x);
        if (TLanes.Bits(TLanes.LessThan(magnitude, TLanes.Splat(TinyBelow))) == TLanes.AllBits)
        {
            return x;
        }

        TVec belowOne = TLanes.LessThan(magnitude, TLanes.Splat(1.0));
        return ExpMinusOne<TLanes, TVec>(TLanes.Select(belowOne, TLanes.Multiply(magnitude, TLanes.Splat(-2.0)), TLanes.Add(magnitude, magnitude)));
    }

    /// <summary>tanh of each lane from <paramref name="t"/>, <see cref="ExpMinusOneOf"/> of <paramref name="x"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVec TanhFrom<TLanes, TVec>(TVec x, TVec t)
        where TLanes : ILanes<TVec, double>
        where TVec : struct
    {
        TVec one = TLanes.Splat(1.0);
        TVec tinyValue = TLanes.Multiply(x, TLanes.Add(one, x));
        TVec magnitude = TLanes.Abs(x);
        TVec tiny = TLanes.LessThan(magnitude, TLanes.Splat(TinyBelow));
        if (TLanes.Bits(tiny) == TLanes.AllBits)
        {
            return tinyValue;
        }

        // −t/(t + 2) below 1, else 1 − 2/(t + 2): one division for both.
        TVec belowOne = TLanes.LessThan(magnitude, one);
        TVec quotient = TLanes.Divide(TLanes.Select(belowOne, Negate<TLanes, TVec>(t), TLanes.Splat(2.0)), TLanes.Add(t, TLanes.Splat(2.0)));
        TVec unsigned = TLanes.Select(belowOne, quotient, TLanes.Subtract(one, quotient));
        unsigned = TLanes.Select(TLanes.LessThan(magnitude, TLanes.Splat(SaturatesFrom)), unsigned, one);
        TVec signed = TLanes.Select(tiny, tinyValue, TLanes.WithSignOf(unsigned, x));

        // NaN: the input's NaN, quieted, as the scalar function's arithmetic on it returns.
        return TLanes.Select(TLanes.Equals(x, x), signed, TLanes.Add(x, x));
    }

    /// <summary>
    /// expm1(u) for the arguments tanh passes (−2 &lt; u ≤ −2⁻⁵⁴ and 2 ≤ u &lt; 44; other lanes give values tanh does
    /// not use): u = k·ln 2 + r, exp(r) − 1 from the rational approximation, scaled back by k.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVec ExpMinusOne<TLanes, TVec>(TVec u)
        where TLanes : ILanes<TVec, double>
        where TVec : struct
    {
        TVec one = TLanes.Splat(1.0);
        TVec half = TLanes.Splat(0.5);

        // k: 0 where |u| ≤ ½ ln 2, −1 where u < 0 and |u| < 1.5 ln 2, else u/ln 2 ± ½ truncated (a multiply and an
        // add, not fused).
        TVec magnitude = TLanes.Abs(u);
        TVec negative = TLanes.LessThan(u, TLanes.Splat(0.0));
        TVec k = TLanes.Truncate(TLanes.Add(TLanes.Multiply(TLanes.Splat(InverseLnTwo), u), TLanes.Select(negative, TLanes.Splat(-0.5), half)));
        k = TLanes.Select(TLanes.LessThan(magnitude, TLanes.Splat(KMinusOneBelow)), TLanes.Splat(-1.0), k);
        k = TLanes.Select(TLanes.LessThan(magnitude, TLanes.Splat(KZeroBelow)), TLanes.Splat(0.0), k);

        // r = hi − lo with its rounding error c; with k = 0 these are u and 0.
        TVec high = TLanes.FusedMultiplyAdd(Negate<TLanes, TVec>(k), TLanes.Splat(LnTwoHigh), u);
        TVec low = TLanes.Multiply(k, TLanes.Splat(LnTwoLow));
        TVec r = TLanes.Subtract(high, low);
        TVec c = TLanes.Subtract(TLanes.Subtract(high, r), low);

        // The rational approximation: e with exp(r) − 1 = r − (r·e − r²/2).
        TVec halfR = TLanes.Multiply(r, half);
        TVec halfSquare = TLanes.Multiply(r, halfR);
        TVec r2 = TLanes.FusedMultiplyAdd(halfSquare, TLanes.Splat(Q3), TLanes.Splat(Q2));
        TVec r3 = TLanes.FusedMultiplyAdd(halfSquare, TLanes.Splat(Q5), TLanes.Splat(Q4));
        TVec square = TLanes.Multiply(halfSquare, halfSquare);
        TVec r1 = TLanes.FusedMultiplyAdd(halfSquare, TLanes.Splat(Q1), one);
        TVec fourth = TLanes.Multiply(square, square);
        r1 = TLanes.FusedMultiplyAdd(fourth, r3, TLanes.FusedMultiplyAdd(square, r2, r1));
        TVec s = TLanes.FusedMultiplyAdd(Negate<TLanes, TVec>(r1), halfR, TLanes.Splat(3.0));
        TVec denominator = TLanes.FusedMultiplyAdd(Negate<TLanes, TVec>(r), s, TLanes.Splat(6.0));
        TVec e = TLanes.Multiply(TLanes.Divide(TLanes.Subtract(r1, s), denominator), halfSquare);

        // k = 0: r − (r·e − r²/2), the product fused.
        TVec kZero = TLanes.Subtract(r, TLanes.FusedMultiplyAdd(e, r, Negate<TLanes, TVec>(halfSquare)));

        // Where every lane takes k = 0 (|x| up to about 0.17 in tanh: a layer's small pre-activations), or only k = 0 and
        // k = −1 (|x| below about 0.52), the other reconstructions are not computed: the same lanes, fewer operations.
        TVec isZero = TLanes.Equals(k, TLanes.Splat(0.0));
        ulong zeroLanes = TLanes.Bits(isZero);
        if (zeroLanes == TLanes.AllBits)
        {
            return kZero;
        }

        // Otherwise e corrected for c, then each range of k its own reconstruction.
        TVec corrected = TLanes.Subtract(
            TLanes.FusedMultiplyAdd(TLanes.Subtract(e, c), r, Negate<TLanes, TVec>(c)),
            halfSquare);
        TVec kMinusOne = TLanes.FusedMultiplyAdd(TLanes.Subtract(r, corrected), half, TLanes.Splat(-0.5));
        TVec isMinusOne = TLanes.Equals(k, TLanes.Splat(-1.0));
        if ((zeroLanes | TLanes.Bits(isMinusOne)) == TLanes.AllBits)
        {
            return TLanes.Select(isZero, kZero, kMinusOne);
        }

        TVec twoToMinusK = TLanes.AddToExponent(one, Negate<TLanes, TVec>(k));
        TVec below20 = TLanes.AddToExponent(TLanes.Subtract(TLanes.Subtract(one, twoToMinusK), TLanes.Subtract(corrected, r)), k);
        TVec upTo56 = TLanes.AddToExponent(TLanes.Add(TLanes.Subtract(r, TLanes.Add(corrected, twoToMinusK)), one), k);
        TVec outside = TLanes.Subtract(TLanes.AddToExponent(TLanes.Subtract(one, TLanes.Subtract(corrected, r)), k), one);

        TVec result = TLanes.Select(TLanes.LessThan(k, TLanes.Splat(57.0)), upTo56, outside);
        result = TLanes.Select(TLanes.LessThan(k, TLanes.Splat(20.0)), below20, result);
        result = TLanes.Select(TLanes.LessThan(k, TLanes.Splat(2.0)), outside, result);
        result = TLanes.Select(isMinusOne, kMinusOne, result);
        return TLanes.Select(isZero, kZero, result);
    }

    /// <summary>−v: exact for every number, as −0 − v is (NaN lanes are replaced before they are returned).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVec Negate<TLanes, TVec>(TVec v)
        where TLanes : ILanes<TVec, double>
        where TVec : struct => TLanes.Subtract(TLanes.Splat(-0.0), v);

    /// <summary>
    /// Whether every probe value's lane equals <see cref="Math.Tanh"/> bit for bit at every accelerated width: values
    /// on both sides of each threshold and in each range of k, and the special values.
    /// </summary>
    private static bool Probe()
    {
        if (!Vector256.IsHardwareAccelerated || !Fma.IsSupported)
        {
            return false;
        }

        double[] probes = ProbeValues();
        return Agrees<Lanes256<double>, Vector256<double>>(probes)
            && (!Vector512.IsHardwareAccelerated || Agrees<Lanes512<double>, Vector512<double>>(probes));
    }

    private static bool Agrees<TLanes, TVec>(double[] probes)
        where TLanes : ILanes<TVec, double>
        where TVec : struct
    {
        int width = TLanes.Count;
        double* lanes = stackalloc double[width];
        for (int start = 0; start < probes.Length; start += width)
        {
            for (int i = 0; i < width; i++)
            {
                lanes[i] = probes[(start + i) % probes.Length];
            }

            TLanes.Store(Tanh<TLanes, TVec>(TLanes.Load(lanes)), lanes);
            for (int i = 0; i < width; i++)
            {
                if (BitConverter.DoubleToInt64Bits(lanes[i]) != BitConverter.DoubleToInt64Bits(Math.Tanh(probes[(start + i) % probes.Length])))
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>
    /// The probe's inputs: each k that tanh's arguments reach (−3 … 0 for |x| &lt; 1, 3 … 63 from 1 to 22) at a few
    /// points, the thresholds' neighbours, the special values.
    /// </summary>
    internal static double[] ProbeValues()
    {
        var values = new List<double> { 0.0, -0.0, double.NaN, double.PositiveInfinity, double.NegativeInfinity, double.Epsilon, -1e-300, 1e-17, 0.1, -0.3, 0.9999999999999999, 1.0, -21.999999999999996, 22.0, 1e300 };
        double lnTwo = Math.Log(2);
        for (int k = -3; k <= 63; k++)
        {
            // u = −2|x| (k ≤ 0) or 2|x| (k ≥ 3) at a quarter before, at and a quarter after k·ln 2.
            foreach (double fraction in (ReadOnlySpan<double>)[-0.25, 0.0, 0.25])
            {
                double x = Math.Abs((k + fraction) * lnTwo) / 2;
                if (k <= 0 ? x < 1 : x >= 1)
                {
                    values.Add(k % 2 == 0 ? x : -x);
                }
            }
        }

        foreach (double bound in (ReadOnlySpan<double>)[KZeroBelow, KMinusOneBelow])
        {
            values.Add(Math.BitDecrement(bound) / 2);
            values.Add(-bound / 2);
        }

        return [.. values];
    }
}
