using Graph.Runtime;
using Xunit;

namespace Graph.Tests.Runtime;

/// <summary>
/// <c>Guard.Finite</c> over a span: it names the first value that is not finite (NaN, +∞ or −∞) wherever it lies,
/// before, inside and after the blocks of whole vectors it checks together, and accepts spans of finite values of every
/// length, the largest and smallest included.
/// </summary>
public sealed class GuardTests
{
    /// <summary>Lengths around one vector, a group of four 512-bit vectors of float, and 16 groups (checked together).</summary>
    private static readonly int[] Lengths = [0, 1, 15, 16, 17, 63, 64, 65, 1023, 1024, 1025, 1100, 2049];

    [Fact]
    public void FiniteSpansPass()
    {
        foreach (int length in Lengths)
        {
            float[] values = [.. Enumerable.Range(0, length).Select(i => i % 3 == 0 ? float.MaxValue : -float.Epsilon * i)];
            Guard.Finite<float>(values, "x");
            Guard.Finite<double>(Array.ConvertAll(values, v => (double)v * 1e269), "x");
        }
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    [InlineData(float.NegativeInfinity)]
    public void TheFirstValueThatIsNotFiniteIsNamed(float bad)
    {
        foreach (int length in Lengths.Where(l => l > 0))
        {
            foreach (int at in new[] { 0, length / 2, length - 1 }.Distinct())
            {
                var values = new float[length];
                values[at] = bad;
                if (at + 1 < length)
                {
                    values[length - 1] = float.NaN;
                }

                var exception = Assert.Throws<ArgumentException>(() => Guard.Finite<float>(values, "image"));
                Assert.Equal("image", exception.ParamName);
                Assert.StartsWith($"'image' holds {bad} at index {at};", exception.Message, StringComparison.Ordinal);

                double[] wide = Array.ConvertAll(values, v => (double)v);
                Assert.StartsWith($"'image' holds {(double)bad} at index {at};",
                    Assert.Throws<ArgumentException>(() => Guard.Finite<double>(wide, "image")).Message, StringComparison.Ordinal);
            }
        }
    }
}
