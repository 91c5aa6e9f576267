using System.Globalization;
using Graph.Generator.IR;
using Graph.Generator.IR.Ops;
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
        if (entry.Graph.Nodes.Any(n => n.Op is BatchSize))
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
            writer.Line($"// %{root.Id} {root.Shape}{(root.Batched ? " per sample" : string.Empty)} = {root.Op.Describe(root)}: {root.Origin}");
            int? updated = sgd?.ParameterUpdatedBy(root);
            switch (root.Op)
            {
                case MatMul when updated is int p:
                    var parameter = new Storage(StorageKind.ParameterValue, p);
                    writer.Line($"// fused SGD step: {names.Of(parameter)} -= {learningRate} · %{root.Id}, the gradient is not stored");
                    gemm.EmitSgdStep(root, names.Of(parameter), learningRate!);
                    break;
                case KernelOp op when updated is int p:
                    writer.Line($"// fused SGD step: the rows read of {names.Of(new Storage(StorageKind.ParameterValue, p))} -= {learningRate} · their gradient, which is not stored");
                    EmitCall(writer, type, names, plan, op.StepCall(root)!, training, p, learningRate);
                    break;
                case MatMul:
                    gemm.Emit(root);
                    break;
                case Transpose:
                    loops.EmitTranspose(root);
                    break;
                case KernelOp op:
                    EmitCall(writer, type, names, plan, op.Call(root), training, null, null);
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
                ? $"{names.Slice(to, "0", size)}.Fill({loops.InlineValue(from)});"
                : $"{names.Slice(source, "0", size)}.CopyTo({names.Slice(to, "0", size)});");
        }
    }

    /// <summary>A runtime kernel call; one that runs only while training fills its result instead where <paramref name="training"/> is off.</summary>
    private static void EmitCall(CodeWriter writer, ElementType type, MemoryNames names, BufferPlan plan, KernelCall call, string? training, int? parameter, string? learningRate)
    {
        string Argument(KernelArgument argument) => argument switch
        {
            ValueArgument { Exact: true } value => names.Slice(plan.StorageOf[value.Value.Id], "0", LoopEmitter.SizeExpression(value.Value)),
            ValueArgument { Written: true } value when plan.StorageOf[value.Value.Id].Kind == StorageKind.IndexBuffer =>
                $"new global::System.Span<int>({names.Of(plan.StorageOf[value.Value.Id])}, 0, batch)",
            ValueArgument value => names.Argument(plan.StorageOf[value.Value.Id]),
            CountArgument count => MemoryNames.Expression(count.Size),
            FlagArgument flag => flag.Value ? "true" : "false",
            RealArgument real => real.Value.ToString("R", CultureInfo.InvariantCulture),
            RandomArgument => "this.Random",
            TouchedRowsArgument rows => names.RowsOf(plan.StorageOf[rows.Value.Id]),
            UpdatedParameterArgument => names.Of(new Storage(StorageKind.ParameterValue, parameter!.Value)),
            LearningRateArgument => learningRate!,
            _ => throw new InvalidOperationException($"No C# form for the kernel argument {argument}."),
        };

        string statement = $"global::Graph.Runtime.Kernels.{call.Kernel}{(call.Generic ? $"<{type.Name}>" : string.Empty)}({string.Join(", ", call.Arguments.Select(Argument))});";
        if (call.WhenNotTraining is not double fill || training is null)
        {
            writer.Line(statement);
            return;
        }

        using (writer.Block($"if ({training})"))
        {
            writer.Line(statement);
        }

        using (writer.Block("else"))
        {
            var result = call.Arguments.OfType<ValueArgument>().First(a => a.Written);
            writer.Line($"{Argument(result)}.Fill({type.Literal(fill)});");
        }
    }
}
