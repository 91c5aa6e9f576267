using System.Numerics;

namespace Graph.Crypto;

/// <summary>
/// A Paillier private key: the two primes. Decryption works modulo <c>p²</c> and <c>q²</c> and joins the two halves
/// by the Chinese remainder theorem (Paillier 1999, section 7), and blinds every ciphertext first.
/// </summary>
/// <remarks>
/// <para>
/// With <c>g = n + 1</c>, <c>m_p = L_p(c^(p-1) mod p²) · h_p mod p</c> where <c>L_p(x) = (x - 1) / p</c> and
/// <c>h_p = L_p(g^(p-1) mod p²)⁻¹ mod p</c>, the same for <c>q</c>, and <c>m</c> is the number modulo <c>n</c> that
/// is <c>m_p</c> modulo <c>p</c> and <c>m_q</c> modulo <c>q</c>. Two exponentiations with half-length exponents and
/// moduli replace one with <c>λ</c> modulo <c>n²</c>, about four times less work.
/// </para>
/// <para>
/// The modular exponentiation (<see cref="ModularPower"/>, BouncyCastle's) does not run in constant time, so the
/// ciphertext is multiplied by an encryption of zero (<c>b = r^n mod n²</c>) before the secret exponentiations: the
/// plaintext is unchanged, and the numbers whose timing an observer could measure are unrelated to the ciphertext
/// the observer chose. The blinding factor is squared after each use (another encryption of zero), as Kocher
/// proposed for RSA, so each decryption costs one extra multiplication rather than a third exponentiation.
/// </para>
/// </remarks>
public sealed class PaillierPrivateKey
{
    private readonly CrtHalf pHalf;
    private readonly CrtHalf qHalf;

    /// <summary><c>p⁻¹ mod q</c>, for the Chinese remainder step.</summary>
    private readonly BigInteger pInverseModQ;

    private readonly object blindingLock = new();
    private BigInteger blinding;

    internal PaillierPrivateKey(PaillierPublicKey publicKey, BigInteger p, BigInteger q)
    {
        PublicKey = publicKey;
        pHalf = new CrtHalf(p, publicKey.N);
        qHalf = new CrtHalf(q, publicKey.N);
        pInverseModQ = ModInverse(p % q, q);
        blinding = publicKey.RandomZeroEncryption();
    }

    /// <summary>The public key this key decrypts for.</summary>
    public PaillierPublicKey PublicKey { get; }

    /// <summary>Decrypts an integer (a number of exponent 0).</summary>
    /// <exception cref="ArgumentException">The number was encrypted with a different public key.</exception>
    /// <exception cref="InvalidOperationException">The number is a fixed-point number with a negative exponent (use <see cref="DecryptDouble"/>).</exception>
    /// <exception cref="OverflowException">The plaintext lies outside the number's range: the ciphertext was altered or built with a false range.</exception>
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

    /// <summary>Decrypts a number to float64: its mantissa times 16^exponent, rounded once.</summary>
    /// <exception cref="ArgumentException">The number was encrypted with a different public key.</exception>
    /// <exception cref="OverflowException">The plaintext lies outside the number's range, or the value outside the float64 range.</exception>
    public double DecryptDouble(PaillierEncryptedNumber number) => DecryptEncoded(number).DecodeDouble();

    /// <summary>Decrypts to the encoding (the plaintext modulo n and its exponent), checked against the number's range.</summary>
    /// <exception cref="ArgumentException">The number was encrypted with a different public key.</exception>
    /// <exception cref="OverflowException">The plaintext lies outside the number's range: the ciphertext was altered or built with a false range.</exception>
    public PaillierEncoding DecryptEncoded(PaillierEncryptedNumber number)
    {
        ArgumentNullException.ThrowIfNull(number);
        if (!PublicKey.Equals(number.PublicKey))
        {
            throw new ArgumentException(
                $"The number was encrypted with a different public key ({number.PublicKey.Bits} bits) from this private key's ({PublicKey.Bits} bits).",
                nameof(number));
        }

        BigInteger blinded = number.Ciphertext * NextBlinding() % PublicKey.NSquare;
        BigInteger mp = pHalf.Decrypt(blinded);
        BigInteger mq = qHalf.Decrypt(blinded);
        BigInteger plaintext = mp + pHalf.Prime * Modulo((mq - mp) * pInverseModQ, qHalf.Prime);
        var encoded = new PaillierEncoding(PublicKey, plaintext, number.Exponent);
        BigInteger mantissa = encoded.Mantissa();
        if (BigInteger.Abs(mantissa) > number.MaxMagnitude)
        {
            throw new OverflowException(
                $"The decrypted mantissa (about 2^{(int)BigInteger.Abs(mantissa).GetBitLength()}) lies outside the number's range " +
                $"(about 2^{(int)number.MaxMagnitude.GetBitLength()}): the ciphertext was altered or rebuilt with a false range.");
        }

        return encoded;
    }

    /// <summary>The blinding factor for this decryption; the next one is its square.</summary>
    private BigInteger NextBlinding()
    {
        lock (blindingLock)
        {
            BigInteger current = blinding;
            blinding = current * current % PublicKey.NSquare;
            return current;
        }
    }

    private static BigInteger Modulo(BigInteger value, BigInteger modulus)
    {
        BigInteger r = value % modulus;
        return r.Sign < 0 ? r + modulus : r;
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
            throw new ArgumentException("The value has no inverse.", nameof(value));
        }

        return Modulo(oldS, modulus);
    }

    /// <summary>Decryption modulo one prime's square: <c>m_p = L_p(c^(p-1) mod p²) · h_p mod p</c>.</summary>
    private sealed class CrtHalf
    {
        private readonly BigInteger square;
        private readonly BigInteger exponent;
        private readonly BigInteger h;

        public CrtHalf(BigInteger prime, BigInteger n)
        {
            Prime = prime;
            square = prime * prime;
            exponent = prime - 1;
            h = ModInverse(L(ModularPower.Of(n + 1, exponent, square)) % prime, prime);
        }

        public BigInteger Prime { get; }

        public BigInteger Decrypt(BigInteger ciphertext) => L(ModularPower.Of(ciphertext % square, exponent, square)) * h % Prime;

        private BigInteger L(BigInteger x) => (x - 1) / Prime;
    }
}
