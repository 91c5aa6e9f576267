using Graph.Runtime;
using Xunit;

namespace Graph.Tests.Gradients;

/// <summary>
/// [Indices(n, Padded = true)]: -1 reads a zero row in Gather and EmbeddingSum, is left out of EmbeddingMean, and gets
/// no gradient (the row-sparse gradient lists only the rows read); any other out-of-range index still throws.
/// </summary>
public sealed class PaddingTests
{
    private static readonly int[] Words = [4, -1, 2, -1, -1, -1, -1, 6, 1, 1, 0, 3];

    [Fact]
    public void GatherReadsAZeroRowForPadding()
    {
        var model = new PaddedRowsModel(1);
        var rows = new double[3 * 4 * 3];
        model.Rows(Words, rows, 3);

        var table = model.Parameters["Table"].Value;
        for (int j = 0; j < Words.Length; j++)
        {
            for (int i = 0; i < 3; i++)
            {
                Assert.Equal(Words[j] < 0 ? 0 : table[(Words[j] * 3) + i], rows[(j * 3) + i]);
            }
        }
    }

    [Fact]
    public void EmbeddingSumAndMeanTakeOnlyTheRealRows()
    {
        var model = new PaddedRowsModel(2);
        var table = model.Parameters["Table"].Value;
        var total = new double[3 * 3];
        var average = new double[3 * 3];
        model.Total(Words, total, 3);
        model.Average(Words, average, 3);

        for (int s = 0; s < 3; s++)
        {
            var real = Words.Skip(4 * s).Take(4).Where(w => w >= 0).ToList();
            for (int i = 0; i < 3; i++)
            {
                double sum = real.Sum(w => table[(w * 3) + i]);
                Assert.Equal(sum, total[(s * 3) + i], 12);
                Assert.Equal(real.Count == 0 ? 0 : sum / real.Count, average[(s * 3) + i], 12);
            }
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void PaddedMeanGradientMatchesFiniteDifferencesAndTouchesOnlyRealRows(int batch)
    {
        var model = new PaddedRowsModel(3);
        int[] words = Words[..(4 * batch)];
        var r = GradientCheck.Draw(new NumpyRandom(4), 2 * batch);
        GradientCheck.Run((_, r, b) => model.Loss(words, r, b), (_, r, b) => model.Backward(words, r, b), model.Parameters, [], r, batch);

        model.Backward(words, r, batch);
        var touched = model.Parameters["Table"].TouchedRows!.Rows.ToArray().Order().ToArray();
        Assert.Equal(words.Where(w => w >= 0).Distinct().Order().ToArray(), touched);
    }

    [Fact]
    public void AnIndexBelowPaddingOrPastTheTableThrows()
    {
        var model = new PaddedRowsModel(5);
        var rows = new double[12];
        var below = Assert.Throws<ArgumentOutOfRangeException>(() => model.Rows([1, -2, 3, 4], rows));
        Assert.Contains("index -2 at position 1, outside the valid range -1 (padding) or 0 to 6", below.Message, StringComparison.Ordinal);
        var past = Assert.Throws<ArgumentOutOfRangeException>(() => model.Rows([1, 2, 7, -1], rows));
        Assert.Contains("index 7 at position 2", past.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PickIndicesTakesOnePositionOfEverySample()
    {
        var picked = new int[3];
        Kernels.PickIndices([4, -1, 2, 7, 8, 9, 0, 1, 5], 3, 1, picked);
        Assert.Equal([-1, 8, 1], picked);
        Assert.Throws<ArgumentException>(() => Kernels.PickIndices([1, 2, 3], 3, 3, new int[1]));
    }

    [Fact]
    public void OneHotIndicesAndPaddingMaskTreatMinusOneAsPadding()
    {
        var oneHot = new double[3 * 4];
        Kernels.OneHotIndices<double>([2, -1, 0], oneHot, 3, 4);
        Assert.Equal([0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0], oneHot);
        Assert.Throws<ArgumentException>(() => Kernels.OneHotIndices<double>([4], new double[4], 1, 4));

        var mask = new double[3];
        Kernels.PaddingMask<double>([2, -1, 0], mask);
        Assert.Equal([1, 0, 1], mask);
    }
}
