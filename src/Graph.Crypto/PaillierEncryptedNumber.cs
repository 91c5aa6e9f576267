using System.Numerics;

namespace Graph.Crypto;

/// <summary>
/// A Paillier ciphertext with the exponent of the fixed-point number it encrypts (0 for an integer) and a public
/// bound on the magnitude of its plaintext mantissa. Adding two ciphertexts multiplies them modulo <c>n²</c>, which
/// adds the plaintexts; multiplying by a plaintext integer raises the ciphertext to that power. Neither needs the
/// private key.
/// </summary>
/// <remarks>
/// The bound (<see cref="MaxMagnitude"/>) follows every operation: a sum's is the sum of the bounds (after exponent
/// alignment, which multiplies a bound by the same power of 16 as its mantissa), a product's the bound times the
/// factor's magnitude. An operation whose bound would pass the key's <see cref="PaillierPublicKey.MaxInt"/> throws an
/// <see cref="OverflowException"/> before it is computed, so no sequence of additions and scalings can wrap a
/// plaintext around modulo <c>n</c>; decryption checks the plaintext against the bound as well.
/// </remarks>
public sealed class PaillierEncryptedNumber
{
    internal PaillierEncryptedNumber(PaillierPublicKey publicKey, BigInteger ciphertext, int exponent, BigInteger maxMagnitude)
    {
        PublicKey = publicKey;
        Ciphertext = ciphertext;
        Exponent = exponent;
        MaxMagnitude = maxMagnitude;
    }

    /// <summary>The key the number was encrypted with.</summary>
    public PaillierPublicKey PublicKey { get; }

    /// <summary>The ciphertext, in [0, n²).</summary>
    public BigInteger Ciphertext { get; }

    /// <summary>The power of 16 the plaintext mantissa is scaled by.</summary>
    public int Exponent { get; }

    /// <summary>
    /// A public upper bound on the magnitude of the plaintext mantissa, at most the key's MaxInt: what encryption
    /// declared (see <see cref="PaillierPublicKey.Encrypt(BigInteger)"/>), carried through every operation since.
    /// </summary>
    public BigInteger MaxMagnitude { get; }

    /// <summary>The encrypted sum: the ciphertexts are first brought to the smaller exponent, then multiplied.</summary>
    /// <exception cref="ArgumentException">The two numbers were encrypted with different keys.</exception>
    /// <exception cref="OverflowException">The sum, or the exponent alignment before it, could pass the key's MaxInt.</exception>
    public static PaillierEncryptedNumber operator +(PaillierEncryptedNumber left, PaillierEncryptedNumber right)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        if (!left.PublicKey.Equals(right.PublicKey))
        {
            throw new ArgumentException("Encrypted numbers under different public keys cannot be added.", nameof(right));
        }

        int exponent = Math.Min(left.Exponent, right.Exponent);
        var a = left.DecreaseExponentTo(exponent);
        var b = right.DecreaseExponentTo(exponent);
        var key = left.PublicKey;
        BigInteger bound = key.CheckRange(a.MaxMagnitude + b.MaxMagnitude, "The encrypted sum");
        return new PaillierEncryptedNumber(key, a.Ciphertext * b.Ciphertext % key.NSquare, exponent, bound);
    }

    /// <summary>The encrypted sum with a plaintext integer.</summary>
    public static PaillierEncryptedNumber operator +(PaillierEncryptedNumber left, BigInteger right)
    {
        ArgumentNullException.ThrowIfNull(left);
        return left + left.PublicKey.Encrypt(right);
    }

    /// <summary>The encrypted product with a plaintext integer (negative too): the ciphertext to that power, modulo n².</summary>
    /// <exception cref="ArgumentOutOfRangeException">|factor| is above the key's MaxInt.</exception>
    /// <exception cref="OverflowException">The product could pass the key's MaxInt.</exception>
    public static PaillierEncryptedNumber operator *(PaillierEncryptedNumber left, BigInteger factor)
    {
        ArgumentNullException.ThrowIfNull(left);
        var key = left.PublicKey;
        BigInteger encoding = PaillierEncoding.Encode(key, factor).Encoding;
        BigInteger bound = key.CheckRange(left.MaxMagnitude * BigInteger.Abs(factor), $"The encrypted product with {factor}");
        return new PaillierEncryptedNumber(key, ModularPower.Of(left.Ciphertext, encoding, key.NSquare), left.Exponent, bound);
    }

    /// <summary>The same number with the smaller exponent <paramref name="exponent"/>: the plaintext mantissa times 16^(Exponent - exponent).</summary>
    /// <exception cref="OverflowException">The scaled mantissa could pass the key's MaxInt (the numbers' magnitudes are too far apart for the key).</exception>
    public PaillierEncryptedNumber DecreaseExponentTo(int exponent)
    {
        if (exponent > Exponent)
        {
            throw new ArgumentOutOfRangeException(nameof(exponent), exponent, $"The new exponent must not be above the current {Exponent}.");
        }

        if (exponent == Exponent)
        {
            return this;
        }

        BigInteger factor = BigInteger.Pow(PaillierEncoding.Base, Exponent - exponent);
        BigInteger bound = PublicKey.CheckRange(MaxMagnitude * factor,
            $"Aligning a number of exponent {Exponent} to exponent {exponent} (16^{Exponent - exponent}, numbers {Exponent - exponent} hexadecimal digits apart in magnitude)");
        return new PaillierEncryptedNumber(PublicKey, ModularPower.Of(Ciphertext, factor, PublicKey.NSquare), exponent, bound);
    }
}
