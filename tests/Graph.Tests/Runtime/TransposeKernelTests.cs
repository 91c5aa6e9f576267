using Graph.Runtime;
using Xunit;

namespace Graph.Tests.Runtime;

/// <summary>
/// <see cref="Kernels.Transpose{T}"/>: every sample's matrix written as its transpose, for shapes smaller than, equal
/// to and not a multiple of the copy's blocks, and its argument checks.
/// </summary>
public sealed class TransposeKernelTests
{
    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(3, 5, 2)]
    [InlineData(32, 32, 1)]
    [InlineData(33, 31, 3)]
    [InlineData(512, 62, 1)]
    [InlineData(70, 100, 2)]
    public void EachSamplesMatrixIsTransposed(int rows, int columns, int samples)
    {
        // Every whole 16 × 16 block of floats goes through registers in 8 × 8 squares, of doubles in 4 × 4 ones.
        Check<double>(rows, columns, samples);
        Check<float>(rows, columns, samples);
    }

    [Theory]
    [InlineData(16, 16)]
    [InlineData(48, 80)]
    [InlineData(512, 512)]
    [InlineData(40, 23)]
    [InlineData(10000, 10)]
    [InlineData(13, 10)]
    [InlineData(9, 25)]
    [InlineData(23, 8)]
    [InlineData(10000, 12)]
    [InlineData(16, 9)]
    [InlineData(32, 5)]
    [InlineData(48, 27)]
    [InlineData(10, 10000)]
    [InlineData(12, 36)]
    [InlineData(784, 4)]
    [InlineData(4, 784)]
    [InlineData(7, 7)]
    [InlineData(6, 21)]
    [InlineData(100, 5)]
    public void WholeBlocksAndRaggedEdgesAreTransposed(int rows, int columns)
    {
        // Blocks of floats fewer than 8 rows high or columns wide (784 × 4, a 4 × 784 band, the last 4 of 100 rows)
        // move by 4 × 4 squares, the rest one element at a time.
        Check<float>(rows, columns, 2);
        Check<double>(rows, columns, 2);
        Check<int>(rows, columns, 2);
    }

    private static void Check<T>(int rows, int columns, int samples)
        where T : unmanaged, System.Numerics.INumber<T>
    {
        T[] source = Enumerable.Range(0, rows * columns * samples).Select(i => T.CreateChecked(i)).ToArray();
        T[] destination = new T[source.Length];
        Kernels.Transpose<T>(source, destination, rows, columns, samples);
        for (int s = 0; s < samples; s++)
        {
            for (int r = 0; r < rows; r++)
            {
                for (int c = 0; c < columns; c++)
                {
                    Assert.Equal(source[(s * rows * columns) + (r * columns) + c], destination[(s * rows * columns) + (c * rows) + r]);
                }
            }
        }
    }

    [Fact]
    public void ShortSpansAndOverlapsAreRefused()
    {
        float[] values = new float[12];
        var tooShort = Assert.Throws<ArgumentException>(() => Kernels.Transpose<float>(values, new float[11], 3, 4, 1));
        Assert.Contains("destination", tooShort.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => Kernels.Transpose<float>(new float[11], values, 3, 4, 1));
        Assert.Throws<ArgumentException>(() => Kernels.Transpose<float>(values, values, 3, 4, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Kernels.Transpose<float>(values, new float[12], 0, 4, 1));
    }
}
