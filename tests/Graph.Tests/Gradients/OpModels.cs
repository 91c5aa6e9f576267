using Graph;
using static Graph.Ops;

namespace Graph.Tests.Gradients;

// One small double-precision model per operation. Each loss projects the operation's result onto a random r,
// so that every element of the result has its own weight in the gradient.

[Model(typeof(double))]
public partial class AddModel : IGradientCheckModel
{
    [Param(3, 4), InitUniform(-1, 1)] public partial Tensor W { get; }
    [Param(4), InitUniform(-1, 1)] public partial Tensor B { get; }
    [Loss] public Tensor Loss([Shape(3)] Tensor x, [Shape(4)] Tensor r) => Sum((x.Dot(W) + B) * r);
}

[Model(typeof(double))]
public partial class SubtractModel : IGradientCheckModel
{
    [Param(3, 4), InitUniform(-1, 1)] public partial Tensor W { get; }
    [Param(4), InitUniform(-1, 1)] public partial Tensor B { get; }
    [Loss] public Tensor Loss([Shape(3)] Tensor x, [Shape(4)] Tensor r) => Sum((B - x.Dot(W)) * r);
}

[Model(typeof(double))]
public partial class MultiplyModel : IGradientCheckModel
{
    [Param(3, 4), InitUniform(-1, 1)] public partial Tensor W { get; }
    [Param(4), InitUniform(-1, 1)] public partial Tensor B { get; }
    [Loss] public Tensor Loss([Shape(3)] Tensor x, [Shape(4)] Tensor r) => Sum(x.Dot(W) * B * r);
}

[Model(typeof(double))]
public partial class DivideModel : IGradientCheckModel
{
    [Param(3, 4), InitUniform(-1, 1)] public partial Tensor W { get; }
    [Param(4), InitUniform(-1, 1)] public partial Tensor B { get; }
    [Loss] public Tensor Loss([Shape(3)] Tensor x, [Shape(4)] Tensor r) => Sum(x.Dot(W) / (B * B + 1) * r);
}

[Model(typeof(double))]
public partial class NegateAndConstantsModel : IGradientCheckModel
{
    [Param(3, 4), InitUniform(-1, 1)] public partial Tensor W { get; }
    [Loss] public Tensor Loss([Shape(3)] Tensor x, [Shape(4)] Tensor r) => Sum((2 - -x.Dot(W) * 3) / 4 * r);
}

[Model(typeof(double))]
public partial class ReluModel : IGradientCheckModel
{
    [Param(3, 4), InitUniform(-1, 1)] public partial Tensor W { get; }
    [Loss] public Tensor Loss([Shape(3)] Tensor x, [Shape(4)] Tensor r) => Sum(Relu(x.Dot(W)) * r);
}

[Model(typeof(double))]
public partial class LeakyReluModel : IGradientCheckModel
{
    [Param(3, 4), InitUniform(-1, 1)] public partial Tensor W { get; }
    [Loss] public Tensor Loss([Shape(3)] Tensor x, [Shape(4)] Tensor r) => Sum(LeakyRelu(x.Dot(W), 0.1) * r);
}

[Model(typeof(double))]
public partial class LogSoftmaxModel : IGradientCheckModel
{
    [Param(3, 4), InitUniform(-1, 1)] public partial Tensor W { get; }
    [Loss] public Tensor Loss([Shape(3)] Tensor x, [Shape(4)] Tensor r) => Sum(LogSoftmax(x.Dot(W)) * r);
}

[Model(typeof(double))]
public partial class ComputedTargetModel : IGradientCheckModel
{
    [Param(3, 4), InitUniform(-1, 1)] public partial Tensor W { get; }
    [Param(3, 4), InitUniform(-1, 1)] public partial Tensor V { get; }
    [Loss] public Tensor Loss([Shape(3)] Tensor x, [Shape(1)] Tensor r) => SoftmaxCrossEntropy(x.Dot(W), Softmax(x.Dot(V))) * r;
}

