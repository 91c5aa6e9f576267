using Graph.Generator.Planning;
using Graph.Generator.Schedule;

namespace Graph.Generator.Emit;

/// <summary>Prints a <see cref="Gemm"/> as calls to the runtime's GEMM: one for the whole batch, or one per sample.</summary>
internal sealed class GemmEmitter
{
    private readonly CodeWriter writer;
    private readonly ElementType type;
    private readonly MemoryNames names;

    public GemmEmitter(CodeWriter writer, ElementType type, MemoryNames names)
    {
        this.writer = writer;
        this.type = type;
        this.names = names;
    }

    public void Emit(Gemm product)
    {
        if (!product.PerSample)
        {
            writer.Line($"global::Graph.Runtime.Kernels.Gemm<{type.Name}>({Arguments(product, names.Of(product.A.Storage), names.Of(product.B.Storage), names.Of(product.C.Storage))}, false);");
            return;
        }

        string s = names.Local("sample");
        using (writer.Block($"for (int {s} = 0; {s} < batch; {s}++)"))
        {
            writer.Line($"global::Graph.Runtime.Kernels.Gemm<{type.Name}>({Arguments(product, Sample(product.A, s), Sample(product.B, s), Sample(product.C, s))}, {(product.AccumulateOverSamples ? $"{s} > 0" : "false")});");
        }
    }

    /// <summary>
    /// Parameter <paramref name="parameter"/> (<paramref name="value"/>) stepped by the update rule named
    /// <paramref name="rule"/> with a gradient that is one GEMM call: the update is applied by the product itself and
    /// the gradient is never stored.
    /// </summary>
    public void EmitOptimizerStep(Gemm product, Storage value, string rule, int parameter) =>
        writer.Line($"global::Graph.Runtime.Kernels.GemmOptimizerStep<{type.Name}>({Arguments(product, names.Of(product.A.Storage), names.Of(product.B.Storage), names.Of(value))}, {rule}, {parameter.ToString(System.Globalization.CultureInfo.InvariantCulture)});");

    /// <summary>The arguments of one GEMM call, up to the accumulate flag or the update rule.</summary>
    private static string Arguments(Gemm product, string a, string b, string c) =>
        $"{Bool(product.TransposeA)}, {Bool(product.TransposeB)}, {I(product.M)}, {I(product.N)}, {I(product.K)}, {a}, {I(product.Lda)}, {b}, {I(product.Ldb)}, {c}, {I(product.Ldc)}";

    /// <summary>Sample <paramref name="sample"/>'s part of a batched operand, or the whole of a shared one.</summary>
    private string Sample(GemmOperand operand, string sample)
    {
        if (operand.SampleSize is not { } size)
        {
            return names.Of(operand.Storage);
        }

        string elements = I(size);
        return names.Slice(operand.Storage, $"{sample} * {elements}", elements);
    }

    private static string Bool(bool value) => value ? "true" : "false";

    private static string I(Shapes.Size value) => MemoryNames.Expression(value);
}
