using System.Numerics;
using Graph.Distributed.Mpi;
using Graph.Runtime.Crypto;

namespace Graph.Distributed.Federated;

/// <summary>
/// Secure aggregation across ranks with Paillier encryption. One rank, the key holder, makes the key pair and
/// sends only the public key out. For each aggregation every rank encrypts its model with that key and sends the
/// ciphertexts to rank 0, which adds them (Paillier addition multiplies ciphertexts; no key needed) and passes the
/// encrypted sum on; the key holder alone decrypts it and returns the mean to every rank. So no rank sees another's
/// plaintext weights: rank 0 holds ciphertexts it cannot decrypt, the key holder sees only the sum.
/// </summary>
/// <remarks>
/// The weights are encrypted in <c>phe</c>'s exact fixed-point encoding and the encrypted sum is exact, so the mean
/// is the exactly rounded sum divided by the number of ranks, whatever the order of the ranks.
/// </remarks>
public sealed class SecureAggregation
{
    /// <summary>The rank that adds the ciphertexts; it holds no key.</summary>
    public const int Aggregator = 0;

    private readonly Communicator ranks;
    private readonly PaillierPublicKey publicKey;
    private readonly PaillierPrivateKey? privateKey;
    private readonly int width;
    private readonly int magnitudeWidth;

    /// <summary>
    /// Makes the key pair on <paramref name="keyHolder"/> with <paramref name="generateKeys"/> and gives every rank
    /// its public key. Every rank calls this together.
    /// </summary>
    /// <exception cref="ArgumentException">The key holder is rank 0 in a job of several ranks (it would see every ciphertext).</exception>
    public SecureAggregation(Communicator ranks, int keyHolder, Func<PaillierKeyPair> generateKeys)
    {
        ArgumentNullException.ThrowIfNull(ranks);
        ArgumentNullException.ThrowIfNull(generateKeys);
        ArgumentOutOfRangeException.ThrowIfNegative(keyHolder);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(keyHolder, ranks.Size);
        if (ranks.Size > 1 && keyHolder == Aggregator)
        {
            throw new ArgumentException($"The key holder must not be rank {Aggregator}, which receives every rank's ciphertexts.", nameof(keyHolder));
        }

        this.ranks = ranks;
        KeyHolder = keyHolder;
        byte[] modulus = [];
        if (ranks.Rank == keyHolder)
        {
            var keys = generateKeys();
            publicKey = keys.PublicKey;
            privateKey = keys.PrivateKey;
            modulus = publicKey.N.ToByteArray(isUnsigned: true);
        }

        int[] length = [modulus.Length];
        ranks.Broadcast<int>(length, keyHolder);
        if (ranks.Rank != keyHolder)
        {
            modulus = new byte[length[0]];
        }

        ranks.Broadcast<byte>(modulus, keyHolder);
        // The key holder chose the key's size (and had to allow a size under 2048 bits explicitly); the other ranks take
        // the key it sends.
        publicKey ??= PaillierPublicKey.FromModulus(new BigInteger(modulus, isUnsigned: true), allowInsecureKeySize: true);
        width = (int)((publicKey.NSquare.GetBitLength() + 7) / 8);
        magnitudeWidth = (int)((publicKey.MaxInt.GetBitLength() + 7) / 8);
    }

    /// <summary>The rank that holds the private key.</summary>
    public int KeyHolder { get; }

    /// <summary>The public key every rank encrypts with.</summary>
    public PaillierPublicKey PublicKey => publicKey;

    /// <summary>
    /// The mean of every rank's <paramref name="weights"/> (the same length everywhere), computed under encryption;
    /// every rank calls this together and gets the same values.
    /// </summary>
    public T[] Mean<T>(ReadOnlySpan<T> weights)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int count = weights.Length;
        int[] counts = ranks.AllgatherCounts(count);
        if (counts.Any(c => c != count))
        {
            throw new ArgumentException($"Every rank aggregates a model of the same size; the ranks hold {string.Join(", ", counts)} weights.", nameof(weights));
        }

