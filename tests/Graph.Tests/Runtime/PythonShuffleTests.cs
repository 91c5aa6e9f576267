using Graph.Runtime;
using Xunit;

namespace Graph.Tests.Runtime;

/// <summary><see cref="PythonRandom.Shuffle{T}"/> and <see cref="PythonRandom.RandBelow"/> against CPython 3.11's <c>random</c>.</summary>
public sealed class PythonShuffleTests
{
    /// <summary>random.seed(1); x = list(range(10)); random.shuffle(x) (and seed 0 with 25 items) in CPython 3.11.7.</summary>
    [Theory]
    [InlineData(1L, new[] { 6, 8, 9, 7, 5, 3, 0, 4, 1, 2 })]
    [InlineData(0L, new[] { 14, 0, 23, 18, 6, 5, 7, 10, 22, 20, 4, 2, 21, 3, 17, 11, 19, 9, 24, 15, 16, 8, 1, 13, 12 })]
    public void ShuffleMatchesCPython(long seed, int[] expected)
    {
        var items = Enumerable.Range(0, expected.Length).ToList();
        new PythonRandom(seed).Shuffle(items);
        Assert.Equal(expected, items);
    }

    /// <summary>random.seed(1); [random.randrange(n) for n in (1, 2, 3, 7, 100, 1000, 70000)] in CPython 3.11.7.</summary>
    [Fact]
    public void RandBelowMatchesCPythonRandrange()
    {
        var random = new PythonRandom(1);
        Assert.Equal([0, 0, 1, 0, 63, 779, 58915], new[] { 1, 2, 3, 7, 100, 1000, 70000 }.Select(random.RandBelow).ToArray());
    }

    [Fact]
    public void RandBelowRejectsAnEmptyRange() => Assert.Throws<ArgumentOutOfRangeException>(() => new PythonRandom(1).RandBelow(0));
}
