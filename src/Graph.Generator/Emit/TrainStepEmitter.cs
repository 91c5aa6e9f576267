using Graph.Generator.Schedule;
using Graph.Generator.Spec;

namespace Graph.Generator.Emit;

/// <summary>
/// Writes the training methods of a model with a loss from its one backward schedule: <c>Backward</c> and
/// <c>TrainStep</c> both call <c>BackwardCore</c>, the one body of kernels, which stores every gradient, or, with
/// <c>update</c>, refuses a non-finite loss and applies the SGD steps the schedule fuses into the kernels that compute
/// those gradients; and <c>ApplyGradients</c>, the update from the gradients that <c>Backward</c> stored.
/// </summary>
internal static class TrainStepEmitter
{
    private const string Core = "BackwardCore";

    public static void WriteBackward(ModelSpec model, ModelSchedule schedule, ElementType type, CodeWriter writer, MethodSchedule method)
    {
        var inputs = ModelEmitter.InputNames(method);
        string loss = ModelEmitter.Unique("loss", inputs);
        var sparseNames = method.Gradients.Where(p => schedule.Parameters[p].SparseRows).Select(p => model.Parameters[p].Name).ToList();
        string sparseDoc = sparseNames.Count == 0 ? string.Empty
            : $" {string.Join(", ", sparseNames)} {(sparseNames.Count == 1 ? "is" : "are")} read only by row: only the rows listed in {(sparseNames.Count == 1 ? "its" : "each one's")} <c>TouchedRows</c> are written, and every other gradient row stays zero.";
        writer.Line($"/// <summary>Computes the {(method.SumReduction ? "summed" : "mean")} {method.Name} over a batch and its gradient for every trainable parameter (into <see cref=\"Parameters\"/>' gradients); {ModelEmitter.InputDoc(method)}.{sparseDoc}</summary>");
        using (writer.Block($"public {type.Name} Backward({string.Join(", ", ModelEmitter.WithBatch(method, ModelEmitter.InputParameters(type, method)))})"))
        {
            ModelEmitter.WriteChecks(writer, method, inputs);
            writer.Line("this.EnsureBatchCapacity(batch);");
            writer.Line($"{type.Name} {loss} = this.{Core}({string.Join(", ", inputs.Append("batch").Append(type.Literal(0)).Append("false"))});");
            for (int p = 0; p < model.Parameters.Count; p++)
            {
                var parameter = model.Parameters[p];
                if (!parameter.Frozen && !method.Gradients.Contains(p))
                {
                    writer.Line($"// {parameter.Name} does not affect {method.Name}.");
                    writer.Line($"global::System.Array.Clear(this.{MemoryNames.GradientField(parameter)});");
                }

                WriteFrozenElementFixup(type, writer, parameter);
            }

            writer.Line($"return {loss};");
        }
    }

    public static void WriteTrainStep(ModelSpec model, ModelSchedule schedule, ElementType type, CodeWriter writer, MethodSchedule method)
    {
        var inputs = ModelEmitter.InputNames(method);
        string rate = ModelEmitter.Unique("learningRate", inputs);
        string loss = ModelEmitter.Unique("loss", inputs.Append(rate).ToList());
        var fused = method.FusedUpdates;
        string fusedNames = string.Join(", ", fused.Select(p => model.Parameters[p].Name));

        writer.Line($"/// <summary>One step of stochastic gradient descent on a batch: the {method.Name} and its gradients as Backward computes them, then every trainable parameter w -= {rate} · ∂{method.Name}/∂w. Returns the loss before the step; a non-finite loss throws before any parameter changes."
            + (fused.Count > 0 ? $" The updates of {fusedNames} are applied by the kernels that compute their gradients, so those gradients are not stored (Backward stores them).</summary>" : "</summary>"));
        var parameters = ModelEmitter.WithBatch(method, ModelEmitter.InputParameters(type, method).Append($"{type.Name} {rate}"));
        using (writer.Block($"public {type.Name} TrainStep({string.Join(", ", parameters)})"))
        {
            writer.Line($"{ModelEmitter.Runtime}.Guard.Finite({rate}, nameof({rate}));");
            ModelEmitter.WriteChecks(writer, method, inputs);
            writer.Line("this.EnsureBatchCapacity(batch);");
            writer.Line($"{type.Name} {loss} = this.{Core}({string.Join(", ", inputs.Append("batch").Append(rate).Append("true"))});");
            for (int p = 0; p < model.Parameters.Count; p++)
            {
                var parameter = model.Parameters[p];
                if (parameter.Frozen || fused.Contains(p) || !method.Gradients.Contains(p))
                {
                    continue;
                }

                WriteFrozenElementFixup(type, writer, parameter);
                WriteSgdStep(model, schedule, type, writer, p, rate);
            }

            writer.Line($"return {loss};");
        }
    }