        // Each rank encrypts its own model and sends the ciphertexts to the aggregator only.
        var plain = new double[count];
        for (int i = 0; i < count; i++)
        {
            plain[i] = double.CreateChecked(weights[i]);
        }

        var encrypted = new PaillierEncryptedNumber[count];
        Parallel.For(0, count, i => encrypted[i] = publicKey.Encrypt(plain[i]));
        var numbers = Write(encrypted);
        bool aggregator = ranks.Rank == Aggregator;
        var all = new WireNumbers(
            new byte[aggregator ? checked(numbers.Ciphertexts.Length * ranks.Size) : 0],
            new int[aggregator ? checked(count * ranks.Size) : 0],
            new byte[aggregator ? checked(numbers.Magnitudes.Length * ranks.Size) : 0]);
        ranks.GatherVariable<byte>(numbers.Ciphertexts, all.Ciphertexts, counts.Select(c => c * width).ToArray(), Aggregator);
        ranks.GatherVariable<int>(numbers.Exponents, all.Exponents, counts, Aggregator);
        ranks.GatherVariable<byte>(numbers.Magnitudes, all.Magnitudes, counts.Select(c => c * magnitudeWidth).ToArray(), Aggregator);

        // The aggregator adds the ciphertexts in rank order and passes the encrypted sum on.
        if (aggregator)
        {
            var sum = new PaillierEncryptedNumber[count];
            Parallel.For(0, count, i =>
            {
                var total = Read(all, i);
                for (int rank = 1; rank < ranks.Size; rank++)
                {
                    total += Read(all, (rank * count) + i);
                }

                sum[i] = total;
            });
            numbers = Write(sum);
        }

        ranks.Broadcast<byte>(numbers.Ciphertexts, Aggregator);
        ranks.Broadcast<int>(numbers.Exponents, Aggregator);
        ranks.Broadcast<byte>(numbers.Magnitudes, Aggregator);

        // Only the key holder can decrypt; it divides the sum by the number of ranks and returns the mean.
        var mean = new T[count];
        if (privateKey is not null)
        {
            var divisor = (double)ranks.Size;
            Parallel.For(0, count, i => mean[i] = T.CreateChecked(privateKey.DecryptDouble(Read(numbers, i)) / divisor));
        }

        ranks.Broadcast<T>(mean, KeyHolder);
        return mean;
    }

    /// <summary>
    /// Encrypted numbers as they travel: each ciphertext in fixed-width little-endian bytes, its exponent, and its public
    /// range (<see cref="PaillierEncryptedNumber.MaxMagnitude"/>, which the receiver's sums check against the key's MaxInt).
    /// </summary>
    private readonly record struct WireNumbers(byte[] Ciphertexts, int[] Exponents, byte[] Magnitudes);

    private WireNumbers Write(PaillierEncryptedNumber[] numbers)
    {
        var wire = new WireNumbers(new byte[checked(numbers.Length * width)], new int[numbers.Length], new byte[checked(numbers.Length * magnitudeWidth)]);
        for (int i = 0; i < numbers.Length; i++)
        {
            if (!numbers[i].Ciphertext.TryWriteBytes(wire.Ciphertexts.AsSpan(i * width, width), out _, isUnsigned: true)
                || !numbers[i].MaxMagnitude.TryWriteBytes(wire.Magnitudes.AsSpan(i * magnitudeWidth, magnitudeWidth), out _, isUnsigned: true))
            {
                throw new InvalidOperationException($"A ciphertext or its range does not fit the key's {width} and {magnitudeWidth} bytes.");
            }

            wire.Exponents[i] = numbers[i].Exponent;
        }

        return wire;
    }

    private PaillierEncryptedNumber Read(WireNumbers wire, int index) => publicKey.FromCiphertext(
        new BigInteger(wire.Ciphertexts.AsSpan(index * width, width), isUnsigned: true),
        wire.Exponents[index],
        new BigInteger(wire.Magnitudes.AsSpan(index * magnitudeWidth, magnitudeWidth), isUnsigned: true));
}
