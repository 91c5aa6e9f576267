using Graph.Generator.IR;
using Graph.Generator.Planning;
using Graph.Generator.Pipeline;

namespace Graph.Generator.Emit;

/// <summary>Emits the statements of one compiled method: its kernels in order, each under a comment naming the source expression.</summary>
internal static class BodyEmitter
{
    public static void Emit(CodeWriter writer, ElementType type, MemoryNames names, CompiledEntry entry)
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

    private static string Describe(Node node) => node.Op switch
    {
        OpKind.MatMul => $"MatMul{(node.TransposeA ? "(Aᵀ" : "(A")}, {(node.TransposeB ? "Bᵀ)" : "B)")}{(node.Inputs.Any(i => i.Batched) && !node.Batched ? " summed over the batch" : string.Empty)}",
        _ => node.Op.ToString(),
    };
}
