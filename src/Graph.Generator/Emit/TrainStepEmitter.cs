using System.Globalization;
using Graph.Generator.Schedule;
using Graph.Generator.Spec;

namespace Graph.Generator.Emit;

/// <summary>
/// Writes the training methods of a model with a loss from its one backward schedule. <c>BackwardCore</c> is the one
/// body of kernels: it stores every gradient, or, with <c>update</c>, refuses a non-finite loss and applies the
/// updates the schedule fuses into the kernels that compute those gradients. <c>Backward</c> calls it to store the
/// gradients; <c>TrainCore</c>, which both <c>TrainStep</c> overloads call (a learning rate, or an
/// <c>Optimizer</c>), calls it to update, then steps every parameter whose update was not fused, or, for a step that
/// clips its gradients, calls it to store them, measures their global norm and steps every parameter after.
/// <c>ApplyGradients</c> steps every parameter from the gradients that <c>Backward</c> stored. Where the loss marks its
/// prediction (<c>Ops.Prediction</c>), <c>Backward</c> and both <c>TrainStep</c>s have an overload with a
/// <c>predictions</c> span, which runs the same body and then copies the marked value out of its storage.
/// </summary>
internal static class TrainStepEmitter
{
    private const string Core = "BackwardCore";
    private const string Train = "TrainCore";
    private const string StepAll = "StepParameters";
    private const string Rule = Runtime + ".UpdateRule";
    private const string Runtime = ModelEmitter.Runtime;

    /// <summary>Backward, and where the loss marks its prediction, Backward with a predictions span.</summary>
    public static void WriteBackward(ModelSpec model, ModelSchedule schedule, ElementType type, CodeWriter writer, MethodSchedule method)
    {
        WriteBackward(model, schedule, type, writer, method, withPredictions: false);
        if (method.Prediction is not null)
        {
            writer.Line();
            WriteBackward(model, schedule, type, writer, method, withPredictions: true);
        }
    }

    private static void WriteBackward(ModelSpec model, ModelSchedule schedule, ElementType type, CodeWriter writer, MethodSchedule method, bool withPredictions)
    {
        var inputs = ModelEmitter.InputNames(method);
        string loss = ModelEmitter.Unique("loss", inputs);
        string predictions = ModelEmitter.Unique("predictions", inputs);
        var sparseNames = method.Gradients.Where(p => schedule.Parameters[p].SparseRows).Select(p => model.Parameters[p].Name).ToList();
        string sparseDoc = sparseNames.Count == 0 ? string.Empty
            : $" {string.Join(", ", sparseNames)} {(sparseNames.Count == 1 ? "is" : "are")} read only by row: only the rows listed in {(sparseNames.Count == 1 ? "its" : "each one's")} <c>TouchedRows</c> are written, and every other gradient row stays zero.";
        writer.Line($"/// <summary>Computes the {(method.SumReduction ? "summed" : "mean")} {method.Name} over a batch and its gradient for every trainable parameter (into <see cref=\"Parameters\"/>' gradients); {ModelEmitter.InputDoc(method)}.{sparseDoc}{PredictionsSummary(method, predictions, withPredictions, "call")}</summary>");
        var parameters = ModelEmitter.InputParameters(type, method);
        using (writer.Block($"public {type.Name} Backward({string.Join(", ", ModelEmitter.WithBatch(method, WithPredictions(type, parameters, predictions, withPredictions)))})"))
        {
            ModelEmitter.EnterExclusive(writer, inputs);
            WriteChecks(writer, method, inputs, predictions, withPredictions);
            writer.Line($"// The update rule is not read when nothing is updated.");
            writer.Line($"{type.Name} {loss} = this.{Core}({string.Join(", ", inputs.Append("batch").Append("default").Append("false"))});");
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

            if (withPredictions)
            {
                WritePredictionsCopy(model, type, writer, method, inputs, predictions);
            }

            writer.Line($"return {loss};");
        }
    }

    /// <summary>
    /// The TrainStep overloads (a learning rate, an optimizer; each also with a predictions span where the loss marks
    /// its prediction) and the training step they share.
    /// </summary>
    public static void WriteTrainSteps(ModelSpec model, ElementType type, CodeWriter writer, MethodSchedule method)
    {
        string gradientDoc = GradientContract(model, method);
        foreach (bool withPredictions in method.Prediction is null ? new[] { false } : new[] { false, true })
        {
            WriteSgdTrainStep(model, type, writer, method, gradientDoc, withPredictions);
            writer.Line();
            WriteOptimizerTrainStep(model, type, writer, method, gradientDoc, withPredictions);
            writer.Line();
        }

        WriteTrainCore(model, type, writer, method);
    }

