using Graph.Generator.Diagnostics;
using Graph.Generator.Shapes;

namespace Graph.Generator.IR.Ops;

/// <summary>The rows of input 0 (a shared matrix [rows, dim]) named by input 1 (an index value of n indices): [n, dim] per sample.</summary>
internal sealed record Gather : KernelOp, IDirectOp
{
    public override TensorType Infer(IReadOnlyList<Node> inputs)
    {
        var (table, indices) = (inputs[0], inputs[1]);
        var row = Tables.Row(Name, table, indices);
        if (ShapeRules.IsVariableCount(indices.Shape[0]))
        {
            throw new IndexError(
                DiagnosticDescriptors.InvalidIndexInput.Id,
                indices.Origin,
                "Gather needs a fixed number of indices per sample, [Indices(n)], since it stores an [n, dim] result; EmbeddingSum and EmbeddingMean take any number");
        }

        return new TensorType(Shape.Of(indices.Shape[0], row), indices.Batched);
    }

    public override bool TakesIndices(int input) => input == 1;

    public override IEnumerable<IndexBound> IndexBounds(Node node) => new[] { new IndexBound(node.Inputs[1], node.Inputs[0].Shape[0]) };

    // Each gathered row's gradient goes back to the row it came from; the indices are integers and get none.
    public override Node? Gradient(Site d, Node y, Node g, int input) =>
        input == 0 ? d.Apply(new ScatterAdd(y.Inputs[0].Shape, Mean: false), g, y.Inputs[1]) : null;

    public override KernelCall Call(Node node) => KernelCall.Of(
        "GatherRows", KernelArgument.Read(node.Inputs[0]), KernelArgument.LastAxis(node.Inputs[0]), KernelArgument.Read(node.Inputs[1]), KernelArgument.Write(node));
}

/// <summary>The sum (the mean when <see cref="Mean"/>) of the rows of input 0 named by the index value input 1: [dim] per sample.</summary>
internal sealed record EmbeddingBag(bool Mean) : KernelOp
{
    public override string Attributes => Mean ? "mean" : "sum";

    public override TensorType Infer(IReadOnlyList<Node> inputs) =>
        new(Shape.Of(Tables.Row(Mean ? "EmbeddingMean" : "EmbeddingSum", inputs[0], inputs[1])), inputs[1].Batched);

    public override bool TakesIndices(int input) => input == 1;

    public override IEnumerable<IndexBound> IndexBounds(Node node) => new[] { new IndexBound(node.Inputs[1], node.Inputs[0].Shape[0]) };

    // Every row in the bag receives the bag's gradient (divided by the count for a mean); the indices get none.
    public override Node? Gradient(Site d, Node y, Node g, int input) =>
        input == 0 ? d.Apply(new ScatterAdd(y.Inputs[0].Shape, Mean), g, y.Inputs[1]) : null;

    public override KernelCall Call(Node node) => KernelCall.Of(
        "EmbeddingBag",
        KernelArgument.Read(node.Inputs[0]),
        KernelArgument.LastAxis(node.Inputs[0]),
        KernelArgument.Read(node.Inputs[1]),
        KernelArgument.Samples(node.Inputs[1]),
        KernelArgument.Flag(Mean),
        KernelArgument.Write(node));
}

/// <summary>
/// The gradient of a table of shape <see cref="Table"/> read by <see cref="Gather"/> or <see cref="EmbeddingBag"/>:
/// zero except in the rows named by the index value input 1, into which input 0 is added (summed over the batch).
/// Input 0 is [n, dim] (one gradient row per index) or [dim] (a bag's gradient, added to the row of every index,
/// divided by their count when <see cref="Mean"/>). Only the rows read are written.
/// </summary>
internal sealed record ScatterAdd(Shape Table, bool Mean) : KernelOp
{
    public override string Attributes => Table + (Mean ? ", mean" : string.Empty);

    public override TensorType Infer(IReadOnlyList<Node> inputs)
    {
        ShapeRules.ScatterAdd(inputs[0].Shape, inputs[1].Shape, Table);
        return new TensorType(Table, Batched: false);
    }

    public override bool TakesIndices(int input) => input == 1;

