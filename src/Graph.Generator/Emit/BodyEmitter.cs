using System.Globalization;
using Graph.Generator.IR;
using Graph.Generator.Planning;
using Graph.Generator.Pipeline;

namespace Graph.Generator.Emit;

/// <summary>Emits the statements of one compiled method: its kernels in order, each under a comment naming the source expression.</summary>
internal static class BodyEmitter
{
    /// <param name="training">The name of the method's bool argument that turns dropout on, or null where dropout is always on (Backward).</param>
    /// <param name="sgd">For a training step: the weight updates fused into their gradient products, applied with
    /// <paramref name="learningRate"/>, and <paramref name="lossKnown"/>, written once the loss is final.</param>
    public static void Emit(CodeWriter writer, ElementType type, MemoryNames names, CompiledEntry entry, string? training = null,
        SgdFusion? sgd = null, string? learningRate = null, Action? lossKnown = null)
    {
        var plan = entry.Plan;
        if (entry.Graph.Nodes.Any(n => n.Op == OpKind.BatchSize))
        {
            writer.Line($"{type.Name} {names.Local("batchSize")} = {type.Convert("batch")};");
        }

        var loops = new LoopEmitter(writer, type, names, plan);
        var gemm = new GemmEmitter(writer, type, names, plan);
        if (sgd?.LossKernel == -1)
        {
            lossKnown?.Invoke();
        }

        for (int q = 0; q < entry.Kernels.Count; q++)
        {
            var kernel = entry.Kernels[q];
            var root = kernel.Root;
            writer.Line($"// %{root.Id} {root.Shape}{(root.Batched ? " per sample" : string.Empty)} = {Describe(root)}: {root.Origin}");
            switch (root.Op)
            {
                case OpKind.MatMul when sgd?.ParameterUpdatedBy(root) is int p:
                    var parameter = new Storage(StorageKind.ParameterValue, p);
                    writer.Line($"// fused SGD step: {names.Of(parameter)} -= {learningRate} · %{root.Id}, the gradient is not stored");
                    gemm.EmitSgdStep(root, names.Of(parameter), learningRate!);
                    break;
                case OpKind.ScatterAdd when sgd?.ParameterUpdatedBy(root) is int p:
                    writer.Line($"// fused SGD step: the rows read of {names.Of(new Storage(StorageKind.ParameterValue, p))} -= {learningRate} · their gradient, which is not stored");
                    EmitScatterSgd(writer, type, names, plan, root, new Storage(StorageKind.ParameterValue, p), learningRate!);
                    break;
                case OpKind.MatMul:
                    gemm.Emit(root);
                    break;
                case OpKind.Transpose:
                    loops.EmitTranspose(root);
                    break;
                case OpKind.DropoutMask:
                    EmitDropoutMask(writer, type, names, plan, root, training);
                    break;
                case OpKind.Softmax:
                    writer.Line($"global::Graph.Runtime.Kernels.Softmax<{type.Name}>({Of(names, plan, root.Inputs[0])}, {Of(names, plan, root)}, {Rows(root.Inputs[0])}, {LastAxis(root.Inputs[0])});");
                    break;
                case OpKind.SoftmaxCrossEntropy:
                    writer.Line($"global::Graph.Runtime.Kernels.SoftmaxCrossEntropy<{type.Name}>({Of(names, plan, root.Inputs[0])}, {Of(names, plan, root.Inputs[1])}, {Of(names, plan, root)}, {Rows(root.Inputs[0])}, {LastAxis(root.Inputs[0])}, {(root.Inputs[1].Batched ? "false" : "true")});");
                    break;
                case OpKind.OneHot when root.Inputs[0].IsIndices:
                    writer.Line($"global::Graph.Runtime.Kernels.OneHotIndices<{type.Name}>({Of(names, plan, root.Inputs[0])}, {Of(names, plan, root)}, {Rows(root)}, {LastAxis(root)});");
                    break;
                case OpKind.PickIndex:
                    var picked = plan.StorageOf[root.Id];
                    writer.Line($"global::Graph.Runtime.Kernels.PickIndices({Of(names, plan, root.Inputs[0])}, {LastAxis(root.Inputs[0])}, {root.Index.ToString(CultureInfo.InvariantCulture)}, new global::System.Span<int>({names.Of(picked)}, 0, batch));");
                    break;
                case OpKind.SelectRow or OpKind.InsertRow:
                    EmitRow(writer, type, names, plan, root);
                    break;
                case OpKind.PaddingMask:
                    writer.Line($"global::Graph.Runtime.Kernels.PaddingMask<{type.Name}>({Of(names, plan, root.Inputs[0])}, {Of(names, plan, root)});");
                    break;
                case OpKind.OneHot:
                    writer.Line($"global::Graph.Runtime.Kernels.OneHot<{type.Name}>({Of(names, plan, root.Inputs[0])}, {Of(names, plan, root)}, {Rows(root)}, {LastAxis(root)});");
                    break;
                case OpKind.Argmax:
                    writer.Line($"global::Graph.Runtime.Kernels.Argmax<{type.Name}>({Of(names, plan, root.Inputs[0])}, {Of(names, plan, root)}, {Rows(root.Inputs[0])}, {LastAxis(root.Inputs[0])});");
                    break;
                case OpKind.Im2Col or OpKind.SumPool2d:
                    EmitWindows(writer, type, names, plan, root, root.Inputs[0]);
                    break;
                case OpKind.Col2Im or OpKind.Upsample2d:
                    EmitWindows(writer, type, names, plan, root, root);
                    break;
                case OpKind.Gather:
                    writer.Line($"global::Graph.Runtime.Kernels.GatherRows<{type.Name}>({Of(names, plan, root.Inputs[0])}, {LastAxis(root.Inputs[0])}, {Of(names, plan, root.Inputs[1])}, {Of(names, plan, root)});");
                    break;
                case OpKind.EmbeddingBag:
                    writer.Line($"global::Graph.Runtime.Kernels.EmbeddingBag<{type.Name}>({Of(names, plan, root.Inputs[0])}, {LastAxis(root.Inputs[0])}, {Of(names, plan, root.Inputs[1])}, {Samples(root.Inputs[1])}, {Bool(root.Value == 1)}, {Of(names, plan, root)});");
                    break;
                case OpKind.ScatterAdd:
                    EmitScatterAdd(writer, type, names, plan, root);
                    break;
                case OpKind.Concat:
                    writer.Line($"global::Graph.Runtime.Kernels.Concat<{type.Name}>({Of(names, plan, root.Inputs[0])}, {Elements(root.Inputs[0])}, {Bool(!root.Inputs[0].Batched)}, " +
                        $"{Of(names, plan, root.Inputs[1])}, {Elements(root.Inputs[1])}, {Bool(!root.Inputs[1].Batched)}, {Of(names, plan, root)}, {Samples(root)});");
                    break;
                case OpKind.Slice:
                    writer.Line($"global::Graph.Runtime.Kernels.Slice<{type.Name}>({Of(names, plan, root.Inputs[0])}, {Elements(root.Inputs[0])}, {MemoryNames.Expression(root.Extent!)}, " +
                        $"{Of(names, plan, root)}, {Elements(root)}, {Samples(root)});");
                    break;
                default:
                    loops.Emit(kernel);
                    break;
            }

            if (sgd?.LossKernel == q)
            {
                lossKnown?.Invoke();
            }
        }

        foreach (var (from, to) in plan.Copies)
        {
            string size = LoopEmitter.SizeExpression(from);
            var source = plan.StorageOf[from.Id];
            writer.Line($"// %{from.Id} is also an output");
            writer.Line(source.Kind == StorageKind.Inline
                ? $"{names.Slice(to, "0", size)}.Fill({(from.Op == OpKind.BatchSize ? names.Local("batchSize") : type.Literal(from.Value))});"
                : $"{names.Slice(source, "0", size)}.CopyTo({names.Slice(to, "0", size)});");
        }
    }