    private static void WriteSgdTrainStep(ModelSpec model, ElementType type, CodeWriter writer, MethodSchedule method, string gradientDoc, bool withPredictions)
    {
        var inputs = ModelEmitter.InputNames(method);
        string rate = ModelEmitter.Unique("learningRate", inputs);
        string rule = ModelEmitter.Unique("rule", inputs);
        string predictions = ModelEmitter.Unique("predictions", inputs);
        writer.Line($"/// <summary>One step of stochastic gradient descent on a batch: the {method.Name} and its gradients as Backward computes them, then every trainable parameter w -= {rate} · ∂{method.Name}/∂w.{PredictionsSummary(method, predictions, withPredictions, "step")} Returns the loss before the step; a non-finite loss throws before any parameter changes.</summary>");
        writer.Line($"/// <remarks>{gradientDoc}</remarks>");
        var parameters = ModelEmitter.InputParameters(type, method).Append($"{type.Name} {rate}");
        using (writer.Block($"public {type.Name} TrainStep({string.Join(", ", ModelEmitter.WithBatch(method, WithPredictions(type, parameters, predictions, withPredictions)))})"))
        {
            ModelEmitter.EnterExclusive(writer, inputs.Append(rate).ToList());
            writer.Line($"{Runtime}.Guard.Finite({rate}, nameof({rate}));");
            WriteChecks(writer, method, inputs, predictions, withPredictions);
            writer.Line($"var {rule} = {Rule}<{type.Name}>.Sgd({rate});");
            if (!withPredictions)
            {
                writer.Line($"return this.{Train}({string.Join(", ", inputs.Append("batch").Append($"ref {rule}"))});");
                return;
            }

            string loss = ModelEmitter.Unique("loss", inputs);
            writer.Line($"{type.Name} {loss} = this.{Train}({string.Join(", ", inputs.Append("batch").Append($"ref {rule}"))});");
            WritePredictionsCopy(model, type, writer, method, inputs, predictions);
            writer.Line($"return {loss};");
        }
    }

    private static void WriteOptimizerTrainStep(ModelSpec model, ElementType type, CodeWriter writer, MethodSchedule method, string gradientDoc, bool withPredictions)
    {
        var inputs = ModelEmitter.InputNames(method);
        string optimizer = ModelEmitter.Unique("optimizer", inputs);
        string rule = ModelEmitter.Unique("rule", inputs);
        string loss = ModelEmitter.Unique("loss", inputs);
        string predictions = ModelEmitter.Unique("predictions", inputs);
        writer.Line($"/// <summary>One training step on a batch by <paramref name=\"{optimizer}\"/> (its rule, gradient clipping and learning-rate schedule; its moments and step count in <see cref=\"OptimizerState\"/>): the {method.Name} and its gradients as Backward computes them, then every trainable parameter updated.{PredictionsSummary(method, predictions, withPredictions, "step")} Returns the loss before the step; a non-finite loss throws before any parameter or state changes.</summary>");
        writer.Line($"/// <remarks>{gradientDoc}</remarks>");
        var parameters = ModelEmitter.InputParameters(type, method).Append($"{Runtime}.Optimizer {optimizer}");
        using (writer.Block($"public {type.Name} TrainStep({string.Join(", ", ModelEmitter.WithBatch(method, WithPredictions(type, parameters, predictions, withPredictions)))})"))
        {
            ModelEmitter.EnterExclusive(writer, inputs.Append(optimizer).ToList());
            WriteChecks(writer, method, inputs, predictions, withPredictions);
            writer.Line($"var {rule} = this.OptimizerState.Begin({optimizer});");
            writer.Line($"{type.Name} {loss} = this.{Train}({string.Join(", ", inputs.Append("batch").Append($"ref {rule}"))});");
            writer.Line($"this.OptimizerState.Complete({rule});");
            if (withPredictions)
            {
                WritePredictionsCopy(model, type, writer, method, inputs, predictions);
            }

            writer.Line($"return {loss};");
        }
    }

    /// <summary>The arguments' checks, the predictions span's length among them, and the buffers grown to the batch.</summary>
    private static void WriteChecks(CodeWriter writer, MethodSchedule method, IReadOnlyList<string> inputs, string predictions, bool withPredictions)
    {
        ModelEmitter.WriteChecks(writer, method, inputs);
        if (withPredictions)
        {
            writer.Line($"{Runtime}.Guard.Length({predictions}, batch, {MemoryNames.Expression(method.Prediction!.Type.Shape.Size)}, nameof({predictions}));");
        }

        writer.Line("this.EnsureBatchCapacity(batch);");
    }

