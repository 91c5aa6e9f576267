using System.Numerics;
using Graph.Runtime;
using Xunit;

namespace Graph.Tests.Runtime;

/// <summary>
/// The direct convolution's two kernels against what they replace, im2col and a GEMM at the same vector width: the
/// same bits for every shape, width and thread count, windows of zeros skipped or not; and bad sizes or overlapping
/// spans rejected by name.
/// </summary>
public sealed class ConvolutionKernelTests
{
    /// <summary>count, height, width, channels, kernel height, kernel width, kernels.</summary>
    public static TheoryData<int, int, int, int, int, int, int> Shapes => new()
    {
        { 3, 27, 27, 1, 3, 3, 16 },  // chapter 10's convolution
        { 2, 9, 7, 1, 2, 3, 21 },    // kernels filling no whole vector at some widths
        { 2, 8, 8, 1, 3, 3, 3 },     // fewer kernels than the narrowest vector of floats
        { 2, 6, 5, 2, 2, 3, 16 },    // two channels
        { 1, 5, 70, 1, 3, 2, 8 },    // output rows wider than 64 positions (no zero marks)
        { 1, 1030, 6, 1, 3, 3, 4 },  // taller than the images whose rows are marked
        { 2, 12, 9, 1, 5, 5, 8 },    // 25 taps: three bands of taps in the gradient
        { 1, 4, 4, 1, 4, 4, 4 },     // one position per image
    };

    public static TheoryData<int> GradientDepths => [1, 2, 7, 9, 16];

    [Theory]
    [MemberData(nameof(Shapes))]
    public void TheConvolutionIsIm2ColAndTheGemmBitForBit(int count, int height, int width, int channels, int kernelHeight, int kernelWidth, int kernels) =>
        AtEveryWidthAndThreadCount(new Shape(count, height, width, channels, kernelHeight, kernelWidth, kernels), CheckConvolution<float>, CheckConvolution<double>);

    [Theory]
    [MemberData(nameof(Shapes))]
    public void TheKernelGradientIsIm2ColAndTheTransposedGemmBitForBit(int count, int height, int width, int channels, int kernelHeight, int kernelWidth, int kernels) =>
        AtEveryWidthAndThreadCount(new Shape(count, height, width, channels, kernelHeight, kernelWidth, kernels), CheckKernelGradient<float>, CheckKernelGradient<double>);

    [Theory]
    [MemberData(nameof(Shapes))]
    public void TheConvolutionThenTanhIsTheConvolutionFollowedByTheBufferTanhBitForBit(int count, int height, int width, int channels, int kernelHeight, int kernelWidth, int kernels) =>
        AtEveryWidthAndThreadCount(new Shape(count, height, width, channels, kernelHeight, kernelWidth, kernels), CheckConvolutionThenTanh<float>, CheckConvolutionThenTanh<double>);

    /// <summary>
    /// Chapter 10's shape over batches whose depth (625 positions per image) the GEMM sums whole, in two halves and in
    /// chunks of 2048 (16 images: five chunks, the last one short).
    /// </summary>
    [Theory]
    [MemberData(nameof(GradientDepths))]
    public void TheKernelGradientSumsInTheGemmsChunks(int count)
    {
        foreach (int threads in new[] { 1, 2 })
        {
            CheckKernelGradient<float>(new Shape(count, 27, 27, 1, 3, 3, 16), GemmWidth.Auto, threads);
            CheckKernelGradient<double>(new Shape(count, 27, 27, 1, 3, 3, 16), GemmWidth.Auto, threads);
        }
    }

    [Fact]
    public void NoImagesGiveAZeroGradientAndNoOutput()
    {
        float[] gradient = [1, 2, 3, 4, 5, 6, 7, 8, 9];
        Kernels.ConvolutionKernelGradient<float>(ReadOnlySpan<float>.Empty, ReadOnlySpan<float>.Empty, gradient, 0, 3, 3, 1, 3, 3, 1);
        Assert.All(gradient, g => Assert.Equal(0f, g));
        Kernels.Convolve<float>(ReadOnlySpan<float>.Empty, new float[9], Span<float>.Empty, 0, 3, 3, 1, 3, 3, 1);
    }

    [Fact]
    public void AWindowWithANaNIsComputedNotSkipped()
    {
        // The windows of zeros are skipped; a NaN is not zero, so the windows that hold it give NaN as the GEMM does.
        float[] image = new float[25];
        image[12] = float.NaN;
        float[] kernels = Enumerable.Repeat(1f, 9).ToArray();
        float[] output = new float[9];
        Kernels.Convolve<float>(image, kernels, output, 1, 5, 5, 1, 3, 3, 1);
        Assert.All(output, o => Assert.True(float.IsNaN(o)));
    }

