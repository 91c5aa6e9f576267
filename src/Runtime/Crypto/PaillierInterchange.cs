using System.Numerics;
using System.Security.Cryptography;

namespace Graph.Runtime.Crypto;

/// <summary>
/// Rebuilds Paillier objects received from another process: a public key from its modulus and an encrypted number
/// from its ciphertext and exponent, as <c>phe</c>'s <c>PaillierPublicKey(n)</c> and
/// <c>EncryptedNumber(public_key, ciphertext, exponent)</c> do. Neither needs nor reveals the private key.
/// </summary>
public static class PaillierInterchange
{
    /// <summary>The public key of modulus <paramref name="n"/>; it encrypts with <paramref name="random"/> (a cryptographically secure source when null).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="n"/> is not an odd number of at least 16 bits.</exception>
    public static PaillierPublicKey PublicKey(BigInteger n, RandomNumberGenerator? random = null)
    {
        if (n.IsEven || n.GetBitLength() < 16)
        {
            throw new ArgumentOutOfRangeException(nameof(n), $"A Paillier modulus is the product of two odd primes, at least 16 bits; {n} is not.");
        }

        return new PaillierPublicKey(n, random ?? RandomNumberGenerator.Create());
    }

    /// <summary>The number whose ciphertext under <paramref name="publicKey"/> is <paramref name="ciphertext"/>, a fixed-point mantissa scaled by 16^<paramref name="exponent"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The ciphertext is not in [1, n²).</exception>
    public static PaillierEncryptedNumber EncryptedNumber(PaillierPublicKey publicKey, BigInteger ciphertext, int exponent)
    {
        ArgumentNullException.ThrowIfNull(publicKey);
        if (ciphertext.Sign <= 0 || ciphertext >= publicKey.NSquare)
        {
            throw new ArgumentOutOfRangeException(nameof(ciphertext), $"A ciphertext of this {publicKey.Bits}-bit key lies in [1, n²).");
        }

        return new PaillierEncryptedNumber(publicKey, ciphertext, exponent);
    }
}
