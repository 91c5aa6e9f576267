namespace Graph.Generator.IR.Ops;

/// <summary>max(x, 0), elementwise; its derivative is read off its output.</summary>
internal sealed record Relu : UnaryElementwise, IDirectOp
{
    public override Scalar Compute(Scalar x) => Scalar.Apply(ScalarFunction.Relu, x);

    public override Node? Gradient(Site d, Node y, Node g) => d.Multiply(g, d.Apply(new Step(), y));
}

/// <summary>1 where x is positive, else 0: the derivative of <see cref="Relu"/>.</summary>
internal sealed record Step : UnaryElementwise
{
    public override Scalar Compute(Scalar x) => Scalar.Apply(ScalarFunction.Step, x);

    // Piecewise constant: its derivative is zero wherever it exists.
    public override Node? Gradient(Site d, Node y, Node g) => null;
}

/// <summary>1 / (1 + exp(-x)), elementwise.</summary>
internal sealed record Sigmoid : UnaryElementwise, IDirectOp
{
    public override Scalar Compute(Scalar x) => 1 / (1 + Scalar.Apply(ScalarFunction.Exp, -x));

    public override string? BufferKernel => "Sigmoid";

    // σ' = y (1 - y).
    public override Node? Gradient(Site d, Node y, Node g) => d.Multiply(g, d.Multiply(y, d.Subtract(d.Constant(1), y)));
}

/// <summary>The hyperbolic tangent, elementwise.</summary>
internal sealed record Tanh : UnaryElementwise, IDirectOp
{
    public override Scalar Compute(Scalar x) => Scalar.Apply(ScalarFunction.Tanh, x);

    public override string? BufferKernel => "Tanh";

    // tanh' = 1 - y².
    public override Node? Gradient(Site d, Node y, Node g) => d.Multiply(g, d.Subtract(d.Constant(1), d.Square(y)));
}

/// <summary>exp(x), elementwise.</summary>
internal sealed record Exp : UnaryElementwise, IDirectOp
{
    public override Scalar Compute(Scalar x) => Scalar.Apply(ScalarFunction.Exp, x);

    public override string? BufferKernel => "Exp";

    public override Node? Gradient(Site d, Node y, Node g) => d.Multiply(g, y);
}

/// <summary>The natural logarithm, elementwise.</summary>
internal sealed record Log : UnaryElementwise, IDirectOp
{
    public override Scalar Compute(Scalar x) => Scalar.Apply(ScalarFunction.Log, x);

    public override string? BufferKernel => "Log";

    public override Node? Gradient(Site d, Node y, Node g) => d.Divide(g, y.Inputs[0]);
}

/// <summary>The value unchanged, with no gradient flowing back through it (removed once the graph is differentiated).</summary>
internal sealed record StopGradient : UnaryElementwise, IDirectOp
{
    public override Scalar Compute(Scalar x) => x;

    // By definition.
    public override Node? Gradient(Site d, Node y, Node g) => null;
}
