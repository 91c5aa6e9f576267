using Graph.Generator.IR;
using Graph.Generator.Pipeline;
using Graph.Generator.Spec;

namespace Graph.Generator.Emit;

/// <summary>
/// Writes the optimiser methods of a model with a loss: <c>TrainStep</c>, the backward body with each weight's SGD
/// update fused into the product that computes its gradient where <see cref="SgdFusion"/> allows it, and
/// <c>ApplyGradients</c>, the update from the gradients that <c>Backward</c> stored.
/// </summary>
internal static class TrainStepEmitter
{
    public static void WriteTrainStep(ModelSpec model, ElementType type, CodeWriter writer, CompiledEntry entry)
    {
        var function = entry.Function;
        var inputs = ModelEmitter.InputNames(function);
        string rate = ModelEmitter.Unique("learningRate", inputs);
        string loss = ModelEmitter.Unique("loss", inputs.Append(rate).ToList());
        var fusion = SgdFusion.Plan(model, entry);
        var fused = new HashSet<int>(fusion.FusedParameters);
        var differentiated = ModelEmitter.Differentiated(entry);
        string fusedNames = string.Join(", ", fused.OrderBy(p => p).Select(p => model.Parameters[p].Name));

        writer.Line($"/// <summary>One step of stochastic gradient descent on a batch: the {function.Name} and its gradients as Backward computes them, then every trainable parameter w -= {rate} · ∂{function.Name}/∂w. Returns the loss before the step; a non-finite loss throws before any parameter changes."
            + (fused.Count > 0 ? $" The updates of {fusedNames} are applied by the products that compute their gradients, so those gradients are not stored (Backward stores them).</summary>" : "</summary>"));
        var parameters = ModelEmitter.WithBatch(function, ModelEmitter.InputParameters(type, function).Append($"{type.Name} {rate}"));
        using (writer.Block($"public {type.Name} TrainStep({string.Join(", ", parameters)})"))
        {
            writer.Line($"{ModelEmitter.Runtime}.Guard.Finite({rate}, nameof({rate}));");
            ModelEmitter.WriteChecks(writer, entry, inputs);
            writer.Line("this.EnsureBatchCapacity(batch);");
            var names = new MemoryNames(model, inputs, "output");
            BodyEmitter.Emit(writer, type, names, entry, sgd: fusion, learningRate: rate, lossKnown: () =>
            {
                writer.Line($"{type.Name} {loss} = {ModelEmitter.LossValue(type, names, entry)};");
                writer.Line($"{ModelEmitter.Runtime}.Guard.FiniteLoss({loss}, \"{model.ClassName}\");");
            });

            for (int p = 0; p < model.Parameters.Count; p++)
            {
                var parameter = model.Parameters[p];
                if (parameter.Frozen || fused.Contains(p) || !differentiated.Contains(p))
                {
                    continue;
                }

                ModelEmitter.WriteFrozenElementFixup(type, writer, parameter);
                WriteSgdStep(model, type, writer, p, entry.Plan.SparseGradients.Contains(p), rate);
            }

            writer.Line($"return {loss};");
        }
    }

    /// <summary>
    /// <c>w -= rate · grad</c> for one parameter: over every element, or, for a row-sparse gradient, over the rows
    /// listed in its <c>TouchedRows</c> (every other row of its gradient is zero).
    /// </summary>
    private static void WriteSgdStep(ModelSpec model, ElementType type, CodeWriter writer, int p, bool sparse, string rate)
    {
        var parameter = model.Parameters[p];
        if (sparse)
        {
            writer.Line($"// Only the rows of {parameter.Name} that were read have a gradient.");
            string rowLength = MemoryNames.Expression(Shape.Parse(parameter.Shape)[1]);
            writer.Line($"{ModelEmitter.Runtime}.Kernels.SgdStepRows<{type.Name}>(this.{MemoryNames.ValueField(parameter)}, this.{MemoryNames.GradientField(parameter)}, {rowLength}, this.{MemoryNames.RowsField(parameter)}, {rate});");
        }
        else
        {
            writer.Line($"{ModelEmitter.Runtime}.Kernels.SgdStep<{type.Name}>(this.{MemoryNames.ValueField(parameter)}, this.{MemoryNames.GradientField(parameter)}, {rate});");
        }
    }

    public static void WriteApplyGradients(ModelSpec model, ElementType type, CodeWriter writer, ISet<int> sparse)
    {
        writer.Line($"/// <summary>Every trainable parameter w -= learningRate · its gradient, as the last Backward stored it (frozen elements have a zero gradient).</summary>");
        using (writer.Block($"public void ApplyGradients({type.Name} learningRate)"))
        {
            writer.Line($"{ModelEmitter.Runtime}.Guard.Finite(learningRate, nameof(learningRate));");
            for (int p = 0; p < model.Parameters.Count; p++)
            {
                if (!model.Parameters[p].Frozen)
                {
                    WriteSgdStep(model, type, writer, p, sparse.Contains(p), "learningRate");
                }
            }
        }
    }
}