    private static void EmitDropoutMask(CodeWriter writer, ElementType type, MemoryNames names, BufferPlan plan, Node mask, string? training)
    {
        string span = names.Slice(plan.StorageOf[mask.Id], "0", LoopEmitter.SizeExpression(mask));
        string rate = mask.Value.ToString("R", CultureInfo.InvariantCulture);
        string draw = $"global::Graph.Runtime.Kernels.DropoutMask<{type.Name}>({span}, {rate}, this.Random);";
        if (training is null)
        {
            writer.Line(draw);
            return;
        }

        using (writer.Block($"if ({training})"))
        {
            writer.Line(draw);
        }

        using (writer.Block("else"))
        {
            writer.Line($"{span}.Fill({type.Literal(1)});");
        }
    }

    /// <summary>A window kernel: its image (for the adjoints, the output) gives the height, width and channels.</summary>
    private static void EmitWindows(CodeWriter writer, ElementType type, MemoryNames names, BufferPlan plan, Node node, Node image)
    {
        var window = node.Window!;
        int channels = image.Shape.Rank == 3 ? image.Shape[2].Value : 1;
        string count = node.Batched ? "batch" : "1";
        writer.Line($"global::Graph.Runtime.Kernels.{node.Op}<{type.Name}>({Of(names, plan, node.Inputs[0])}, {Of(names, plan, node)}, {count}, " +
            $"{image.Shape[0].Value}, {image.Shape[1].Value}, {channels}, {window.Height}, {window.Width});");
    }

