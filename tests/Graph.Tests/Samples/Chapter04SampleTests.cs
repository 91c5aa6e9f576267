using Xunit;

namespace Graph.Tests.Samples;

/// <summary>Chapter 4's examples print exactly the book's lines (book-results E4.1 to E4.8, B4.a).</summary>
public sealed class Chapter04SampleTests
{
    [Fact]
    public void SquaredError() => SampleRun.AssertLines("0.30250000000000005", SampleRun.Lines("ch04", "squared-error"));

    [Fact]
    public void HotColdProbe() => SampleRun.AssertLines(
        """
        0.022499999999999975
        0.004224999999999993
        0.05522499999999994
        """,
        SampleRun.Lines("ch04", "hot-cold-probe"));

    /// <summary>E4.2: 1101 lines, each followed by a blank line; the book shows the first 4 and the last 3.</summary>
    [Fact]
    public void HotAndColdLearning()
    {
        var lines = SampleRun.Lines("ch04", "hot-and-cold");
        Assert.Equal(2 * 1101, lines.Length);
        SampleRun.AssertLines(
            """
            Error:0.30250000000000005    Prediction:0.25

            Error:0.3019502500000001    Prediction:0.2505

            Error:0.30140100000000003    Prediction:0.251

            Error:0.30085225    Prediction:0.2515

            """,
            lines[..8]);
        SampleRun.AssertLines(
            """
            Error:1.000000000065505e-06    Prediction:0.7989999999999673

            Error:2.5000000003280753e-07    Prediction:0.7994999999999672

            Error:1.0799505792475652e-27    Prediction:0.7999999999999672

            """,
            lines[^6..]);
        for (int i = 1; i < lines.Length; i += 2)
        {
            Assert.Equal(string.Empty, lines[i]);
        }
    }