    public override IEnumerable<IndexBound> IndexBounds(Node node) => new[] { new IndexBound(node.Inputs[1], Table[0]) };

    // A scatter is formed only by differentiation, and gradients are not differentiated again.
    public override Node? Gradient(Site d, Node y, Node g, int input) =>
        throw new InvalidOperationException("ScatterAdd is formed only by differentiation; the compiler does not differentiate a gradient.");

    public override KernelCall Call(Node node)
    {
        var (gradient, indices) = (node.Inputs[0], node.Inputs[1]);
        return gradient.Shape.Rank == 2
            ? KernelCall.Of("ScatterAddRows", KernelArgument.Write(node), KernelArgument.LastAxis(node), KernelArgument.Read(indices), KernelArgument.Read(gradient), KernelArgument.TouchedRows(node))
            : KernelCall.Of("ScatterAddBag", KernelArgument.Write(node), KernelArgument.LastAxis(node), KernelArgument.Read(indices), KernelArgument.Samples(indices), KernelArgument.Flag(Mean), KernelArgument.Read(gradient), KernelArgument.TouchedRows(node));
    }

    // Each row read steps by its gradient row as it is formed, one step per occurrence of a repeated index.
    public override KernelCall? StepCall(Node node)
    {
        var (gradient, indices) = (node.Inputs[0], node.Inputs[1]);
        return gradient.Shape.Rank == 2
            ? KernelCall.Of("ScatterSgdRows", KernelArgument.UpdatedParameter, KernelArgument.LastAxis(node), KernelArgument.Read(indices), KernelArgument.Read(gradient), KernelArgument.LearningRate)
            : KernelCall.Of("ScatterSgdBag", KernelArgument.UpdatedParameter, KernelArgument.LastAxis(node), KernelArgument.Read(indices), KernelArgument.Samples(indices), KernelArgument.Flag(Mean), KernelArgument.Read(gradient), KernelArgument.LearningRate);
    }
}

/// <summary>
/// After a loop region: the sum over the loop's steps <see cref="First"/> to <see cref="Last"/> of the scatter of each
/// step's gradient row per sample (input 0, their <see cref="StepRows"/>, one row per sample and step) into the row of a
/// <see cref="Table"/> that the sample's index at position <see cref="Coefficient"/> × step + <see cref="Offset"/> of
/// the [Indices(n)] input 1 names: what an embedding read once per step sums over the steps, as one scatter after the
/// loop instead of a whole table cleared and added at every step (<c>Optimization/LoopProductSums</c>). A padding
/// index adds nothing. Where the loop ends at a run-time count, <see cref="RunTime"/> says how many of the steps from
/// <see cref="First"/> on ran; the others are not read.
/// </summary>
internal sealed record ScatterAddOverSteps(Shape Table, int Coefficient, int Offset, int First, int Last, RunTimeSteps? RunTime = null) : KernelOp
{
    /// <summary>The number of steps, or the most there may be where <see cref="RunTime"/> gives them.</summary>
    public int Count => Last - First + 1;

    public override string Attributes => $"{Table}, {Coefficient.ToString(System.Globalization.CultureInfo.InvariantCulture)}·step + {Offset.ToString(System.Globalization.CultureInfo.InvariantCulture)}, steps {First.ToString(System.Globalization.CultureInfo.InvariantCulture)}..{Last.ToString(System.Globalization.CultureInfo.InvariantCulture)}{RunTimeSteps.Label(RunTime)}";

    public override TensorType Infer(IReadOnlyList<Node> inputs)
    {
        var (rows, sequence) = (inputs[0], inputs[1]);
        if (!rows.Batched || !rows.Shape.Equals(Shape.Of(Size.Of(Count), Table[1])) || !sequence.IsIndices)
        {
            throw new InvalidOperationException($"A scatter over {Count} steps into {Table} reads [{Count}, {Table[1]}] rows per sample and an index input, not {rows.Type} and {sequence.Type}.");
        }

        return new TensorType(Table, Batched: false);
    }

    public override bool TakesIndices(int input) => input == 1;

    public override IEnumerable<IndexBound> IndexBounds(Node node) => new[] { new IndexBound(node.Inputs[1], Table[0]) };