    [Fact]
    public void ShortSpansAreRejectedByName()
    {
        var image = new float[2 * 25];
        var kernels = new float[9 * 4];
        var output = new float[2 * 9 * 4];
        Assert.Equal("images", Assert.Throws<ArgumentException>(() => Kernels.Convolve<float>(image.AsSpan(1), kernels, output, 2, 5, 5, 1, 3, 3, 4)).ParamName);
        Assert.Equal("kernels", Assert.Throws<ArgumentException>(() => Kernels.Convolve<float>(image, kernels.AsSpan(1), output, 2, 5, 5, 1, 3, 3, 4)).ParamName);
        Assert.Equal("output", Assert.Throws<ArgumentException>(() => Kernels.Convolve<float>(image, kernels, output.AsSpan(1), 2, 5, 5, 1, 3, 3, 4)).ParamName);
        Assert.Equal("gradient", Assert.Throws<ArgumentException>(() => Kernels.ConvolutionKernelGradient<float>(image, output.AsSpan(1), kernels, 2, 5, 5, 1, 3, 3, 4)).ParamName);
        Assert.Equal("kernelGradient", Assert.Throws<ArgumentException>(() => Kernels.ConvolutionKernelGradient<float>(image, output, kernels.AsSpan(1), 2, 5, 5, 1, 3, 3, 4)).ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => Kernels.Convolve<float>(image, kernels, output, 2, 5, 5, 1, 3, 3, 0));

        // A result written over an operand it reads.
        var shared = new float[200];
        Assert.Contains("overlap 'images'", Assert.Throws<ArgumentException>(() => Kernels.Convolve<float>(shared.AsSpan(0, 50), kernels, shared.AsSpan(40, 72), 2, 5, 5, 1, 3, 3, 4)).Message);
        Assert.Contains("overlap 'kernels'", Assert.Throws<ArgumentException>(() => Kernels.Convolve<float>(image, shared.AsSpan(0, 36), shared.AsSpan(20, 72), 2, 5, 5, 1, 3, 3, 4)).Message);
        Assert.Contains("overlap 'gradient'", Assert.Throws<ArgumentException>(() => Kernels.ConvolutionKernelGradient<float>(image, shared.AsSpan(0, 72), shared.AsSpan(60, 36), 2, 5, 5, 1, 3, 3, 4)).Message);
        Assert.Contains("overlap 'images'", Assert.Throws<ArgumentException>(() => Kernels.ConvolutionKernelGradient<float>(shared.AsSpan(0, 50), output, shared.AsSpan(30, 36), 2, 5, 5, 1, 3, 3, 4)).Message);
        Assert.Throws<ArgumentException>(() => Kernels.Convolve<float>(image, kernels, output, 2, 5, 5, 1, 6, 3, 4));
    }

    private static readonly GemmWidth[] Widths = [GemmWidth.Scalar, GemmWidth.Vector128, GemmWidth.Vector256, GemmWidth.Vector512];

    /// <summary>Both checks (float and double) of one shape at every vector width, on one and on two threads.</summary>
    private static void AtEveryWidthAndThreadCount(Shape shape, Action<Shape, GemmWidth, int> checkFloat, Action<Shape, GemmWidth, int> checkDouble)
    {
        foreach (var vectors in Widths)
        {
            foreach (int threads in new[] { 1, 2 })
            {
                checkFloat(shape, vectors, threads);
                checkDouble(shape, vectors, threads);
            }
        }
    }

    private static void CheckConvolution<T>(Shape shape, GemmWidth width, int threads)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (image, kernels, gradient) = Operands<T>(shape);
        var columns = new T[shape.Count * shape.Positions * shape.Taps];
        var expected = new T[shape.Count * shape.Positions * shape.Kernels];
        var actual = new T[expected.Length];
        using (Parallelism.Use(threads))
        {
            Kernels.Im2Col<T>(image, columns, shape.Count, shape.Height, shape.Width, shape.Channels, shape.KernelHeight, shape.KernelWidth);
            Kernels.Gemm<T>(false, false, shape.Count * shape.Positions, shape.Kernels, shape.Taps, columns, shape.Taps, kernels, shape.Kernels, expected, shape.Kernels, false, new GemmOptions(Width: width));
            Kernels.Convolve<T>(image, kernels, actual, shape.Count, shape.Height, shape.Width, shape.Channels, shape.KernelHeight, shape.KernelWidth, shape.Kernels, width);
        }

