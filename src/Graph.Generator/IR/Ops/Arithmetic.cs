namespace Graph.Generator.IR.Ops;

/// <summary>a + b, elementwise.</summary>
internal sealed record Add : BinaryElementwise, IDirectOp
{
    public override Scalar Compute(Scalar a, Scalar b) => a + b;

    public override Node? Gradient(Site d, Node y, Node g, int input) => g;
}

/// <summary>a - b, elementwise.</summary>
internal sealed record Subtract : BinaryElementwise, IDirectOp
{
    public override Scalar Compute(Scalar a, Scalar b) => a - b;

    public override Node? Gradient(Site d, Node y, Node g, int input) => input == 0 ? g : d.Negate(g);
}

/// <summary>a · b, elementwise.</summary>
internal sealed record Multiply : BinaryElementwise, IDirectOp
{
    public override Scalar Compute(Scalar a, Scalar b) => a * b;

    public override Node? Gradient(Site d, Node y, Node g, int input) => d.Multiply(g, y.Inputs[1 - input]);
}

/// <summary>a / b, elementwise.</summary>
internal sealed record Divide : BinaryElementwise, IDirectOp
{
    public override Scalar Compute(Scalar a, Scalar b) => a / b;

    // d(a/b)/da = 1/b; d(a/b)/db = -(a/b)/b.
    public override Node? Gradient(Site d, Node y, Node g, int input) => input == 0
        ? d.Divide(g, y.Inputs[1])
        : d.Negate(d.Multiply(g, d.Divide(y, y.Inputs[1])));
}

/// <summary>-x, elementwise.</summary>
internal sealed record Negate : UnaryElementwise, IDirectOp
{
    public override Scalar Compute(Scalar x) => -x;

    public override Node? Gradient(Site d, Node y, Node g) => d.Negate(g);
}

/// <summary>x · x, elementwise.</summary>
internal sealed record Square : UnaryElementwise, IDirectOp
{
    public override Scalar Compute(Scalar x) => x * x;

    public override Node? Gradient(Site d, Node y, Node g) => d.Multiply(g, d.Multiply(y.Inputs[0], d.Constant(2)));
}
