namespace Graph.Generator.IR.Ops;

/// <summary>
/// The value unchanged, gradient included, marked as the prediction a training step hands back: the loss's graph
/// keeps it as an output (see <c>ModelCompiler</c>), and the simplifier removes the mark itself.
/// </summary>
internal sealed record Prediction : UnaryElementwise, IDirectOp
{
    public override Scalar Compute(Scalar x) => x;

    // The identity.
    public override Node? Gradient(Site d, Node y, Node g) => g;
}
