using Graph.Generator.Diagnostics;
using Graph.Generator.Shapes;

namespace Graph.Generator.IR.Ops;

/// <summary>The per-sample cross-entropy of the softmax of input 0 against the distribution input 1, along the last axis.</summary>
internal sealed record SoftmaxCrossEntropy : KernelOp
{
    public override TensorType Infer(IReadOnlyList<Node> inputs)
    {
        var (logits, target) = (inputs[0], inputs[1]);
        ShapeRules.Broadcast(Name, logits.Shape, target.Shape);
        return new TensorType(logits.Shape.WithoutLastAxis, logits.Batched || target.Batched);
    }

    // The fused step: ∂logits = g · (softmax(logits) - target), for a target that sums to one; a computed target's
    // ∂target = -g · log softmax(logits).
    public override Node? Gradient(Site d, Node y, Node g, int input)
    {
        var rows = d.Reshape(g, Softmax.LastAxisSummed(y.Inputs[0].Shape));
        return input == 0
            ? d.Multiply(rows, d.Subtract(d.Apply(new Softmax(), y.Inputs[0]), y.Inputs[1]))
            : d.Negate(d.Multiply(rows, d.Apply(new LogSoftmax(), y.Inputs[0])));
    }

    public override KernelCall Call(Node node) => KernelCall.Of(
        "SoftmaxCrossEntropy",
        KernelArgument.Read(node.Inputs[0]),
        KernelArgument.Read(node.Inputs[1]),
        KernelArgument.Write(node),
        KernelArgument.Rows(node.Inputs[0]),
        KernelArgument.LastAxis(node.Inputs[0]),
        KernelArgument.Flag(!node.Inputs[1].Batched));
}

/// <summary>A one-hot vector of <see cref="Classes"/> elements from the class index in input 0 (an index value or a number).</summary>
internal sealed record OneHot(Size Classes) : KernelOp
{
    public override string Attributes => Classes.ToString();

    public override TensorType Infer(IReadOnlyList<Node> inputs) => new(Shape.Of(Classes), inputs[0].Batched);

    public override bool TakesIndices(int input) => input == 0;

    public override IEnumerable<IndexBound> IndexBounds(Node node) =>
        node.Inputs[0].IsIndices ? new[] { new IndexBound(node.Inputs[0], Classes) } : Array.Empty<IndexBound>();

    // A class index is piecewise constant data: no gradient.
    public override Node? Gradient(Site d, Node y, Node g, int input) => null;

    public override KernelCall Call(Node node) => KernelCall.Of(
        node.Inputs[0].IsIndices ? "OneHotIndices" : "OneHot", KernelArgument.Read(node.Inputs[0]), KernelArgument.Write(node), KernelArgument.Rows(node), KernelArgument.LastAxis(node));
}

/// <summary>
/// <c>SoftmaxCrossEntropy(logits, target)</c>: against a distribution of the logits' shape, or against one class
/// index (a number of shape [1], or an index value of one index per sample) as its one-hot vector. A padding index
/// (-1) has an all-zero one-hot, and the loss is multiplied by the padding mask, so that the fused gradient
/// softmax - target is zero for it too.
/// </summary>
internal sealed class SoftmaxCrossEntropyFunction : DslFunction
{
    public override string Name => "SoftmaxCrossEntropy";

    public override Node Lower(DslCall call)
    {
        var (logits, target, at) = (call[0], call[1], call.At);
        if (logits.IsIndices)
        {
            throw new IndexError(DiagnosticDescriptors.IndicesUsedAsValues.Id, logits.Origin, "SoftmaxCrossEntropy");
        }

        if (target.IsIndices)
        {
            ShapeRules.TargetIsClassIndex(logits.Shape, target.Shape);
            var loss = Apply(at, logits, at.Apply(new OneHot(logits.Shape[0]), target));
            return target.Padded ? at.Multiply(loss, at.Apply(new PaddingMask(), target)) : loss;
        }

        if (target.Op is Constant or SizeValue or BatchSize)
        {
            // A number written in the model (SoftmaxCrossEntropy(logits, 6)) has no storage for the kernels to read.
            throw new ArgumentError(DiagnosticDescriptors.OperationShapeError.Id, "take the softmax cross-entropy of", logits.Shape.ToString(), "its target is a constant; pass the class as an [Indices] input (targets[t]) or the target as a tensor input");
        }

        var distribution = ShapeRules.TargetIsClassIndex(logits.Shape, target.Shape) ? at.Apply(new OneHot(logits.Shape[0]), target) : target;
        return Apply(at, logits, distribution);
    }

    private static Node Apply(Site at, Node logits, Node distribution)
    {
        if (!logits.Batched && distribution.Batched)
        {
            // Shared logits (a recurrence's first step, from parameters only) against a target per sample: the kernel
            // works row by row, so the logits are repeated over the batch.
            ShapeRules.Broadcast("SoftmaxCrossEntropy", logits.Shape, distribution.Shape);
            logits = at.Broadcast(logits, logits.Shape, batched: true);
        }

        return at.Apply(new SoftmaxCrossEntropy(), logits, distribution);
    }
}

/// <summary>
/// The binary cross-entropy of sigmoid(input 0) against the target input 1, elementwise:
/// <c>max(x, 0) - x·y + log(1 + exp(-|x|))</c>.
/// </summary>
internal sealed record SigmoidCrossEntropy : BinaryElementwise
{
    public override Scalar Compute(Scalar x, Scalar y) =>
        Scalar.Apply(ScalarFunction.Relu, x) - (x * y) + Scalar.Apply(ScalarFunction.Log, 1 + Scalar.Apply(ScalarFunction.Exp, -Scalar.Apply(ScalarFunction.Abs, x)));

    // The fused step: ∂x = g · (σ(x) - y); ∂y = -g · x.
    public override Node? Gradient(Site d, Node y, Node g, int input) => input == 0
        ? d.Multiply(g, d.Subtract(d.Apply(new Sigmoid(), y.Inputs[0]), y.Inputs[1]))
        : d.Negate(d.Multiply(g, y.Inputs[0]));
}

/// <summary><c>SigmoidCrossEntropy(logits, target)</c>: the elementwise loss summed over a sample's elements.</summary>
internal sealed class SigmoidCrossEntropyFunction : DslFunction
{
    public override string Name => "SigmoidCrossEntropy";

    public override Node Lower(DslCall call) => call.At.Sum(call.At.Apply(new SigmoidCrossEntropy(), call[0], call[1]));
}
