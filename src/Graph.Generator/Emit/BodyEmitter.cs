using System.Globalization;
using Graph.Generator.IR;
using Graph.Generator.Planning;
using Graph.Generator.Pipeline;

namespace Graph.Generator.Emit;

/// <summary>Emits the statements of one compiled method: its kernels in order, each under a comment naming the source expression.</summary>
internal static class BodyEmitter
{
    /// <param name="training">The name of the method's bool argument that turns dropout on, or null where dropout is always on (Backward).</param>
    public static void Emit(CodeWriter writer, ElementType type, MemoryNames names, CompiledEntry entry, string? training = null)
    {
        var plan = entry.Plan;
        if (entry.Graph.Nodes.Any(n => n.Op == OpKind.BatchSize))
        {
            writer.Line($"{type.Name} {names.Local("batchSize")} = {type.Convert("batch")};");
        }

        var loops = new LoopEmitter(writer, type, names, plan);
        var gemm = new GemmEmitter(writer, type, names, plan);
        foreach (var kernel in entry.Kernels)
        {
            var root = kernel.Root;
            writer.Line($"// %{root.Id} {root.Shape}{(root.Batched ? " per sample" : string.Empty)} = {Describe(root)}: {root.Origin}");
            switch (root.Op)
            {
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
                default:
                    loops.Emit(kernel);
                    break;
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

    private static string Of(MemoryNames names, BufferPlan plan, Node node) => names.Of(plan.StorageOf[node.Id]);

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
