using System.Numerics;
using Graph.Runtime.Crypto;

namespace Graph.Samples.Chapter15;

/// <summary>
/// E15.5's combining step: Bob, Alice and Sue each encrypt every weight of their model with the owner's Paillier
/// public key, the three encrypted models are added ciphertext by ciphertext, and the owner decrypts.
/// </summary>
/// <remarks>
/// The book decrypts <c>sue_encrypted_model</c>, not the aggregate, and divides it by 3, so its next model is Sue's
/// weights / 3; that is the default here, which reproduces the book's numbers. With <c>bookQuirk: false</c> the
/// owner decrypts the aggregate and divides by 3, which gives E15.2's averaged model (to float64 rounding).
/// </remarks>
public sealed class EncryptedAggregation<T>(PaillierKeyPair keys, bool bookQuirk = true) : FederatedAggregation<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public override void StartRound(TextWriter output) => output.WriteLine("\nStarting Training Round...");

    public override T[] Combine(T[] bob, T[] alice, T[] sue, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var bobEncrypted = Encrypt(bob);
        var aliceEncrypted = Encrypt(alice);
        var sueEncrypted = Encrypt(sue);

        output.WriteLine("\n\tStep 4: Bob, Alice, and Sue send their");
        output.WriteLine("\tencrypted models to each other.");
        var aggregated = new PaillierEncryptedNumber[sue.Length];
        Parallel.For(0, aggregated.Length, i => aggregated[i] = bobEncrypted[i] + aliceEncrypted[i] + sueEncrypted[i]);

        output.WriteLine("\n\tStep 5: only the aggregated model");
        output.WriteLine("\tis sent back to the model owner who");
        output.WriteLine("\t can decrypt it.");
        var decrypted = bookQuirk ? sueEncrypted : aggregated;
        var weights = new T[sue.Length];
        Parallel.For(0, weights.Length, i => weights[i] = T.CreateChecked(keys.PrivateKey.DecryptDouble(decrypted[i]) / 3));
        return weights;
    }

    private PaillierEncryptedNumber[] Encrypt(T[] weights)
    {
        var encrypted = new PaillierEncryptedNumber[weights.Length];
        Parallel.For(0, weights.Length, i => encrypted[i] = keys.PublicKey.Encrypt(double.CreateChecked(weights[i])));
        return encrypted;
    }
}
