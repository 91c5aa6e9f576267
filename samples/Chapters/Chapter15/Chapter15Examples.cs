using System.Numerics;
using Graph.Runtime.Crypto;
using Graph.Runtime.Datasets;
using Graph.Samples.Cli;
using Graph.Samples.Examples;

namespace Graph.Samples.Chapter15;

/// <summary>Chapter 15, deep learning on unseen data: spam detection on Enron-Spam, federated learning and Paillier secure aggregation.</summary>
public static class Chapter15Examples
{
    public const string ChapterId = "ch15";

    public const string ChapterTitle = "Deep learning on unseen data: federated learning (Enron spam, Paillier encryption)";

    /// <summary>The book's Paillier key length for E15.4, below the 2048 bits the runtime calls secure, so it is allowed explicitly.</summary>
    public const int ExampleKeyBits = 1024;

    /// <summary>The book's Paillier key length for E15.5: a demonstration size that offers no security, allowed explicitly.</summary>
    public const int AggregationKeyBits = 128;

    public static IReadOnlyList<IExample> All { get; } = [new Spam(), new Federated(), new Leak(), new Paillier(), new SecureAggregation()];

    /// <summary>E15.1: the spam detector trained on every training e-mail, tested after each pass.</summary>
    private sealed class Spam() : NetworkExample(ChapterId, "spam", "E15.1",
        "Enron spam: sigmoid of the sum of one weight per word, batches of 500, alpha 0.01, 3 passes (book: % Correct on Test Set: 99.45)",
        ExampleKnobs.Iterations | ExampleKnobs.Alpha | ExampleKnobs.Batch)
    {
        public override string Title(ExampleOptions options) =>
            $"Enron spam: sigmoid(sum of 500 word weights), squared error, batch {Number(options.Batch ?? SpamTraining<double>.BookBatchSize)}, " +
            $"alpha {Number(options.Alpha ?? SpamTraining<double>.BookAlpha)}, {Number(options.Iterations ?? 3)} passes" + PrecisionSuffix(options);

        protected override string? CheckValues(ExampleOptions options) =>
            options.Batch is < 1 ? $"--batch must be at least 1, not {options.Batch}." : null;

        protected override void Execute<T>(ExampleOptions options, TextWriter output)
        {
            var data = SpamCorpus.Load();
            var training = SpamTraining.For<T>(data, options.Batch ?? SpamTraining<T>.BookBatchSize, options.Alpha ?? SpamTraining<T>.BookAlpha);
            var model = training.NewModel();
            for (int pass = 0; pass < (options.Iterations ?? 3); pass++)
            {
                training.TrainPass(model, data.TrainInputs, data.TrainTargets, output);
                output.WriteLine(SpamTraining<T>.CorrectLine(training.TestPercent(model, data.TestInputs, data.TestTargets)));
            }
        }
    }

    /// <summary>
    /// E15.2: Bob, Alice and Sue each train a copy of the model on their e-mails; the owner averages the three. With
    /// <c>--data-parallel</c> the three are the ranks of an MPI job (<see cref="FederatedRanks"/>).
    /// </summary>
    private sealed class Federated() : NetworkExample(ChapterId, "federated", "E15.2",
        "federated learning: Bob, Alice and Sue each train a copy for one pass, the three models are averaged, 3 rounds (book: 98.8 after round 3)",
        ExampleKnobs.Iterations | ExampleKnobs.DataParallel)
    {
        public override string Title(ExampleOptions options) =>
            $"federated learning on Enron spam: Bob (1,000 e-mails), Alice (1,000), Sue (the rest), averaged, {Number(options.Iterations ?? 3)} rounds" + PrecisionSuffix(options);

        protected override string? CheckValues(ExampleOptions options) => CheckParties(options);

        protected override void Execute<T>(ExampleOptions options, TextWriter output)
        {
            if (options.DataParallel)
            {
                FederatedRanks.Run(DataParallelJob.World, SpamCorpus.Load, options.Iterations ?? 3, new Averaging<T>(), output);
                return;
            }

            var data = SpamCorpus.Load();
            FederatedLearning.Run(data, SpamTraining.For<T>(data), options.Iterations ?? 3, new Averaging<T>(), output);
        }
    }

    /// <summary>With <c>--data-parallel</c>, the job must have one rank per party.</summary>
    private static string? CheckParties(ExampleOptions options) =>
        options.DataParallel && DataParallelJob.RankCount is { } ranks && ranks != FederatedRanks.Parties
            ? $"--data-parallel runs Bob, Alice and Sue as one rank each: start the job with mpirun -np {FederatedRanks.Parties}, not {ranks}."
            : null;

