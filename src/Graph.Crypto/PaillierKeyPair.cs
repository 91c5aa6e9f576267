using System.Numerics;
using System.Security.Cryptography;

namespace Graph.Crypto;

/// <summary>
/// A Paillier key pair (Paillier 1999), as the <c>phe</c> library's <c>generate_paillier_keypair</c> makes it: two
/// distinct random primes of <c>nLength / 2</c> bits whose product <c>n</c> has exactly <c>nLength</c> bits, the
/// generator <c>g = n + 1</c>.
/// </summary>
/// <remarks>
/// The key length sets the security. 2048 bits (the default) or more is the usual recommendation, and shorter keys
/// are refused unless <c>allowInsecureKeySize</c> is passed: 1024 bits is the book's example; 128 bits (the book's
/// federated-learning demonstration, chosen so that encrypting every weight of a model is fast) is a demonstration
/// size only and offers no security: such an <c>n</c> is factored in seconds.
/// </remarks>
public sealed class PaillierKeyPair
{
    private PaillierKeyPair(PaillierPublicKey publicKey, PaillierPrivateKey privateKey)
    {
        PublicKey = publicKey;
        PrivateKey = privateKey;
    }

    /// <summary>The key that encrypts and adds.</summary>
    public PaillierPublicKey PublicKey { get; }

    /// <summary>The key that decrypts.</summary>
    public PaillierPrivateKey PrivateKey { get; }

    /// <summary>Generates a key pair.</summary>
    /// <param name="nLength">The bit length of the modulus <c>n</c>: an even number, at least 2048 (16 with <paramref name="allowInsecureKeySize"/>). See the remarks on sizes.</param>
    /// <param name="random">The random source for the primes and for every encryption with the public key; a cryptographically secure one when null.</param>
    /// <param name="allowInsecureKeySize">Accept a key shorter than 2048 bits, for a demonstration that needs no security.</param>
    /// <exception cref="ArgumentOutOfRangeException">The length is odd, below 16, or below 2048 without <paramref name="allowInsecureKeySize"/>.</exception>
    public static PaillierKeyPair Generate(int nLength = PaillierPublicKey.MinimumSecureBits, RandomNumberGenerator? random = null, bool allowInsecureKeySize = false)
    {
        if (nLength % 2 != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(nLength), nLength, "The key length is an even number of bits.");
        }

        PaillierPublicKey.CheckKeySize(nLength, allowInsecureKeySize, nameof(nLength));

        random ??= RandomNumberGenerator.Create();
        while (true)
        {
            BigInteger p = PrimeGenerator.RandomPrime(nLength / 2, random);
            BigInteger q;
            do
            {
                q = PrimeGenerator.RandomPrime(nLength / 2, random);
            }
            while (q == p);

            BigInteger n = p * q;
            if (n.GetBitLength() == nLength)
            {
                var publicKey = new PaillierPublicKey(n, random);
                return new PaillierKeyPair(publicKey, new PaillierPrivateKey(publicKey, p, q));
            }
        }
    }
}
