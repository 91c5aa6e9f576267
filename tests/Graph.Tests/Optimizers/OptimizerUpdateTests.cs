using Graph.Runtime;
using Graph.Samples.Chapter05;
using Graph.Samples.Chapter08;
using Graph.Samples.Chapter11;
using Xunit;

namespace Graph.Tests.Optimizers;

/// <summary>
/// Every optimizer of a compiled model's <c>TrainStep(..., optimizer)</c> and <c>ApplyGradients(optimizer)</c>, over
/// several steps, against <see cref="ReferenceOptimizer"/> applied to the gradients a twin model's Backward stores: in
/// double the weights are equal bit for bit (the kernels and the reference do the same IEEE operations in the same
/// order), through every way a parameter is stepped (inside a batch-folded product, inside a batch-1 outer product,
/// after the gradients, row by row for a row-sparse gradient, with frozen elements, with dropout masks).
/// </summary>
public sealed class OptimizerUpdateTests
{
    private const int Steps = 4;

    /// <summary>A model and its twin, and one training step of each (step number in, loss out).</summary>
    private sealed record Twin(ParameterSet<double> Trained, OptimizerState<double> State, Func<int, Optimizer, double> TrainStep, ParameterSet<double> Reference, Func<int, double> Backward);

    public static TheoryData<string> OptimizerNames() => new(Optimizers.Keys.ToArray());

