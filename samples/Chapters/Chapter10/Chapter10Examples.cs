using Graph.Samples.Examples;
using Graph.Samples.Mnist;

namespace Graph.Samples.Chapter10;

/// <summary>Chapter 10, edges and corners: a convolutional layer on MNIST.</summary>
public static class Chapter10Examples
{
    public const string ChapterId = "ch10";

    public const string ChapterTitle = "Neural learning about edges and corners: intro to convolutional neural networks (MNIST)";

    public static IReadOnlyList<IExample> All { get; } = [new Convolution()];

    /// <summary>
    /// E10.1: 16 kernels of 3 × 3, tanh, dropout, softmax, batches of 128. The book slides its kernels over
    /// <c>range(28 - 3)</c> = 25 positions per axis, which is a valid convolution of the image's top-left 27 × 27
    /// pixels, so the images are cropped to 27 × 27 and the hidden layer has the book's 25·25·16 = 10,000 units. As
    /// in chapter 9 the book's delta is divided by the batch twice, so alpha 2 is a step of 2 / 128 on the mean
    /// cross-entropy. The compiled network trains with the true gradient on every image, the last batch of 104
    /// included. <c>--book-delta</c> reproduces the book's training instead: its kernel update of the opposite sign,
    /// its tanh derivative taken of the dropout-scaled layer, and its loop over <c>int(1000 / 128)</c> = 7 full batches
    /// (896 images) with the training accuracy divided by 1000.
    /// </summary>
    private sealed class Convolution() : MnistExample(ChapterId, "cnn", "E10.1",
        "16 3x3 kernels over 27x27 (25x25 positions) -> tanh + dropout -> 10000 -> softmax, batches of 128, alpha 2 (a step of alpha / 128 on the mean cross-entropy), 300 iterations, true gradient on all images (book, with its reversed kernel update: test 0.8774 at I:299)",
        new MnistSettings(Seed: 1, Alpha: 2, Iterations: 300, Hidden: 10000, Batch: 128, TrainSize: 1000),
        ExampleKnobs.BookDelta | ExampleKnobs.DataParallel,
        without: ExampleKnobs.Hidden)
    {
        private const int Side = 27;

        /// <summary>The hidden layer: 25 × 25 positions × 16 kernels, each unit with its dropout draw.</summary>
        private const int HiddenUnits = 25 * 25 * 16;

        protected override string Network => "convolution, tanh with dropout, softmax";

        protected override string Architecture(MnistSettings settings) => "27x27-conv(16 of 3x3)-10000-10";

        protected override string? CheckValues(ExampleOptions options)
        {
            var s = Settings(options);
            return s.Batch < 1 ? $"--batch must be at least 1, not {s.Batch}."
                : s.TrainSize < 1 ? $"--train-size must be at least 1, not {s.TrainSize}."
                : options.BookDelta && s.TrainSize < s.Batch ? $"--book-delta trains only full batches: --train-size ({s.TrainSize}) must be at least --batch ({s.Batch})."
                : null;
        }

        protected override MnistSet<T> Prepare<T>(MnistSet<T> data) => data.Cropped(Side);

        protected override IMnistNetwork<T> Train<T>(MnistSet<T> data, MnistSettings s, ExampleOptions options, TextWriter output, Action<int, double, double> logged)
        {
            IMnistNetwork<T> network = options.BookDelta
                ? new MnistConvolutionBookDeltaNetwork<T>(s.Seed)
                : new MnistConvolutionNetwork<T>(s.Seed);
            var learningRate = Value<T>(s.Alpha / s.Batch);
            int trained = options.BookDelta ? data.TrainCount / s.Batch * s.Batch : data.TrainCount;
            var trainer = Trainer(network, data, options, HiddenUnits);
            for (int j = 0; j < s.Iterations; j++)
            {
                var train = trainer.TrainEpoch(s.Batch, learningRate, trained);
                var test = trainer.Test();
                double trainAccuracy = (double)train.Correct / data.TrainCount;
                output.WriteLine($"I:{Int(j)} Test-Acc:{Acc(test.Accuracy)} Train-Acc:{Acc(trainAccuracy)}");
                logged(j, trainAccuracy, test.Accuracy);
            }

            return network;
        }
    }
}
