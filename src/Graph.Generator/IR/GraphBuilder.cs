using Graph.Generator.Shapes;

namespace Graph.Generator.IR;

/// <summary>
/// Creates IR nodes, inferring each one's shape with <see cref="ShapeInference"/> (which throws
/// <see cref="ShapeException"/> on a mismatch). Lowering, differentiation and optimisation all build through it.
/// </summary>
internal sealed class GraphBuilder
{
    private readonly List<Node> nodes = new();

    public IReadOnlyList<Node> Nodes => nodes;

    public Node Input(int index, Shape shape, string name) => Add(OpKind.Input, Array.Empty<Node>(), shape, batched: true, name, index: index);

    /// <summary>An index input: <paramref name="count"/> row indices per sample (a run-time count for [Indices]).</summary>
    public Node IndexInput(int index, Size count, string name, bool padded = false) =>
        Add(OpKind.Input, Array.Empty<Node>(), Shape.Of(count), batched: true, name, index: index, indices: true, padded: padded);

    /// <summary>Position <paramref name="position"/> of each sample's indices: an index value of one index per sample.</summary>
    public Node PickIndex(Node indices, int position, string origin)
    {
        ShapeInference.PickIndex(indices, position, origin);
        return Add(OpKind.PickIndex, new[] { indices }, Shape.Of(1), indices.Batched, origin, index: position, indices: true, padded: indices.Padded);
    }

    /// <summary>Row <paramref name="row"/> of a dense value along its first per-sample axis.</summary>
    public Node SelectRow(Node value, int row, string origin) =>
        Add(OpKind.SelectRow, new[] { value }, ShapeInference.SelectRow(value, row, origin), value.Batched, origin, index: row);

    /// <summary>Zeros of <paramref name="shape"/> with <paramref name="value"/> as row <paramref name="row"/> (the gradient of <see cref="SelectRow"/>).</summary>
    public Node InsertRow(Node value, Shape shape, int row, string origin)
    {
        ShapeInference.InsertRow(value.Shape, shape, row);
        return Add(OpKind.InsertRow, new[] { value }, shape, value.Batched, origin, index: row);
    }

    /// <summary>1 per sample where its one index is a row index, 0 where it is padding.</summary>
    public Node PaddingMask(Node index, string origin) => Add(OpKind.PaddingMask, new[] { index }, Shape.Scalar, index.Batched, origin);

    public Node Parameter(int index, Shape shape, string name) => Add(OpKind.Parameter, Array.Empty<Node>(), shape, batched: false, name, index: index);

    public Node Constant(double value) => Add(OpKind.Constant, Array.Empty<Node>(), Shape.Scalar, batched: false, Format(value), value: value);

    public Node SizeValue(Size extent) => Add(OpKind.SizeValue, Array.Empty<Node>(), Shape.Scalar, batched: false, extent.ToString(), extent: extent);

    public Node BatchSize() => Add(OpKind.BatchSize, Array.Empty<Node>(), Shape.Scalar, batched: false, "batch");

    /// <summary>An elementwise operation of two operands, broadcasting them (numpy rules, and over the batch).</summary>
    public Node Binary(OpKind op, Node left, Node right, string origin)
    {
        var shape = ShapeInference.Broadcast(op.ToString(), left.Shape, right.Shape);
        return Add(op, new[] { left, right }, shape, left.Batched || right.Batched, origin);
    }

    /// <summary>An elementwise operation of one operand.</summary>
    public Node Unary(OpKind op, Node operand, string origin) => Add(op, new[] { operand }, operand.Shape, operand.Batched, origin);

    public Node Broadcast(Node operand, Shape shape, bool batched, string origin)
    {
        ShapeInference.Broadcast(operand.Shape, operand.Batched, shape, batched);
        return Add(OpKind.Broadcast, new[] { operand }, shape, batched, origin);
    }

    public Node ReduceSum(Node operand, Shape shape, bool batched, string origin)
    {
        ShapeInference.ReduceSum(operand.Shape, operand.Batched, shape, batched);
        return Add(OpKind.ReduceSum, new[] { operand }, shape, batched, origin);
    }

    public Node Reshape(Node operand, Shape shape, string origin)
    {
        ShapeInference.Reshape(operand.Shape, shape);
        return Add(OpKind.Reshape, new[] { operand }, shape, operand.Batched, origin);
    }

    public Node Transpose(Node operand, string origin) =>
        operand.Shape.Rank < 2 ? operand : Add(OpKind.Transpose, new[] { operand }, ShapeInference.Transpose(operand.Shape), operand.Batched, origin);

