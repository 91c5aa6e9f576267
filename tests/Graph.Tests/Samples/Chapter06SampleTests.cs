using Graph.Samples.Examples;
using Xunit;

namespace Graph.Tests.Samples;

/// <summary>Chapter 6's examples print exactly the book's lines (book-results E6.1, E6.2, E6.3, E6.5).</summary>
public sealed class Chapter06SampleTests
{
    [Fact]
    public void OneStreetlight() => SampleRun.AssertLines(
        """
        Error:0.03999999999999998     Prediction:-0.19999999999999996
        Error:0.025599999999999973     Prediction:-0.15999999999999992
        Error:0.01638399999999997     Prediction:-0.1279999999999999
        Error:0.010485759999999964     Prediction:-0.10239999999999982
        Error:0.006710886399999962     Prediction:-0.08191999999999977
        Error:0.004294967295999976     Prediction:-0.06553599999999982
        Error:0.002748779069439994     Prediction:-0.05242879999999994
        Error:0.0017592186044416036     Prediction:-0.04194304000000004
        Error:0.0011258999068426293     Prediction:-0.03355443200000008
        Error:0.0007205759403792803     Prediction:-0.02684354560000002
        Error:0.0004611686018427356     Prediction:-0.021474836479999926
        Error:0.0002951479051793508     Prediction:-0.01717986918399994
        Error:0.00018889465931478573     Prediction:-0.013743895347199997
        Error:0.00012089258196146188     Prediction:-0.010995116277759953
        Error:7.737125245533561e-05     Prediction:-0.008796093022207963
        Error:4.951760157141604e-05     Prediction:-0.007036874417766459
        Error:3.169126500570676e-05     Prediction:-0.0056294995342132115
        Error:2.028240960365233e-05     Prediction:-0.004503599627370569
        Error:1.298074214633813e-05     Prediction:-0.003602879701896544
        Error:8.307674973656916e-06     Prediction:-0.002882303761517324
        """,
        SampleRun.Lines("ch06", "one-streetlight"));

    /// <summary>E6.2: 40 iterations of 6 predictions, the error and a blank line; the book shows iterations 1, 2, 39 and 40.</summary>
    [Fact]
    public void AllStreetlights()
    {
        var lines = SampleRun.Lines("ch06", "all-streetlights");
        Assert.Equal(40 * 8, lines.Length);
        SampleRun.AssertLines(
            """
            Prediction:-0.19999999999999996
            Prediction:-0.19999999999999996
            Prediction:-0.5599999999999999
            Prediction:0.6160000000000001
            Prediction:0.17279999999999995
            Prediction:0.17552
            Error:2.6561231104

            Prediction:0.14041599999999999
            Prediction:0.3066464
            Prediction:-0.34513824
            Prediction:1.006637344
            Prediction:0.4785034751999999
            Prediction:0.26700416768
            Error:0.9628701776715985

            """,
            lines[..16]);
        SampleRun.AssertLines(
            """
            Prediction:-0.002388697618122871
            Prediction:0.9977021355600483
            Prediction:-0.01793930655497516
            Prediction:1.0162137740080082
            Prediction:0.9967128843019345
            Prediction:-0.0028012842268006904
            Error:0.0006143435674831474

            Prediction:-0.0022410273814405524
            Prediction:0.9978745386023716
            Prediction:-0.016721264429884947
            Prediction:1.0151127459893812
            Prediction:0.9969492081270097
            Prediction:-0.0026256193329783125
            Error:0.00053373677328488

            """,
            lines[^16..]);
        for (int iteration = 0; iteration < 40; iteration++)
        {
            Assert.StartsWith("Error:", lines[(iteration * 8) + 6], StringComparison.Ordinal);
            Assert.Equal(string.Empty, lines[(iteration * 8) + 7]);
        }
    }

    [Fact]
    public void PythonRandomSeed() => SampleRun.AssertLines(
        """
        0.6229016948897019
        0.6229016948897019
        0.6229016948897019
        0.6229016948897019
        0.6229016948897019

        0.6229016948897019
        0.7417869892607294
        0.7951935655656966
        0.9424502837770503
        0.7398985747399307
        """,
        SampleRun.Lines("ch06", "python-random-seed"));

    /// <summary>E6.5 bit for bit: the compiled backward pass is the book's backprop.</summary>
    [Fact]
    public void Backprop() => SampleRun.AssertLines(
        """
        Error:0.6342311598444467
        Error:0.35838407676317513
        Error:0.0830183113303298
        Error:0.006467054957103705
        Error:0.0003292669000750734
        Error:1.5055622665134859e-05
        """,
        SampleRun.Lines("ch06", "backprop"));

    /// <summary>The hidden size is fixed when the network is built; the wider ones learn (with seed 1, both units of the 3-2-1 net die).</summary>
    [Theory]
    [InlineData(2, false)]
    [InlineData(4, true)]
    [InlineData(8, true)]
    [InlineData(16, true)]
    public void BackpropWithOtherHiddenSizes(int hidden, bool learns)
    {
        var errors = SampleRun.Lines("ch06", "backprop", new() { Hidden = hidden, Iterations = 200 })
            .Select(l => double.Parse(l["Error:".Length..], System.Globalization.CultureInfo.InvariantCulture))
            .ToArray();
        Assert.Equal(20, errors.Length);
        Assert.All(errors, e => Assert.True(double.IsFinite(e)));
        if (learns)
        {
            Assert.True(errors[^1] < 0.01 * errors[0], $"hidden {hidden}: the error went from {errors[0]} to {errors[^1]}");
        }
    }

    [Fact]
    public void BackpropRejectsAHiddenSizeBelowOne()
    {
        var chapter = ExampleRegistry.FindChapter("ch06")!;
        var backprop = ExampleRegistry.FindExample(chapter, "backprop")!;
        var error = Assert.Throws<ArgumentException>(() => backprop.Run(new() { Hidden = 0 }, TextWriter.Null));
        Assert.Contains("--hidden must be at least 1, not 0", error.Message, StringComparison.Ordinal);
    }
}
