using System.Globalization;
using System.Text;
using Graph.Generator.IR;
using Graph.Generator.Planning;
using Graph.Generator.Shapes;

namespace Graph.Generator.Schedule;

/// <summary>
/// A model's schedule as text, free of any target language: its buffers, then each method's steps one a line. What
/// the compiler's stage tests compare, so that a planning decision that changes reads as a small diff.
/// </summary>
internal static class ScheduleListing
{
    public static string Print(ModelSchedule schedule)
    {
        var text = new StringBuilder();
        for (int p = 0; p < schedule.Parameters.Count; p++)
        {
            var parameter = schedule.Parameters[p];
            text.Append($"param{p} {parameter.Shape}{(parameter.SparseRows ? " row-sparse gradient" : string.Empty)}\n");
        }

        Buffers(text, "batch", schedule.BatchBuffers, " per sample");
        Buffers(text, "shared", schedule.SharedBuffers, string.Empty);
        foreach (var table in schedule.ScatteredTables)
        {
            text.Append($"table{I(table.Index)} {table.Table} row-sparse\n");
        }

        foreach (var buffer in schedule.IndexBuffers)
        {
            text.Append($"indices {buffer.Input}[{I(buffer.Position)}] per sample\n");
        }

        foreach (var method in schedule.Methods)
        {
            text.Append('\n').Append(method.Kind).Append(' ').Append(method.Name).Append('(')
                .Append(string.Join(", ", method.Inputs.Select(Input))).Append(")\n");
            if (method.LossKnownAfter == -1 && method.Kind == Pipeline.EntryKind.Backward)
            {
                text.Append("  loss known\n");
            }

            for (int q = 0; q < method.Steps.Count; q++)
            {
                Steps(text, method.Steps[q], "  ");
                if (method.LossKnownAfter == q)
                {
                    text.Append("  loss known\n");
                }
            }

            if (method.Loss is Operand loss)
            {
                text.Append("  loss = ").Append(Operand(loss)).Append('\n');
            }

            if (method.Updates.Count > 0)
            {
                text.Append("  updates: ").Append(string.Join(", ", method.Updates.Select(Update))).Append('\n');
            }
        }

        return text.ToString();
    }

    private static void Buffers(StringBuilder text, string kind, IReadOnlyList<BufferLayout> buffers, string perSample)
    {
        for (int i = 0; i < buffers.Count; i++)
        {
            text.Append($"{kind}{I(i)} max({string.Join(", ", buffers[i].Sizes)}){perSample}, used by {string.Join(", ", buffers[i].Users)}\n");
        }
    }

    private static string Update(ParameterUpdate update) => $"param{I(update.Parameter)}" + update.Site switch
    {
        UpdateSite.InProduct => " in its product",
        UpdateSite.InRowScatter => " in its row scatter (plain SGD)",
        _ => update.SparseRows ? " after, rows read" : " after",
    };

    private static string Input(InputLayout input) =>
        input.Name + " " + (input.StepCount is { } steps ? $"steps {I(steps.Min)}..{I(steps.Max)}"
            : !input.Indices ? input.Shape.ToString()
            : $"indices{(input.Count is Size count ? "[" + count + "]" : "[any]")}{(input.Padded ? " padded" : string.Empty)}"
                + (input.IndexBounds.Count > 0 ? " < " + string.Join(", ", input.IndexBounds) : string.Empty));

    /// <summary>A step on its line; a loop block's steps below it, indented.</summary>
    private static void Steps(StringBuilder text, Step step, string indent)
    {
        if (step is LoopBlockStep block)
        {
            text.Append(indent).Append($"%{I(step.Source.Id)} for {block.Range.Label}:\n");
            foreach (var inner in block.Body)
            {
                Steps(text, inner, indent + "  ");
            }

            return;
        }

        text.Append(indent).Append(Step(step)).Append('\n');
    }

