using System.Numerics;
using System.Security.Cryptography;

namespace Graph.Crypto;

/// <summary>
/// A Paillier public key: it encrypts integers and fixed-point numbers (<see cref="PaillierEncoding"/>); the
/// ciphertexts it makes can be added together and multiplied by plaintext integers without the private key.
/// </summary>
/// <remarks>
/// Plaintexts live modulo <c>n</c>. As in <c>phe</c>, the integers from <c>-MaxInt</c> to <c>MaxInt</c> (with
/// <c>MaxInt = n / 3 - 1</c>) are representable, negative ones as <c>n + m</c>. Every ciphertext carries a public
/// bound on the magnitude of its plaintext mantissa (<see cref="PaillierEncryptedNumber.MaxMagnitude"/>); an addition,
/// a scaling or an exponent alignment whose bound would pass <c>MaxInt</c> throws an <see cref="OverflowException"/>
/// before it is computed, so a result can never wrap around modulo <c>n</c> unnoticed.
/// </remarks>
public sealed class PaillierPublicKey : IEquatable<PaillierPublicKey>
{
    /// <summary>The smallest key length this library calls secure; shorter keys need <c>allowInsecureKeySize</c>.</summary>
    public const int MinimumSecureBits = 2048;

    /// <summary>The shortest key length accepted at all, even with <c>allowInsecureKeySize</c>.</summary>
    public const int MinimumBits = 16;

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

    /// <summary>
    /// The public key of modulus <paramref name="n"/>, as another party receives it (its encryptions draw their
    /// randomness from a cryptographically secure generator).
    /// </summary>
    /// <param name="n">The modulus, an odd product of two primes.</param>
    /// <param name="allowInsecureKeySize">Accept a modulus shorter than <see cref="MinimumSecureBits"/> bits (demonstrations only).</param>
    /// <exception cref="ArgumentOutOfRangeException">The modulus is even, too short, or shorter than 2048 bits without <paramref name="allowInsecureKeySize"/>.</exception>
    public static PaillierPublicKey FromModulus(BigInteger n, bool allowInsecureKeySize = false)
    {
        if (n.IsEven || n.Sign <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(n), "A Paillier modulus is a positive odd number (a product of two odd primes).");
        }