    public override Node? Gradient(Site d, Node y, Node g, int input) =>
        throw new InvalidOperationException("A scatter over a loop's steps is formed after differentiation.");

    public override KernelCall Call(Node node)
    {
        var (rows, sequence) = (node.Inputs[0], node.Inputs[1]);
        return KernelCall.Of(
            "ScatterAddSteps",
            KernelArgument.Write(node),
            KernelArgument.LastAxis(node),
            KernelArgument.Read(sequence),
            KernelArgument.LastAxis(sequence),
            KernelArgument.Integer(Coefficient),
            KernelArgument.Integer(Offset),
            KernelArgument.Integer(First),
            RunTime is null ? KernelArgument.Integer(Count) : new RunTimeStepsArgument(RunTime),
            KernelArgument.Read(rows),
            KernelArgument.Samples(rows),
            KernelArgument.TouchedRows(node));
    }
}

/// <summary>
/// The sum of two row-sparse tables of shape <see cref="Table"/> (inputs 0 and 1, each a scatter or such a sum, zero
/// except in the rows it lists): the rows either part lists, each the elementwise sum of the parts' rows, and every
/// other row zero, as the dense <see cref="Add"/> it replaces computes (<c>Optimization/SparseTableSums</c>).
/// </summary>
internal sealed record AddScattered(Shape Table) : KernelOp
{
    public override string Attributes => Table.ToString();

    public override TensorType Infer(IReadOnlyList<Node> inputs)
    {
        if (inputs.Any(input => input.Batched || !input.Shape.Equals(Table)))
        {
            throw new InvalidOperationException($"A sum of row-sparse tables {Table} reads two tables of that shape, not {inputs[0].Type} and {inputs[1].Type}.");
        }

        return new TensorType(Table, Batched: false);
    }

    public override Node? Gradient(Site d, Node y, Node g, int input) =>
        throw new InvalidOperationException("A sum of row-sparse tables is formed after differentiation.");

    public override KernelCall Call(Node node) => KernelCall.Of(
        "AddScatteredRows",
        KernelArgument.Write(node),
        KernelArgument.LastAxis(node),
        KernelArgument.TouchedRows(node),
        KernelArgument.Read(node.Inputs[0]),
        KernelArgument.TouchedRows(node.Inputs[0]),
        KernelArgument.Read(node.Inputs[1]),
        KernelArgument.TouchedRows(node.Inputs[1]));
}

/// <summary><c>EmbeddingSum(table, indices)</c>: the sum of the rows named, <c>np.sum(table[indices], axis=0)</c>.</summary>
internal sealed class EmbeddingSumFunction : DslFunction
{
    public override string Name => "EmbeddingSum";

    public override Node Lower(DslCall call) => call.At.Apply(new EmbeddingBag(Mean: false), call[0], call[1]);
}

/// <summary><c>EmbeddingMean(table, indices)</c>: the mean of the rows named, <c>np.mean(table[indices], axis=0)</c>.</summary>
internal sealed class EmbeddingMeanFunction : DslFunction
{
    public override string Name => "EmbeddingMean";

    public override Node Lower(DslCall call) => call.At.Apply(new EmbeddingBag(Mean: true), call[0], call[1]);
}

/// <summary>The checks of a table read by index, shared by the row-gathering operations.</summary>
internal static class Tables
{
    /// <summary>The row length of a table read by index, after checking the table and the indices.</summary>
    public static Size Row(string operation, Node table, Node indices)
    {
        if (table.IsIndices)
        {
            throw new IndexError(DiagnosticDescriptors.IndicesUsedAsValues.Id, table.Origin, operation + " as its table");
        }

        if (!indices.IsIndices)
        {
            throw new IndexError(DiagnosticDescriptors.IndicesExpected.Id, operation, indices.Origin, indices.Shape + (indices.Batched ? " per sample" : string.Empty));
        }

        if (table.Batched || table.Shape.Rank != 2)
        {
            throw new IndexError(DiagnosticDescriptors.InvalidTable.Id, operation, table.Origin, table.Batched ? $"a value of shape {table.Shape} per sample" : $"of shape {table.Shape}");
        }

        return table.Shape[1];
    }
}
