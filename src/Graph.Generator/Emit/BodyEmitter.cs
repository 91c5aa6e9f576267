using System.Globalization;
using Graph.Generator.Planning;
using Graph.Generator.Schedule;

namespace Graph.Generator.Emit;

/// <summary>Prints the steps of one method's schedule in order, each under a comment naming the node and its source expression.</summary>
internal static class BodyEmitter
{
    /// <param name="profileMethod">The method's place in the schedule, which its steps' times are recorded under (<see cref="ProfileEmitter"/>).</param>
    /// <param name="training">The name of the method's bool argument that turns dropout on, or null where dropout is always on (a training step).</param>
    /// <param name="update">In a training body: the name of its bool argument that applies the fused updates (by the
    /// <c>UpdateRule</c> named <paramref name="rule"/>) instead of storing those gradients; <paramref name="lossKnown"/> is written once the loss is final.</param>
    public static void Emit(CodeWriter writer, ElementType type, MemoryNames names, MethodSchedule method, int profileMethod,
        string? training = null, string? update = null, string? rule = null, Action? lossKnown = null)
    {
        if (method.UsesBatchSize)
        {
            writer.Line($"{type.Name} {names.Local("batchSize")} = {type.Convert("batch")};");
        }

        var profile = ProfileEmitter.WriteStart(writer, names);

        var loops = new LoopEmitter(writer, type, names, method.Kind == Pipeline.EntryKind.Backward ? "Backward" : method.Name);
        var gemm = new GemmEmitter(writer, type, names);
        if (method.LossKnownAfter == -1)
        {
            lossKnown?.Invoke();
        }

        var context = new Context(writer, type, names, loops, gemm, training, update, rule, SpanParameters(type, names, method),
            LoopsApart: method.Steps.Count > LargeFunctionSteps);
        for (int q = 0; q < method.Steps.Count; q++)
        {
            EmitStep(context, method.Steps[q]);
            if (q == 0 && method.InputCheckedByProduct is int input)
            {
                EmitInputCheck(writer, type, names, ((GemmStep)method.Steps[0]).Product, input);
            }

            if (method.LossKnownAfter == q)
            {
                lossKnown?.Invoke();
            }

            ProfileEmitter.WriteRecord(writer, profile, profileMethod, q);
        }
    }

    /// <summary>
    /// The check of input <paramref name="input"/> for NaN and infinities through <paramref name="product"/>, the first
    /// step, which read all of it (<see cref="InputChecks"/>).
    /// </summary>
    private static void EmitInputCheck(CodeWriter writer, ElementType type, MemoryNames names, Gemm product, int input)
    {
        string name = names.Of(new Storage(StorageKind.Input, input));
        writer.Line($"// a NaN or an infinity in {name} makes its rows of the product NaN or infinite: {name} is scanned only where the product is not all finite");
        writer.Line($"global::Graph.Runtime.Guard.FiniteByProduct<{type.Name}>({names.Slice(product.C.Storage, "0", MemoryNames.Expression(product.M * product.N))}, {name}, nameof({name}));");
    }

    /// <summary>
    /// The steps past which a method (or a loop's step) is large: the JIT stops inlining into a method once the calls
    /// it inlined have given it a few hundred locals, so a large one prints each loop nest as a local function of its
    /// own, whose vector loads and stores are then inlined.
    /// </summary>
    private const int LargeFunctionSteps = 40;

    /// <summary>
    /// The steps past which a loop's step is large: the chapter 14 LSTM's reverse step (22 loop nests beside 11
    /// runtime calls, fewer than <see cref="LargeFunctionSteps"/> steps) had its vector loads and stores left as calls,
    /// about 3% of the training step's samples; with its nests apart the step ran 3-5% faster.
    /// </summary>
    private const int LargeLoopStepSteps = 12;

