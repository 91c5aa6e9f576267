using Graph.Generator.Shapes;

namespace Graph.Generator.Schedule;

/// <summary>The runtime's GEMM kernels (<c>Graph.Runtime.GemmKernel</c>), or the choice left to the run time.</summary>
internal enum GemmKernelName
{
    /// <summary>Chosen by the runtime from the sizes it is given (<c>GemmKernel.Auto</c>).</summary>
    RunTime,

    RowByRow,

    ColumnByColumn,

    Packed,

    Direct,

    SplitDepth,
}

/// <summary>The kernel a product runs with and why, for the generated code's comment.</summary>
internal sealed record GemmKernelChoice(GemmKernelName Kernel, string Reason);

/// <summary>
/// Picks a GEMM's kernel at compile time by the runtime's own rule (<c>Kernels.ChooseGemmKernel</c>) applied to what
/// the compiler knows of the sizes: a number is known, and a size over named sizes or the batch is at least its number
/// part (every named size and the batch is at least 1). Where the rule's answer depends on what is known only at run
/// time (a batch that may be 1, a depth that may be long enough to split, a model generic over its element type) the
/// choice is left to the runtime. The rule assumes the hardware has vectors, as every 64-bit .NET target does; the
/// named kernels compute the same values as the runtime's choice, so a mismatch could only cost speed.
/// </summary>
internal static class GemmKernelChooser
{
    /// <summary>The runtime's <c>GemmCore.PackedMinSize</c>: products whose every dimension reaches it are packed.</summary>
    public const int PackedMinSize = 384;

    /// <summary>The runtime's <c>GemmCore.SplitDepthMaxOutput</c>: the largest C whose depth is split (float only).</summary>
    public const int SplitDepthMaxOutput = 1024;

    /// <summary>Twice the runtime's <c>GemmCore.SplitDepthChunk</c>: the shortest depth that is split.</summary>
    public const int SplitDepthMinDepth = 2 * 2048;

    /// <summary>The kernel for C[m×n] = op(A)·op(B) over depth k with elements of <paramref name="elementType"/>.</summary>
    /// <param name="elementType">float, double, or a type parameter (unknown until the model is created).</param>
    public static GemmKernelChoice Choose(Size m, Size n, Size k, string elementType)
    {
        if (m.IsOne)
        {
            return new GemmKernelChoice(GemmKernelName.RowByRow, "m = 1, a vector-matrix product");
        }

        if (m.Coefficient == 1)
        {
            return RunTime($"m = {Show(m)} may be 1");
        }

        if (n.IsOne)
        {
            return new GemmKernelChoice(GemmKernelName.ColumnByColumn, "n = 1, a matrix-vector product");
        }

        if (n.Coefficient == 1)
        {
            return RunTime($"n = {Show(n)} may be 1");
        }

        bool? split = And(Relaxed(elementType), AtMost(m, n, SplitDepthMaxOutput), AtLeast(k, SplitDepthMinDepth));
        if (split is null)
        {
            return RunTime($"splitting the depth k = {Show(k)} of the {Show(m)}x{Show(n)} product in {elementType} depends on sizes known at run time");
        }

        if (split.Value)
        {
            return new GemmKernelChoice(GemmKernelName.SplitDepth, $"C has {Show(m)}x{Show(n)} <= {SplitDepthMaxOutput} elements over depth k = {Show(k)} >= {SplitDepthMinDepth}");
        }

        var small = new[] { ("m", m), ("n", n), ("k", k) }.FirstOrDefault(d => d.Item2.IsConstant && d.Item2.Value < PackedMinSize);
        if (small.Item1 is not null)
        {
            return new GemmKernelChoice(GemmKernelName.Direct, $"{small.Item1} = {Show(small.Item2)} < {PackedMinSize}, too small to pack");
        }

        if (m.Coefficient >= PackedMinSize && n.Coefficient >= PackedMinSize && k.Coefficient >= PackedMinSize)
        {
            return new GemmKernelChoice(GemmKernelName.Packed, $"m, n, k >= {PackedMinSize}, too large for the caches");
        }

        return RunTime($"packing depends on the sizes known at run time (m = {Show(m)}, n = {Show(n)}, k = {Show(k)})");
    }

    /// <summary>
    /// The kernel of the SGD step fused into the product: as <see cref="Choose"/>, except that a depth that may be 1
    /// leaves the choice to the runtime, whose step skips the zero factors of a depth-1 product (a batch of one).
    /// </summary>
    public static GemmKernelChoice ChooseForUpdate(GemmKernelChoice product, Size k) =>
        k.Coefficient == 1 && product.Kernel != GemmKernelName.RunTime
            ? RunTime($"k = {Show(k)} may be 1, a product the fused step runs as an outer product")
            : product;

    private static GemmKernelChoice RunTime(string reason) => new(GemmKernelName.RunTime, reason);

    /// <summary>Whether float sums may be reordered (float: yes; double: no; a type parameter: unknown).</summary>
    private static bool? Relaxed(string elementType) => elementType switch
    {
        "float" => true,
        "double" => false,
        _ => null,
    };

    private static bool? AtMost(Size m, Size n, long limit) =>
        m.IsConstant && n.IsConstant ? (long)m.Value * n.Value <= limit
        : (long)m.Coefficient * n.Coefficient > limit ? false
        : null;

    private static bool? AtLeast(Size k, int limit) =>
        k.Coefficient >= limit ? true
        : k.IsConstant ? false
        : null;

    /// <summary>Three-valued and: false if any is false, true if all are true, else unknown.</summary>
    private static bool? And(params bool?[] values) =>
        values.Any(v => v == false) ? false
        : values.All(v => v == true) ? true
        : null;

    private static string Show(Size size) =>
        size.Expression(symbol => symbol == Size.BatchSymbol ? "batch" : symbol).Replace(" * ", "·");
}