        AssertSameBits(expected, actual, $"{typeof(T).Name} {shape} at {width} on {threads} threads");
        Assert.Contains(expected, e => e != T.Zero);
    }

    /// <summary>
    /// <c>ConvolveTanh</c> against <c>Convolve</c> and then <c>Kernels.Tanh</c> over the whole output, with kernels large
    /// enough that the sums reach both of tanh's forms (below and from 0.75) and its saturation.
    /// </summary>
    private static void CheckConvolutionThenTanh<T>(Shape shape, GemmWidth width, int threads)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (image, small, _) = Operands<T>(shape);
        T[] kernels = Array.ConvertAll(small, k => k * T.CreateTruncating(40));
        var expected = new T[shape.Count * shape.Positions * shape.Kernels];
        var actual = Enumerable.Repeat(T.CreateTruncating(99), expected.Length).ToArray();
        using (Parallelism.Use(threads))
        {
            Kernels.Convolve<T>(image, kernels, expected, shape.Count, shape.Height, shape.Width, shape.Channels, shape.KernelHeight, shape.KernelWidth, shape.Kernels, width);
            Kernels.Tanh<T>(expected, expected);
            Kernels.Convolve<T>(image, kernels, actual, shape.Count, shape.Height, shape.Width, shape.Channels, shape.KernelHeight, shape.KernelWidth, shape.Kernels, width, thenTanh: true);
        }

        AssertSameBits(expected, actual, $"{typeof(T).Name} {shape} at {width} on {threads} threads, then tanh");
        Assert.Contains(expected, e => T.Abs(e) > T.CreateTruncating(0.75) && T.Abs(e) < T.One);
        Assert.Contains(expected, e => e != T.Zero && T.Abs(e) < T.CreateTruncating(0.75));
    }

    private static void CheckKernelGradient<T>(Shape shape, GemmWidth width, int threads)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (image, _, gradient) = Operands<T>(shape);
        var columns = new T[shape.Count * shape.Positions * shape.Taps];
        var expected = new T[shape.Taps * shape.Kernels];
        var actual = Enumerable.Repeat(T.CreateTruncating(99), expected.Length).ToArray();
        using (Parallelism.Use(threads))
        {
            Kernels.Im2Col<T>(image, columns, shape.Count, shape.Height, shape.Width, shape.Channels, shape.KernelHeight, shape.KernelWidth);
            Kernels.Gemm<T>(true, false, shape.Taps, shape.Kernels, shape.Count * shape.Positions, columns, shape.Taps, gradient, shape.Kernels, expected, shape.Kernels, false, new GemmOptions(Width: width));
            Kernels.ConvolutionKernelGradient<T>(image, gradient, actual, shape.Count, shape.Height, shape.Width, shape.Channels, shape.KernelHeight, shape.KernelWidth, shape.Kernels, width);
        }

        AssertSameBits(expected, actual, $"{typeof(T).Name} {shape} at {width} on {threads} threads");
    }

    /// <summary>
    /// Images of small integers with whole rows and a border of zeros (as MNIST's digits have, so that windows of zeros
    /// are skipped), small kernels and a gradient of values in (−1, 1).
    /// </summary>
    private static (T[] Image, T[] Kernels, T[] Gradient) Operands<T>(Shape shape)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new NumpyRandom(11);
        var image = new T[shape.Count * shape.Height * shape.Width * shape.Channels];
        for (int i = 0; i < image.Length; i++)
        {
            int y = i / (shape.Width * shape.Channels) % shape.Height, x = i / shape.Channels % shape.Width;
            bool border = y == 0 || x < 2 || y % 4 == 3;
            image[i] = border || random.RandomSample() < 0.3 ? T.Zero : T.CreateTruncating((random.RandomSample() * 2) - 0.7);
        }

        var kernels = Enumerable.Range(0, shape.Taps * shape.Kernels).Select(_ => T.CreateTruncating((random.RandomSample() * 0.2) - 0.1)).ToArray();
        var gradient = Enumerable.Range(0, shape.Count * shape.Positions * shape.Kernels).Select(_ => T.CreateTruncating((random.RandomSample() * 2) - 1)).ToArray();
        return (image, kernels, gradient);
    }

    private static void AssertSameBits<T>(T[] expected, T[] actual, string what)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < expected.Length; i++)
        {
            if (!expected[i].Equals(actual[i]) || T.IsNegative(expected[i]) != T.IsNegative(actual[i]))
            {
                Assert.Fail($"{what}: element {i} is {actual[i]}, the GEMM on the rows gives {expected[i]}");
            }
        }
    }

    private readonly record struct Shape(int Count, int Height, int Width, int Channels, int KernelHeight, int KernelWidth, int Kernels)
    {
        public int Positions => (Height - KernelHeight + 1) * (Width - KernelWidth + 1);

        public int Taps => KernelHeight * KernelWidth * Channels;
    }
}