[Model(typeof(double))]
public partial class SigmoidModel : IGradientCheckModel
{
    [Param(3, 4), InitUniform(-1, 1)] public partial Tensor W { get; }
    [Loss] public Tensor Loss([Shape(3)] Tensor x, [Shape(4)] Tensor r) => Sum(Sigmoid(x.Dot(W)) * r);
}

[Model(typeof(double))]
public partial class TanhModel : IGradientCheckModel
{
    [Param(3, 4), InitUniform(-1, 1)] public partial Tensor W { get; }
    [Loss] public Tensor Loss([Shape(3)] Tensor x, [Shape(4)] Tensor r) => Sum(Tanh(x.Dot(W)) * r);
}

[Model(typeof(double))]
public partial class ExpAndLogModel : IGradientCheckModel
{
    [Param(3, 4), InitUniform(-1, 1)] public partial Tensor W { get; }
    [Param(4), InitUniform(-1, 1)] public partial Tensor B { get; }
    [Loss] public Tensor Loss([Shape(3)] Tensor x, [Shape(4)] Tensor r) => Sum((Exp(x.Dot(W) * 0.5) + Log(Sigmoid(B))) * r);
}

[Model(typeof(double))]
public partial class SquareModel : IGradientCheckModel
{
    [Param(3, 4), InitUniform(-1, 1)] public partial Tensor W { get; }
    [Loss] public Tensor Loss([Shape(3)] Tensor x, [Shape(4)] Tensor r) => Sum(Square(x.Dot(W)) * r);
}

[Model(typeof(double))]
public partial class TransposeModel : IGradientCheckModel
{
    [Param(3, 4), InitUniform(-1, 1)] public partial Tensor W { get; }
    [Loss] public Tensor Loss([Shape(3)] Tensor x, [Shape(4)] Tensor r) => Sum(W.T.Dot(x) * r);
}

[Model(typeof(double))]
public partial class MatrixVectorModel : IGradientCheckModel
{
    [Param(4, 3), InitUniform(-1, 1)] public partial Tensor W { get; }
    [Loss] public Tensor Loss([Shape(3)] Tensor x, [Shape(4)] Tensor r) => Sum(W.Dot(x) * r);
}

[Model(typeof(double))]
public partial class VectorDotModel : IGradientCheckModel
{
    [Param(3), InitUniform(-1, 1)] public partial Tensor V { get; }
    [Loss] public Tensor Loss([Shape(3)] Tensor x, [Shape(1)] Tensor r) => Sum(x.Dot(V) * r);
}

[Model(typeof(double))]
public partial class MatrixMatrixModel : IGradientCheckModel
{
    [Param(3, 4), InitUniform(-1, 1)] public partial Tensor W { get; }
    [Loss] public Tensor Loss([Shape(2, 3)] Tensor x, [Shape(2, 4)] Tensor r) => Sum(MatMul(x, W) * r);
}

[Model(typeof(double))]
public partial class ParameterProductModel : IGradientCheckModel
{
    [Param(3, 5), InitUniform(-1, 1)] public partial Tensor W1 { get; }
    [Param(5, 4), InitUniform(-1, 1)] public partial Tensor W2 { get; }
    [Loss] public Tensor Loss([Shape(3)] Tensor x, [Shape(4)] Tensor r) => Sum(x.Dot(W1.Dot(W2)) * r);
}

[Model(typeof(double))]
public partial class SharedWeightModel : IGradientCheckModel
{
    [Param(3, 3), InitUniform(-1, 1)] public partial Tensor W { get; }
    [Loss] public Tensor Loss([Shape(3)] Tensor x, [Shape(3)] Tensor r) => Sum(Tanh(x.Dot(W)).Dot(W.T) * r);
}

