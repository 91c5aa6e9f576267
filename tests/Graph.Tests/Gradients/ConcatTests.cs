using Xunit;

namespace Graph.Tests.Gradients;

/// <summary>Concat's values, gradient and training step, and InitIdentity's values.</summary>
public sealed class ConcatTests
{
    public static TheoryData<string, int> Cases()
    {
        var data = new TheoryData<string, int>();
        foreach (string model in Models.Keys)
        {
            data.Add(model, 1);
            data.Add(model, 3);
        }

        return data;
    }

    private static readonly Dictionary<string, (Func<IGradientCheckModel> Create, int X, int R)> Models = new()
    {
        ["ConcatRows"] = (() => new ConcatRowsModel(1), 3, 8),
        ["ConcatShared"] = (() => new ConcatSharedModel(1), 3, 12),
        ["ConcatVectors"] = (() => new ConcatVectorsModel(1), 3, 7),
        ["Identity"] = (() => new IdentityModel(1), 3, 4),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void BackwardMatchesFiniteDifferences(string model, int batch)
    {
        var (create, x, r) = Models[model];
        GradientCheck.Run(create(), x, r, batch);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public void TrainStepEqualsBackwardThenApplyGradients(int batch)
    {
        var fused = new ConcatSharedModel(3);
        var plain = new ConcatSharedModel(3);
        var random = new Graph.Runtime.NumpyRandom(9);
        for (int step = 0; step < 3; step++)
        {
            var x = GradientCheck.Draw(random, 3 * batch);
            var r = GradientCheck.Draw(random, 12 * batch);
            double plainLoss = plain.Backward(x, r, batch);
            plain.ApplyGradients(0.1);
            double fusedLoss = fused.TrainStep(x, r, 0.1, batch);

            Assert.Equal(plainLoss, fusedLoss);
            foreach (var parameter in fused.Parameters)
            {
                Assert.Equal(plain.Parameters[parameter.Name].Value, parameter.Value);
            }
        }
    }

    [Fact]
    public void JoinsEachSampleWithTheSharedValueRepeated()
    {
        var model = new ConcatForwardModel();
        var output = new double[16];

        model.Join([1, 2, 3, 4, 5, 6], output, batch: 2);

        Assert.Equal([1, 2, 3, 10, 20, 2, 4, 6, 4, 5, 6, 10, 20, 8, 10, 12], output);
    }

    [Fact]
    public void JoinsMatricesRowAfterRow()
    {
        var model = new ConcatForwardModel();
        var output = new double[12];

        model.JoinRows([1, 2, 3, 4, 5, 6, 7, 8], output, batch: 2);

        Assert.Equal([-1, -2, 1, 2, 3, 4, -1, -2, 5, 6, 7, 8], output);
    }

    [Fact]
    public void JoinsVectorsOfANamedSize()
    {
        var model = new ConcatNamedSizeModel(hidden: 3);
        new double[] { 7, 8, 9 }.CopyTo(model.Parameters["P"].Value, 0);
        var output = new double[6];

        model.Join([1, 2, 3], output);

        Assert.Equal([1, 2, 3, 7, 8, 9], output);
    }

    [Fact]
    public void TheGradientOfASharedPartIsSummedOverTheBatch()
    {
        // The batch loss is the mean over the samples of Σ tanh(Concat(P, h)) · r, so P's gradient is the mean over the
        // samples of (1 - tanh(P)²) · r[first two rows].
        var model = new ConcatSharedModel(1);
        var random = new Graph.Runtime.NumpyRandom(5);
        var x = GradientCheck.Draw(random, 3 * 2);
        var r = GradientCheck.Draw(random, 12 * 2);
        model.Backward(x, r, 2);
        var p = model.Parameters["P"];
        for (int i = 0; i < 8; i++)
        {
            double derivative = 1 - (Math.Tanh(p.Value[i]) * Math.Tanh(p.Value[i]));
            Assert.Equal(((derivative * r[i]) + (derivative * r[12 + i])) / 2, p.Gradient[i], 12);
        }
    }

    [Fact]
    public void IdentityIsTheIdentityMatrixAndDrawsNoRandomNumbers()
    {
        var model = new IdentityModel(1);
        var withoutIdentity = new AddModel(1);

        Assert.Equal([1, 0, 0, 0, 1, 0, 0, 0, 1], model.Parameters["Recurrent"].Value);
        Assert.Equal(withoutIdentity.Parameters["W"].Value, model.Parameters["W"].Value);
    }

    [Fact]
    public void IdentityOfANamedSizeFollowsTheSize()
    {
        var model = new IdentityNamedSizeModel(hidden: 3);
        var output = new float[3];

        model.Step([1.5f, -2, 0.25f], output);

        Assert.Equal([1, 0, 0, 0, 1, 0, 0, 0, 1], model.Parameters["Recurrent"].Value);
        Assert.Equal([1.5f, -2, 0.25f], output);
    }
}
