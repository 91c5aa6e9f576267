using System.Numerics;

namespace Graph.Runtime.Crypto;

/// <summary>
/// A Paillier ciphertext with the exponent of the fixed-point number it encrypts (0 for an integer). Adding two
/// ciphertexts multiplies them modulo <c>n²</c>, which adds the plaintexts; multiplying by a plaintext integer
/// raises the ciphertext to that power. Neither needs the private key.
/// </summary>
public sealed class PaillierEncryptedNumber
{
    internal PaillierEncryptedNumber(PaillierPublicKey publicKey, BigInteger ciphertext, int exponent)
    {
        PublicKey = publicKey;
        Ciphertext = ciphertext;
        Exponent = exponent;
    }

    /// <summary>The key the number was encrypted with.</summary>
    public PaillierPublicKey PublicKey { get; }

    /// <summary>The ciphertext, in [0, n²).</summary>
    public BigInteger Ciphertext { get; }

    /// <summary>The power of 16 the plaintext mantissa is scaled by.</summary>
    public int Exponent { get; }

    /// <summary>The encrypted sum: the ciphertexts are first brought to the smaller exponent, then multiplied.</summary>
    /// <exception cref="ArgumentException">The two numbers were encrypted with different keys.</exception>
    public static PaillierEncryptedNumber operator +(PaillierEncryptedNumber left, PaillierEncryptedNumber right)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        if (!left.PublicKey.Equals(right.PublicKey))
        {
            throw new ArgumentException("Encrypted numbers under different public keys cannot be added.", nameof(right));
        }

        int exponent = Math.Min(left.Exponent, right.Exponent);
        BigInteger a = left.DecreaseExponentTo(exponent).Ciphertext;
        BigInteger b = right.DecreaseExponentTo(exponent).Ciphertext;
        return new PaillierEncryptedNumber(left.PublicKey, a * b % left.PublicKey.NSquare, exponent);
    }

    /// <summary>The encrypted sum with a plaintext integer.</summary>
    public static PaillierEncryptedNumber operator +(PaillierEncryptedNumber left, BigInteger right)
    {
        ArgumentNullException.ThrowIfNull(left);
        return left + left.PublicKey.Encrypt(right);
    }

    /// <summary>The encrypted product with a plaintext integer (negative too): the ciphertext to that power, modulo n².</summary>
    /// <exception cref="ArgumentOutOfRangeException">|factor| is above the key's MaxInt.</exception>
    public static PaillierEncryptedNumber operator *(PaillierEncryptedNumber left, BigInteger factor)
    {
        ArgumentNullException.ThrowIfNull(left);
        var key = left.PublicKey;
        BigInteger encoding = PaillierEncoding.Encode(key, factor).Encoding;
        return new PaillierEncryptedNumber(key, BigInteger.ModPow(left.Ciphertext, encoding, key.NSquare), left.Exponent);
    }

    /// <summary>The same number with the smaller exponent <paramref name="exponent"/>: the plaintext mantissa times 16^(Exponent - exponent).</summary>
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
        return new PaillierEncryptedNumber(PublicKey, BigInteger.ModPow(Ciphertext, factor, PublicKey.NSquare), exponent);
    }
}