    /// <summary>E15.3: one e-mail's words can be read off the model it trained.</summary>
    private sealed class Leak() : NetworkExample(ChapterId, "leak", "E15.3",
        "one e-mail, 'my computer password is pizza', trained on a zero model in a batch of one: its words are the weights that changed (book: Loss:0.25)",
        ExampleKnobs.None)
    {
        public override string Title(ExampleOptions options) =>
            "the words of one e-mail leak through the model it trained (Enron spam vocabulary)" + PrecisionSuffix(options);

        protected override void Execute<T>(ExampleOptions options, TextWriter output)
        {
            var data = SpamCorpus.Load();
            EmailLeak.Run<T>(data.Vocabulary, data.UnknownIndex, EmailLeak.BobsEmail, output);
        }
    }

    /// <summary>E15.4: Paillier encryption adds numbers without decrypting them.</summary>
    private sealed class Paillier() : Example(ChapterId, "paillier", "E15.4",
        "Paillier homomorphic encryption with a 1024-bit key: decrypt(encrypt(5) + encrypt(3)) (book: The Answer: 8)",
        ExampleKnobs.None)
    {
        public override string Title(ExampleOptions options) =>
            $"Paillier encryption, {Number(ExampleKeyBits)}-bit key (the book's size, below the secure 2,048 bits, allowed explicitly): 5 + 3 added while encrypted";

        protected override void Execute(ExampleOptions options, TextWriter output)
        {
            // The book's 1024-bit key is shorter than the runtime accepts by default; the sample asks for it explicitly.
            var keys = PaillierKeyPair.Generate(ExampleKeyBits, allowInsecureKeySize: true);
            var x = keys.PublicKey.Encrypt(5);
            var y = keys.PublicKey.Encrypt(3);
            var z = x + y;
            output.WriteLine("The Answer: " + keys.PrivateKey.DecryptInteger(z).ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    /// <summary>
    /// E15.5: E15.2 with every weight of the three trained models Paillier-encrypted (a 128-bit key, as the book: a
    /// demonstration size, not secure) and the encrypted models added. As in the book, the owner then decrypts Sue's
    /// encrypted model rather than the aggregate and divides it by 3 (see <see cref="EncryptedAggregation{T}"/>);
    /// <c>--true-aggregate</c> decrypts the aggregate. With <c>--data-parallel</c> (and <c>--true-aggregate</c>) Bob,
    /// Alice and Sue are the ranks of an MPI job and Sue holds the key (<see cref="EncryptedAggregation{T}"/>).
    /// </summary>
    private sealed class SecureAggregation() : NetworkExample(ChapterId, "secure-aggregation", "E15.5",
        "E15.2 with the models Paillier-encrypted (128-bit key) and added; as the book, the owner decrypts Sue's model, not the sum, and divides by 3 (book: 99.15 after round 3)",
        ExampleKnobs.Iterations | ExampleKnobs.TrueAggregate | ExampleKnobs.DataParallel)
    {
        public override string Title(ExampleOptions options) =>
            $"secure aggregation on Enron spam: Paillier ({Number(AggregationKeyBits)}-bit demonstration key, insecure, allowed explicitly) encrypted models added, {Number(options.Iterations ?? 3)} rounds; " +
            (options.TrueAggregate
                ? "the owner decrypts the aggregate and divides it by 3"
                : "the book's quirk: the owner decrypts Sue's encrypted model, not the aggregate, and divides it by 3 (--true-aggregate decrypts the aggregate)") +
            PrecisionSuffix(options);

        protected override string? CheckValues(ExampleOptions options) =>
            options.DataParallel && !options.TrueAggregate
                ? "--data-parallel decrypts only the sum of the encrypted models: add --true-aggregate (the book decrypts Sue's model alone, which across ranks only Sue could do)."
                : CheckParties(options);

        protected override void Execute<T>(ExampleOptions options, TextWriter output)
        {
            // The book's 128-bit key offers no security (its modulus is factored in seconds); it keeps encrypting every
            // weight fast, and the sample asks for it explicitly.
            var aggregation = new EncryptedAggregation<T>(() => PaillierKeyPair.Generate(AggregationKeyBits, allowInsecureKeySize: true), bookQuirk: !options.TrueAggregate);
            if (options.DataParallel)
            {
                FederatedRanks.Run(DataParallelJob.World, SpamCorpus.Load, options.Iterations ?? 3, aggregation, output);
                return;
            }

            var data = SpamCorpus.Load();
            FederatedLearning.Run(data, SpamTraining.For<T>(data), options.Iterations ?? 3, aggregation, output);
        }
    }
}