    private static IEnumerable<string> WithPredictions(ElementType type, IEnumerable<string> parameters, string predictions, bool withPredictions) =>
        withPredictions ? parameters.Append($"global::System.Span<{type.Name}> {predictions}") : parameters;

    /// <summary>What the summary of an overload with a predictions span says about it.</summary>
    private static string PredictionsSummary(MethodSchedule method, string predictions, bool withPredictions, string pass)
    {
        if (!withPredictions)
        {
            return string.Empty;
        }

        var prediction = method.Prediction!;
        return $" <paramref name=\"{predictions}\"/> receives batch × {prediction.Type.Shape.Size} values {prediction.Type.Shape}: the value {method.Name} marks with <c>Ops.Prediction</c>, as this {pass}'s forward pass computed it: under its dropout masks{(pass == "step" ? ", before any parameter changed" : string.Empty)}.";
    }

    /// <summary>The prediction, kept in its storage to the end of the training step, copied to the caller's span.</summary>
    private static void WritePredictionsCopy(ModelSpec model, ElementType type, CodeWriter writer, MethodSchedule method, IReadOnlyList<string> inputs, string predictions)
    {
        var prediction = method.Prediction!;
        var names = new MemoryNames(model, inputs, predictions);
        string perSample = MemoryNames.Expression(prediction.Type.Shape.Size);
        writer.Line($"// The prediction: {prediction.Origin}");
        switch (prediction.Value)
        {
            case LiteralOperand literal:
                writer.Line($"{predictions}.Fill({type.Literal(literal.Value)});");
                break;
            case StoredOperand stored when prediction.Type.Batched:
                writer.Line($"{Source(names, type, stored, $"batch * {perSample}")}.CopyTo({predictions});");
                break;
            case StoredOperand stored:
                string sample = names.Local("sample");
                writer.Line("// One value for the whole batch: each sample's copy.");
                using (writer.Block($"for (int {sample} = 0; {sample} < batch; {sample}++)"))
                {
                    writer.Line($"{Source(names, type, stored, perSample)}.CopyTo({predictions}.Slice({sample} * {perSample}, {perSample}));");
                }

                break;
            default:
                throw new InvalidOperationException($"{prediction.Value} is not a prediction's value.");
        }
    }

    /// <summary>The first <paramref name="length"/> elements of a stored value, read only.</summary>
    private static string Source(MemoryNames names, ElementType type, StoredOperand stored, string length) =>
        MemoryNames.IsSpan(stored.Storage) ? $"{names.Of(stored.Storage)}.Slice(0, {length})" : $"new {ModelEmitter.ReadOnlySpan}<{type.Name}>({names.Of(stored.Storage)}, 0, {length})";

    /// <summary>The body Backward and the training step share; <paramref name="index"/> is the method's place in the schedule.</summary>
    public static void WriteBackwardCore(ModelSpec model, ElementType type, CodeWriter writer, MethodSchedule method, int index)
    {
        var inputs = ModelEmitter.InputNames(method);
        string rule = ModelEmitter.Unique("rule", inputs);
        string update = ModelEmitter.Unique("update", inputs);
        writer.Line($"/// <summary>The kernels of Backward and the training step: the {method.Name} and the gradient of every trainable parameter; with <paramref name=\"{update}\"/>, a check that the loss is finite and, for the parameters whose update runs inside the kernel of their gradient, that update by <paramref name=\"{rule}\"/> instead of the gradient.</summary>");
        var parameters = ModelEmitter.InputParameters(type, method).Append("int batch").Append($"in {Rule}<{type.Name}> {rule}").Append($"bool {update}");
        writer.Line(BodyEmitter.Optimized);
        using (writer.Block($"private {type.Name} {Core}({string.Join(", ", parameters)})"))
        {
            var names = new MemoryNames(model, inputs, "output");
            BodyEmitter.Emit(writer, type, names, method, index, update: update, rule: rule, lossKnown: () =>
            {
                using (writer.Block($"if ({update})"))
                {
                    writer.Line($"{Runtime}.Guard.FiniteLoss({names.Scalar(method.Loss!, type)}, \"{model.ClassName}\");");
                }
            });
            writer.Line($"return {names.Scalar(method.Loss!, type)};");
        }
    }

