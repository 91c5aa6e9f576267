using System.Numerics;
using Graph.Distributed.Federated;
using Graph.Distributed.Mpi;
using Graph.Runtime.Crypto;

namespace Graph.Samples.Chapter15;

/// <summary>
/// E15.5's combining step: Bob, Alice and Sue each encrypt every weight of their model with the owner's Paillier
/// public key, the three encrypted models are added ciphertext by ciphertext, and the owner decrypts.
/// </summary>
/// <remarks>
/// <para>
/// The book decrypts <c>sue_encrypted_model</c>, not the aggregate, and divides it by 3, so its next model is Sue's
/// weights / 3; that is the default here, which reproduces the book's numbers. With <c>bookQuirk: false</c> the
/// owner decrypts the aggregate and divides by 3, which gives E15.2's averaged model (to float64 rounding).
/// </para>
/// <para>
/// Across ranks (<see cref="Combine(Communicator, T[], TextWriter)"/>) only the aggregate can be decrypted: the key
/// pair is made on the last rank (Sue), the ciphertexts are added on rank 0 (Bob), which holds no key, and Sue
/// decrypts only their sum (<see cref="SecureAggregation"/>).
/// </para>
/// </remarks>
public sealed class EncryptedAggregation<T> : FederatedAggregation<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Func<PaillierKeyPair> generateKeys;
    private readonly bool bookQuirk;
    private PaillierKeyPair? keys;
    private SecureAggregation? acrossRanks;

    /// <summary>Aggregates under <paramref name="keys"/>.</summary>
    public EncryptedAggregation(PaillierKeyPair keys, bool bookQuirk = true)
        : this(() => keys, bookQuirk)
    {
        ArgumentNullException.ThrowIfNull(keys);
    }

    /// <summary>Aggregates under a key pair made by <paramref name="generateKeys"/> when first needed (on the key holder only, across ranks).</summary>
    public EncryptedAggregation(Func<PaillierKeyPair> generateKeys, bool bookQuirk = true)
    {
        ArgumentNullException.ThrowIfNull(generateKeys);
        this.generateKeys = generateKeys;
        this.bookQuirk = bookQuirk;
    }

    public override void StartRound(TextWriter output) => output.WriteLine("\nStarting Training Round...");

    public override T[] Combine(T[] bob, T[] alice, T[] sue, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        keys ??= generateKeys();
        var bobEncrypted = Encrypt(bob);
        var aliceEncrypted = Encrypt(alice);
        var sueEncrypted = Encrypt(sue);

        WriteExchangeLines(output);
        var aggregated = new PaillierEncryptedNumber[sue.Length];
        Parallel.For(0, aggregated.Length, i => aggregated[i] = bobEncrypted[i] + aliceEncrypted[i] + sueEncrypted[i]);

        WriteOwnerLines(output);
        var decrypted = bookQuirk ? sueEncrypted : aggregated;
        var weights = new T[sue.Length];
        Parallel.For(0, weights.Length, i => weights[i] = T.CreateChecked(keys.PrivateKey.DecryptDouble(decrypted[i]) / 3));
        return weights;
    }

    /// <exception cref="InvalidOperationException">The aggregation was made with the book's quirk, which has no counterpart across ranks.</exception>
    public override T[] Combine(Communicator ranks, T[] mine, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(ranks);
        ArgumentNullException.ThrowIfNull(output);
        if (bookQuirk)
        {
            throw new InvalidOperationException("Across ranks the key holder decrypts only the sum of the encrypted models (--true-aggregate); the book's decryption of Sue's model alone would need her ciphertexts at the key holder.");
        }

        acrossRanks ??= new SecureAggregation(ranks, keyHolder: ranks.Size - 1, generateKeys);
        WriteExchangeLines(output);
        var mean = acrossRanks.Mean<T>(mine);
        WriteOwnerLines(output);
        return mean;
    }

    private PaillierEncryptedNumber[] Encrypt(T[] weights)
    {
        var publicKey = keys!.PublicKey;
        var encrypted = new PaillierEncryptedNumber[weights.Length];
        Parallel.For(0, weights.Length, i => encrypted[i] = publicKey.Encrypt(double.CreateChecked(weights[i])));
        return encrypted;
    }

    private static void WriteExchangeLines(TextWriter output)
    {
        output.WriteLine("\n\tStep 4: Bob, Alice, and Sue send their");
        output.WriteLine("\tencrypted models to each other.");
    }

    private static void WriteOwnerLines(TextWriter output)
    {
        output.WriteLine("\n\tStep 5: only the aggregated model");
        output.WriteLine("\tis sent back to the model owner who");
        output.WriteLine("\t can decrypt it.");
    }
}