    private static readonly Dictionary<string, Optimizer> Optimizers = new()
    {
        ["sgd"] = Optimizer.Sgd(0.05),
        ["momentum"] = Optimizer.SgdWithMomentum(0.05, 0.9),
        ["nesterov"] = Optimizer.SgdWithMomentum(0.05, 0.8, nesterov: true),
        ["adam"] = Optimizer.Adam(0.01),
        ["adamw"] = Optimizer.AdamW(0.01, weightDecay: 0.1),
        ["sgd clipped"] = Optimizer.Sgd(0.05).ClipGradientNorm(0.05),
        ["momentum clipped, step decay"] = Optimizer.SgdWithMomentum(0.05).ClipGradientNorm(0.1).WithSchedule(LearningRateSchedule.StepDecay(0.5, every: 2)),
        ["adam clipped, cosine"] = Optimizer.Adam(0.01).ClipGradientNorm(0.02).WithSchedule(LearningRateSchedule.Cosine(3, minimum: 0.001)),
        ["adamw step decay"] = Optimizer.AdamW(0.01, 0.05, beta1: 0.8, beta2: 0.99, epsilon: 1e-6).WithSchedule(LearningRateSchedule.StepDecay(0.99)),
    };

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (string model in new[] { "MnistRelu batch 5", "MnistRelu batch 1", "MnistDropout batch 3", "FrozenWeightLearner", "Sentiment", "FillBlank" })
        {
            foreach (string optimizer in Optimizers.Keys)
            {
                data.Add(model, optimizer);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void TrainStepFollowsTheReferenceEquationsBitForBit(string model, string optimizer)
    {
        var settings = Optimizers[optimizer];
        var twin = Create(model, settings);
        var reference = new ReferenceOptimizer(settings);
        for (int step = 0; step < Steps; step++)
        {
            double expectedLoss = twin.Backward(step);
            reference.Step(twin.Reference);
            double loss = twin.TrainStep(step, settings);

            Assert.Equal(expectedLoss, loss);
            AssertSameValues(twin.Reference, twin.Trained, $"{model}, {optimizer}, step {step}");
            if (settings.MaxGradientNorm is not null)
            {
                Assert.Equal(reference.LastNorm, twin.State.LastGradientNorm);
            }
        }

        Assert.Equal(Steps, twin.State.Step);
        Assert.Equal(settings.Kind, twin.State.Kind);
    }

    [Theory]
    [MemberData(nameof(OptimizerNames))]
    public void BackwardThenApplyGradientsFollowsTheReferenceEquationsBitForBit(string optimizer)
    {
        var settings = Optimizers[optimizer];
        // Backward stores the gradients, then ApplyGradients steps by the optimizer.
        var replay = new MnistReluNetwork<double>(1, 12);
        var replayReference = new MnistReluNetwork<double>(1, 12);
        var again = new ReferenceOptimizer(settings);
        for (int step = 0; step < Steps; step++)
        {
            var (x, y) = MnistBatch(step, 5);
            replay.Backward(x, y, 5);
            replay.ApplyGradients(settings);
            replayReference.Backward(x, y, 5);
            again.Step(replayReference.Parameters);
            AssertSameValues(replayReference.Parameters, replay.Parameters, $"ApplyGradients, {optimizer}, step {step}");
        }

        Assert.Equal(Steps, replay.OptimizerState.Step);
    }

    [Fact]
    public void AFloatModelFollowsTheDoubleReferenceWithinFloatRounding()
    {
        var settings = Optimizer.Adam(0.01).ClipGradientNorm(0.5);
        var trained = new MnistReluNetwork<float>(1, 12);
        var twin = new MnistReluNetwork<float>(1, 12);
        var reference = new ReferenceOptimizer(settings);
        var doubles = new ParameterSet<double>(twin.Parameters.Select(p => new Parameter<double>(p.Name, p.Shape.ToArray())).ToArray());
        for (int step = 0; step < Steps; step++)
        {
            var (x, y) = MnistBatch(step, 5);
            float[] xf = x.Select(v => (float)v).ToArray(), yf = y.Select(v => (float)v).ToArray();
            twin.Backward(xf, yf, 5);
            for (int p = 0; p < doubles.Count; p++)
            {
                for (int i = 0; i < doubles[p].Size; i++)
                {
                    doubles[p].Value[i] = twin.Parameters[p].Value[i];
                    doubles[p].Gradient[i] = twin.Parameters[p].Gradient[i];
                }
            }

            reference.Step(doubles);
            trained.TrainStep(xf, yf, settings, 5);
            for (int p = 0; p < doubles.Count; p++)
            {
                for (int i = 0; i < doubles[p].Size; i++)
                {
                    double expected = doubles[p].Value[i];
                    Assert.True(Math.Abs(trained.Parameters[p].Value[i] - expected) <= 1e-6 * (Math.Abs(expected) + 0.01),
                        $"step {step}, {doubles[p].Name}[{i}]: {trained.Parameters[p].Value[i]} against {expected}");
                }

                // Both models go on from the same weights.
                trained.Parameters[p].Value.CopyTo(twin.Parameters[p].Value, 0);
            }
        }
    }

    [Fact]
    public void ANonFiniteLossLeavesTheWeightsAndTheStateAsTheyWere()
    {
        var model = new MnistReluNetwork<double>(seed: 1, hidden: 8);
        var (x, y) = MnistBatch(0, 1);
        model.TrainStep(x, y, Optimizer.Adam(), 1);
        var values = model.Parameters.Select(p => p.Value.ToArray()).ToList();
        var moments = Enumerable.Range(0, model.Parameters.Count).Select(p => model.OptimizerState.Slot(p, 0).ToArray()).ToList();
        double[] huge = Enumerable.Repeat(1e200, 784).ToArray();

        Assert.Throws<TrainingDivergedException>(() => model.TrainStep(huge, y, Optimizer.Adam(), 1));
        Assert.Throws<TrainingDivergedException>(() => model.TrainStep(huge, y, Optimizer.Adam().ClipGradientNorm(1), 1));

        Assert.Equal(values, model.Parameters.Select(p => p.Value.ToArray()).ToList());
        Assert.Equal(moments, Enumerable.Range(0, model.Parameters.Count).Select(p => model.OptimizerState.Slot(p, 0).ToArray()).ToList());
        Assert.Equal(1, model.OptimizerState.Step);
    }

    [Fact]
    public void AnotherRuleNeedsAResetOfTheState()
    {
        var model = new MnistReluNetwork<double>(seed: 1, hidden: 8);
        var (x, y) = MnistBatch(0, 2);
        model.TrainStep(x, y, Optimizer.Adam(), 2);

        var error = Assert.Throws<InvalidOperationException>(() => model.TrainStep(x, y, Optimizer.SgdWithMomentum(0.1), 2));
        Assert.Contains("1 steps of Adam", error.Message, StringComparison.Ordinal);
        Assert.Contains("Reset", error.Message, StringComparison.Ordinal);

        model.OptimizerState.Reset();
        model.TrainStep(x, y, Optimizer.SgdWithMomentum(0.1), 2);
        Assert.Equal(OptimizerKind.Momentum, model.OptimizerState.Kind);
        Assert.Equal(1, model.OptimizerState.Step);
    }

    private static void AssertSameValues(ParameterSet<double> expected, ParameterSet<double> actual, string where)
    {
        foreach (var parameter in actual)
        {
            var want = expected[parameter.Name].Value;
            for (int i = 0; i < want.Length; i++)
            {
                if (BitConverter.DoubleToInt64Bits(want[i]) != BitConverter.DoubleToInt64Bits(parameter.Value[i]))
                {
                    Assert.Fail($"{where}: {parameter.Name}[{i}] is {parameter.Value[i]:R}, the reference {want[i]:R}");
                }
            }
        }
    }

    /// <summary>Step <paramref name="step"/>'s MNIST-shaped batch: pixels with zeros (as digits have), one-hot labels.</summary>
    private static (double[] X, double[] Y) MnistBatch(int step, int batch)
    {
        var random = new NumpyRandom((uint)(10 + step));
        double[] x = Enumerable.Range(0, 784 * batch).Select(i => i % 3 == 0 ? 0.0 : random.RandomSample()).ToArray();
        var y = new double[10 * batch];
        for (int s = 0; s < batch; s++)
        {
            y[(s * 10) + ((s + step) % 10)] = 1;
        }

        return (x, y);
    }

    /// <summary>
    /// Step <paramref name="step"/>'s words: distinct for plain SGD, whose fused row step takes one step per occurrence
    /// (the reference's summed step only up to rounding), repeated for the rules that step each row once.
    /// </summary>
    private static int[] Words(int step, int count, int vocab, bool repeats)
    {
        var random = new NumpyRandom((uint)(20 + step));
        var words = new List<int>();
        while (words.Count < count)
        {
            int word = (int)random.RandInt(vocab);
            if (repeats || !words.Contains(word))
            {
                words.Add(word);
            }
        }

        if (repeats)
        {
            words[^1] = words[0];
        }

        return words.ToArray();
    }

    private static Twin Create(string model, Optimizer settings)
    {
        bool repeats = settings.Kind != OptimizerKind.Sgd || settings.MaxGradientNorm is not null;
        switch (model)
        {
            case "MnistRelu batch 5":
            case "MnistRelu batch 1":
            {
                int batch = model.EndsWith('5') ? 5 : 1;
                MnistReluNetwork<double> trained = new(1, 12), reference = new(1, 12);
                return new Twin(trained.Parameters, trained.OptimizerState,
                    (step, o) => { var (x, y) = MnistBatch(step, batch); return trained.TrainStep(x, y, o, batch); },
                    reference.Parameters,
                    step => { var (x, y) = MnistBatch(step, batch); return reference.Backward(x, y, batch); });
            }

            case "MnistDropout batch 3":
            {
                MnistDropoutNetwork<double> trained = new(1, 12), reference = new(1, 12);
                return new Twin(trained.Parameters, trained.OptimizerState,
                    (step, o) => { var (x, y) = MnistBatch(step, 3); return trained.TrainStep(x, y, o, 3); },
                    reference.Parameters,
                    step => { var (x, y) = MnistBatch(step, 3); return reference.Backward(x, y, 3); });
            }

            case "FrozenWeightLearner":
            {
                FrozenWeightLearner<double> trained = new(), reference = new();
                double[] x = [8.5, 0.65, 1.2, 9.5, 0.8, 1.3];
                double[] y = [1, 0];
                return new Twin(trained.Parameters, trained.OptimizerState,
                    (step, o) => trained.TrainStep(x, y, o, 2),
                    reference.Parameters,
                    step => reference.Backward(x, y, 2));
            }

            case "Sentiment":
            {
                SentimentNetwork<double> trained = new(1, vocab: 40, hidden: 6), reference = new(1, vocab: 40, hidden: 6);
                double[][] labels = [[0], [1]];
                return new Twin(trained.Parameters, trained.OptimizerState,
                    (step, o) => trained.TrainStep(Words(step, 7, 40, repeats), labels[step % 2], o),
                    reference.Parameters,
                    step => reference.Backward(Words(step, 7, 40, repeats), labels[step % 2]));
            }

            case "FillBlank":
            {
                FillBlankNetwork<double> trained = new(1, vocab: 30, hidden: 5), reference = new(1, vocab: 30, hidden: 5);
                double[] labels = [1, 0, 0, 0, 0, 0];
                return new Twin(trained.Parameters, trained.OptimizerState,
                    (step, o) => trained.TrainStep(Words(step, 4, 30, repeats), Words(step + 50, 6, 30, repeats), labels, o),
                    reference.Parameters,
                    step => reference.Backward(Words(step, 4, 30, repeats), Words(step + 50, 6, 30, repeats), labels));
            }

            default:
                throw new ArgumentException($"No model {model}.", nameof(model));
        }
    }
}