        CheckKeySize((int)n.GetBitLength(), allowInsecureKeySize, nameof(n));
        return new PaillierPublicKey(n, RandomNumberGenerator.Create());
    }

    /// <summary>Encrypts the integer <paramref name="value"/> (exponent 0).</summary>
    /// <remarks>
    /// The ciphertext's public <see cref="PaillierEncryptedNumber.MaxMagnitude"/> is <c>2^b - 1</c> for a value of
    /// <c>b</c> bits, so it reveals the plaintext's bit length (as a float's exponent reveals its magnitude); use
    /// <see cref="Encrypt(BigInteger, BigInteger)"/> to reveal only a declared range.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException">|value| is above <see cref="MaxInt"/>.</exception>
    public PaillierEncryptedNumber Encrypt(BigInteger value)
    {
        PaillierEncoding encoded = PaillierEncoding.Encode(this, value);
        return Encrypt(encoded, BigInteger.Min((BigInteger.One << (int)BigInteger.Abs(value).GetBitLength()) - 1, MaxInt));
    }

    /// <summary>Encrypts the integer <paramref name="value"/> (exponent 0) with the declared range ±<paramref name="maxMagnitude"/>.</summary>
    /// <param name="value">The integer; its magnitude is at most <paramref name="maxMagnitude"/>.</param>
    /// <param name="maxMagnitude">The public bound that travels with the ciphertext; at most <see cref="MaxInt"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">|value| is above the bound, or the bound above <see cref="MaxInt"/>.</exception>
    public PaillierEncryptedNumber Encrypt(BigInteger value, BigInteger maxMagnitude)
    {
        if (maxMagnitude.Sign < 0 || maxMagnitude > MaxInt)
        {
            throw new ArgumentOutOfRangeException(nameof(maxMagnitude),
                $"The declared range needs {(int)BigInteger.Abs(maxMagnitude).GetBitLength()} bits; it must lie from 0 to the {Bits}-bit key's MaxInt (about 2^{MaxIntBits}).");
        }

        if (BigInteger.Abs(value) > maxMagnitude)
        {
            throw new ArgumentOutOfRangeException(nameof(value), $"|{value}| is above the declared range {maxMagnitude}.");
        }

        return Encrypt(PaillierEncoding.Encode(this, value), maxMagnitude);
    }

    /// <summary>Encrypts the integer <paramref name="value"/> (exponent 0).</summary>
    public PaillierEncryptedNumber Encrypt(long value) => Encrypt((BigInteger)value);

    /// <summary>Encrypts the float64 <paramref name="value"/> exactly, in <c>phe</c>'s fixed-point encoding (<see cref="PaillierEncoding"/>).</summary>
    /// <remarks>The public range of a float's mantissa is that of every float64 mantissa, below 2^56, so it reveals nothing the exponent does not.</remarks>
    /// <exception cref="ArgumentOutOfRangeException">The value is not finite, or a float64 mantissa does not fit the key.</exception>
    public PaillierEncryptedNumber Encrypt(double value) =>
        Encrypt(PaillierEncoding.Encode(this, value), PaillierEncoding.FloatMantissaBound);

    /// <summary>Encrypts an encoded number; its public range is its mantissa's magnitude.</summary>
    public PaillierEncryptedNumber EncryptEncoded(PaillierEncoding encoded)
    {
        ArgumentNullException.ThrowIfNull(encoded);
        return Encrypt(encoded, BigInteger.Abs(encoded.Mantissa()));
    }

    /// <summary>A ciphertext received from elsewhere, with the exponent and public range that travel with it.</summary>
    /// <param name="ciphertext">The ciphertext, in [1, n²).</param>
    /// <param name="exponent">The power of 16 its plaintext mantissa is scaled by.</param>
    /// <param name="maxMagnitude">The public bound on the magnitude of its plaintext mantissa, at most <see cref="MaxInt"/>.</param>
    public PaillierEncryptedNumber FromCiphertext(BigInteger ciphertext, int exponent, BigInteger maxMagnitude)
    {
        if (ciphertext.Sign <= 0 || ciphertext >= NSquare)
        {
            throw new ArgumentOutOfRangeException(nameof(ciphertext), "A ciphertext lies in [1, n²).");
        }

        if (maxMagnitude.Sign < 0 || maxMagnitude > MaxInt)
        {
            throw new ArgumentOutOfRangeException(nameof(maxMagnitude), $"The range must lie from 0 to the key's MaxInt (about 2^{MaxIntBits}).");
        }

        return new PaillierEncryptedNumber(this, ciphertext, exponent, maxMagnitude);
    }

    /// <summary><c>g^m r^n mod n²</c> with <c>g = n + 1</c>, so <c>g^m = 1 + n m</c>, and a fresh random <c>r</c> in [1, n).</summary>
    internal BigInteger RawEncrypt(BigInteger plaintext) => (BigInteger.One + N * plaintext) % NSquare * RandomZeroEncryption() % NSquare;

    /// <summary><c>r^n mod n²</c> for a fresh random <c>r</c> in [1, n): an encryption of 0.</summary>
    internal BigInteger RandomZeroEncryption()
    {
        BigInteger r;
        lock (random)
        {
            r = PrimeGenerator.RandomBelow(N, random);
        }

        return ModularPower.Of(r, N, NSquare);
    }

    /// <summary>The bit length of <see cref="MaxInt"/>, for messages.</summary>
    internal int MaxIntBits => (int)MaxInt.GetBitLength();

    /// <summary>Throws unless <paramref name="bound"/>, the largest magnitude a result may reach, is at most <see cref="MaxInt"/>.</summary>
    internal BigInteger CheckRange(BigInteger bound, string what)
    {
        if (bound > MaxInt)
        {
            throw new OverflowException(
                $"{what} could reach a magnitude of about 2^{(int)bound.GetBitLength()}, beyond the {Bits}-bit key's MaxInt (about 2^{MaxIntBits}), " +
                "so the result would wrap around modulo n. Use a longer key, fewer or smaller terms, or numbers closer in magnitude.");
        }

        return bound;
    }

    internal static void CheckKeySize(int bits, bool allowInsecureKeySize, string parameter)
    {
        if (bits < MinimumBits)
        {
            throw new ArgumentOutOfRangeException(parameter, bits, $"A Paillier key has at least {MinimumBits} bits.");
        }

        if (bits < MinimumSecureBits && !allowInsecureKeySize)
        {
            throw new ArgumentOutOfRangeException(parameter, bits,
                $"A {bits}-bit Paillier key is insecure (its modulus can be factored); keys have at least {MinimumSecureBits} bits. " +
                "Pass allowInsecureKeySize: true for a demonstration that needs no security.");
        }
    }

    private PaillierEncryptedNumber Encrypt(PaillierEncoding encoded, BigInteger maxMagnitude)
    {
        if (!Equals(encoded.PublicKey))
        {
            throw new ArgumentException("The number was encoded for a different public key.", nameof(encoded));
        }

        if (maxMagnitude > MaxInt)
        {
            throw new ArgumentOutOfRangeException(nameof(encoded),
                $"The number's range needs {(int)maxMagnitude.GetBitLength()} bits, more than the {Bits}-bit key's MaxInt (about 2^{MaxIntBits}) allows.");
        }

        return new PaillierEncryptedNumber(this, RawEncrypt(encoded.Encoding), encoded.Exponent, maxMagnitude);
    }

    public bool Equals(PaillierPublicKey? other) => other is not null && N == other.N;

    public override bool Equals(object? obj) => Equals(obj as PaillierPublicKey);

    public override int GetHashCode() => N.GetHashCode();

    public override string ToString() => $"Paillier public key ({Bits} bits)";
}