    /// <summary>The body Backward and TrainStep share.</summary>
    public static void WriteBackwardCore(ModelSpec model, ElementType type, CodeWriter writer, MethodSchedule method)
    {
        var inputs = ModelEmitter.InputNames(method);
        string rate = ModelEmitter.Unique("learningRate", inputs);
        string update = ModelEmitter.Unique("update", inputs.Append(rate).ToList());
        writer.Line($"/// <summary>The kernels of Backward and TrainStep: the {method.Name} and the gradient of every trainable parameter; with <paramref name=\"{update}\"/>, a check that the loss is finite and, for the parameters whose update runs inside the kernel of their gradient, that update with <paramref name=\"{rate}\"/> instead of the gradient.</summary>");
        var parameters = ModelEmitter.InputParameters(type, method).Append("int batch").Append($"{type.Name} {rate}").Append($"bool {update}");
        using (writer.Block($"private {type.Name} {Core}({string.Join(", ", parameters)})"))
        {
            var names = new MemoryNames(model, inputs, "output");
            BodyEmitter.Emit(writer, type, names, method, update: update, learningRate: rate, lossKnown: () =>
            {
                using (writer.Block($"if ({update})"))
                {
                    writer.Line($"{ModelEmitter.Runtime}.Guard.FiniteLoss({names.Scalar(method.Loss!, type)}, \"{model.ClassName}\");");
                }
            });
            writer.Line($"return {names.Scalar(method.Loss!, type)};");
        }
    }

    public static void WriteApplyGradients(ModelSpec model, ElementType type, CodeWriter writer, ModelSchedule schedule)
    {
        writer.Line($"/// <summary>Every trainable parameter w -= learningRate · its gradient, as the last Backward stored it (frozen elements have a zero gradient).</summary>");
        using (writer.Block($"public void ApplyGradients({type.Name} learningRate)"))
        {
            writer.Line($"{ModelEmitter.Runtime}.Guard.Finite(learningRate, nameof(learningRate));");
            for (int p = 0; p < model.Parameters.Count; p++)
            {
                if (!model.Parameters[p].Frozen)
                {
                    WriteSgdStep(model, schedule, type, writer, p, "learningRate");
                }
            }
        }
    }

    /// <summary>Zeroes the gradient of a parameter's frozen elements, if it has any.</summary>
    private static void WriteFrozenElementFixup(ElementType type, CodeWriter writer, ParameterSpec parameter)
    {
        if (parameter.FrozenElements.Count > 0)
        {
            writer.Line($"// Frozen elements of {parameter.Name} get no gradient.");
            foreach (int element in parameter.FrozenElements)
            {
                writer.Line($"this.{MemoryNames.GradientField(parameter)}[{element.ToString(System.Globalization.CultureInfo.InvariantCulture)}] = {type.Literal(0)};");
            }
        }
    }

    /// <summary>
    /// <c>w -= rate · grad</c> for one parameter: over every element, or, for a row-sparse gradient, over the rows
    /// listed in its <c>TouchedRows</c> (every other row of its gradient is zero).
    /// </summary>
    private static void WriteSgdStep(ModelSpec model, ModelSchedule schedule, ElementType type, CodeWriter writer, int p, string rate)
    {
        var parameter = model.Parameters[p];
        var layout = schedule.Parameters[p];
        if (layout.SparseRows)
        {
            writer.Line($"// Only the rows of {parameter.Name} that were read have a gradient.");
            string rowLength = MemoryNames.Expression(layout.Shape[1]);
            writer.Line($"{ModelEmitter.Runtime}.Kernels.SgdStepRows<{type.Name}>(this.{MemoryNames.ValueField(parameter)}, this.{MemoryNames.GradientField(parameter)}, {rowLength}, this.{MemoryNames.RowsField(parameter)}, {rate});");
        }
        else
        {
            writer.Line($"{ModelEmitter.Runtime}.Kernels.SgdStep<{type.Name}>(this.{MemoryNames.ValueField(parameter)}, this.{MemoryNames.GradientField(parameter)}, {rate});");
        }
    }
}