    /// <summary>
    /// The attribute of a generated method that runs kernels: compiled fully optimised at its first call. A training
    /// step's methods run once per step, so tiered compilation would run the first few dozen steps, or a whole short
    /// benchmark, on unoptimised code whose vector loads, stores and span conversions are calls.
    /// </summary>
    internal const string Optimized = "[global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]";

    /// <summary>
    /// The attribute of a loop's local function: <see cref="Optimized"/>, and compiled as a method of its own, with its
    /// own inlining budget, rather than inlined into a large method whose budget is spent.
    /// </summary>
    private const string NotInlined = "[global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.NoInlining | global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]";

    /// <summary>What printing a method's steps needs: where, its names, its printers and arguments, and whether its loop nests are printed apart.</summary>
    private sealed record Context(CodeWriter Writer, ElementType Type, MemoryNames Names, LoopEmitter Loops, GemmEmitter Gemm,
        string? Training, string? Update, string? Rule, IReadOnlyList<(string Type, string Name)> Parameters, bool LoopsApart);

    /// <summary>One step under its comment; a loop block as a <c>for</c> loop over its steps.</summary>
    private static void EmitStep(Context context, Step step)
    {
        var (writer, type, names, loops, gemm) = (context.Writer, context.Type, context.Names, context.Loops, context.Gemm);
        var (training, update, rule) = (context.Training, context.Update, context.Rule);
        var source = step.Source;
        if (step is LoopBlockStep block)
        {
            EmitLoop(context, block);
            return;
        }

        if (step is CopyStep copy)
        {
            string size = MemoryNames.Expression(copy.Count);
            writer.Line((copy.From is StoredOperand stored
                ? $"{names.Slice(stored.Storage, "0", size)}.CopyTo({names.Slice(copy.To, "0", size)});"
                : $"{names.Slice(copy.To, "0", size)}.Fill({names.Inline(copy.From, type)});")
                + (copy.Carried ? $" // %{source.Id} carried to the next step" : $" // %{source.Id} is also an output"));
            return;
        }

        // A product's comment names its kernel too, unless a fused update picks between two calls.
        bool noted = step is GemmStep gemmStep && !(gemmStep.UpdatedParameter is not null && update is not null);
        writer.Line($"// %{source.Id} {source.Type.Shape}{(source.Type.Batched ? " per sample" : string.Empty)} = {source.Description}: {source.Origin}"
            + (noted ? $" ({GemmEmitter.KernelNote(((GemmStep)step).Product.Kernel)})" : string.Empty));
        switch (step)
        {
            case GemmStep { UpdatedParameter: int p } product when update is not null:
                var value = new Storage(StorageKind.ParameterValue, p);
                WhenUpdating(
                    writer,
                    update,
                    () =>
                    {
                        writer.Line($"// fused update: {names.Of(value)} stepped by {rule} with the gradient %{source.Id}, which is not stored");
                        gemm.EmitOptimizerStep(product.Product, value, rule!, p);
                    },
                    () => gemm.Emit(product.Product));
                break;
            case GemmStep product:
                gemm.Emit(product.Product, noted: true);
                break;
            case CallStep { Update: Invocation stepCall, UpdatedParameter: int p } call when update is not null:
                WhenUpdating(
                    writer,
                    $"{update} && {rule}.StepsRowsAsTheyAreRead",
                    () =>
                    {
                        writer.Line($"// fused SGD step: the rows read of {names.Of(new Storage(StorageKind.ParameterValue, p))} -= {rule}.LearningRate · their gradient, which is not stored");
                        EmitCall(writer, type, names, stepCall, training, rule);
                    },
                    () => EmitCall(writer, type, names, call.Call, training, rule));
                break;
            case CallStep call:
                if (call.Note is string note)
                {
                    writer.Line($"// {note}");
                }

                EmitCall(writer, type, names, call.Call, training, rule);
                break;
            case ConsumedProductStep consumed:
                var consumer = consumed.Consumer.Source;
                writer.Line($"// %{consumer.Id} {consumer.Type.Shape}{(consumer.Type.Batched ? " per sample" : string.Empty)} = {consumer.Description}: {consumer.Origin}");
                writer.Line($"// the product %{source.Id} is never stored: GemmInto hands each element to the loop of %{consumer.Id} as it computes it (depth {MemoryNames.Expression(consumed.Product.K)} ≤ {ConsumedProducts.MaxDepth})");
                var (consumerType, consumerLocal) = loops.EmitConsumer(consumed);
                gemm.EmitInto(consumed.Product, consumerType, consumerLocal);
                break;
            case ConsumedMaskStep consumed when training is null:
                EmitConsumedMask(context, consumed);
                break;
            case ConsumedMaskStep consumed:
                // A method that may run without training fills the mask instead of drawing it: the loop runs apart.
                EmitCall(writer, type, names, consumed.Mask.Call, training, rule);
                EmitStep(context, consumed.Consumer);
                break;
            case LoopStep loop when context.LoopsApart:
                string function = names.Local("loop" + source.Id.ToString(CultureInfo.InvariantCulture));
                writer.Line($"{function}({string.Join(", ", context.Parameters.Select(p => p.Name))});");
                using (writer.Block($"{NotInlined} void {function}({string.Join(", ", context.Parameters.Select(p => p.Type + " " + p.Name))})"))
                {
                    loops.Emit(loop, ownScope: true);
                }

                break;
            case LoopStep loop:
                loops.Emit(loop);
                break;
            default:
                throw new InvalidOperationException($"No C# form for the step {step}.");
        }
    }