    private static string Step(Step step)
    {
        string head = $"%{I(step.Source.Id)} {step.Source.Type.Shape}{(step.Source.Type.Batched ? " per sample" : string.Empty)}";
        return step switch
        {
            GemmStep gemm => $"{head} gemm {Gemm(gemm.Product)}{(gemm.UpdatedParameter is int p ? $" | updating: param{I(p)} by the rule, gradient = product" : string.Empty)}",
            CallStep call => $"{head} call {Invocation(call.Call)}{(call.Update is Invocation update ? $" | updating: {Invocation(update)}" : string.Empty)}",
            LoopStep loop => $"{head} loop {Loop(loop)}",
            ConsumedProductStep consumed => $"{head} gemm {Gemm(consumed.Product)} into the loop of %{I(consumed.Consumer.Source.Id)}, never stored: {Loop(consumed.Consumer)}",
            ConsumedMaskStep consumed => $"{head} call {Invocation(consumed.Mask.Call)} handing each drawn chunk to the loop of %{I(consumed.Consumer.Source.Id)}: {Loop(consumed.Consumer)}",
            CopyStep copy => $"%{I(step.Source.Id)} copy {Operand(copy.From)} -> {Storage(copy.To)} ({copy.Count})",
            _ => throw new InvalidOperationException($"No listing for the step {step}."),
        };
    }

    private static string Gemm(Gemm g) =>
        $"{Storage(g.C.Storage)} {(g.AddsToC ? "+=" : "=")} {Storage(g.A.Storage)}{(g.TransposeA ? "ᵀ" : string.Empty)}·{Storage(g.B.Storage)}{(g.TransposeB ? "ᵀ" : string.Empty)}"
        + $" m={g.M} n={g.N} k={g.K} lda={g.Lda} ldb={g.Ldb} ldc={g.Ldc}"
        + (g.PerSample ? $" per sample (A {Sample(g.A)}, B {Sample(g.B)}, C {Sample(g.C)}){(g.AccumulateOverSamples ? " summed" : string.Empty)}" : string.Empty)
        + $" kernel {g.Kernel.Kernel}{(g.UpdateKernel != g.Kernel ? $" (update {g.UpdateKernel.Kernel})" : string.Empty)}";

    private static string Sample(GemmOperand operand) => operand.SampleSize is Size size ? "+" + size : "shared";

    private static string Invocation(Invocation call) =>
        $"{call.Kernel}({string.Join(", ", call.Arguments.Select(Argument))}){(call.WhenNotTraining is double fill ? $" (else filled with {R(fill)})" : string.Empty)}";

    private static string Argument(Argument argument) => argument switch
    {
        StorageArgument stored => (stored.Written ? "out " : string.Empty) + Storage(stored.Storage),
        SpanArgument span => $"{Storage(span.Storage)}[..{span.Count}]",
        CountArgument count => count.Count.ToString(),
        FlagArgument flag => flag.Value ? "true" : "false",
        RealArgument real => R(real.Value),
        RandomArgument random => random.Philox ? "philox" : "random",
        RowsArgument rows => rows.Storage switch
        {
            { Kind: StorageKind.ParameterGradient } gradient => $"rows of param{I(gradient.Index)}",
            { } table => "rows of " + StorageOnly(table),
            null => "no rows",
        },
        LearningRateArgument => "rate",
        StepPositionArgument position => $"({StepPosition(position.Coefficient, position.Offset)})" + (position.Unit.IsOne ? string.Empty : "·" + position.Unit),
        RunTimeStepsArgument steps => $"({steps.Steps.Count} - {I(steps.Steps.Before)})",
        _ => throw new InvalidOperationException($"No listing for the argument {argument}."),
    };

    private static string Loop(LoopStep loop)
    {
        var text = new StringBuilder();
        text.Append('[').Append(string.Join(", ", loop.Trips)).Append(']').Append(loop.Vectorised ? " vectorised" : string.Empty);
        if (loop.Split is LoopSplit split)
        {
            text.Append(split.Chunk is int chunk ? $" split in chunks of {I(chunk)}" : " split by its outer loop");
        }

        text.Append(": ");
        foreach (var assignment in loop.Fused)
        {
            text.Append('t').Append(I(assignment.Temp)).Append(" = ").Append(Element(loop, assignment)).Append("; ");
        }

        text.Append(Operand(loop, loop.Target)).Append(loop.Reduce ? " += " : " = ").Append(Element(loop, loop.Result));
        return text.ToString();
    }

