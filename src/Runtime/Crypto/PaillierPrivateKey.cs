using System.Numerics;

namespace Graph.Runtime.Crypto;

/// <summary>A Paillier private key: the two primes, <c>λ = (p - 1)(q - 1)</c> and <c>μ = λ⁻¹ mod n</c>.</summary>
public sealed class PaillierPrivateKey
{
    private readonly BigInteger lambda;
    private readonly BigInteger mu;

    internal PaillierPrivateKey(PaillierPublicKey publicKey, BigInteger p, BigInteger q)
    {
        PublicKey = publicKey;
        lambda = (p - 1) * (q - 1);
        mu = ModInverse(lambda % publicKey.N, publicKey.N);
    }

    /// <summary>The public key this key decrypts for.</summary>
    public PaillierPublicKey PublicKey { get; }

    /// <summary>Decrypts an integer (a number of exponent 0).</summary>
    /// <exception cref="ArgumentException">The number was encrypted with a different public key.</exception>
    /// <exception cref="InvalidOperationException">The number is a fixed-point number with a negative exponent (use <see cref="DecryptDouble"/>).</exception>
    /// <exception cref="OverflowException">The plaintext left the range ±<see cref="PaillierPublicKey.MaxInt"/>.</exception>
    public BigInteger DecryptInteger(PaillierEncryptedNumber number)
    {
        var encoded = DecryptEncoded(number);
        if (encoded.Exponent < 0)
        {
            throw new InvalidOperationException(
                $"The encrypted number is fixed-point with exponent {encoded.Exponent} (a float); decrypt it with {nameof(DecryptDouble)}.");
        }

        return encoded.DecodeInteger();
    }

    /// <summary>Decrypts a number to float64: its mantissa times 16^exponent.</summary>
    /// <exception cref="ArgumentException">The number was encrypted with a different public key.</exception>
    /// <exception cref="OverflowException">The plaintext left the range ±<see cref="PaillierPublicKey.MaxInt"/>.</exception>
    public double DecryptDouble(PaillierEncryptedNumber number) => DecryptEncoded(number).DecodeDouble();

    /// <summary>Decrypts to the encoding (the plaintext modulo n and its exponent).</summary>
    /// <exception cref="ArgumentException">The number was encrypted with a different public key.</exception>
    public PaillierEncoding DecryptEncoded(PaillierEncryptedNumber number)
    {
        ArgumentNullException.ThrowIfNull(number);
        if (!PublicKey.Equals(number.PublicKey))
        {
            throw new ArgumentException(
                $"The number was encrypted with a different public key ({number.PublicKey.Bits} bits) from this private key's ({PublicKey.Bits} bits).",
                nameof(number));
        }

        BigInteger n = PublicKey.N;
        BigInteger u = BigInteger.ModPow(number.Ciphertext, lambda, PublicKey.NSquare);
        BigInteger plaintext = (u - 1) / n * mu % n;
        return new PaillierEncoding(PublicKey, plaintext, number.Exponent);
    }

    private static BigInteger ModInverse(BigInteger value, BigInteger modulus)
    {
        BigInteger oldR = value, r = modulus, oldS = 1, s = 0;
        while (!r.IsZero)
        {
            BigInteger quotient = oldR / r;
            (oldR, r) = (r, oldR - quotient * r);
            (oldS, s) = (s, oldS - quotient * s);
        }

        if (!oldR.IsOne)
        {
            throw new ArgumentException("The value has no inverse modulo n.", nameof(value));
        }

        return (oldS % modulus + modulus) % modulus;
    }
}
