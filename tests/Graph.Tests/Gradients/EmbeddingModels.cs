using Graph;
using static Graph.Ops;

namespace Graph.Tests.Gradients;

// Small double-precision models of the row-gathering operations and the sigmoid cross-entropy. Each loss weights
// its result with a random r (or uses it as the targets), so that every element has its own share of the gradient.

[Model(typeof(double))]
public partial class GatherModel
{
    [Param(7, 3), InitUniform(-1, 1)] public partial Tensor Table { get; }
    [Param(3, 2), InitUniform(-1, 1)] public partial Tensor W { get; }
    [Loss] public Tensor Loss([Indices(4)] Tensor words, [Shape(4, 2)] Tensor r) => Sum(Tanh(Gather(Table, words).Dot(W)) * r);
}

[Model(typeof(double))]
public partial class EmbeddingSumModel
{
    [Param(7, 3), InitUniform(-1, 1)] public partial Tensor Table { get; }
    [Param(3, 2), InitUniform(-1, 1)] public partial Tensor W { get; }
    [Loss] public Tensor Loss([Indices] Tensor words, [Shape(2)] Tensor r) => Sum(Tanh(EmbeddingSum(Table, words).Dot(W)) * r);
}

[Model(typeof(double))]
public partial class EmbeddingMeanModel
{
    [Param(7, 3), InitUniform(-1, 1)] public partial Tensor Table { get; }
    [Param(3, 2), InitUniform(-1, 1)] public partial Tensor W { get; }
    [Loss] public Tensor Loss([Indices] Tensor words, [Shape(2)] Tensor r) => Sum(Tanh(EmbeddingMean(Table, words).Dot(W)) * r);
}

[Model(typeof(double))]
public partial class BatchedBagModel
{
    [Param(7, 3), InitUniform(-1, 1)] public partial Tensor Table { get; }
    [Param(3, 2), InitUniform(-1, 1)] public partial Tensor W { get; }
    [Loss] public Tensor Loss([Indices(5)] Tensor words, [Shape(2)] Tensor r) =>
        Sum(Tanh(EmbeddingMean(Table, words).Dot(W)) * r) + Sum(Sigmoid(EmbeddingSum(Table, words)));
}

[Model(typeof(double))]
public partial class OutputRowsModel
{
    [Param(9, 4), InitUniform(-1, 1)] public partial Tensor Embedding { get; }
    [Param(9, 4), InitUniform(-1, 1)] public partial Tensor Output { get; }
    [Loss] public Tensor Loss([Indices] Tensor context, [Indices(3)] Tensor targets, [Shape(3)] Tensor labels) =>
        SigmoidCrossEntropy(EmbeddingMean(Embedding, context).Dot(Gather(Output, targets).T), labels);
}

[Model(typeof(double))]
public partial class SigmoidCrossEntropyModel : IGradientCheckModel
{
    [Param(3, 4), InitUniform(-1, 1)] public partial Tensor W { get; }
    [Forward] public Tensor Predict([Shape(3)] Tensor x) => Sigmoid(x.Dot(W));
    [Loss] public Tensor Loss([Shape(3)] Tensor x, [Shape(4)] Tensor r) => SigmoidCrossEntropy(x.Dot(W), r);
}
