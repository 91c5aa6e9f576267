using Graph.Runtime;
using Xunit;

namespace Graph.Tests.Runtime;

/// <summary>
/// <see cref="Kernels.AddScatteredRows{T}"/>, the sum of two row-sparse tables over the rows either lists: each listed
/// row the elementwise sum of the parts (bit for bit the dense sum there), every other row zero, the rows listed once,
/// the rows of the previous call cleared, and its argument checks.
/// </summary>
public sealed class AddScatteredRowsTests
{
    private const int Rows = 7, Columns = 5;

    [Fact]
    public void ListedRowsHoldTheDenseSumAndEveryOtherRowIsZero()
    {
        // Repeated indices in a part, and row 4 in both parts.
        var (left, leftRows) = Scattered(seed: 1, 2, 4, 2);
        var (right, rightRows) = Scattered(seed: 2, 4, 6, 0);
        var sum = new double[Rows * Columns];
        var sumRows = new SparseRows(Rows);
        Kernels.AddScatteredRows<double>(sum, Columns, sumRows, left, leftRows, right, rightRows);

        var dense = left.Zip(right, (a, b) => a + b).ToArray();
        Assert.Equal(dense.Select(Bits), sum.Select(Bits));
        Assert.Equal([2, 4, 6, 0], sumRows.Rows.ToArray());
    }

    [Fact]
    public void ASecondCallClearsTheRowsOfTheFirst()
    {
        var sum = new double[Rows * Columns];
        var sumRows = new SparseRows(Rows);
        var (left, leftRows) = Scattered(seed: 3, 1, 3);
        var (right, rightRows) = Scattered(seed: 4, 5);
        Kernels.AddScatteredRows<double>(sum, Columns, sumRows, left, leftRows, right, rightRows);

        var (left2, leftRows2) = Scattered(seed: 5, 2);
        var (right2, rightRows2) = Scattered(seed: 6, 2, 6);
        Kernels.AddScatteredRows<double>(sum, Columns, sumRows, left2, leftRows2, right2, rightRows2);

        Assert.Equal(left2.Zip(right2, (a, b) => a + b).Select(Bits), sum.Select(Bits));
        Assert.Equal([2, 6], sumRows.Rows.ToArray());
        Assert.All(new[] { 1, 3, 5 }, row => Assert.All(sum.Skip(row * Columns).Take(Columns), v => Assert.Equal(0.0, v)));
    }

    [Fact]
    public void WrongLengthsAndASharedRowListAreRefused()
    {
        var (left, leftRows) = Scattered(seed: 7, 1);
        var (right, rightRows) = Scattered(seed: 8, 2);
        var rows = new SparseRows(Rows);
        var shortSum = Assert.Throws<ArgumentException>(() => Kernels.AddScatteredRows<double>(new double[(Rows * Columns) - 1], Columns, rows, left, leftRows, right, rightRows));
        Assert.Equal("sum", shortSum.ParamName);
        var longLeft = Assert.Throws<ArgumentException>(() => Kernels.AddScatteredRows<double>(new double[Rows * Columns], Columns, rows, new double[(Rows * Columns) + Columns], leftRows, right, rightRows));
        Assert.Equal("left", longLeft.ParamName);
        var shortRight = Assert.Throws<ArgumentException>(() => Kernels.AddScatteredRows<double>(new double[Rows * Columns], Columns, rows, left, leftRows, right.AsSpan(1), rightRows));
        Assert.Equal("right", shortRight.ParamName);
        var shared = Assert.Throws<ArgumentException>(() => Kernels.AddScatteredRows<double>(new double[Rows * Columns], Columns, leftRows, left, leftRows, right, rightRows));
        Assert.Equal("sumRows", shared.ParamName);
    }

    /// <summary>A table that random rows were scattered into at <paramref name="indices"/>, by the runtime's scatter, and its list.</summary>
    private static (double[] Table, SparseRows Rows) Scattered(int seed, params int[] indices)
    {
        var random = new Random(seed);
        var table = new double[Rows * Columns];
        var rows = new SparseRows(Rows);
        double[] rowGradients = Enumerable.Range(0, indices.Length * Columns).Select(_ => random.NextDouble() - 0.5).ToArray();
        Kernels.ScatterAddRows<double>(table, Columns, indices, rowGradients, rows);
        return (table, rows);
    }

    private static long Bits(double value) => BitConverter.DoubleToInt64Bits(value);
}