    /// <summary>
    /// op(A)·op(B) per sample. <paramref name="batched"/> false with a batched operand sums the products over the batch
    /// (the gradient of a shared weight).
    /// </summary>
    public Node MatMul(Node a, Node b, bool transposeA, bool transposeB, bool batched, string origin)
    {
        var shape = ShapeInference.MatMul(a.Shape, b.Shape, transposeA, transposeB);
        return Add(OpKind.MatMul, new[] { a, b }, shape, batched, origin, transposeA: transposeA, transposeB: transposeB);
    }

    /// <summary>numpy's <c>dot</c> on vectors and matrices, as reshapes around one <see cref="OpKind.MatMul"/>.</summary>
    public Node Dot(Node a, Node b, string origin)
    {
        var plan = ShapeInference.Dot(a.Shape, b.Shape);
        var left = a.Shape.Equals(plan.Left) ? a : Reshape(a, plan.Left, origin);
        var right = b.Shape.Equals(plan.Right) ? b : Reshape(b, plan.Right, origin);
        var product = MatMul(left, right, transposeA: false, transposeB: false, a.Batched || b.Batched, origin);
        return product.Shape.Equals(plan.Result) ? product : Reshape(product, plan.Result, origin);
    }

    public Node DropoutMask(Shape shape, bool batched, double rate, string origin) =>
        Add(OpKind.DropoutMask, Array.Empty<Node>(), shape, batched, origin, value: rate);

    public Node Softmax(Node logits, string origin)
    {
        ShapeInference.AlongLastAxis("take the softmax of", logits.Shape);
        return Add(OpKind.Softmax, new[] { logits }, logits.Shape, logits.Batched, origin);
    }

    /// <summary>The per-sample cross-entropy of Softmax(logits) against a distribution of the same shape.</summary>
    public Node SoftmaxCrossEntropy(Node logits, Node distribution, string origin)
    {
        ShapeInference.Broadcast("SoftmaxCrossEntropy", logits.Shape, distribution.Shape);
        if (!logits.Batched && distribution.Batched)
        {
            // Shared logits (a recurrence's first step, from parameters only) against a target per sample: the kernel
            // works row by row, so the logits are repeated over the batch.
            logits = Broadcast(logits, logits.Shape, batched: true, origin);
        }

        return Add(OpKind.SoftmaxCrossEntropy, new[] { logits, distribution }, logits.Shape.WithoutLastAxis, logits.Batched || distribution.Batched, origin);
    }

    public Node OneHot(Node index, Size classes, string origin) => Add(OpKind.OneHot, new[] { index }, Shape.Of(classes), index.Batched, origin);

    public Node Argmax(Node value, string origin)
    {
        ShapeInference.AlongLastAxis("take the argmax of", value.Shape);
        return Add(OpKind.Argmax, new[] { value }, value.Shape.WithoutLastAxis, value.Batched, origin);
    }

    public Node Im2Col(Node image, Window window, string origin) =>
        Add(OpKind.Im2Col, new[] { image }, ShapeInference.Im2Col(image.Shape, window), image.Batched, origin, window: window);

    public Node Col2Im(Node columns, Shape image, Window window, string origin)
    {
        ShapeInference.Col2Im(columns.Shape, image, window);
        return Add(OpKind.Col2Im, new[] { columns }, image, columns.Batched, origin, window: window);
    }

    public Node SumPool2d(Node image, Window window, string origin) =>
        Add(OpKind.SumPool2d, new[] { image }, ShapeInference.SumPool2d(image.Shape, window), image.Batched, origin, window: window);

    public Node Upsample2d(Node pooled, Shape image, Window window, string origin)
    {
        ShapeInference.Upsample2d(pooled.Shape, image, window);
        return Add(OpKind.Upsample2d, new[] { pooled }, image, pooled.Batched, origin, window: window);
    }

    /// <summary>The rows of a shared matrix named by an index input with a fixed count n: [n, dim] per sample.</summary>
    public Node Gather(Node table, Node indices, string origin)
    {
        var shape = ShapeInference.Gather(table, indices);
        return Add(OpKind.Gather, new[] { table, indices }, shape, indices.Batched, origin);
    }

    /// <summary>The sum (or, with <paramref name="mean"/>, the mean) of the rows of a shared matrix named by an index input: [dim] per sample.</summary>
    public Node EmbeddingBag(Node table, Node indices, bool mean, string origin)
    {
        var shape = ShapeInference.EmbeddingBag(mean ? "EmbeddingMean" : "EmbeddingSum", table, indices);
        return Add(OpKind.EmbeddingBag, new[] { table, indices }, shape, indices.Batched, origin, value: mean ? 1 : 0);
    }

    /// <summary>
    /// The gradient of a table of shape <paramref name="table"/> read by Gather (<paramref name="gradient"/> [n, dim])
    /// or by a bag (<paramref name="gradient"/> [dim]; divided by the index count when <paramref name="mean"/>).
    /// </summary>
    public Node ScatterAdd(Node gradient, Node indices, Shape table, bool mean, string origin)
    {
        ShapeInference.ScatterAdd(gradient.Shape, indices.Shape, table);
        return Add(OpKind.ScatterAdd, new[] { gradient, indices }, table, batched: false, origin, value: mean ? 1 : 0);
    }

