using Graph.Runtime;
using Graph.Tests.Gradients;
using Xunit;

namespace Graph.Tests.Loops;

/// <summary>
/// One model of a pair on fixed inputs: its parameters and the calls the tests compare. Each call runs the generated
/// method on the same inputs; <see cref="Forward"/> returns what the model's forward method wrote.
/// </summary>
public sealed record TwinRun(
    ParameterSet<double> Parameters,
    Func<double> Loss,
    Func<double> Backward,
    Func<double, double> TrainStep,
    Func<double[]> Forward);

/// <summary>
/// The pairs of twin models: each twin with the same random parameters (uniform in [-0.5, 0.5), drawn
/// from numpy's generator) and the same random inputs at a batch size, so that a difference is the generated code's.
/// </summary>
public static class LoopTwins
{
    /// <summary>The pairs by name: the model as written and its unrolled twin, each set up at a batch size.</summary>
    public static readonly IReadOnlyDictionary<string, (Func<int, TwinRun> Loop, Func<int, TwinRun> Unrolled)> Pairs =
        new Dictionary<string, (Func<int, TwinRun>, Func<int, TwinRun>)>
        {
            ["CharacterLstm"] = (b => CharacterLstm(new CharacterLstmLoop(), b), b => CharacterLstm(new CharacterLstmUnrolled(), b)),
            ["BabiRnn"] = (b => BabiRnn(new BabiRnnLoop(), b), b => BabiRnn(new BabiRnnUnrolled(), b)),
            ["TableRnn"] = (b => BabiRnn(new TableRnnLoop(), b), b => BabiRnn(new TableRnnUnrolled(), b)),
            ["StateRows"] = (b => DenseSequence(new StateRowsLoop(), StateRowsLoop.Steps * StateRowsLoop.Hidden, b), b => DenseSequence(new StateRowsUnrolled(), StateRowsUnrolled.Steps * StateRowsUnrolled.Hidden, b)),
            ["RunningSum"] = (b => DenseSequence(new RunningSumLoop(), RunningSumLoop.Hidden, b), b => DenseSequence(new RunningSumUnrolled(), RunningSumUnrolled.Hidden, b)),
        };

    /// <summary>
    /// The pairs whose model is also declared as the compiler compiles it by default, its sums over the loop's steps
    /// of products as one product after the loop (ExactLoopSums off), each set up at a batch size.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, Func<int, TwinRun>> Summed = new Dictionary<string, Func<int, TwinRun>>
    {
        ["CharacterLstm"] = b => CharacterLstm(new CharacterLstmSummed(), b),
        ["BabiRnn"] = b => BabiRnn(new BabiRnnSummed(), b),
        ["TableRnn"] = b => BabiRnn(new TableRnnSummed(), b),
    };

    /// <summary>Each named pair at one sample and at a batch of three.</summary>
    public static TheoryData<string, int> AtBatchesOneAndThree(IEnumerable<string> pairs)
    {
        var cases = new TheoryData<string, int>();
        foreach (string pair in pairs)
        {
            cases.Add(pair, 1);
            cases.Add(pair, 3);
        }

        return cases;
    }

    /// <summary>Three padded sentences of a 9-word vocabulary: 4 words, 7 words, 1 word (-1 pads).</summary>
    private static readonly int[] Sentences = [3, 8, 0, 5, -1, -1, -1, -1, 1, 4, 4, 7, 2, 6, 5, -1, 6, -1, -1, -1, -1, -1, -1, -1];

    private static TwinRun CharacterLstm(ICharacterLstmTwin model, int batch)
    {
        var random = Seeded(model.Parameters, 101);
        int[] chars = Indices(random, CharacterLstmLoop.Steps * batch, model.Vocab);
        int[] targets = Indices(random, CharacterLstmLoop.Steps * batch, model.Vocab);
        double[] h0 = GradientCheck.Draw(random, model.Hidden * batch), c0 = GradientCheck.Draw(random, model.Hidden * batch);
        return new TwinRun(
            model.Parameters,
            () => model.Loss(chars, targets, h0, c0, batch),
            () => model.Backward(chars, targets, h0, c0, batch),
            rate => model.TrainStep(chars, targets, h0, c0, rate, batch),
            () =>
            {
                var state = new double[2 * model.Hidden * batch];
                model.FinalState(chars, h0, c0, state, batch);
                return state;
            });
    }

    private static TwinRun BabiRnn(IBabiRnnTwin model, int batch)
    {
        Seeded(model.Parameters, 102);
        int[] words = Sentences[..(BabiRnnLoop.Steps * batch)];
        return new TwinRun(
            model.Parameters,
            () => model.Loss(words, batch),
            () => model.Backward(words, batch),
            rate => model.TrainStep(words, rate, batch),
            () =>
            {
                var logits = new double[BabiRnnLoop.Steps * model.Vocab * batch];
                model.Predict(words, logits, batch);
                return logits;
            });
    }

    /// <summary>A dense-sequence twin: both such pairs read [6, 3] per sample, and r has the size of the forward output.</summary>
    private static TwinRun DenseSequence(IDenseSequenceTwin model, int outputSize, int batch)
    {
        var random = Seeded(model.Parameters, 103);
        double[] x = GradientCheck.Draw(random, StateRowsLoop.Steps * StateRowsLoop.Features * batch), r = GradientCheck.Draw(random, outputSize * batch);
        return new TwinRun(
            model.Parameters,
            () => model.Loss(x, r, batch),
            () => model.Backward(x, r, batch),
            rate => model.TrainStep(x, r, rate, batch),
            () =>
            {
                var output = new double[outputSize * batch];
                model.Encode(x, output, batch);
                return output;
            });
    }

    /// <summary>Fills every parameter with uniform values in [-0.5, 0.5), and returns the generator to draw the inputs from.</summary>
    private static NumpyRandom Seeded(ParameterSet<double> parameters, uint seed)
    {
        var random = new NumpyRandom(seed);
        foreach (var parameter in parameters)
        {
            parameter.CopyFrom(GradientCheck.Draw(random, parameter.Size).Select(v => v / 2).ToArray());
        }

        return random;
    }

    private static int[] Indices(NumpyRandom random, int count, int bound)
    {
        var indices = new int[count];
        random.RandInt(indices, 0, bound);
        return indices;
    }
}