    private static string Element(LoopStep loop, ElementAssignment assignment) => Scalar(assignment.Template, i => assignment.Arguments[i] switch
    {
        TempValue temp => "t" + I(temp.Temp),
        LoadValue load => Operand(loop, loop.Operands[load.Operand]),
        InlineValue inline => Operand(inline.Value),
        var value => throw new InvalidOperationException($"No listing for the loop value {value}."),
    });

    private static string Operand(LoopStep loop, LoopOperand operand) =>
        $"{Storage(operand.Storage)}[{string.Join(",", operand.Strides)}]{(operand.MaskScale is double scale ? $" (packed mask: {R(scale)} or 0)" : string.Empty)}";

    /// <summary>A template fully parenthesised, with each function by its name.</summary>
    private static string Scalar(Scalar expression, Func<int, string> operand) => expression switch
    {
        ScalarOperand o => operand(o.Index),
        ScalarLiteral literal => R(literal.Value),
        ScalarBinary binary => $"({Scalar(binary.Left, operand)} {Symbol(binary.Operator)} {Scalar(binary.Right, operand)})",
        ScalarFunctionOf function => $"{function.Function.ToString().ToLowerInvariant()}({Scalar(function.Operand, operand)})",
        ScalarIfPositive choice => $"({Scalar(choice.Condition, operand)} > 0 ? {Scalar(choice.Positive, operand)} : {Scalar(choice.Otherwise, operand)})",
        _ => throw new InvalidOperationException($"No listing for the scalar expression {expression}."),
    };

    private static string Symbol(ScalarOperator op) => op switch
    {
        ScalarOperator.Add => "+",
        ScalarOperator.Subtract => "-",
        ScalarOperator.Multiply => "*",
        _ => "/",
    };

    private static string Operand(Operand operand) => operand switch
    {
        StoredOperand stored => Storage(stored.Storage),
        LiteralOperand literal => R(literal.Value),
        BatchSizeOperand => "batch",
        CountOperand count => count.Size.ToString(),
        _ => throw new InvalidOperationException($"No listing for the operand {operand}."),
    };

    private static string Storage(Storage storage) => storage.Step is { } part
        ? StorageOnly(storage) + (part.Relative ? $"[{StepPosition(1, part.Offset)}]" : part.RunTime is { } run ? $"[steps {I(part.Offset)}.. ({run.Count} - {I(run.Before)} of them)]" : part.Steps > 1 ? $"[steps {I(part.Offset)}..{I(part.Offset + part.Steps - 1)}]" : $"[step {I(part.Offset)}]")
        : StorageOnly(storage);

    private static string StorageOnly(Storage storage) => storage.Kind switch
    {
        StorageKind.Input => "input" + I(storage.Index),
        StorageKind.Output => "output",
        StorageKind.ParameterValue => "param" + I(storage.Index),
        StorageKind.ParameterGradient => "grad" + I(storage.Index),
        StorageKind.BatchBuffer => "batch" + I(storage.Index),
        StorageKind.SharedBuffer => "shared" + I(storage.Index),
        StorageKind.ScatteredTable => $"table{I(storage.Index)} {storage.Table}",
        StorageKind.IndexBuffer => storage.AtStep is { } at
            ? $"input{I(storage.Index)}[{StepPosition(at.Coefficient, at.Offset)}]"
            : $"input{I(storage.Index)}[{I(storage.Position)}]",
        _ => "inline",
    };

    /// <summary>A position that moves with a loop's step: <c>step</c>, <c>2·step+1</c>, <c>step-1</c>.</summary>
    private static string StepPosition(int coefficient, int offset) =>
        $"{(coefficient == 1 ? string.Empty : I(coefficient) + "·")}step{(offset == 0 ? string.Empty : offset.ToString("+0;-0", CultureInfo.InvariantCulture))}";

    private static string I(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string R(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
