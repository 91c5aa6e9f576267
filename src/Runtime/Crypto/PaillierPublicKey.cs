using System.Numerics;
using System.Security.Cryptography;

namespace Graph.Runtime.Crypto;

/// <summary>
/// A Paillier public key: it encrypts integers and fixed-point numbers (<see cref="PaillierEncoding"/>); the
/// ciphertexts it makes can be added together and multiplied by plaintext integers without the private key.
/// </summary>
/// <remarks>
/// Plaintexts live modulo <c>n</c>. As in <c>phe</c>, the integers from <c>-MaxInt</c> to <c>MaxInt</c> (with
/// <c>MaxInt = n / 3 - 1</c>) are representable, negative ones as <c>n + m</c>; a sum or product that leaves that
/// range wraps around and is reported as an overflow when decrypted.
/// </remarks>
public sealed class PaillierPublicKey : IEquatable<PaillierPublicKey>
{
    private readonly RandomNumberGenerator random;

    internal PaillierPublicKey(BigInteger n, RandomNumberGenerator random)
    {
        N = n;
        NSquare = n * n;
        MaxInt = n / 3 - 1;
        this.random = random;
    }

    /// <summary>The modulus, the product of the two secret primes.</summary>
    public BigInteger N { get; }

    /// <summary><c>n²</c>, the ciphertext modulus.</summary>
    public BigInteger NSquare { get; }

    /// <summary>The largest magnitude of an encrypted integer (or fixed-point mantissa): <c>n / 3 - 1</c>.</summary>
    public BigInteger MaxInt { get; }

    /// <summary>The modulus' bit length.</summary>
    public int Bits => (int)N.GetBitLength();

    /// <summary>Encrypts the integer <paramref name="value"/> (exponent 0).</summary>
    /// <exception cref="ArgumentOutOfRangeException">|value| is above <see cref="MaxInt"/>.</exception>
    public PaillierEncryptedNumber Encrypt(BigInteger value) => EncryptEncoded(PaillierEncoding.Encode(this, value));

    /// <summary>Encrypts the integer <paramref name="value"/> (exponent 0).</summary>
    public PaillierEncryptedNumber Encrypt(long value) => Encrypt((BigInteger)value);

    /// <summary>Encrypts the float64 <paramref name="value"/> exactly, in <c>phe</c>'s fixed-point encoding (<see cref="PaillierEncoding"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not finite, or its mantissa does not fit the key.</exception>
    public PaillierEncryptedNumber Encrypt(double value) => EncryptEncoded(PaillierEncoding.Encode(this, value));

    /// <summary>Encrypts an encoded number.</summary>
    public PaillierEncryptedNumber EncryptEncoded(PaillierEncoding encoded)
    {
        if (!Equals(encoded.PublicKey))
        {
            throw new ArgumentException("The number was encoded for a different public key.", nameof(encoded));
        }

        return new PaillierEncryptedNumber(this, RawEncrypt(encoded.Encoding), encoded.Exponent);
    }

    /// <summary><c>g^m r^n mod n²</c> with <c>g = n + 1</c>, so <c>g^m = 1 + n m</c>, and a fresh random <c>r</c> in [1, n).</summary>
    internal BigInteger RawEncrypt(BigInteger plaintext)
    {
        BigInteger gm = (BigInteger.One + N * plaintext) % NSquare;
        BigInteger r;
        lock (random)
        {
            r = PrimeGenerator.RandomBelow(N, random);
        }

        return gm * BigInteger.ModPow(r, N, NSquare) % NSquare;
    }

    public bool Equals(PaillierPublicKey? other) => other is not null && N == other.N;

    public override bool Equals(object? obj) => Equals(obj as PaillierPublicKey);

    public override int GetHashCode() => N.GetHashCode();

    public override string ToString() => $"Paillier public key ({Bits} bits)";
}
