using System.Numerics;
using Graph;
using static Graph.Ops;

namespace Graph.Samples.Chapter15;

/// <summary>
/// Chapter 15's spam detector: one weight per word (the book's <c>Embedding(vocab, 1)</c>, starting at zero), the
/// prediction the sigmoid of the sum of the weights of an e-mail's 500 word indices, trained on the squared error
/// summed over the batch (the book's <c>MSELoss</c>, <c>((pred - target)²).sum(0)</c>).
/// </summary>
[Model, Size("Vocab", 158402)]
public partial class SpamNetwork<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    [Param("Vocab", 1), InitZeros]
    public partial Tensor Weights { get; }

    [Forward]
    public Tensor Predict([Indices(500)] Tensor email) => Sigmoid(EmbeddingSum(Weights, email));

    [Loss(Reduction = Reduction.Sum)]
    public Tensor Loss([Indices(500)] Tensor email, [Shape(1)] Tensor target) => SumSquares(Predict(email) - target);
}