    public static void WriteApplyGradients(ModelSpec model, ModelSchedule schedule, ElementType type, CodeWriter writer)
    {
        const string rule = "rule";
        writer.Line("/// <summary>Every trainable parameter w -= learningRate · its gradient, as the last Backward stored it (frozen elements have a zero gradient).</summary>");
        using (writer.Block($"public void ApplyGradients({type.Name} learningRate)"))
        {
            ModelEmitter.EnterExclusive(writer, ["learningRate"]);
            writer.Line($"{Runtime}.Guard.Finite(learningRate, nameof(learningRate));");
            writer.Line($"var {rule} = {Rule}<{type.Name}>.Sgd(learningRate);");
            writer.Line($"this.{StepAll}(ref {rule});");
        }

        writer.Line();
        writer.Line("/// <summary>Every trainable parameter updated by <paramref name=\"optimizer\"/> (its rule, gradient clipping and learning-rate schedule; its moments and step count in <see cref=\"OptimizerState\"/>) from its gradient as the last Backward stored it.</summary>");
        using (writer.Block($"public void ApplyGradients({Runtime}.Optimizer optimizer)"))
        {
            ModelEmitter.EnterExclusive(writer, ["optimizer"]);
            writer.Line($"var {rule} = this.OptimizerState.Begin(optimizer);");
            writer.Line($"this.{StepAll}(ref {rule});");
            writer.Line($"this.OptimizerState.Complete({rule});");
        }

        writer.Line();
        var trainable = Enumerable.Range(0, model.Parameters.Count).Where(p => !model.Parameters[p].Frozen).Select(p => (p, schedule.Parameters[p].SparseRows)).ToList();
        writer.Line($"/// <summary>Updates every trainable parameter by <paramref name=\"{rule}\"/> from its stored gradient, after scaling the gradients to the rule's global norm where it clips them.</summary>");
        using (writer.Block($"private void {StepAll}(ref {Rule}<{type.Name}> {rule})"))
        {
            using (writer.Block($"if ({rule}.ClipsGradients)"))
            {
                WriteClipping(model, type, writer, trainable, rule, "squares");
            }

            writer.Line();
            foreach (var (p, sparseRows) in trainable)
            {
                WriteStep(model, type, writer, p, sparseRows, rule);
            }
        }
    }

    /// <summary>
    /// The training step: with clipping, the gradients stored, the loss checked, the gradients measured and every
    /// parameter stepped; otherwise the fused updates in the body, then every other parameter stepped.
    /// </summary>
    private static void WriteTrainCore(ModelSpec model, ElementType type, CodeWriter writer, MethodSchedule method)
    {
        var inputs = ModelEmitter.InputNames(method);
        string rule = ModelEmitter.Unique("rule", inputs);
        string loss = ModelEmitter.Unique("loss", inputs);
        string squares = ModelEmitter.Unique("squares", inputs);
        writer.Line($"/// <summary>The training step of both TrainStep overloads: the {method.Name} and its gradients, and every trainable parameter it depends on updated by <paramref name=\"{rule}\"/> (which, where it clips, receives the measured norm).</summary>");
        var parameters = ModelEmitter.InputParameters(type, method).Append("int batch").Append($"ref {Rule}<{type.Name}> {rule}");
        using (writer.Block($"private {type.Name} {Train}({string.Join(", ", parameters)})"))
        {
            string fused = ModelEmitter.Unique("fused", inputs);
            writer.Line("// Clipping by the global norm needs every gradient before the first update: then the body stores them all, and they are measured, scaled and applied after it.");
            writer.Line($"bool {fused} = !{rule}.ClipsGradients;");
            writer.Line($"{type.Name} {loss} = this.{Core}({string.Join(", ", inputs.Append("batch").Append(rule).Append(fused))});");
            using (writer.Block($"if (!{fused})"))
            {
                writer.Line($"{Runtime}.Guard.FiniteLoss({loss}, \"{model.ClassName}\");");
                foreach (var update in method.Updates)
                {
                    WriteFrozenElementFixup(type, writer, model.Parameters[update.Parameter]);
                }

                var updated = method.Updates.Select(u => (u.Parameter, u.SparseRows)).ToList();
                WriteClipping(model, type, writer, updated, rule, squares);
                foreach (var (p, sparseRows) in updated)
                {
                    WriteStep(model, type, writer, p, sparseRows, rule);
                }

                writer.Line($"return {loss};");
            }

            writer.Line();
            foreach (var update in method.Updates)
            {
                var parameter = model.Parameters[update.Parameter];
                switch (update.Site)
                {
                    case UpdateSite.InProduct:
                        writer.Line($"// {parameter.Name} was updated inside the product that computes its gradient.");
                        break;
                    case UpdateSite.InRowScatter:
                        using (writer.Block($"if (!{rule}.StepsRowsAsTheyAreRead)"))
                        {
                            writer.Line($"// A rule with state steps the rows of {parameter.Name} once, from their summed gradient.");
                            WriteStep(model, type, writer, update.Parameter, update.SparseRows, rule);
                        }

                        break;
                    default:
                        WriteFrozenElementFixup(type, writer, parameter);
                        WriteStep(model, type, writer, update.Parameter, update.SparseRows, rule);
                        break;
                }
            }

            writer.Line($"return {loss};");
        }
    }

