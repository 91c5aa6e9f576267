using Graph.Generator.Autodiff;
using Graph.Generator.Common;
using Graph.Generator.Diagnostics;
using Graph.Generator.Emit;
using Graph.Generator.IR;
using Graph.Generator.Lowering;
using Graph.Generator.Optimization;
using Graph.Generator.Planning;
using Graph.Generator.Schedule;
using Graph.Generator.Shapes;
using Graph.Generator.Spec;

namespace Graph.Generator.Pipeline;

/// <summary>The generated source of one model, or the diagnostics that stopped it (by location key).</summary>
internal sealed record CompiledModel(string FullName, string HintName, string Source, EquatableArray<DiagnosticInfo> Diagnostics);

/// <summary>
/// Runs stages 2 to 7 on a discovered model: lower each entry method, check shapes, differentiate the loss,
/// simplify, fuse, plan buffers, schedule and print. Never throws: an unexpected failure becomes a GRAPH099 diagnostic.
/// </summary>
internal static class ModelCompiler
{
    public static CompiledModel Compile(ModelSpec model)
    {
        string hintName = model.FullName.Replace("<", "{").Replace(">", "}") + ".g.cs";
        var diagnostics = new List<DiagnosticInfo>();
        if (model.DeclarationsOnly)
        {
            return new CompiledModel(model.FullName, hintName, ModelEmitter.EmitDeclarationsOnly(model), EquatableArray<DiagnosticInfo>.Empty);
        }

        try
        {
            var entries = Entries(model, diagnostics);
            string source = diagnostics.Count == 0 ? ModelEmitter.Emit(model, Scheduler.Run(model, entries)) : ModelEmitter.EmitDeclarationsOnly(model);
            return new CompiledModel(model.FullName, hintName, source, diagnostics.ToEquatableArray());
        }
        catch (Exception exception)
        {
            var error = DiagnosticInfo.AtKey(DiagnosticDescriptors.InternalError.Id, LocationKeys.Class, model.ClassName, "compilation", exception.GetType().Name + ": " + exception.Message);
            return new CompiledModel(model.FullName, hintName, ModelEmitter.EmitDeclarationsOnly(model), new[] { error }.ToEquatableArray());
        }
    }

    /// <summary>The compiled methods of a model (stages 2 to 5); the diagnostic of each method that fails is added to <paramref name="diagnostics"/>.</summary>
    internal static IReadOnlyList<CompiledEntry> Entries(ModelSpec model, List<DiagnosticInfo> diagnostics)
    {
        var entries = new List<CompiledEntry>();
        foreach (var function in model.Functions)
        {
            try
            {
                switch (function.Role)
                {
                    case FunctionRole.Forward:
                        entries.Add(CompileForward(model, function));
                        break;
                    case FunctionRole.Loss:
                        entries.AddRange(CompileLoss(model, function));
                        break;
                }
            }
            catch (CompileError error)
            {
                if (!diagnostics.Contains(error.Diagnostic))
                {
                    diagnostics.Add(error.Diagnostic);
                }
            }
        }

        return entries;
    }

    private static CompiledEntry CompileForward(ModelSpec model, FunctionSpec function)
    {
        var builder = new GraphBuilder();
        var result = new FunctionLowering(model, builder, training: false).LowerEntry(function);
        var graph = new Computation(builder.Nodes, new[] { new GraphOutput(OutputKind.Result, 0, result) });
        return Finish(EntryKind.Forward, function, graph);
    }

    private static IEnumerable<CompiledEntry> CompileLoss(ModelSpec model, FunctionSpec function)
    {
        var builder = new GraphBuilder();
        var perSample = new FunctionLowering(model, builder, training: true).LowerEntry(function);
        if (!perSample.Shape.Size.IsOne)
        {
            throw new CompileError(DiagnosticInfo.AtKey(DiagnosticDescriptors.LossNotScalar.Id, LocationKeys.Function(function.Name), function.Name, perSample.Shape.ToString()));
        }

        try
        {
            if (perSample.Shape.Rank > 0)
            {
                perSample = builder.At(function.Name).Reshape(perSample, Shape.Scalar);
            }

            // The batch loss: the per-sample losses summed, and divided by the batch size for a mean.
            var overBatch = builder.At(function.Name + " over the batch");
            var loss = overBatch.ReduceSum(perSample, Shape.Scalar, batched: false);
            if (!function.SumReduction)
            {
                loss = overBatch.Divide(loss, overBatch.BatchSize());
            }

            var lossOutput = new GraphOutput(OutputKind.Loss, 0, loss);
            var lossEntry = Finish(EntryKind.Loss, function, new Computation(builder.Nodes.Take(loss.Id + 1).ToList(), new[] { lossOutput }));

            var trainable = new HashSet<int>(Enumerable.Range(0, model.Parameters.Count).Where(i => !model.Parameters[i].Frozen));
            var gradients = ReverseMode.Gradients(builder, loss, trainable);
            var outputs = new List<GraphOutput> { lossOutput };
            outputs.AddRange(gradients.Select(g => new GraphOutput(OutputKind.Gradient, g.Key, g.Value)));
            var backwardEntry = Finish(EntryKind.Backward, function, new Computation(builder.Nodes, outputs));
            return new[] { lossEntry, backwardEntry };
        }
        catch (ModelError error)
        {
            throw new InvalidOperationException("a derivative rule built an ill-shaped node: " + error.Message, error);
        }
    }

    private static CompiledEntry Finish(EntryKind kind, FunctionSpec function, Computation graph)
    {
        var simplified = Simplifier.Run(graph);
        var kernels = Fusion.Run(simplified);
        var plan = BufferPlanner.Run(simplified, kernels);
        return new CompiledEntry(kind, function, simplified, kernels, plan);
    }
}