    /// <summary>A table's gradient: only the rows read are written, listed when it is the parameter's own gradient.</summary>
    private static void EmitScatterAdd(CodeWriter writer, ElementType type, MemoryNames names, BufferPlan plan, Node root)
    {
        var (gradient, indices) = (root.Inputs[0], root.Inputs[1]);
        var storage = plan.StorageOf[root.Id];
        string target = names.Of(storage);
        string rows = names.RowsOf(storage);
        writer.Line(gradient.Shape.Rank == 2
            ? $"global::Graph.Runtime.Kernels.ScatterAddRows<{type.Name}>({target}, {LastAxis(root)}, {Of(names, plan, indices)}, {Of(names, plan, gradient)}, {rows});"
            : $"global::Graph.Runtime.Kernels.ScatterAddBag<{type.Name}>({target}, {LastAxis(root)}, {Of(names, plan, indices)}, {Samples(indices)}, {Bool(root.Value == 1)}, {Of(names, plan, gradient)}, {rows});");
    }

    /// <summary>A table's SGD step fused into its gradient: each row read steps by its gradient row as it is formed.</summary>
    private static void EmitScatterSgd(CodeWriter writer, ElementType type, MemoryNames names, BufferPlan plan, Node root, Storage value, string learningRate)
    {
        var (gradient, indices) = (root.Inputs[0], root.Inputs[1]);
        writer.Line(gradient.Shape.Rank == 2
            ? $"global::Graph.Runtime.Kernels.ScatterSgdRows<{type.Name}>({names.Of(value)}, {LastAxis(root)}, {Of(names, plan, indices)}, {Of(names, plan, gradient)}, {learningRate});"
            : $"global::Graph.Runtime.Kernels.ScatterSgdBag<{type.Name}>({names.Of(value)}, {LastAxis(root)}, {Of(names, plan, indices)}, {Samples(indices)}, {Bool(root.Value == 1)}, {Of(names, plan, gradient)}, {learningRate});");
    }

    /// <summary>A row of each sample's value (<see cref="OpKind.SelectRow"/>), or its adjoint: the row placed into zeros.</summary>
    private static void EmitRow(CodeWriter writer, ElementType type, MemoryNames names, BufferPlan plan, Node root)
    {
        bool select = root.Op == OpKind.SelectRow;
        var whole = select ? root.Inputs[0] : root;
        var row = select ? root : root.Inputs[0];
        string length = MemoryNames.Expression(row.Shape.Size);
        string offset = MemoryNames.Expression(row.Shape.Size * Size.Of(root.Index));
        string size = MemoryNames.Expression(whole.Shape.Size);
        writer.Line(select
            ? $"global::Graph.Runtime.Kernels.SelectRow<{type.Name}>({Of(names, plan, whole)}, {size}, {offset}, {length}, {Of(names, plan, row)}, {Samples(root)});"
            : $"global::Graph.Runtime.Kernels.InsertRow<{type.Name}>({Of(names, plan, row)}, {length}, {Of(names, plan, whole)}, {size}, {offset}, {Samples(root)});");
    }

    private static string Samples(Node node) => node.Batched ? "batch" : "1";

    /// <summary>The number of elements of one sample.</summary>
    private static string Elements(Node node) => MemoryNames.Expression(node.Shape.Size);

    private static string Bool(bool value) => value ? "true" : "false";

    private static string Of(MemoryNames names, BufferPlan plan, Node node) => names.Argument(plan.StorageOf[node.Id]);

    /// <summary>The number of rows along whose last axis a row kernel works, for the current batch.</summary>
    private static string Rows(Node node)
    {
        var perSample = node.Shape.WithoutLastAxis.Size;
        return MemoryNames.Expression(node.Batched ? Size.Batch * perSample : perSample);
    }

    private static string LastAxis(Node node) => MemoryNames.Expression(node.Shape[node.Shape.Rank - 1]);

    private static string Describe(Node node) => node.Op switch
    {
        OpKind.MatMul => $"MatMul{(node.TransposeA ? "(Aᵀ" : "(A")}, {(node.TransposeB ? "Bᵀ)" : "B)")}{(node.Inputs.Any(i => i.Batched) && !node.Batched ? " summed over the batch" : string.Empty)}",
        OpKind.Im2Col or OpKind.Col2Im or OpKind.SumPool2d or OpKind.Upsample2d => $"{node.Op} {node.Window}",
        _ => node.Op.ToString(),
    };
}
