using System.Numerics;

namespace Graph.Runtime.Crypto;

/// <summary>
/// A number as a Paillier plaintext: <c>phe</c>'s <c>EncodedNumber</c>. The value is <c>mantissa × 16^Exponent</c>,
/// where the mantissa is an integer of magnitude at most <see cref="PaillierPublicKey.MaxInt"/> stored modulo
/// <c>n</c> (a negative mantissa <c>m</c> as <c>n + m</c>) in <see cref="Encoding"/>.
/// </summary>
/// <remarks>
/// A float64 is encoded exactly: its exponent is the largest power of 16 at or below the value of its last
/// mantissa bit (<c>floor((frexp exponent - 53) / 4)</c>), so the mantissa is the float's 53-bit significand shifted
/// left by 0 to 3 bits. Two encodings add by first scaling the one with the larger exponent down to the smaller
/// (multiplying its mantissa by a power of 16); the sum of encodings therefore decodes to the exact sum of the
/// floats, rounded once to float64, as long as the scaled mantissas stay within <c>MaxInt</c>. With a 128-bit
/// key <c>MaxInt</c> is about 2^125, which leaves room for exponents up to 18 apart (72 bits) between numbers of
/// 53-bit mantissas.
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
    public PaillierEncoding DecreaseExponentTo(int exponent)
    {
        if (exponent > Exponent)
        {
            throw new ArgumentOutOfRangeException(nameof(exponent), exponent, $"The new exponent must not be above the current {Exponent}.");
        }

        BigInteger factor = BigInteger.Pow(Base, Exponent - exponent);
        return new PaillierEncoding(PublicKey, Encoding * factor % PublicKey.N, exponent);
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
            $"The plaintext overflowed: its magnitude is beyond the key's MaxInt (about 2^{(int)PublicKey.MaxInt.GetBitLength()}); use a longer key or smaller numbers.");
    }

    /// <summary>The value as an integer (exponent 0 or more).</summary>
    /// <exception cref="InvalidOperationException">The exponent is negative.</exception>
    public BigInteger DecodeInteger() =>
        Exponent < 0
            ? throw new InvalidOperationException($"The number has exponent {Exponent}; it is not an integer encoding.")
            : Mantissa() * BigInteger.Pow(Base, Exponent);

    /// <summary>The value as a float64: the mantissa rounded to float64, times 16^Exponent.</summary>
    public double DecodeDouble() => Math.ScaleB((double)Mantissa(), Log2Base * Exponent);

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