    /// <summary>The mask's call handing each drawn chunk to its loop, under the mask's note and the loop's comment.</summary>
    private static void EmitConsumedMask(Context context, ConsumedMaskStep consumed)
    {
        var writer = context.Writer;
        if (consumed.Mask.Note is string note)
        {
            writer.Line($"// {note}");
        }

        var loop = consumed.Consumer.Source;
        writer.Line($"// %{loop.Id} {loop.Type.Shape}{(loop.Type.Batched ? " per sample" : string.Empty)} = {loop.Description}: {loop.Origin}");
        var consumer = context.Loops.EmitMaskConsumer(consumed);
        EmitCall(writer, context.Type, context.Names, consumed.Mask.Call, null, context.Rule, consumer);
    }

    /// <summary>
    /// A loop block: a <c>for</c> loop over its steps that calls a local function holding one step, so the JIT compiles
    /// the step as a method of its own (a method of thousands of statements gets no inlining of the small calls its
    /// loops make). The function takes the method's span arguments, which it cannot capture, and the step.
    /// </summary>
    private static void EmitLoop(Context context, LoopBlockStep block)
    {
        var (writer, names, parameters) = (context.Writer, context.Names, context.Parameters);
        var range = block.Range;
        var source = block.Source;
        string variable = names.Step;
        string first = range.First.ToString(CultureInfo.InvariantCulture);
        string last = range.EndsAtCount ? Identifier.Escape(range.Spec.Count!) + " - 1" : range.Last.ToString(CultureInfo.InvariantCulture);
        string function = names.Local("loopStep" + source.Id.ToString(CultureInfo.InvariantCulture));
        string arguments = string.Join(", ", parameters.Select(p => p.Name).Append(variable));
        writer.Line($"// %{source.Id} {source.Description}, one step of {source.Origin} per iteration ({variable} is the forward step)");
        using (writer.Block(range.Backwards
            ? $"for (int {variable} = {last}; {variable} >= {first}; {variable}--)"
            : range.EndsAtCount ? $"for (int {variable} = {first}; {variable} < {Identifier.Escape(range.Spec.Count!)}; {variable}++)"
            : $"for (int {variable} = {first}; {variable} <= {last}; {variable}++)"))
        {
            writer.Line($"{function}({arguments});");
        }

        writer.Line();
        writer.Line($"// One step of the loop %{source.Id}.");
        using (writer.Block($"{NotInlined} void {function}({string.Join(", ", parameters.Select(p => p.Type + " " + p.Name).Append("int " + variable))})"))
        {
            var inBlock = context with { LoopsApart = block.Body.Count > LargeLoopStepSteps };
            foreach (var inner in block.Body)
            {
                EmitStep(inBlock, inner);
            }
        }
    }

