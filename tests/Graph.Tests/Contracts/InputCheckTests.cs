using Graph.Runtime;
using Graph.Samples.Chapter08;
using Graph.Samples.Chapter10;
using Xunit;

namespace Graph.Tests.Contracts;

/// <summary>
/// A NaN or an infinity in an input is refused by every public method with an ArgumentException that names the input
/// and the value's index, before anything the caller can see changes: in chapter 8's dropout network, whose first step
/// is the product of the images (checked through it), and in chapter 10's CNN, whose first step is a convolution
/// (the images scanned before the steps). Finite images whose product overflows are not refused.
/// </summary>
public sealed class InputCheckTests
{
    private const int Pixels = 784;

    /// <summary>The CNN's images: 27×27.</summary>
    private const int CroppedPixels = 729;

    public static TheoryData<float, int> Cases()
    {
        var data = new TheoryData<float, int>();
        foreach (float bad in new[] { float.NaN, float.PositiveInfinity, float.NegativeInfinity })
        {
            data.Add(bad, 1);
            data.Add(bad, 5);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void ABadValueCheckedThroughTheFirstProductIsNamedAndChangesNothing(float bad, int batch)
    {
        var (images, labels) = Batch(batch, Pixels, seed: batch);
        var adam = Optimizer.Adam(0.01);
        foreach (int at in Positions(batch * Pixels, Pixels, batch))
        {
            float[] poisoned = [.. images];
            poisoned[at] = bad;
            var model = new MnistDropoutNetwork<float>(seed: 1, hidden: 12);
            var twin = new MnistDropoutNetwork<float>(seed: 1, hidden: 12);
            model.TrainStep(images, labels, adam, batch);
            twin.TrainStep(images, labels, adam, batch);

            var output = new float[batch * 10];
            var predictions = new float[batch * 10];
            Refused(bad, at, () => model.Predict(poisoned, output, batch));
            Refused(bad, at, () => model.Loss(poisoned, labels, batch, training: true));
            Refused(bad, at, () => model.Backward(poisoned, labels, batch));
            Refused(bad, at, () => model.TrainStep(poisoned, labels, 0.01f, batch));
            Refused(bad, at, () => model.TrainStep(poisoned, labels, adam, predictions, batch));

            // The weights, Adam's moments and the dropout stream are as the twin's, which never saw the bad batch.
            Assert.Equal(twin.TrainStep(images, labels, adam, batch), model.TrainStep(images, labels, adam, batch));
            foreach (var parameter in twin.Parameters)
            {
                Assert.Equal(parameter.Value.ToArray(), model.Parameters[parameter.Name].Value.ToArray());
            }
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void ABadValueScannedBeforeTheStepsIsNamed(float bad, int batch)
    {
        var (images, labels) = Batch(batch, CroppedPixels, seed: batch);
        var model = new MnistConvolutionNetwork<float>(seed: 1);
        foreach (int at in Positions(batch * CroppedPixels, CroppedPixels, batch))
        {
            float[] poisoned = [.. images];
            poisoned[at] = bad;
            Refused(bad, at, () => model.Predict(poisoned, new float[batch * 10], batch));
            Refused(bad, at, () => model.TrainStep(poisoned, labels, 0.01f, batch));
        }
    }

    [Fact]
    public void FiniteImagesWhoseProductOverflowsAreNotRefused()
    {
        var model = new MnistDropoutNetwork<float>(seed: 1, hidden: 12);
        float[] images = [.. Enumerable.Repeat(3e38f, Pixels)];
        var output = new float[10];

        model.Predict(images, output);
        Assert.Contains(output, value => !float.IsFinite(value));
        Assert.Throws<TrainingDivergedException>(() => model.TrainStep(images, new float[10], 0.01f));
    }

    /// <summary>The first value, the last of the first sample, the last, and one inside the batch.</summary>
    private static IEnumerable<int> Positions(int length, int pixels, int batch) =>
        new[] { 0, pixels - 1, length - 1, (length / 2) + (batch * 7) }.Distinct();

    private static void Refused(float bad, int at, Action call)
    {
        var exception = Assert.Throws<ArgumentException>(call);
        Assert.Equal("image", exception.ParamName);
        Assert.StartsWith($"'image' holds {bad} at index {at};", exception.Message, StringComparison.Ordinal);
    }

    /// <summary>Images with blank pixels, as MNIST's are, and one-hot labels.</summary>
    private static (float[] Images, float[] Labels) Batch(int batch, int pixels, int seed)
    {
        var random = new Random(seed);
        float[] images = [.. Enumerable.Range(0, batch * pixels).Select(i => i % 3 == 0 ? (float)random.NextDouble() : 0f)];
        var labels = new float[batch * 10];
        for (int s = 0; s < batch; s++)
        {
            labels[(s * 10) + (s % 10)] = 1;
        }

        return (images, labels);
    }
}
