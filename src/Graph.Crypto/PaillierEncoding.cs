using System.Numerics;

namespace Graph.Crypto;

/// <summary>
/// A number as a Paillier plaintext: <c>phe</c>'s <c>EncodedNumber</c>. The value is <c>mantissa × 16^Exponent</c>,
/// where the mantissa is an integer of magnitude at most <see cref="PaillierPublicKey.MaxInt"/> stored modulo
/// <c>n</c> (a negative mantissa <c>m</c> as <c>n + m</c>) in <see cref="Encoding"/>.
/// </summary>
/// <remarks>
/// A float64 is encoded exactly: its exponent is the largest power of 16 at or below the value of its last
/// mantissa bit (<c>floor((frexp exponent - 53) / 4)</c>), so the mantissa is the float's 53-bit significand shifted
/// left by 0 to 3 bits, below 2^56. Two encodings add by first scaling the one with the larger exponent down to the
/// smaller (multiplying its mantissa by a power of 16); the sum of encodings therefore decodes to the exact sum of
/// the floats, rounded once to float64. Scaling that would push a mantissa past <c>MaxInt</c> throws instead of
/// wrapping: with a 128-bit key <c>MaxInt</c> is about 2^125, which leaves room for exponents up to 17 apart
/// (68 bits) between numbers of 56-bit mantissas; <c>5.0 + 1e-30</c> needs 25 and is refused.
/// </remarks>
public sealed class PaillierEncoding
{
    /// <summary>The base of the exponent.</summary>
    public const int Base = 16;

    /// <summary>log2 of <see cref="Base"/>.</summary>
    public const int Log2Base = 4;

    /// <summary>The bits in a float64's significand, the hidden bit included.</summary>
    public const int FloatMantissaBits = 53;

    internal PaillierEncoding(PaillierPublicKey publicKey, BigInteger encoding, int exponent)
    {
        PublicKey = publicKey;
        Encoding = encoding;
        Exponent = exponent;
    }

    /// <summary>A bound on the magnitude of every float64's mantissa in this encoding: 2^56 - 1.</summary>
    public static BigInteger FloatMantissaBound { get; } = (BigInteger.One << (FloatMantissaBits + Log2Base - 1)) - 1;

    /// <summary>The key whose modulus the encoding lives under.</summary>
    public PaillierPublicKey PublicKey { get; }

    /// <summary>The mantissa modulo <c>n</c>.</summary>
    public BigInteger Encoding { get; }

    /// <summary>The power of 16 the mantissa is scaled by.</summary>
    public int Exponent { get; }

    /// <summary>Encodes an integer with exponent 0.</summary>
    /// <exception cref="ArgumentOutOfRangeException">|value| is above the key's <see cref="PaillierPublicKey.MaxInt"/>.</exception>
    public static PaillierEncoding Encode(PaillierPublicKey publicKey, BigInteger value)
    {
        ArgumentNullException.ThrowIfNull(publicKey);
        return FromMantissa(publicKey, value, 0, nameof(value));
    }

    /// <summary>Encodes a float64 exactly (see the remarks).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is NaN or infinite, or its mantissa does not fit the key.</exception>
    public static PaillierEncoding Encode(PaillierPublicKey publicKey, double value)
    {
        ArgumentNullException.ThrowIfNull(publicKey);
        if (!double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "Only finite numbers can be encoded.");
        }

        // frexp's exponent: value = f × 2^e with 0.5 <= |f| < 1; frexp(0) gives 0.
        int binaryExponent = value == 0 ? 0 : Math.ILogB(value) + 1;
        int exponent = (int)Math.Floor((binaryExponent - FloatMantissaBits) / (double)Log2Base);

