using Graph.Runtime;
using Xunit;

namespace Graph.Tests.Runtime;

/// <summary>
/// <see cref="Kernels.ScatterAddSteps{T}"/>, the embedding gradient a loop sums over its steps, scattered once after
/// it: the same sums as one scatter per step added up (the rows of a step one after the other, each step's samples
/// together; padding adds nothing; the table cleared first), and its argument checks.
/// </summary>
public sealed class ScatterAddStepsTests
{
    [Theory]
    [InlineData(1, 0, 0, 4)]
    [InlineData(1, 0, 2, 3)]
    [InlineData(1, -1, 1, 4)]
    [InlineData(-1, 4, 0, 5)]
    [InlineData(2, 0, 0, 3)]
    public void EachStepsRowsAddToTheRowsItsIndicesName(int coefficient, int offset, int firstStep, int steps)
    {
        const int Samples = 3, Positions = 5, Columns = 4, TableRows = 6;
        int[] sequence = [0, 5, 2, -1, 3, 1, 1, 4, 0, 2, -1, 3, 3, 5, 0];
        var random = new Random(3);
        double[] stepRows = Enumerable.Range(0, steps * Samples * Columns).Select(_ => random.NextDouble() - 0.5).ToArray();
        double[] gradient = Enumerable.Repeat(7.0, TableRows * Columns).ToArray();
        Kernels.ScatterAddSteps<double>(gradient, Columns, sequence, Positions, coefficient, offset, firstStep, steps, stepRows, Samples, null);

        var expected = new double[TableRows * Columns];
        for (int s = 0; s < steps; s++)
        {
            int position = (coefficient * (firstStep + s)) + offset;
            for (int sample = 0; sample < Samples; sample++)
            {
                int index = sequence[(sample * Positions) + position];
                for (int c = 0; index >= 0 && c < Columns; c++)
                {
                    expected[(index * Columns) + c] += stepRows[(((s * Samples) + sample) * Columns) + c];
                }
            }
        }

        Assert.Equal(expected, gradient);
    }

    [Fact]
    public void TouchedRowsAreListed()
    {
        int[] sequence = [4, 1, 1, 4];
        var rows = new SparseRows(6);
        Kernels.ScatterAddSteps<float>(new float[12], 2, sequence, 2, 1, 0, 0, 2, new float[8], 2, rows);
        Assert.Equal([1, 4], rows.Rows.ToArray().Order());
    }

    [Fact]
    public void StepsOutsideTheSequenceAndShortSpansAreRefused()
    {
        int[] sequence = [0, 1, 2, 0, 1, 2];
        var outside = Assert.Throws<ArgumentException>(() => Kernels.ScatterAddSteps<float>(new float[6], 2, sequence, 3, 1, 1, 0, 3, new float[12], 2, null));
        Assert.Contains("position 3", outside.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => Kernels.ScatterAddSteps<float>(new float[6], 2, sequence, 3, 1, 0, 0, 3, new float[11], 2, null));
        Assert.Throws<ArgumentException>(() => Kernels.ScatterAddSteps<float>(new float[6], 2, sequence[..5], 3, 1, 0, 0, 3, new float[12], 2, null));
    }
}
