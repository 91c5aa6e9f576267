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

    /// <param name="noted">Whether the kernel's note (<see cref="KernelNote"/>) is already in the step's comment.</param>
    public void Emit(Gemm product, bool noted = false)
    {
        if (!noted)
        {
            Comment(product.Kernel);
        }

        if (product.AddsToC)
        {
            writer.Line($"global::Graph.Runtime.Kernels.GemmAddProduct<{type.Name}>({Kernel(product.Kernel)}{Arguments(product, names.Of(product.A.Storage), names.Of(product.B.Storage), names.Of(product.C.Storage))});");
            return;
        }

        if (!product.PerSample)
        {
            writer.Line($"global::Graph.Runtime.Kernels.Gemm<{type.Name}>({Kernel(product.Kernel)}{Arguments(product, names.Of(product.A.Storage), names.Of(product.B.Storage), names.Of(product.C.Storage))}, false);");
            return;
        }

        string s = names.Local("sample");
        using (writer.Block($"for (int {s} = 0; {s} < batch; {s}++)"))
        {
            writer.Line($"global::Graph.Runtime.Kernels.Gemm<{type.Name}>({Kernel(product.Kernel)}{Arguments(product, Sample(product.A, s), Sample(product.B, s), Sample(product.C, s))}, {(product.AccumulateOverSamples ? $"{s} > 0" : "false")});");
        }
    }

    /// <summary>
    /// A product handed to the consumer <paramref name="consumer"/> (of type <paramref name="consumerType"/>) element by
    /// element instead of stored (a <see cref="ConsumedProductStep"/>).
    /// </summary>
    public void EmitInto(Gemm product, string consumerType, string consumer) =>
        writer.Line($"global::Graph.Runtime.Kernels.GemmInto<{type.Name}, {consumerType}>({Bool(product.TransposeB)}, {I(product.M)}, {I(product.N)}, {I(product.K)}, {names.Of(product.A.Storage)}, {I(product.Lda)}, {names.Of(product.B.Storage)}, {I(product.Ldb)}, ref {consumer});");

    /// <summary>
    /// Parameter <paramref name="parameter"/> (<paramref name="value"/>) stepped by the update rule named
    /// <paramref name="rule"/> with a gradient that is one GEMM call: the update is applied by the product itself and
    /// the gradient is never stored.
    /// </summary>
    public void EmitOptimizerStep(Gemm product, Storage value, string rule, int parameter)
    {
        Comment(product.UpdateKernel);
        writer.Line($"global::Graph.Runtime.Kernels.GemmOptimizerStep<{type.Name}>({Kernel(product.UpdateKernel)}{Arguments(product, names.Of(product.A.Storage), names.Of(product.B.Storage), names.Of(value))}, {rule}, {parameter.ToString(System.Globalization.CultureInfo.InvariantCulture)});");
    }

    /// <summary>The kernel the call runs with and why: named at compile time, or left to the runtime.</summary>
    private void Comment(GemmKernelChoice kernel) => writer.Line("// " + KernelNote(kernel));

    /// <summary>What a comment says of the kernel a call runs with: <c>GEMM kernel Direct: ...</c>.</summary>
    public static string KernelNote(GemmKernelChoice kernel) =>
        kernel.Kernel == GemmKernelName.RunTime
            ? $"GEMM kernel chosen at run time: {kernel.Reason}"
            : $"GEMM kernel {kernel.Kernel}: {kernel.Reason}";

    /// <summary>The kernel argument of a call whose kernel was chosen at compile time, else nothing.</summary>
    private static string Kernel(GemmKernelChoice kernel) =>
        kernel.Kernel == GemmKernelName.RunTime ? string.Empty : $"global::Graph.Runtime.GemmKernel.{kernel.Kernel}, ";

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