    /// <summary>
    /// The square is <c>x * x</c>: the notes' arithmetic. The notebook's own log has two values one ulp away
    /// (<c>0.09765624999999989</c>, <c>0.007310250000004009</c>) from Python's <c>pow</c> (book-results Numerics 4).
    /// </summary>
    [Fact]
    public void HotAndColdSquaresByMultiplication()
    {
        var lines = SampleRun.Lines("ch04", "hot-and-cold");
        Assert.Contains(lines, l => l.StartsWith("Error:0.0976562499999999 ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("Error:0.00731025000000401 ", StringComparison.Ordinal));
    }

    [Fact]
    public void DirectionAndAmount() => SampleRun.AssertLines(
        """
        Error:0.30250000000000005   Prediction:0.25
        Error:0.17015625000000004   Prediction:0.3875
        Error:0.095712890625   Prediction:0.49062500000000003
        Error:0.05383850097656251   Prediction:0.56796875
        Error:0.03028415679931642   Prediction:0.6259765625
        Error:0.0170348381996155   Prediction:0.669482421875
        Error:0.00958209648728372   Prediction:0.70211181640625
        Error:0.005389929274097089   Prediction:0.7265838623046875
        Error:0.0030318352166796153   Prediction:0.7449378967285156
        Error:0.0017054073093822882   Prediction:0.7587034225463867
        Error:0.0009592916115275371   Prediction:0.76902756690979
        Error:0.0005396015314842384   Prediction:0.7767706751823426
        Error:0.000303525861459885   Prediction:0.7825780063867569
        Error:0.00017073329707118678   Prediction:0.7869335047900676
        Error:9.603747960254256e-05   Prediction:0.7902001285925507
        Error:5.402108227642978e-05   Prediction:0.7926500964444131
        Error:3.038685878049206e-05   Prediction:0.7944875723333098
        Error:1.7092608064027242e-05   Prediction:0.7958656792499823
        Error:9.614592036015323e-06   Prediction:0.7968992594374867
        Error:5.408208020258491e-06   Prediction:0.7976744445781151
        """,
        SampleRun.Lines("ch04", "direction-and-amount"));

    [Fact]
    public void GradientDescent() => SampleRun.AssertLines(
        """
        Error:0.6400000000000001 Prediction:0.0
        Error:0.3600000000000001 Prediction:0.2
        Error:0.2025 Prediction:0.35000000000000003
        Error:0.11390625000000001 Prediction:0.4625
        """,
        SampleRun.Lines("ch04", "gradient-descent"));

    [Fact]
    public void GradientDescentSteps() => SampleRun.AssertLines(
        """
        -----
        Weight:0.0
        Error:0.6400000000000001 Prediction:0.0
        Delta:-0.8 Weight Delta:-0.8800000000000001
        -----
        Weight:0.8800000000000001
        Error:0.02822400000000005 Prediction:0.9680000000000002
        Delta:0.16800000000000015 Weight Delta:0.1848000000000002
        -----
        Weight:0.6951999999999999
        Error:0.0012446784000000064 Prediction:0.76472
        Delta:-0.03528000000000009 Weight Delta:-0.0388080000000001
        -----
        Weight:0.734008
        Error:5.4890317439999896e-05 Prediction:0.8074088
        Delta:0.007408799999999993 Weight Delta:0.008149679999999992
        """,
        SampleRun.Lines("ch04", "gradient-descent-steps"));

    [Fact]
    public void BreakingGradientDescent() => SampleRun.AssertLines(
        """
        Error:0.03999999999999998 Prediction:1.0
        Error:0.3599999999999998 Prediction:0.20000000000000018
        Error:3.2399999999999984 Prediction:2.5999999999999996
        Error:29.159999999999986 Prediction:-4.599999999999999
        Error:262.4399999999999 Prediction:16.999999999999996
        Error:2361.959999999998 Prediction:-47.79999999999998
        Error:21257.639999999978 Prediction:146.59999999999994
        Error:191318.75999999983 Prediction:-436.5999999999998
        Error:1721868.839999999 Prediction:1312.9999999999995
        Error:15496819.559999991 Prediction:-3935.799999999999
        Error:139471376.03999993 Prediction:11810.599999999997
        Error:1255242384.3599997 Prediction:-35428.59999999999
        Error:11297181459.239996 Prediction:106288.99999999999
        Error:101674633133.15994 Prediction:-318863.79999999993
        Error:915071698198.4395 Prediction:956594.5999999997
        Error:8235645283785.954 Prediction:-2869780.599999999
        Error:74120807554073.56 Prediction:8609344.999999996
        Error:667087267986662.1 Prediction:-25828031.799999986
        Error:6003785411879960.0 Prediction:77484098.59999996
        Error:5.403406870691965e+16 Prediction:-232452292.5999999
        """,
        SampleRun.Lines("ch04", "breaking-gradient-descent"));

    [Fact]
    public void Alpha() => SampleRun.AssertLines(
        """
        Error:0.03999999999999998    Prediction:1.0
        Error:0.0144    Prediction:0.92
        Error:0.005183999999999993    Prediction:0.872
        Error:0.0018662400000000014    Prediction:0.8432000000000001
        Error:0.0006718464000000028    Prediction:0.8259200000000001
        Error:0.00024186470400000033    Prediction:0.815552
        Error:8.70712934399997e-05    Prediction:0.8093312
        Error:3.134566563839939e-05    Prediction:0.80559872
        Error:1.1284439629823931e-05    Prediction:0.803359232
        Error:4.062398266736526e-06    Prediction:0.8020155392
        Error:1.4624633760252567e-06    Prediction:0.8012093235200001
        Error:5.264868153690924e-07    Prediction:0.8007255941120001
        Error:1.8953525353291194e-07    Prediction:0.8004353564672001
        Error:6.82326912718715e-08    Prediction:0.8002612138803201
        Error:2.456376885786678e-08    Prediction:0.8001567283281921
        Error:8.842956788836216e-09    Prediction:0.8000940369969153
        Error:3.1834644439835434e-09    Prediction:0.8000564221981492
        Error:1.1460471998340758e-09    Prediction:0.8000338533188895
        Error:4.125769919393652e-10    Prediction:0.8000203119913337
        Error:1.485277170987127e-10    Prediction:0.8000121871948003
        """,
        SampleRun.Lines("ch04", "alpha"));

    /// <summary>E4.6 prints E4.3's numbers (with one space); E4.3 with the book's defaults covers them.</summary>
    [Fact]
    public void IterationsOptionShortensTheLog()
    {
        var lines = SampleRun.Lines("ch04", "direction-and-amount", new() { Iterations = 3 });
        Assert.Equal(3, lines.Length);
        Assert.Equal("Error:0.095712890625   Prediction:0.49062500000000003", lines[2]);
    }
}