[Model(typeof(double))]
public partial class MeanModel : IGradientCheckModel
{
    [Param(3, 4), InitUniform(-1, 1)] public partial Tensor W { get; }
    [Loss] public Tensor Loss([Shape(3)] Tensor x, [Shape(1)] Tensor r) => Mean(Tanh(x.Dot(W))) * r;
}

[Model(typeof(double))]
public partial class SumSquaresModel : IGradientCheckModel
{
    [Param(3, 4), InitUniform(-1, 1)] public partial Tensor W { get; }
    [Loss] public Tensor Loss([Shape(3)] Tensor x, [Shape(4)] Tensor r) => SumSquares(x.Dot(W) - r);
}

[Model(typeof(double))]
public partial class L2LossModel : IGradientCheckModel
{
    [Param(3, 4), InitUniform(-1, 1)] public partial Tensor W { get; }
    [Loss] public Tensor Loss([Shape(3)] Tensor x, [Shape(4)] Tensor r) => L2Loss(x.Dot(W) - r);
}

[Model(typeof(double))]
public partial class MeanSquaredErrorModel : IGradientCheckModel
{
    [Param(3, 4), InitUniform(-1, 1)] public partial Tensor W { get; }
    [Loss] public Tensor Loss([Shape(3)] Tensor x, [Shape(4)] Tensor r) => MeanSquaredError(Sigmoid(x.Dot(W)), r);
}

[Model(typeof(double))]
public partial class SummedLossModel : IGradientCheckModel
{
    [Param(3, 4), InitUniform(-1, 1)] public partial Tensor W { get; }
    [Loss(Reduction = Reduction.Sum)] public Tensor Loss([Shape(3)] Tensor x, [Shape(4)] Tensor r) => L2Loss(Relu(x.Dot(W)) - r);
}

[Model(typeof(double))]
public partial class FrozenModel : IGradientCheckModel
{
    [Param(3, 4), InitUniform(-1, 1), Frozen] public partial Tensor W01 { get; }
    [Param(4, 4), InitUniform(-1, 1), Frozen(0, 5, 15)] public partial Tensor W12 { get; }
    [Loss] public Tensor Loss([Shape(3)] Tensor x, [Shape(4)] Tensor r) => L2Loss(Tanh(x.Dot(W01)).Dot(W12) - r);
}

/// <summary>A straight-through relu: Relu's value, the identity's gradient.</summary>
[Model(typeof(double))]
public partial class StopGradientModel
{
    [Param(3, 4), InitUniform(-1, 1)] public partial Tensor W { get; }

    [Forward] public Tensor Relu([Shape(3)] Tensor x) => Ops.Relu(x.Dot(W));

    [Forward] public Tensor StraightThrough([Shape(3)] Tensor x)
    {
        var h = x.Dot(W);
        return h + StopGradient(Ops.Relu(h) - h);
    }

    [Loss] public Tensor Loss([Shape(3)] Tensor x, [Shape(4)] Tensor r)
    {
        var h = x.Dot(W);
        return Sum((h + StopGradient(Ops.Relu(h) - h)) * r);
    }
}

/// <summary>A hidden width chosen when the model is constructed.</summary>
[Model(typeof(double)), Size("Hidden", 5)]
public partial class NamedSizeModel : IGradientCheckModel
{
    [Param(3, "Hidden"), InitUniform(-1, 1)] public partial Tensor W01 { get; }
    [Param("Hidden"), InitZeros] public partial Tensor B1 { get; }
    [Param("Hidden", 4), InitUniform(-1, 1)] public partial Tensor W12 { get; }
    [Forward] public Tensor Predict([Shape(3)] Tensor x) => Tanh(x.Dot(W01) + B1).Dot(W12);
    [Loss] public Tensor Loss([Shape(3)] Tensor x, [Shape(4)] Tensor r) => MeanSquaredError(Predict(x), r) + Mean(Sigmoid(x.Dot(W01)));
}
