using Graph.Runtime;
using Graph.Tests.Gradients;
using Xunit;
using static Graph.Tests.Loops.LoopAsserts;

namespace Graph.Tests.Loops;

/// <summary>
/// Loops bounded by a run-time step count ([MaxSteps]): the bAbI recurrence over the first n words of each sentence
/// computes what the padded loop computes with every word from n on padding (the loss, every gradient and three
/// training steps, bit for bit: a run-time count's reverse loop adds its first contributions to zeros, x + 0 = x, which
/// could change only a zero's sign, and here changes none); the LSTM at its full count is its constant twin, bit for
/// bit, and at shorter counts passes central finite differences; a count outside its range throws.
/// </summary>
public sealed class StepCountTests
{
    public static TheoryData<int, int> Lengths()
    {
        var cases = new TheoryData<int, int>();
        foreach (int length in new[] { 2, 3, 5, 8 })
        {
            cases.Add(length, 1);
            cases.Add(length, 3);
        }

        return cases;
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void TheBabiRecurrenceOverACountIsThePaddedLoop(int length, int batch)
    {
        var padded = new BabiRnnLoop();
        var counted = new BabiRnnSteps();
        Seed(padded.Parameters, counted.Parameters, 102);

        // The counted model reads the whole sentences: the words from the count on must not matter.
        int[] words = Sentences[..(BabiRnnSteps.Steps * batch)];
        int[] cut = words.Select((w, i) => i % BabiRnnSteps.Steps < length ? w : -1).ToArray();
        AssertSameBits([padded.Loss(cut, batch)], [counted.Loss(words, length, batch)], "the loss");
        AssertSameBits([padded.Backward(cut, batch)], [counted.Backward(words, length, batch)], "Backward's loss");
        AssertSameGradients(padded.Parameters, counted.Parameters);
        for (int step = 0; step < 3; step++)
        {
            AssertSameBits([padded.TrainStep(cut, 0.1, batch)], [counted.TrainStep(words, length, 0.1, batch)], $"the loss of training step {step}");
        }

        foreach (var (p, c) in padded.Parameters.Zip(counted.Parameters))
        {
            AssertSameBits(p.Value, c.Value, $"{c.Name} after three training steps");
        }
    }

    /// <summary>
    /// With the sums over the steps after the loop (<see cref="BabiRnnStepsSummed"/>), the embedding's gradient is one
    /// scatter of the steps the count ran, summed with the steps laid out apart at the rows they list: the loss and the
    /// other gradients are the exact twin's bits (their sums stay in the loop at a run-time count), the embedding's is
    /// within 1e-12 (a row read at three steps or more adds its terms in the scatter's order), its row list is exactly
    /// the words of the first <c>length</c> positions, every other row is zero, a second call at another count clears
    /// the first call's rows, and three training steps agree.
    /// </summary>
    [Theory]
    [MemberData(nameof(Lengths))]
    public void TheBabiRecurrenceOverACountKeepsItsEmbeddingGradientRowSparse(int length, int batch)
    {
        var exact = new BabiRnnSteps();
        var summed = new BabiRnnStepsSummed();
        Seed(exact.Parameters, summed.Parameters, 103);
        int[] words = Sentences[..(BabiRnnSteps.Steps * batch)];

        // A call at another count first: its rows must not stay listed.
        int other = length == 2 ? 8 : 2;
        summed.Backward(words, other, batch);

        AssertSameBits([exact.Backward(words, length, batch)], [summed.Backward(words, length, batch)], "Backward's loss");
        foreach (var (e, s) in exact.Parameters.Zip(summed.Parameters).Where(p => p.First.Name != "Embed"))
        {
            AssertSameBits(e.Gradient, s.Gradient, $"the gradient of {s.Name}");
        }

        var embed = summed.Parameters["Embed"];
        var read = words.Where((w, i) => i % BabiRnnSteps.Steps < length && w >= 0).Distinct().Order().ToArray();
        Assert.Equal(read, embed.TouchedRows!.Rows.ToArray().Order());
        Assert.Null(exact.Parameters["Embed"].TouchedRows);
        AssertClose(exact.Parameters["Embed"].Gradient, embed.Gradient, "the gradient of Embed");
        for (int row = 0; row < summed.Vocab; row++)
        {
            Assert.True(read.Contains(row) || embed.Gradient.AsSpan(row * BabiRnnStepsSummed.Embedding, BabiRnnStepsSummed.Embedding).IndexOfAnyExcept(0.0) < 0, $"row {row}, not read, has a gradient");
        }

        for (int step = 0; step < 3; step++)
        {
            AssertClose([exact.TrainStep(words, length, 0.1, batch)], [summed.TrainStep(words, length, 0.1, batch)], $"the loss of training step {step}");
        }

        foreach (var (e, s) in exact.Parameters.Zip(summed.Parameters))
        {
            AssertClose(e.Value, s.Value, $"{s.Name} after three training steps");
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void TheLstmAtItsFullCountIsTheConstantLoop(int batch)
    {
        var constant = new CharacterLstmLoop();
        var counted = new CharacterLstmSteps();
        var random = Seed(constant.Parameters, counted.Parameters, 101);
        var (chars, targets, h0, c0) = LstmInputs(random, counted.Vocab, counted.Hidden, batch);
        int steps = CharacterLstmSteps.Steps;
        AssertSameBits([constant.Loss(chars, targets, h0, c0, batch)], [counted.Loss(chars, targets, h0, c0, steps, batch)], "the loss");
        AssertSameBits([constant.Backward(chars, targets, h0, c0, batch)], [counted.Backward(chars, targets, h0, c0, steps, batch)], "Backward's loss");
        AssertSameGradients(constant.Parameters, counted.Parameters);
        var (expected, actual) = (new double[2 * counted.Hidden * batch], new double[2 * counted.Hidden * batch]);
        constant.FinalState(chars, h0, c0, expected, batch);
        counted.FinalState(chars, h0, c0, steps, actual, batch);
        AssertSameBits(expected, actual, "the final state");
    }

    [Theory]
    [InlineData(2, 1)]
    [InlineData(2, 3)]
    [InlineData(5, 1)]
    [InlineData(5, 3)]
    public void TheLstmGradientOverACountMatchesFiniteDifferences(int length, int batch)
    {
        var counted = new CharacterLstmSteps();
        var random = Seed(counted.Parameters, null, 101);
        var (chars, targets, h0, c0) = LstmInputs(random, counted.Vocab, counted.Hidden, batch);
        GradientCheck.Run(
            (_, _, _) => counted.Loss(chars, targets, h0, c0, length, batch),
            (_, _, _) => counted.Backward(chars, targets, h0, c0, length, batch),
            counted.Parameters, [], [], batch);

        // The steps from the count on are not run: changing their characters changes nothing.
        double loss = counted.Loss(chars, targets, h0, c0, length, batch);
        for (int i = 0; i < chars.Length; i++)
        {
            chars[i] = i % CharacterLstmSteps.Steps >= length ? (chars[i] + 1) % counted.Vocab : chars[i];
        }

        Assert.Equal(loss, counted.Loss(chars, targets, h0, c0, length, batch));
    }

    /// <summary>
    /// The LSTM over a count compiled by default reads its input products from table products: the loss is the
    /// exact loop's, bit for bit (the rows are the same sums), every gradient agrees within 1e-12 of its largest
    /// element (the same terms in another order), and the gradient passes central finite differences.
    /// </summary>
    [Theory]
    [InlineData(2, 1)]
    [InlineData(5, 3)]
    [InlineData(8, 3)]
    public void TheLstmOverACountWithTableProductsIsTheExactLoop(int length, int batch)
    {
        var exact = new CharacterLstmSteps();
        var tabled = new CharacterLstmStepsSummed();
        var random = Seed(exact.Parameters, tabled.Parameters, 101);
        var (chars, targets, h0, c0) = LstmInputs(random, tabled.Vocab, tabled.Hidden, batch);
        AssertSameBits([exact.Loss(chars, targets, h0, c0, length, batch)], [tabled.Loss(chars, targets, h0, c0, length, batch)], "the loss");
        AssertSameBits([exact.Backward(chars, targets, h0, c0, length, batch)], [tabled.Backward(chars, targets, h0, c0, length, batch)], "Backward's loss");
        foreach (var (e, t) in exact.Parameters.Zip(tabled.Parameters))
        {
            Assert.Contains(e.Gradient, g => g != 0);
            AssertClose(e.Gradient, t.Gradient, $"the gradient of {t.Name}");
        }

        GradientCheck.Run(
            (_, _, _) => tabled.Loss(chars, targets, h0, c0, length, batch),
            (_, _, _) => tabled.Backward(chars, targets, h0, c0, length, batch),
            tabled.Parameters, [], [], batch);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(0)]
    [InlineData(9)]
    public void ACountOutsideItsRangeThrows(int length)
    {
        var counted = new BabiRnnSteps();
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => counted.TrainStep(Sentences[..BabiRnnSteps.Steps], length, 0.1));
        Assert.Equal("length", error.ParamName);
        Assert.Contains("from 2 to 8", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Three padded sentences of a 9-word vocabulary: 4 words, 7 words, 1 word (-1 pads).</summary>
    private static readonly int[] Sentences = [3, 8, 0, 5, -1, -1, -1, -1, 1, 4, 4, 7, 2, 6, 5, -1, 6, -1, -1, -1, -1, -1, -1, -1];

    private static (int[] Chars, int[] Targets, double[] H0, double[] C0) LstmInputs(NumpyRandom random, int vocab, int hidden, int batch)
    {
        var chars = new int[CharacterLstmSteps.Steps * batch];
        var targets = new int[CharacterLstmSteps.Steps * batch];
        random.RandInt(chars, 0, vocab);
        random.RandInt(targets, 0, vocab);
        return (chars, targets, GradientCheck.Draw(random, hidden * batch), GradientCheck.Draw(random, hidden * batch));
    }

    /// <summary>Fills both models' parameters with the same uniform values in [-0.5, 0.5); returns the generator for the inputs.</summary>
    private static NumpyRandom Seed(ParameterSet<double> first, ParameterSet<double>? second, uint seed)
    {
        var random = new NumpyRandom(seed);
        foreach (var (parameter, k) in first.Select((p, k) => (p, k)))
        {
            double[] values = GradientCheck.Draw(random, parameter.Size).Select(v => v / 2).ToArray();
            parameter.CopyFrom(values);
            second?.ElementAt(k).CopyFrom(values);
        }

        return random;
    }

    private static void AssertSameGradients(ParameterSet<double> expected, ParameterSet<double> actual)
    {
        Assert.Equal(expected.Select(p => p.ToString()), actual.Select(p => p.ToString()));
        foreach (var (e, a) in expected.Zip(actual))
        {
            // A gradient of zeros would match whatever the code computes.
            Assert.Contains(e.Gradient, g => g != 0);
            AssertSameBits(e.Gradient, a.Gradient, $"the gradient of {a.Name}");
        }
    }
}
