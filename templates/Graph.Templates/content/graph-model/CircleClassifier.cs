using Graph;
using static Graph.Ops;

namespace GraphModel1;

/// <summary>
/// Tells whether a point of the plane lies inside a circle: two inputs, a tanh hidden layer, one logit. Graph's
/// source generator adds the rest of this partial class at build time: the constructor, <c>Logit(points, logits,
/// batch)</c>, <c>Loss</c>, <c>Backward</c>, <c>TrainStep</c> and <c>Parameters</c>.
/// </summary>
[Model, Size("Hidden", 16)]
public partial class CircleClassifier
{
    [Param(2, "Hidden"), InitUniform(-1, 1)] public partial Tensor W1 { get; }
    [Param("Hidden"), InitZeros] public partial Tensor B1 { get; }
    [Param("Hidden", 1), InitUniform(-0.5, 0.5)] public partial Tensor W2 { get; }
    [Param(1), InitZeros] public partial Tensor B2 { get; }

    /// <summary>The logit of "inside": positive means inside. Shapes are per sample; the batch is given at run time.</summary>
    [Forward]
    public Tensor Logit([Shape(2)] Tensor point) => Tanh(point.Dot(W1) + B1).Dot(W2) + B2;

    /// <summary>The binary cross-entropy of the logit against the label (1 inside, 0 outside), averaged over the batch.</summary>
    [Loss]
    public Tensor Loss([Shape(2)] Tensor point, [Shape(1)] Tensor inside) => SigmoidCrossEntropy(Logit(point), inside);
}
