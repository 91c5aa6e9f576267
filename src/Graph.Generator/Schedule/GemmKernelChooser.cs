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
/// time (a batch that may be 1, a depth that may be long enough to split, a model generic over its element type), or
/// on the processor (a product whose every dimension reaches the packing size), the choice is left to the runtime. The rule assumes the hardware has vectors, as every 64-bit .NET target does; the
/// named kernels compute the same values as the runtime's choice, so a mismatch could only cost speed.
/// </summary>
internal static class GemmKernelChooser
{
    /// <summary>The runtime's <c>GemmCore.PackedMinSize</c>: products whose every dimension reaches it are packed, or on
    /// some cores run on the direct tiles, a choice left to the run time.</summary>
    public const int PackedMinSize = 384;

    /// <summary>The runtime's <c>GemmCore.SplitDepthMaxOutput</c>: the largest C whose depth is split (float only).</summary>
    public const int SplitDepthMaxOutput = 1024;

    /// <summary>Twice the runtime's <c>GemmCore.SplitDepthChunk</c>: the shortest depth that is split.</summary>
    public const int SplitDepthMinDepth = 2 * 2048;

    /// <summary>The runtime's <c>GemmCore.HalvesMinDepth</c>: the shortest depth split in two halves (float only).</summary>
    public const int HalvesMinDepth = 256;

    /// <summary>The runtime's <c>GemmCore.HalvesDepthPerRow</c>: how many times C's rows a depth split in halves is.</summary>
    public const int HalvesDepthPerRow = 4;

    /// <summary>The runtime's <c>GemmCore.HalvesWidthPerRow</c>: how many times its rows the columns of a C whose depth
    /// is split in halves may be.</summary>
    public const int HalvesWidthPerRow = 2;

    /// <summary>The most floats in a vector the runtime computes with (512 bits).</summary>
    public const int WidestFloatVector = 16;

    /// <summary>The fewest floats in a vector the runtime computes with (128 bits).</summary>
    public const int NarrowestFloatVector = 4;

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
        if (split == true)
        {
            return new GemmKernelChoice(GemmKernelName.SplitDepth, $"C has {Show(m)}x{Show(n)} <= {SplitDepthMaxOutput} elements over depth k = {Show(k)} >= {SplitDepthMinDepth}");
        }

        // Where the long-depth split depends on the run time, the choice is certain only if the rest of the rule
        // splits the depth too.
        var rest = ChooseUnsplit(m, n, k, elementType);
        return split is null && rest.Kernel != GemmKernelName.SplitDepth
            ? RunTime($"splitting the depth k = {Show(k)} of the {Show(m)}x{Show(n)} product in {elementType} depends on sizes known at run time")
            : rest;
    }

    /// <summary>The rule below the long-depth split: packed, direct, or the depth in two halves.</summary>
    private static GemmKernelChoice ChooseUnsplit(Size m, Size n, Size k, string elementType)
    {
        var small = new[] { ("m", m), ("n", n), ("k", k) }.FirstOrDefault(d => d.Item2.IsConstant && d.Item2.Value < PackedMinSize);
        if (small.Item1 is null)
        {
            // Packed on most cores, but the direct tiles where the core halves 512-bit multiply-adds and B fits the
            // caches (the runtime's GemmCore.DirectBeatsPacked): the same sums either way, so only the speed is left open.
            return m.Coefficient >= PackedMinSize && n.Coefficient >= PackedMinSize && k.Coefficient >= PackedMinSize
                ? RunTime($"m, n, k >= {PackedMinSize}: packed, or the direct tiles on a core that halves 512-bit multiply-adds")
                : RunTime($"packing depends on the sizes known at run time (m = {Show(m)}, n = {Show(n)}, k = {Show(k)})");
        }

        bool? halves = And(Relaxed(elementType), AtLeast(k, HalvesMinDepth), AtLeastTimes(k, m, HalvesDepthPerRow), AtMostTimes(n, m, HalvesWidthPerRow));
        bool? wide = AtLeastAVector(n);
        return And(halves, wide) switch
        {
            true => new GemmKernelChoice(GemmKernelName.SplitDepth, $"depth k = {Show(k)} >= {HalvesMinDepth} and >= {HalvesDepthPerRow}·m, n <= {HalvesWidthPerRow}·m (m = {Show(m)}): the depth split in two halves"),
            false => new GemmKernelChoice(GemmKernelName.Direct, $"{small.Item1} = {Show(small.Item2)} < {PackedMinSize}, too small to pack"),
            _ when halves == true => RunTime($"splitting the depth k = {Show(k)} of the {Show(m)}x{Show(n)} product in two halves in {elementType} depends on whether n = {Show(n)} columns fill a vector of the processor"),
            _ => RunTime($"splitting the depth k = {Show(k)} of the {Show(m)}x{Show(n)} product in two halves in {elementType} depends on sizes known at run time"),
        };
    }

    /// <summary>
    /// Whether n is at least a vector of floats wide on every processor (the runtime splits no narrower C in halves):
    /// a vector holds 4, 8 or 16 floats, so 16 columns are wide enough everywhere and fewer than 4 nowhere.
    /// </summary>
    private static bool? AtLeastAVector(Size n) =>
        n.Coefficient >= WidestFloatVector ? true
        : n.IsConstant && n.Value < NarrowestFloatVector ? false
        : null;

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

    /// <summary>Whether k ≥ <paramref name="times"/>·m for every value of the sizes (null: for some values only).</summary>
    private static bool? AtLeastTimes(Size k, Size m, int times) =>
        k.IsConstant && m.IsConstant ? k.Value >= (long)times * m.Value
        : m.IsConstant ? (k.Coefficient >= (long)times * m.Value ? true : null)
        : k.IsConstant && k.Value < (long)times * m.Coefficient ? false
        : null;

    /// <summary>Whether n ≤ <paramref name="times"/>·m for every value of the sizes (null: for some values only).</summary>
    private static bool? AtMostTimes(Size n, Size m, int times) =>
        n.IsConstant && m.IsConstant ? n.Value <= (long)times * m.Value
        : n.IsConstant ? (n.Value <= (long)times * m.Coefficient ? true : null)
        : m.IsConstant && n.Coefficient > (long)times * m.Value ? false
        : null;

    /// <summary>Three-valued and: false if any is false, true if all are true, else unknown.</summary>
    private static bool? And(params bool?[] values) =>
        values.Any(v => v == false) ? false
        : values.All(v => v == true) ? true
        : null;

    private static string Show(Size size) =>
        size.Expression(symbol => symbol == Size.BatchSymbol ? "batch" : symbol).Replace(" * ", "·");
}
