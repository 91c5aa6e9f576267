using Graph.Samples.Examples;
using Graph.Samples.Mnist;

namespace Graph.Samples.Chapter08;

/// <summary>
/// Chapter 8, learning signal and ignoring noise: the MNIST network overfits, dropout regularises it, mini-batches
/// speed it up. Every network trains with its compiled gradient; <c>--book-delta</c> trains with the book's
/// hand-written deltas instead (see <see cref="MnistReluBookDeltaNetwork{T}"/>).
/// </summary>
public static class Chapter08Examples
{
    public const string ChapterId = "ch08";

    public const string ChapterTitle = "Learning signal and ignoring noise: regularization and batching (MNIST)";

    public static IReadOnlyList<IExample> All { get; } =
    [
        new Overfitting(),
        new Dropout(),
        new BatchDropout(),
    ];

    /// <summary>E8.1/E8.2: 784-40-10 relu, batch 1; test accuracy peaks early and falls as the network memorises.</summary>
    private sealed class Overfitting() : MnistExample(ChapterId, "overfitting", "E8.1/E8.2",
        "784-40-10 relu on the first 1000 training images, alpha 0.005, 350 iterations, tested on 10000 images every 10 (book: test 0.8114 at I:10, 0.7073 at I:349)",
        new MnistSettings(Seed: 1, Alpha: 0.005, Iterations: 350, Hidden: 40, Batch: 1, TrainSize: 1000),
        ExampleKnobs.BookDelta)
    {
        protected override string Network => "relu";

        protected override IMnistNetwork<T> Train<T>(MnistSet<T> data, MnistSettings s, ExampleOptions options, TextWriter output, Action<int, double, double> logged)
        {
            IMnistNetwork<T> network = options.BookDelta
                ? new MnistReluBookDeltaNetwork<T>(s.Seed, s.Hidden)
                : new MnistReluNetwork<T>(s.Seed, s.Hidden);
            var alpha = Value<T>(s.Alpha);
            var trainer = Trainer(network, data, options);
            for (int j = 0; j < s.Iterations; j++)
            {
                // Without dropout, the book scores each image on the forward pass that its update then uses.
                var train = trainer.TrainEpoch(s.Batch, alpha);
                if (j % 10 == 0 || j == s.Iterations - 1)
                {
                    var test = trainer.Test();
                    output.WriteLine($"I:{Int(j)} Train-Err:{Cut(train.Error)} Train-Acc:{Acc(train.Accuracy)} Test-Err:{Cut(test.Error)} Test-Acc:{Acc(test.Accuracy)}");
                    logged(j, train.Accuracy, test.Accuracy);
                }
            }

            return network;
        }
    }

    /// <summary>E8.3: 784-100-10 relu with dropout on the hidden layer, batch 1.</summary>
    private sealed class Dropout() : DropoutExample(ChapterId, "dropout", "E8.3",
        "784-100-10 relu with dropout (mask * 2) while training, alpha 0.005, 300 iterations, batch 1 (book: test 0.8181 at I:290)",
        new MnistSettings(Seed: 1, Alpha: 0.005, Iterations: 300, Hidden: 100, Batch: 1, TrainSize: 1000),
        ExampleKnobs.BookDelta)
    {
        protected override string Network => "relu with dropout";

        protected override IMnistNetwork<T> Train<T>(MnistSet<T> data, MnistSettings s, ExampleOptions options, TextWriter output, Action<int, double, double> logged)
        {
            IMnistNetwork<T> network = options.BookDelta
                ? new MnistDropoutBookDeltaNetwork<T>(s.Seed, s.Hidden)
                : new MnistDropoutNetwork<T>(s.Seed, s.Hidden);
            TrainWithDropout(Trainer(network, data, options, s.Hidden), s, Value<T>(s.Alpha), output, logged);

            return network;
        }
    }

    /// <summary>
    /// E8.4: dropout with mini-batches of 100. The book's loop applies its update 100 times per batch, all from the
    /// same forward pass (the update sits inside <c>for k in range(batch_size)</c>), so each batch moves the weights
    /// about 100 steps of alpha on the mean gradient; one compiled step of alpha × batch on the batch's mean loss
    /// is that move done once, and is what this example takes.
    /// </summary>
    private sealed class BatchDropout() : DropoutExample(ChapterId, "batch", "E8.4",
        "784-100-10 relu with dropout, batches of 100, alpha 0.001 (one step of alpha x 100 per batch, as the book's 100 updates), 300 iterations (book: test 0.7975 at I:290)",
        new MnistSettings(Seed: 1, Alpha: 0.001, Iterations: 300, Hidden: 100, Batch: 100, TrainSize: 1000),
        ExampleKnobs.DataParallel)
    {
        protected override string Network => "relu with dropout";

        protected override IMnistNetwork<T> Train<T>(MnistSet<T> data, MnistSettings s, ExampleOptions options, TextWriter output, Action<int, double, double> logged)
        {
            var network = new MnistDropoutNetwork<T>(s.Seed, s.Hidden);
            TrainWithDropout(Trainer(network, data, options, s.Hidden), s, Value<T>(s.Alpha * s.Batch), output, logged);

            return network;
        }
    }

    /// <summary>The dropout examples' loop and the book's log line for them (test first), every 10 iterations.</summary>
    private abstract class DropoutExample(string chapter, string name, string bookId, string description, MnistSettings book, ExampleKnobs extra = ExampleKnobs.None)
        : MnistExample(chapter, name, bookId, description, book, extra)
    {
        protected static void TrainWithDropout<T>(IMnistTrainer<T> trainer, MnistSettings s, T learningRate, TextWriter output, Action<int, double, double> logged)
            where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
        {
            for (int j = 0; j < s.Iterations; j++)
            {
                // Train-Err and Train-Acc score the training pass's predictions, under its dropout masks, as the book does.
                var train = trainer.TrainEpoch(s.Batch, learningRate);
                if (j % 10 == 0)
                {
                    var test = trainer.Test();
                    output.WriteLine($"I:{Int(j)} Test-Err:{Cut(test.Error)} Test-Acc:{Acc(test.Accuracy)} Train-Err:{Cut(train.Error)} Train-Acc:{Acc(train.Accuracy)}");
                    logged(j, train.Accuracy, test.Accuracy);
                }
            }
        }
    }
}
