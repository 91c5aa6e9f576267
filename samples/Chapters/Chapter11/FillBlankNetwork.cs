using System.Numerics;
using Graph;
using static Graph.Ops;

namespace Graph.Samples.Chapter11;

/// <summary>
/// Chapter 11's fill-in-the-blank network with negative sampling: the mean of the context words' embedding rows
/// (50 wide in the book) scores the target word and 5 random words through their rows of the output matrix,
/// <c>σ(layer_1 · Weights12[targets]ᵀ)</c>, trained on the binary cross-entropy against <c>[1, 0, 0, 0, 0, 0]</c>
/// (whose gradient is the book's <c>layer_2 - layer_2_target</c>).
/// </summary>
[Model, Size("Vocab", 74075), Size("Hidden", 50)]
public partial class FillBlankNetwork<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The target word and the negative samples scored for each blank.</summary>
    public const int Samples = 6;

    [Param("Vocab", "Hidden"), InitUniform(-0.1, 0.1)]
    public partial Tensor Weights01 { get; }

    [Param("Vocab", "Hidden"), InitZeros]
    public partial Tensor Weights12 { get; }

    [Forward]
    public Tensor Predict([Indices] Tensor context, [Indices(Samples)] Tensor targets) => Sigmoid(Scores(context, targets));

    [Loss]
    public Tensor Loss([Indices] Tensor context, [Indices(Samples)] Tensor targets, [Shape(Samples)] Tensor labels) =>
        SigmoidCrossEntropy(Scores(context, targets), labels);

    private Tensor Scores(Tensor context, Tensor targets) => EmbeddingMean(Weights01, context).Dot(Gather(Weights12, targets).T);
}