        // value × 16^-exponent is an integer below 2^56 in magnitude, so the scaling is exact.
        var mantissa = new BigInteger(Math.ScaleB(value, -Log2Base * exponent));
        return FromMantissa(publicKey, mantissa, exponent, nameof(value));
    }

    /// <summary>The same number with the smaller exponent <paramref name="exponent"/> (the mantissa times 16^(Exponent - exponent)).</summary>
    /// <exception cref="OverflowException">The scaled mantissa would pass the key's MaxInt.</exception>
    public PaillierEncoding DecreaseExponentTo(int exponent)
    {
        if (exponent > Exponent)
        {
            throw new ArgumentOutOfRangeException(nameof(exponent), exponent, $"The new exponent must not be above the current {Exponent}.");
        }

        BigInteger scaled = Mantissa() * BigInteger.Pow(Base, Exponent - exponent);
        PublicKey.CheckRange(BigInteger.Abs(scaled), $"Scaling the mantissa from exponent {Exponent} down to {exponent}");
        return FromMantissa(PublicKey, scaled, exponent, nameof(exponent));
    }

    /// <summary>The signed mantissa.</summary>
    /// <exception cref="OverflowException">The encoding lies in the gap between <c>MaxInt</c> and <c>n - MaxInt</c>: a sum or product overflowed.</exception>
    public BigInteger Mantissa()
    {
        BigInteger n = PublicKey.N;
        if (Encoding <= PublicKey.MaxInt)
        {
            return Encoding;
        }

        if (Encoding >= n - PublicKey.MaxInt)
        {
            return Encoding - n;
        }

        throw new OverflowException(
            $"The plaintext overflowed: its magnitude is beyond the key's MaxInt (about 2^{PublicKey.MaxIntBits}); use a longer key or smaller numbers.");
    }

    /// <summary>The value as an integer (exponent 0 or more).</summary>
    /// <exception cref="InvalidOperationException">The exponent is negative.</exception>
    public BigInteger DecodeInteger() =>
        Exponent < 0
            ? throw new InvalidOperationException($"The number has exponent {Exponent}; it is not an integer encoding.")
            : Mantissa() * BigInteger.Pow(Base, Exponent);

    /// <summary>The value as a float64: <c>mantissa × 16^Exponent</c> rounded once, to nearest with ties to even.</summary>
    /// <exception cref="OverflowException">The value is beyond the float64 range (above about 1.8e308 in magnitude).</exception>
    public double DecodeDouble() => ToDouble(Mantissa(), checked(Log2Base * Exponent));

    /// <summary>
    /// <c>mantissa × 2^binaryExponent</c> correctly rounded to float64 (subnormals included): the mantissa is cut to
    /// the bits the result can hold, rounded half to even on the bits cut off, and the exact power of two applied last.
    /// </summary>
    internal static double ToDouble(BigInteger mantissa, int binaryExponent)
    {
        if (mantissa.IsZero)
        {
            return 0.0;
        }

        BigInteger magnitude = BigInteger.Abs(mantissa);
        int bits = (int)magnitude.GetBitLength();
        long leading = (long)bits - 1 + binaryExponent;
        if (leading > 1023)
        {
            throw new OverflowException($"The decrypted value is about 2^{leading}, beyond the float64 range (below 2^1024); decode it as an integer or scale it first.");
        }

        // The bits the result keeps: 53 for a normal number, fewer below 2^-1022 (subnormal), none below 2^-1075.
        long precision = leading >= -1022 ? FloatMantissaBits : leading + 1075;
        if (precision < 0)
        {
            return mantissa.Sign < 0 ? -0.0 : 0.0;
        }

        int cut = (int)Math.Max(0, bits - precision);
        BigInteger kept = magnitude >> cut;
        if (cut > 0)
        {
            BigInteger rest = magnitude - (kept << cut);
            BigInteger half = BigInteger.One << (cut - 1);
            if (rest > half || (rest == half && !kept.IsEven))
            {
                kept += 1;
            }
        }

        double result = Math.ScaleB((double)kept, (int)(binaryExponent + (long)cut));
        if (double.IsInfinity(result))
        {
            throw new OverflowException("The decrypted value rounds to beyond the float64 range (2^1024).");
        }

        return mantissa.Sign < 0 ? -result : result;
    }

    private static PaillierEncoding FromMantissa(PaillierPublicKey publicKey, BigInteger mantissa, int exponent, string parameter)
    {
        if (BigInteger.Abs(mantissa) > publicKey.MaxInt)
        {
            throw new ArgumentOutOfRangeException(parameter,
                $"The number's mantissa needs {(int)BigInteger.Abs(mantissa).GetBitLength()} bits, more than the {publicKey.Bits}-bit key's MaxInt (n / 3 - 1) allows.");
        }

        BigInteger encoding = mantissa.Sign < 0 ? mantissa + publicKey.N : mantissa;
        return new PaillierEncoding(publicKey, encoding, exponent);
    }
}
