using Graph.Runtime;
using Xunit;

namespace Graph.Tests.Runtime;

/// <summary>
/// The update fused into a weight's product against the product stored by the GEMM and then stepped by the same
/// rule: equal bit for bit, on odd sizes, both transposes, depth 1 and deeper, with and without vector tails.
/// </summary>
public sealed class OptimizerKernelTests
{
    public static TheoryData<string, int, int, int, bool, bool> Cases()
    {
        var data = new TheoryData<string, int, int, int, bool, bool>();
        foreach (string rule in new[] { "sgd", "momentum", "nesterov", "adam", "adamw", "sgd clipped" })
        {
            data.Add(rule, 7, 13, 1, true, false);
            data.Add(rule, 5, 3, 9, false, false);
            data.Add(rule, 17, 10, 4, true, true);
            data.Add(rule, 1, 33, 2, false, true);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void GemmOptimizerStepEqualsTheStoredProductThenTheStep(string name, int m, int n, int k, bool transA, bool transB)
    {
        var random = new NumpyRandom(4);
        double[] a = Enumerable.Range(0, m * k).Select(_ => random.RandomSample() - 0.5).ToArray();
        double[] b = Enumerable.Range(0, k * n).Select(_ => random.RandomSample() - 0.5).ToArray();
        double[] start = Enumerable.Range(0, m * n).Select(_ => random.RandomSample() - 0.5).ToArray();
        int lda = transA ? m : k, ldb = transB ? k : n;
        var optimizer = name switch
        {
            "momentum" => Optimizer.SgdWithMomentum(0.1, 0.9),
            "nesterov" => Optimizer.SgdWithMomentum(0.1, 0.9, nesterov: true),
            "adam" => Optimizer.Adam(0.01),
            "adamw" => Optimizer.AdamW(0.01, 0.1),
            "sgd clipped" => Optimizer.Sgd(0.1).ClipGradientNorm(0.3),
            _ => Optimizer.Sgd(0.1),
        };

        var fused = new Parameter<double>("W", [m, n]);
        var stored = new Parameter<double>("W", [m, n]);
        start.CopyTo(fused.Value, 0);
        start.CopyTo(stored.Value, 0);
        var fusedState = new OptimizerState<double>(new ParameterSet<double>(fused));
        var storedState = new OptimizerState<double>(new ParameterSet<double>(stored));
        for (int step = 0; step < 3; step++)
        {
            var fusedRule = fusedState.Begin(optimizer);
            var storedRule = storedState.Begin(optimizer);
            Kernels.Gemm(transA, transB, m, n, k, a, lda, b, ldb, stored.Gradient, n, accumulate: false);
            if (optimizer.MaxGradientNorm is not null)
            {
                // A clipping step is never fused; the scaled rule is what the kernels see.
                fusedRule = fusedRule.ClippedTo(Kernels.AddSquares<double>(stored.Gradient, 0));
                storedRule = storedRule.ClippedTo(Kernels.AddSquares<double>(stored.Gradient, 0));
            }

            Kernels.GemmOptimizerStep(transA, transB, m, n, k, a, lda, b, ldb, fused.Value, n, fusedRule, 0);
            Kernels.OptimizerStep(stored.Value, stored.Gradient, storedRule, 0);
            fusedState.Complete(fusedRule);
            storedState.Complete(storedRule);

            Assert.Equal(stored.Value, fused.Value);
        }
    }

    [Fact]
    public void AdamWKeepsFrozenElements()
    {
        var parameter = new Parameter<double>("W", [5], frozenElements: [1, 3]);
        double[] start = [0.5, -0.25, 1.5, 2.0, -1.0];
        start.CopyTo(parameter.Value, 0);
        var state = new OptimizerState<double>(new ParameterSet<double>(parameter));
        var rule = state.Begin(Optimizer.AdamW(0.1, weightDecay: 0.5));

        Kernels.OptimizerStep(parameter.Value, new double[] { 0.1, 0, -0.2, 0, 0.3 }, rule, 0);

        Assert.Equal(-0.25, parameter.Value[1]);
        Assert.Equal(2.0, parameter.Value[3]);
        Assert.NotEqual(0.5, parameter.Value[0]);
    }

    [Fact]
    public void SquaresAreAddedToTheRunningSumInIndexOrderInDouble()
    {
        // From a running sum of 0.5, as a second parameter's squares follow the first's.
        float[] values = [1e8f, 1f, -1e8f, 3f];
        double expected = 0.5;
        foreach (float v in values)
        {
            expected += (double)v * v;
        }

        Assert.Equal(expected, Kernels.AddSquares<float>(values, 0.5));
        var rows = new SparseRows(4);
        rows.Add(2);
        rows.Add(0);
        // Row 2 (1e8, 3), then row 0 (1e8, 1), the list's order.
        double listed = 0.5;
        foreach (double v in new[] { 1e8, 3, 1e8, 1 })
        {
            listed += v * v;
        }

        Assert.Equal(listed, Kernels.AddSquaresRows<double>([1e8, 1, 5, 5, 1e8, 3, 7, 7], 2, rows, 0.5));
    }
}