    /// <summary>Two values joined along their first axis, per sample; batched when either is.</summary>
    public Node Concat(Node first, Node second, string origin)
    {
        var shape = ShapeInference.Concat(first.Shape, second.Shape);
        return Add(OpKind.Concat, new[] { first, second }, shape, first.Batched || second.Batched, origin);
    }

    /// <summary>The <paramref name="shape"/>'s element count of each sample of <paramref name="operand"/>, from element <paramref name="offset"/>.</summary>
    public Node Slice(Node operand, Size offset, Shape shape, string origin)
    {
        ShapeInference.Slice(operand.Shape, offset, shape);
        return Add(OpKind.Slice, new[] { operand }, shape, operand.Batched, origin, extent: offset);
    }

    /// <summary>Adds a copy of <paramref name="original"/> with new inputs (shape and flags re-inferred).</summary>
    public Node Recreate(Node original, IReadOnlyList<Node> inputs) => original.Op switch
    {
        OpKind.Input when original.IsIndices => IndexInput(original.Index, original.Shape[0], original.Origin, original.Padded),
        OpKind.PickIndex => PickIndex(inputs[0], original.Index, original.Origin),
        OpKind.PaddingMask => PaddingMask(inputs[0], original.Origin),
        OpKind.SelectRow => SelectRow(inputs[0], original.Index, original.Origin),
        OpKind.InsertRow => InsertRow(inputs[0], original.Shape, original.Index, original.Origin),
        OpKind.Input => Input(original.Index, original.Shape, original.Origin),
        OpKind.Parameter => Parameter(original.Index, original.Shape, original.Origin),
        OpKind.Constant => Constant(original.Value),
        OpKind.BatchSize => BatchSize(),
        OpKind.SizeValue => SizeValue(original.Extent!),
        OpKind.Broadcast => Broadcast(inputs[0], original.Shape, original.Batched, original.Origin),
        OpKind.ReduceSum => ReduceSum(inputs[0], original.Shape, original.Batched, original.Origin),
        OpKind.Reshape => Reshape(inputs[0], original.Shape, original.Origin),
        OpKind.Transpose => Transpose(inputs[0], original.Origin),
        OpKind.MatMul => MatMul(inputs[0], inputs[1], original.TransposeA, original.TransposeB, original.Batched, original.Origin),
        OpKind.DropoutMask => DropoutMask(original.Shape, original.Batched, original.Value, original.Origin),
        OpKind.Softmax => Softmax(inputs[0], original.Origin),
        OpKind.SoftmaxCrossEntropy => SoftmaxCrossEntropy(inputs[0], inputs[1], original.Origin),
        OpKind.OneHot => OneHot(inputs[0], original.Shape[0], original.Origin),
        OpKind.Argmax => Argmax(inputs[0], original.Origin),
        OpKind.Im2Col => Im2Col(inputs[0], original.Window!, original.Origin),
        OpKind.Col2Im => Col2Im(inputs[0], original.Shape, original.Window!, original.Origin),
        OpKind.SumPool2d => SumPool2d(inputs[0], original.Window!, original.Origin),
        OpKind.Upsample2d => Upsample2d(inputs[0], original.Shape, original.Window!, original.Origin),
        OpKind.Gather => Gather(inputs[0], inputs[1], original.Origin),
        OpKind.EmbeddingBag => EmbeddingBag(inputs[0], inputs[1], original.Value == 1, original.Origin),
        OpKind.ScatterAdd => ScatterAdd(inputs[0], inputs[1], original.Shape, original.Value == 1, original.Origin),
        OpKind.Concat => Concat(inputs[0], inputs[1], original.Origin),
        OpKind.Slice => Slice(inputs[0], original.Extent!, original.Shape, original.Origin),
        _ when inputs.Count == 2 => Binary(original.Op, inputs[0], inputs[1], original.Origin),
        _ => Unary(original.Op, inputs[0], original.Origin),
    };

    private Node Add(OpKind op, Node[] inputs, Shape shape, bool batched, string origin, double value = 0, int index = 0, bool transposeA = false, bool transposeB = false, Size? extent = null, Window? window = null, bool indices = false, bool padded = false)
    {
        ShapeInference.NoIndicesAsValues(op, inputs);
        var node = new Node(nodes.Count, op, inputs, shape, batched, origin)
        {
            Value = value,
            Extent = extent,
            Index = index,
            TransposeA = transposeA,
            TransposeB = transposeB,
            Window = window,
            IsIndices = indices,
            Padded = padded,
        };
        nodes.Add(node);
        return node;
    }

    private static string Format(double value) => value.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
}
