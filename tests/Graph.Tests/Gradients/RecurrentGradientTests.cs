using Graph.Runtime;
using Xunit;

namespace Graph.Tests.Gradients;

/// <summary>
/// Recurrent models written as for loops that the generator unrolls: gradients against central finite differences,
/// with full and padded sentences, one sample and a batch; padding against the same model over only the real words;
/// the loop against the same steps written out by hand; TrainStep against Backward then ApplyGradients.
/// </summary>
public sealed class RecurrentGradientTests
{
    // Three sentences of up to 3 words of a 7-word vocabulary; -1 pads the shorter ones.
    private static readonly int[] Full = [2, 5, 1, 6, 6, 0, 3, 4, 2];
    private static readonly int[] Padded = [2, 5, -1, 6, -1, -1, 3, 4, 2];

    [Theory]
    [InlineData(false, 1)]
    [InlineData(false, 3)]
    [InlineData(true, 1)]
    [InlineData(true, 3)]
    public void RecurrentGradientMatchesFiniteDifferences(bool padded, int batch)
    {
        var model = new RecurrentModel(11);
        int[] words = (padded ? Padded : Full)[..(3 * batch)];
        GradientCheck.Run((_, _, b) => model.Loss(words, b), (_, _, b) => model.Backward(words, b), model.Parameters, [], [], batch);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void LoopFormsGradientMatchesFiniteDifferences(int batch)
    {
        var model = new LoopFormsModel(12);
        int[] words = new[] { 1, 4, -1, -1, 5, 5, 0, 2, 3, -1, -1, -1 }[..(4 * batch)];
        var r = GradientCheck.Draw(new NumpyRandom(13), 3 * batch);
        GradientCheck.Run((_, r, b) => model.Loss(words, r, b), (_, r, b) => model.Backward(words, r, b), model.Parameters, [], r, batch);
    }

    [Fact]
    public void PaddingTrainsLikeTheShorterSentence()
    {
        var padded = new RecurrentModel(21);
        var shorter = new ShortRecurrentModel(21);
        Assert.Equal(padded.Parameters.Select(p => p.Value.ToArray()), shorter.Parameters.Select(p => p.Value.ToArray()));

        double paddedLoss = padded.Backward([2, 5, -1]);
        double shorterLoss = shorter.Backward([2, 5]);

        Assert.Equal(shorterLoss, paddedLoss, 12);
        foreach (var (p, s) in padded.Parameters.Zip(shorter.Parameters))
        {
            Assert.Equal(s.Gradient.ToArray(), p.Gradient.ToArray(), (a, b) => Math.Abs(a - b) <= 1e-12);
        }

        // A sentence padded from its first word has no loss and no gradient.
        Assert.Equal(0.0, padded.Backward([-1, -1, -1]));
        Assert.All(padded.Parameters, p => Assert.All(p.Gradient.ToArray(), g => Assert.Equal(0.0, g)));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void TheUnrolledLoopEqualsTheStepsWrittenOutByHand(int batch)
    {
        var loop = new RecurrentModel(31);
        var hand = new HandUnrolledRecurrentModel(31);
        int[] words = Padded[..(3 * batch)];

        Assert.Equal(hand.Backward(words, batch), loop.Backward(words, batch));
        Assert.Equal(hand.Parameters.Select(p => p.Gradient.ToArray()), loop.Parameters.Select(p => p.Gradient.ToArray()));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void TrainStepEqualsBackwardThenApplyGradients(int batch)
    {
        RecurrentModel fused = new(41), plain = new(41);
        for (int step = 0; step < 4; step++)
        {
            int[] words = (step % 2 == 0 ? Full : Padded)[..(3 * batch)];
            double plainLoss = plain.Backward(words, batch);
            plain.ApplyGradients(0.1);
            double fusedLoss = fused.TrainStep(words, 0.1, batch);

            Assert.Equal(plainLoss, fusedLoss);
            Assert.Equal(plain.Parameters.Select(p => p.Value.ToArray()), fused.Parameters.Select(p => p.Value.ToArray()));
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void APickedRowHasARowSparseGradientAndTrainStepStepsOnlyIt(int batch)
    {
        int[] words = new[] { 0, 4, 1, 0, -1, 5, 3, 2, -1 }[..(3 * batch)];
        var model = new PickedRowModel(71);
        GradientCheck.Run((_, _, b) => model.Loss(words, b), (_, _, b) => model.Backward(words, b), model.Parameters, [], [], batch);
        model.Backward(words, batch);
        Assert.Equal(words.Where((w, i) => i % 3 == 1 && w >= 0).Distinct().Order().ToArray(), model.Parameters["Embed"].TouchedRows!.Rows.ToArray().Order().ToArray());

        PickedRowModel fused = new(72), plain = new(72);
        for (int step = 0; step < 3; step++)
        {
            double plainLoss = plain.Backward(words, batch);
            plain.ApplyGradients(0.1);
            Assert.Equal(plainLoss, fused.TrainStep(words, 0.1, batch));
            Assert.Equal(plain.Parameters.Select(p => p.Value.ToArray()), fused.Parameters.Select(p => p.Value.ToArray()));
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void ADenseSequenceRecurrenceMatchesFiniteDifferences(int batch)
    {
        var model = new DenseSequenceModel(81);
        var random = new NumpyRandom(82);
        GradientCheck.Run((x, r, b) => model.Loss(x, r, b), (x, r, b) => model.Backward(x, r, b), model.Parameters, GradientCheck.Draw(random, 12 * batch), GradientCheck.Draw(random, 5 * batch), batch);
    }

    [Fact]
    public void ARowOfADenseInputIsThatRow()
    {
        // With U the identity's first 3 columns (padded with zeros) and W zero, the state is tanh(x[3]) and zeros.
        var model = new DenseSequenceModel(83);
        model.Parameters["W"].CopyFrom(new double[25]);
        model.Parameters["U"].CopyFrom([1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0]);
        double[] x = [.. Enumerable.Range(0, 24).Select(i => i / 30.0)];
        var state = new double[10];
        model.Encode(x, state, 2);
        Assert.Equal([Math.Tanh(9 / 30.0), Math.Tanh(10 / 30.0), Math.Tanh(11 / 30.0), 0, 0, Math.Tanh(21 / 30.0), Math.Tanh(22 / 30.0), Math.Tanh(23 / 30.0), 0, 0], state);
    }

    [Fact]
    public void TrainingLowersTheLoss()
    {
        var model = new RecurrentModel(51);
        double first = model.Loss(Padded, 3);
        for (int i = 0; i < 200; i++)
        {
            model.TrainStep(Padded, 0.1, 3);
        }

        Assert.True(model.Loss(Padded, 3) < first / 2, $"The loss went from {first} to {model.Loss(Padded, 3)}.");
    }

    [Fact]
    public void AnIndexOutsideTheVocabularyOrBelowPaddingThrows()
    {
        var model = new RecurrentModel(61);
        var outside = Assert.Throws<ArgumentOutOfRangeException>(() => model.Loss([2, 7, -1]));
        Assert.Contains("index 7 at position 1", outside.Message, StringComparison.Ordinal);
        var below = Assert.Throws<ArgumentOutOfRangeException>(() => model.Loss([2, -2, -1]));
        Assert.Contains("index -2 at position 1", below.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PaddingInAnInputThatIsNotPaddedThrows()
    {
        var model = new ShortRecurrentModel(62);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => model.Loss([2, -1]));
        Assert.Contains("index -1 at position 1", error.Message, StringComparison.Ordinal);
    }
}