    /// <summary>The method's span arguments (its inputs, and a forward method's output), as a loop step's function takes them.</summary>
    private static IReadOnlyList<(string Type, string Name)> SpanParameters(ElementType type, MemoryNames names, MethodSchedule method)
    {
        var parameters = method.Inputs
            .Select((input, i) => input.StepCount is not null
                ? ("int", Identifier.Escape(input.Name))
                : ($"global::System.ReadOnlySpan<{(input.Indices ? "int" : type.Name)}>", names.Of(new Storage(StorageKind.Input, i))))
            .ToList();
        if (method.Kind == Pipeline.EntryKind.Forward)
        {
            parameters.Add(($"global::System.Span<{type.Name}>", names.Of(new Storage(StorageKind.Output, 0))));
        }

        return parameters;
    }

    private static void WhenUpdating(CodeWriter writer, string condition, Action updating, Action storing)
    {
        using (writer.Block($"if ({condition})"))
        {
            updating();
        }

        using (writer.Block("else"))
        {
            storing();
        }
    }

    /// <summary>A runtime kernel call; one that runs only while training fills its result instead where <paramref name="training"/> is off.</summary>
    /// <param name="consumer">The loop the kernel hands its result to as it computes it (its type, local and chunk), or null.</param>
    private static void EmitCall(CodeWriter writer, ElementType type, MemoryNames names, Invocation call, string? training, string? rule,
        (string Type, string Local, int Chunk)? consumer = null)
    {
        string Argument(Argument argument) => argument switch
        {
            SpanArgument span => names.Slice(span.Storage, "0", MemoryNames.Expression(span.Count)),
            StorageArgument { Written: true, Storage.Kind: StorageKind.IndexBuffer } written => $"new global::System.Span<int>({names.Of(written.Storage)}, 0, batch)",
            StorageArgument stored => names.Argument(stored.Storage),
            CountArgument count => MemoryNames.Expression(count.Count),
            FlagArgument flag => flag.Value ? "true" : "false",
            RealArgument real => real.Value.ToString("R", CultureInfo.InvariantCulture),
            RandomArgument random => random.Philox ? "this.DropoutGenerator" : "this.Random",
            RowsArgument rows => rows.Storage is { } table ? names.RowsOf(table) : "null",
            LearningRateArgument => $"{rule}.LearningRate",
            StepPositionArgument position => names.StepPosition(relative: true, position.Coefficient, position.Offset, position.Unit),
            RunTimeStepsArgument steps => MemoryNames.StepCount(steps.Steps),
            _ => throw new InvalidOperationException($"No C# form for the kernel argument {argument}."),
        };

        var arguments = call.Arguments.Select(Argument);
        string typeArguments = call.Generic ? type.Name : string.Empty;
        if (consumer is var (consumerType, local, chunk))
        {
            arguments = arguments.Append($"ref {local}").Append(chunk.ToString(CultureInfo.InvariantCulture));
            typeArguments = call.Generic ? $"{type.Name}, {consumerType}" : consumerType;
        }

        string generic = typeArguments.Length == 0 ? string.Empty : $"<{typeArguments}>";
        string statement = $"global::Graph.Runtime.Kernels.{call.Kernel}{generic}({string.Join(", ", arguments)});";
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
            var result = call.Arguments.First(a => a is SpanArgument or StorageArgument { Written: true });
            writer.Line($"{Argument(result)}.Fill({type.Literal(fill)});");
        }
    }
}
