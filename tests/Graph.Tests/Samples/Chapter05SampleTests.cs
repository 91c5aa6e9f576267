using System.Globalization;
using System.Text.RegularExpressions;
using Xunit;

namespace Graph.Tests.Samples;

/// <summary>Chapter 5's examples print exactly the book's lines (book-results E5.1 to E5.4).</summary>
public sealed class Chapter05SampleTests
{
    /// <summary>E5.1 with the book's alpha 0.01 (the default).</summary>
    [Fact]
    public void MultiInputGradientDescentBook() => SampleRun.AssertLines(
        """
        Iteration:1
        Pred:0.8600000000000001
        Error:0.01959999999999997
        Delta:-0.1399999999999999
        Weights:[0.1, 0.2, -0.1]
        Weight_Deltas:
        [-1.189999999999999, -0.09099999999999994, -0.16799999999999987]

        Iteration:2
        Pred:0.9637574999999999
        Error:0.0013135188062500048
        Delta:-0.036242500000000066
        Weights:[0.1119, 0.20091, -0.09832]
        Weight_Deltas:
        [-0.30806125000000056, -0.023557625000000044, -0.04349100000000008]

        Iteration:3
        Pred:0.9906177228125002
        Error:8.802712522307997e-05
        Delta:-0.009382277187499843
        Weights:[0.11498061250000001, 0.20114557625, -0.09788509000000001]
        Weight_Deltas:
        [-0.07974935609374867, -0.006098480171874899, -0.011258732624999811]

        """,
        SampleRun.Lines("ch05", "multi-input-gd"));

    /// <summary>E5.1 with the notes' alpha 0.1, which diverges.</summary>
    [Fact]
    public void MultiInputGradientDescentNotes() => SampleRun.AssertLines(
        """
        Iteration:1
        Pred:0.8600000000000001
        Error:0.01959999999999997
        Delta:-0.1399999999999999
        Weights:[0.1, 0.2, -0.1]
        Weight_Deltas:
        [-1.189999999999999, -0.09099999999999994, -0.16799999999999987]

        Iteration:2
        Pred:1.8975749999999993
        Error:0.8056408806249988
        Delta:0.8975749999999993
        Weights:[0.21899999999999992, 0.2091, -0.08320000000000002]
        Weight_Deltas:
        [7.629387499999995, 0.5834237499999996, 1.0770899999999992]

        Iteration:3
        Pred:-4.754577718749997
        Error:33.115164721133915
        Delta:-5.754577718749997
        Weights:[-0.5439387499999997, 0.15075762500000006, -0.19090899999999994]
        Weight_Deltas:
        [-48.91391060937497, -3.740475517187498, -6.905493262499996]

        """,
        SampleRun.Lines("ch05", "multi-input-gd", new() { Alpha = 0.1 }));

    /// <summary>E5.2: weight 0 frozen; its delta prints as the book's int 0.</summary>
    [Fact]
    public void FrozenWeight() => SampleRun.AssertLines(
        """
        Iteration:1
        Pred:0.8600000000000001
        Error:0.01959999999999997
        Delta:-0.1399999999999999
        Weights:[0.1, 0.2, -0.1]
        Weight_Deltas:
        [0, -0.09099999999999994, -0.16799999999999987]

        Iteration:2
        Pred:0.9382250000000001
        Error:0.003816150624999989
        Delta:-0.06177499999999991
        Weights:[0.1, 0.2273, -0.04960000000000005]
        Weight_Deltas:
        [0, -0.040153749999999946, -0.07412999999999989]

        Iteration:3
        Pred:0.97274178125
        Error:0.000743010489422852
        Delta:-0.027258218750000007
        Weights:[0.1, 0.239346125, -0.02736100000000008]
        Weight_Deltas:
        [0, -0.017717842187500006, -0.032709862500000006]

        """,
        SampleRun.Lines("ch05", "frozen-weight"));

    [Fact]
    public void MultiOutputGradientDescent() => SampleRun.AssertLines(
        """
        Weights:[0.293825, 0.25655, 0.868475]
        Weight Deltas:[0.061750000000000006, -0.5655, 0.3152500000000001]
        """,
        SampleRun.Lines("ch05", "multi-output-gd"));

    /// <summary>
    /// E5.4 with the book's (correct) deltas, outer(delta, input). The notebook shows the weights with 17
    /// significant digits; each of them equals the printed weight exactly. (book-results' shortened form writes
    /// <c>-0.073525</c> where Python prints <c>-0.07352500000000001</c>; the notebook's
    /// <c>-0.073525000000000007</c> is that double.)
    /// </summary>
    [Fact]
    public void MultiInMultiOutGradientDescentWeights()
    {
        var lines = SampleRun.Lines("ch05", "multi-in-multi-out-gd");
        Assert.Equal(
            "Weights:[[0.061325, 0.0970425, -0.30546], [0.1017, 0.20013, 0.00023999999999999887], [-0.07352500000000001, 1.2943775, 0.08962]]",
            lines[0]);
        SampleRun.AssertNumbersMatch(
            "Weights:[[0.061324999999999998, 0.097042500000000004, -0.30546000000000001], [0.1017, 0.20013, 0.00023999999999999887], [-0.073525000000000007, 1.2943775, 0.089620000000000005]]",
            lines[0]);
        SampleRun.AssertNumbersMatch(
            "Weights:[[0.061325, 0.0970425, -0.30546], [0.1017, 0.20013, 0.00023999999999999887], [-0.073525, 1.2943775, 0.08962]]",
            lines[0]);
    }

    /// <summary>
    /// E5.4's weight deltas print as a numpy array. The notes printed the transposed outer(input, delta); the book's
    /// outer(delta, input) is its transpose, element for element.
    /// </summary>
    [Fact]
    public void MultiInMultiOutGradientDescentDeltasAreTheTransposeOfTheNotes()
    {
        const string notes = """
            Weight_deltas:[[ 3.8675  -0.17     7.3525 ]
             [ 0.29575 -0.013    0.56225]
             [ 0.546   -0.024    1.038  ]]
            """;
        var lines = SampleRun.Lines("ch05", "multi-in-multi-out-gd");
        Assert.Equal(4, lines.Length);
        string printed = string.Join("\n", lines[1..]);
        Assert.Equal(
            """
            Weight_deltas:[[ 3.8675   0.29575  0.546  ]
             [-0.17    -0.013   -0.024  ]
             [ 7.3525   0.56225  1.038  ]]
            """.Replace("\r\n", "\n", StringComparison.Ordinal),
            printed);
        var book = Numbers(notes);
        var ours = Numbers(printed);
        for (int i = 0; i < 3; i++)
        {
            for (int j = 0; j < 3; j++)
            {
                Assert.Equal(book[(j * 3) + i], ours[(i * 3) + j]);
            }
        }
    }

    private static double[] Numbers(string text) => Regex.Matches(text, @"-?\d+\.\d*")
        .Select(m => double.Parse(m.Value, CultureInfo.InvariantCulture))
        .ToArray();
}
