using System.Globalization;
using Graph.Generator.IR.Ops;
using Graph.Generator.Shapes;

namespace Graph.Generator.IR;

/// <summary>
/// Builds nodes for one source expression (their <see cref="Node.Origin"/>), with the arithmetic that lowering
/// and derivative rules write most: <c>d.Multiply(g, d.Subtract(d.Constant(1), d.Square(y)))</c>.
/// </summary>
internal sealed class Site
{
    public Site(GraphBuilder builder, string origin)
    {
        Builder = builder;
        Origin = origin;
    }

    public GraphBuilder Builder { get; }

    /// <summary>The source expression the nodes compute or differentiate.</summary>
    public string Origin { get; }

    public Node Apply(Op op, params Node[] inputs) => Builder.Apply(op, Origin, inputs);

    public Node Constant(double value) => Builder.Apply(new Constant(value), value.ToString("R", CultureInfo.InvariantCulture), Array.Empty<Node>());

    /// <summary>The number of samples in the batch, as a value.</summary>
    public Node BatchSize() => Builder.Apply(new BatchSize(), "batch", Array.Empty<Node>());

    /// <summary>An element count as a value: a constant, or, for a count that depends on a named size, computed when the model runs.</summary>
    public Node Count(Size size) => size.IsConstant ? Constant(size.Value) : Builder.Apply(new SizeValue(size), size.ToString(), Array.Empty<Node>());

    public Node Add(Node a, Node b) => Apply(new Add(), a, b);

    public Node Subtract(Node a, Node b) => Apply(new Subtract(), a, b);

    public Node Multiply(Node a, Node b) => Apply(new Multiply(), a, b);

    public Node Divide(Node a, Node b) => Apply(new Divide(), a, b);

    public Node Negate(Node a) => Apply(new Negate(), a);

    public Node Square(Node a) => Apply(new Square(), a);

    /// <summary>The sum of every element of each sample: a scalar per sample.</summary>
    public Node Sum(Node value) => ReduceSum(value, Shape.Scalar, value.Batched);

    /// <summary>Sums <paramref name="value"/> down to <paramref name="shape"/>, and over the batch when it is batched and <paramref name="batched"/> is false.</summary>
    public Node ReduceSum(Node value, Shape shape, bool batched) => Apply(new ReduceSum(shape, batched), value);

    /// <summary>Repeats <paramref name="value"/> up to <paramref name="shape"/>, and over the batch when <paramref name="batched"/>.</summary>
    public Node Broadcast(Node value, Shape shape, bool batched) => Apply(new Broadcast(shape, batched), value);

    public Node Reshape(Node value, Shape shape) => Apply(new Reshape(shape), value);

    /// <summary>The transpose of a matrix; as in numpy, a vector or scalar is its own transpose.</summary>
    public Node Transpose(Node value) => value.Shape.Rank < 2 ? value : Apply(new Transpose(), value);

    /// <summary>op(A)·op(B) per sample; <paramref name="batched"/> false with a batched operand sums the products over the batch.</summary>
    public Node MatMul(Node a, Node b, bool transposeA, bool transposeB, bool batched) => Apply(new MatMul(transposeA, transposeB, batched), a, b);
}
