using Xunit;

namespace Graph.Tests.Gradients;

/// <summary>Every operation's derivative rule, through a compiled model, against central finite differences.</summary>
public sealed class OpGradientTests
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
        ["Add"] = (() => new AddModel(1), 3, 4),
        ["Subtract"] = (() => new SubtractModel(1), 3, 4),
        ["Multiply"] = (() => new MultiplyModel(1), 3, 4),
        ["Divide"] = (() => new DivideModel(1), 3, 4),
        ["NegateAndConstants"] = (() => new NegateAndConstantsModel(1), 3, 4),
        ["Relu"] = (() => new ReluModel(1), 3, 4),
        ["LeakyRelu"] = (() => new LeakyReluModel(1), 3, 4),
        ["LogSoftmax"] = (() => new LogSoftmaxModel(1), 3, 4),
        ["SoftmaxCrossEntropyOfAComputedTarget"] = (() => new ComputedTargetModel(1), 3, 1),
        ["Sigmoid"] = (() => new SigmoidModel(1), 3, 4),
        ["Tanh"] = (() => new TanhModel(1), 3, 4),
        ["ExpAndLog"] = (() => new ExpAndLogModel(1), 3, 4),
        ["Square"] = (() => new SquareModel(1), 3, 4),
        ["Transpose"] = (() => new TransposeModel(1), 3, 4),
        ["MatrixVector"] = (() => new MatrixVectorModel(1), 3, 4),
        ["VectorDot"] = (() => new VectorDotModel(1), 3, 1),
        ["MatrixMatrix"] = (() => new MatrixMatrixModel(1), 6, 8),
        ["ParameterProduct"] = (() => new ParameterProductModel(1), 3, 4),
        ["SharedWeight"] = (() => new SharedWeightModel(1), 3, 3),
        ["Mean"] = (() => new MeanModel(1), 3, 1),
        ["SumSquares"] = (() => new SumSquaresModel(1), 3, 4),
        ["L2Loss"] = (() => new L2LossModel(1), 3, 4),
        ["MeanSquaredError"] = (() => new MeanSquaredErrorModel(1), 3, 4),
        ["SummedLoss"] = (() => new SummedLossModel(1), 3, 4),
        ["Frozen"] = (() => new FrozenModel(1), 3, 4),
        ["Convolution"] = (() => new ConvolutionModel(1), 30, 32),
        ["ConvolutionChannels"] = (() => new ConvolutionChannelsModel(1), 60, 48),
        ["StackedConvolution"] = (() => new StackedConvolutionModel(1), 36, 27),
        ["Reshape"] = (() => new ReshapeModel(1), 6, 12),
        ["Pooling"] = (() => new PoolingModel(1), 48, 12),
        ["MaxPooling"] = (() => new MaxPoolingModel(1), 48, 12),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void BackwardMatchesFiniteDifferences(string model, int batch)
    {
        var (create, x, r) = Models[model];
        GradientCheck.Run(create(), x, r, batch);
    }

    [Fact]
    public void TrainStepMovesAgainstTheGradient()
    {
        var model = new L2LossModel(3);
        var random = new Graph.Runtime.NumpyRandom(11);
        var x = GradientCheck.Draw(random, 3 * 5);
        var r = GradientCheck.Draw(random, 4 * 5);
        double before = model.Loss(x, r, 5);
        var weights = (double[])model.Parameters["W"].Value.Clone();
        model.Backward(x, r, 5);
        var gradient = (double[])model.Parameters["W"].Gradient.Clone();
        double loss = model.TrainStep(x, r, 0.1, 5);
        Assert.Equal(before, loss);
        for (int i = 0; i < weights.Length; i++)
        {
            Assert.Equal(weights[i] - (0.1 * gradient[i]), model.Parameters["W"].Value[i]);
        }

        Assert.True(model.Loss(x, r, 5) < before);
    }

    [Fact]
    public void FrozenParametersNeverChange()
    {
        var model = new FrozenModel(2);
        var random = new Graph.Runtime.NumpyRandom(5);
        var w01 = (double[])model.Parameters["W01"].Value.Clone();
        var w12 = (double[])model.Parameters["W12"].Value.Clone();
        for (int step = 0; step < 5; step++)
        {
            model.TrainStep(GradientCheck.Draw(random, 6), GradientCheck.Draw(random, 8), 0.5, 2);
        }

        Assert.Equal(w01, model.Parameters["W01"].Value);
        foreach (int frozen in new[] { 0, 5, 15 })
        {
            Assert.Equal(w12[frozen], model.Parameters["W12"].Value[frozen]);
        }

        Assert.NotEqual(w12[1], model.Parameters["W12"].Value[1]);
    }
}
