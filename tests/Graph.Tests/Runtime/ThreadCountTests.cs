using System.Numerics;
using Graph.Runtime;
using Xunit;

namespace Graph.Tests.Runtime;

/// <summary>
/// The kernels that split their work across threads give the same bits for 2, 3 and 4 threads as for one: the window
/// kernels (split by samples) and the activations (split in chunks, which also must equal one call over the whole
/// buffer, since TensorPrimitives computes every element of a long span with the same vector code).
/// </summary>
public sealed class ThreadCountTests
{
    public static TheoryData<int> ThreadCounts => [2, 3, 4];

    [Theory]
    [MemberData(nameof(ThreadCounts))]
    public void WindowKernelsGiveTheSameBits(int threads)
    {
        const int count = 64, side = 20, channels = 2;
        var random = new NumpyRandom(3);
        double[] image = Draw(random, count * side * side * channels);
        double[] columns = Draw(random, count * 18 * 18 * 9 * channels);
        double[] Run(int threadCount)
        {
            using (Parallelism.Use(threadCount))
            {
                var cols = new double[columns.Length];
                var back = new double[image.Length];
                var pooled = new double[image.Length / 4];
                var up = new double[image.Length];
                Kernels.Im2Col<double>(image, cols, count, side, side, channels, 3, 3);
                Kernels.Col2Im<double>(columns, back, count, side, side, channels, 3, 3);
                Kernels.SumPool2d<double>(image, pooled, count, side, side, channels, 2, 2);
                Kernels.Upsample2d<double>(pooled, up, count, side, side, channels, 2, 2);
                return [.. cols, .. back, .. pooled, .. up];
            }
        }

        Assert.Equal(Run(1), Run(threads));
    }

    [Theory]
    [MemberData(nameof(ThreadCounts))]
    public void ActivationsGiveTheSameBitsAsOneCallOverTheWholeBuffer(int threads)
    {
        // Long enough to be cut into chunks, with a ragged end.
        const int length = (7 * 8192) + 13;
        var random = new NumpyRandom(4);
        float[] x = Enumerable.Range(0, length).Select(_ => (float)((random.RandomSample() * 8) - 4)).ToArray();
        float[] positive = x.Select(Math.Abs).ToArray();
        foreach ((Action<float[], float[]> kernel, Action<float[], float[]> whole, float[] input) in new (Action<float[], float[]>, Action<float[], float[]>, float[])[]
        {
            ((a, b) => Kernels.Tanh<float>(a, b), OneThread((a, b) => Kernels.Tanh<float>(a, b)), x),
            ((a, b) => Kernels.Sigmoid<float>(a, b), (a, b) => System.Numerics.Tensors.TensorPrimitives.Sigmoid<float>(a, b), x),
            ((a, b) => Kernels.Exp<float>(a, b), (a, b) => System.Numerics.Tensors.TensorPrimitives.Exp<float>(a, b), x),
            ((a, b) => Kernels.Log<float>(a, b), (a, b) => System.Numerics.Tensors.TensorPrimitives.Log<float>(a, b), positive),
        })
        {
            var expected = new float[length];
            whole(input, expected);
            var actual = new float[length];
            using (Parallelism.Use(threads))
            {
                kernel(input, actual);
            }

            Assert.Equal(expected, actual);

            // In place, as generated code may call it.
            float[] inPlace = (float[])input.Clone();
            using (Parallelism.Use(threads))
            {
                kernel(inPlace, inPlace);
            }

            Assert.Equal(expected, inPlace);
        }
    }

    [Fact]
    public void AnActivationRefusesPartlyOverlappingSpans()
    {
        var buffer = new double[40_000];
        Assert.Throws<ArgumentException>(() => Kernels.Tanh<double>(buffer.AsSpan(0, 30_000), buffer.AsSpan(1, 30_000)));
    }

    [Theory]
    [MemberData(nameof(ThreadCounts))]
    public void TheCnnStepGivesTheSameBitsInDouble(int threads) => Assert.Equal(TrainCnn<double>(1), TrainCnn<double>(threads));

    [Theory]
    [MemberData(nameof(ThreadCounts))]
    public void TheCnnStepGivesTheSameBitsInFloat(int threads) => Assert.Equal(TrainCnn<float>(1), TrainCnn<float>(threads));

    /// <summary>Two steps of chapter 10's CNN on 32 images (every kind of threaded kernel: im2col, the split and
    /// depth-split products, tanh, the fused updates); the trained weights.</summary>
    private static T[] TrainCnn<T>(int threads)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new NumpyRandom(9);
        var image = new T[32 * 27 * 27];
        for (int i = 0; i < image.Length; i++)
        {
            image[i] = T.CreateTruncating(random.RandomSample());
        }

        var labels = new T[32 * 10];
        for (int s = 0; s < 32; s++)
        {
            labels[(s * 10) + (s % 10)] = T.One;
        }

        using (Parallelism.Use(threads))
        {
            var network = new Graph.Samples.Chapter10.MnistConvolutionNetwork<T>(1);
            for (int step = 0; step < 2; step++)
            {
                network.TrainStep(image, labels, T.CreateTruncating(0.05), 32);
            }

            return [.. network.Parameters[0].Value, .. network.Parameters[1].Value];
        }
    }

    private static double[] Draw(NumpyRandom random, int length)
    {
        var values = new double[length];
        random.RandomSample(values);
        return values;
    }

    /// <summary>The kernel on the calling thread alone: float tanh has code of its own (<c>FloatTanh</c>), not
    /// TensorPrimitives'.</summary>
    private static Action<float[], float[]> OneThread(Action<float[], float[]> kernel) => (a, b) =>
    {
        using (Parallelism.Use(1))
        {
            kernel(a, b);
        }
    };
}
