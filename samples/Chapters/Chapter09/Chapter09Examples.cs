using Graph.Samples.Examples;
using Graph.Samples.Mnist;

namespace Graph.Samples.Chapter09;

/// <summary>Chapter 9, activation functions: tanh in the hidden layer, softmax at the output.</summary>
public static class Chapter09Examples
{
    public const string ChapterId = "ch09";

    public const string ChapterTitle = "Modeling probabilities and nonlinearities: activation functions (MNIST)";

    public static IReadOnlyList<IExample> All { get; } = [new TanhSoftmax()];

    /// <summary>
    /// E9.1: 784-100-10, tanh, dropout, softmax, batches of 100. The book's delta is
    /// <c>(labels - softmax) / (batch_size * batch_size)</c> (it divides by <c>layer_2.shape[0]</c>, the batch, a second
    /// time), so its alpha 2 is a step of 2 / 100 on the mean cross-entropy, the learning rate taken here. Its hidden
    /// delta takes tanh's derivative of the dropout-scaled output (<c>1 - (2·tanh)²</c>); the compiled gradient is
    /// the true one, <c>2 · mask · (1 - tanh²)</c>.
    /// </summary>
    private sealed class TanhSoftmax() : MnistExample(ChapterId, "tanh-softmax", "E9.1",
        "784-100-10 tanh + dropout + softmax, batches of 100, alpha 2 (a step of alpha / 100 on the mean cross-entropy), 300 iterations (book: test 0.8701 at I:290)",
        new MnistSettings(Seed: 1, Alpha: 2, Iterations: 300, Hidden: 100, Batch: 100, TrainSize: 1000),
        ExampleKnobs.DataParallel)
    {
        protected override string Network => "tanh with dropout, softmax";

        protected override IMnistNetwork<T> Train<T>(MnistSet<T> data, MnistSettings s, ExampleOptions options, TextWriter output, Action<int, double, double> logged)
        {
            var network = new MnistTanhSoftmaxNetwork<T>(s.Seed, s.Hidden);
            var learningRate = Value<T>(s.Alpha / s.Batch);
            var trainer = Trainer(network, data, options, s.Hidden);
            for (int j = 0; j < s.Iterations; j++)
            {
                var train = trainer.TrainEpoch(s.Batch, learningRate);
                if (j % 10 == 0)
                {
                    var test = trainer.Test();
                    output.WriteLine($"I:{Int(j)} Test-Acc:{Acc(test.Accuracy)} Train-Acc:{Acc(train.Accuracy)}");
                    logged(j, train.Accuracy, test.Accuracy);
                }
            }

            return network;
        }
    }
}