    /// <summary>The sum of the squares of the gradients of <paramref name="parameters"/> (a row-sparse one's rows read), and the rule scaled to it.</summary>
    private static void WriteClipping(ModelSpec model, ElementType type, CodeWriter writer, IReadOnlyList<(int Parameter, bool SparseRows)> parameters, string rule, string squares)
    {
        writer.Line($"double {squares} = 0;");
        foreach (var (p, sparseRows) in parameters)
        {
            var parameter = model.Parameters[p];
            string gradient = $"this.{MemoryNames.GradientField(parameter)}";
            writer.Line(sparseRows
                ? $"{squares} = {Runtime}.Kernels.AddSquaresRows<{type.Name}>({gradient}, {RowLength(parameter)}, this.{MemoryNames.RowsField(parameter)}, {squares});"
                : $"{squares} = {Runtime}.Kernels.AddSquares<{type.Name}>({gradient}, {squares});");
        }

        writer.Line($"{rule} = {rule}.ClippedTo({squares});");
    }

    /// <summary>What the generated documentation says about the gradients after a training step.</summary>
    private static string GradientContract(ModelSpec model, MethodSchedule method)
    {
        var fused = method.FusedUpdates.Select(u => model.Parameters[u.Parameter].Name).ToList();
        if (fused.Count == 0)
        {
            return "After the step, <see cref=\"Parameters\"/>' gradients hold the gradients the step applied, as Backward stores them.";
        }

        string names = string.Join(", ", fused);
        return $"The updates of {names} run inside the kernels that compute their gradients, so after this step the <c>Gradient</c> of {(fused.Count == 1 ? "that parameter" : "those parameters")} in <see cref=\"Parameters\"/> is stale (it holds what the last Backward stored, or zeros), while the other parameters' gradients are this step's (a step that clips its gradients stores them all). To read or change every gradient and update from it, call Backward, then ApplyGradients.";
    }

    /// <summary>Zeroes the gradient of a parameter's frozen elements, if it has any.</summary>
    private static void WriteFrozenElementFixup(ElementType type, CodeWriter writer, ParameterSpec parameter)
    {
        if (parameter.FrozenElements.Count > 0)
        {
            writer.Line($"// Frozen elements of {parameter.Name} get no gradient.");
            foreach (int element in parameter.FrozenElements)
            {
                writer.Line($"this.{MemoryNames.GradientField(parameter)}[{element.ToString(CultureInfo.InvariantCulture)}] = {type.Literal(0)};");
            }
        }
    }

    /// <summary>
    /// One parameter stepped by the rule from its stored gradient: over every element, or, for a row-sparse gradient,
    /// over the rows listed in its <c>TouchedRows</c> (every other row of its gradient is zero).
    /// </summary>
    private static void WriteStep(ModelSpec model, ElementType type, CodeWriter writer, int p, bool sparseRows, string rule)
    {
        var parameter = model.Parameters[p];
        string index = p.ToString(CultureInfo.InvariantCulture);
        if (sparseRows)
        {
            writer.Line($"// Only the rows of {parameter.Name} that were read have a gradient.");
            writer.Line($"{Runtime}.Kernels.OptimizerStepRows<{type.Name}>(this.{MemoryNames.ValueField(parameter)}, this.{MemoryNames.GradientField(parameter)}, {RowLength(parameter)}, this.{MemoryNames.RowsField(parameter)}, {rule}, {index});");
        }
        else
        {
            writer.Line($"{Runtime}.Kernels.OptimizerStep<{type.Name}>(this.{MemoryNames.ValueField(parameter)}, this.{MemoryNames.GradientField(parameter)}, {rule}, {index});");
        }
    }

    /// <summary>The length of a row of a parameter matrix, as a C# expression.</summary>
    private static string RowLength(ParameterSpec parameter) => MemoryNames.Expression(Shapes.Shape.Parse(parameter.Shape)[1]);
}
