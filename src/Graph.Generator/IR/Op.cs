using Graph.Generator.Shapes;

namespace Graph.Generator.IR;

/// <summary>
/// The definition of one operation of the graph IR, and, as a record, the attributes of one use of it. Each kind of
/// operation is a record in <c>IR/Ops</c> that holds everything the compiler knows of it: its shape rule
/// (<see cref="Infer"/>), its derivative rule (<see cref="Gradient"/>) and how it is computed, given by the family it
/// derives from (<see cref="Leaf"/>, <see cref="Elementwise"/>, <see cref="KernelOp"/>, or one of the structural
/// operations <c>MatMul</c>, <c>ReduceSum</c>, <c>Reshape</c> and <c>Transpose</c>). Both rules are abstract, so an op
/// without one does not build. Two nodes compute the same value when their ops are equal records and their inputs are
/// the same nodes, which is what common-subexpression elimination merges on.
/// </summary>
internal abstract record Op
{
    /// <summary>The operation's name in IR listings and generated comments.</summary>
    public virtual string Name => GetType().Name;

    /// <summary>The attributes IR listings show after the name (<c>MatMul[Aᵀ]</c>); empty for an op without any.</summary>
    public virtual string Attributes => string.Empty;

    /// <summary>
    /// The shape rule: the type of the result of this operation on <paramref name="inputs"/>. Throws
    /// <see cref="ShapeError"/> (or <see cref="IndexError"/>) for operands it does not accept.
    /// </summary>
    public abstract TensorType Infer(IReadOnlyList<Node> inputs);

    /// <summary>
    /// The derivative rule: for <paramref name="y"/> = this op applied to its inputs and the adjoint
    /// <paramref name="g"/> = ∂L/∂y, the contribution to ∂L/∂(input <paramref name="input"/>), built at
    /// <paramref name="d"/>. It may still have y's broadcast shape; the caller sums it back to the input's shape.
    /// Null only where nothing flows back by definition (a step function, an index, <c>StopGradient</c>), never as a
    /// default.
    /// </summary>
    public abstract Node? Gradient(Site d, Node y, Node g, int input);

    /// <summary>True where input <paramref name="input"/> may hold row indices rather than values.</summary>
    public virtual bool TakesIndices(int input) => false;

    /// <summary>The index values <paramref name="node"/> reads, each with the number of rows (or classes) its indices must stay below.</summary>
    public virtual IEnumerable<IndexBound> IndexBounds(Node node) => Array.Empty<IndexBound>();

    /// <summary>How a generated comment names the kernel computing <paramref name="node"/>.</summary>
    public virtual string Describe(Node node) => Name;

    public sealed override string ToString() => Attributes.Length == 0 ? Name : $"{Name}[{Attributes}]";
}

/// <summary>An index value and the number of rows its indices must stay below (a table's rows, a one-hot's classes).</summary>
internal sealed record IndexBound(Node Indices, Size Rows);

/// <summary>A value the graph does not compute: it is read where it lives (an argument, a parameter) or written inline.</summary>
internal abstract record Leaf : Op
{
    /// <summary>The leaf's type, fixed by its attributes.</summary>
    public abstract TensorType Type { get; }

    public sealed override TensorType Infer(IReadOnlyList<Node> inputs) => Type;

    public sealed override Node? Gradient(Site d, Node y, Node g, int input) =>
        throw new InvalidOperationException($"{Name} has no inputs to differentiate.");
}

/// <summary>
/// An operation computed element by element with numpy broadcasting, which fusion may merge with its neighbours
/// into one loop. Its loop template is <see cref="Compute"/>, a target-free <see cref="Scalar"/> expression.
/// </summary>
internal abstract record Elementwise : Op
{
    /// <summary>One element of the result, from one element of each input (<see cref="ScalarOperand"/> i stands for input i).</summary>
    public abstract Scalar Compute(IReadOnlyList<Scalar> inputs);

    /// <summary>
    /// The runtime kernel that computes the op alone over a contiguous buffer, many elements at a time
    /// (<c>Kernels.Tanh</c>), or null where the loop is as fast.
    /// </summary>
    public virtual string? BufferKernel => null;

    /// <summary>The expression with the op's inputs as operands 0, 1, ...</summary>
    public Scalar Template(int inputs) => Compute(Enumerable.Range(0, inputs).Select(i => (Scalar)new ScalarOperand(i)).ToList());
}

/// <summary>An elementwise operation of one operand; the result has the operand's type.</summary>
internal abstract record UnaryElementwise : Elementwise
{
    public sealed override TensorType Infer(IReadOnlyList<Node> inputs) => new(inputs[0].Shape, inputs[0].Batched);

    public sealed override Scalar Compute(IReadOnlyList<Scalar> inputs) => Compute(inputs[0]);

    /// <summary>One element of the result from the operand's element <paramref name="x"/>.</summary>
    public abstract Scalar Compute(Scalar x);

    public sealed override Node? Gradient(Site d, Node y, Node g, int input) => Gradient(d, y, g);

    /// <summary>The contribution to the operand's adjoint (see <see cref="Op.Gradient(Site, Node, Node, int)"/>).</summary>
    public abstract Node? Gradient(Site d, Node y, Node g);
}

/// <summary>An elementwise operation of two operands, broadcast against each other (numpy rules, and over the batch).</summary>
internal abstract record BinaryElementwise : Elementwise
{
    public sealed override TensorType Infer(IReadOnlyList<Node> inputs) =>
        new(ShapeRules.Broadcast(Name, inputs[0].Shape, inputs[1].Shape), inputs[0].Batched || inputs[1].Batched);

    public sealed override Scalar Compute(IReadOnlyList<Scalar> inputs) => Compute(inputs[0], inputs[1]);

    /// <summary>One element of the result from the operands' elements <paramref name="a"/> and <paramref name="b"/>.</summary>
    public abstract Scalar Compute(Scalar a, Scalar b);
}

/// <summary>An operation computed by one call to a runtime kernel (softmax, a window operation, a row gather...).</summary>
internal abstract record KernelOp : Op
{
    /// <summary>The call that computes <paramref name="node"/>.</summary>
    public abstract KernelCall Call(Node node);

    /// <summary>
    /// For an op that can be a parameter's whole gradient: the call that instead applies the SGD step
    /// w -= rate · value to the parameter (<see cref="KernelArgument.UpdatedParameter"/>), the value never stored;
    /// null where no such kernel exists.
    /// </summary>
    public virtual KernelCall? StepCall(Node node) => null;
}
