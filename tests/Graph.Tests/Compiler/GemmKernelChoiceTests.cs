using Graph.Generator.Schedule;
using Graph.Generator.Shapes;
using Graph.Runtime;
using Xunit;

namespace Graph.Tests.Compiler;

/// <summary>
/// The GEMM kernel the compiler names (<see cref="GemmKernelChooser"/>) is the one the runtime would choose
/// (<see cref="Kernels.ChooseGemmKernel{T}"/>) for every value the sizes can take, and a size the choice depends on
/// leaves it to the run time, as does a product large enough that its packing depends on the processor.
/// </summary>
public sealed class GemmKernelChoiceTests
{
    /// <summary>Around each threshold of the rule: 1, the packing size 384, the split limits 1024 and 4096, and the
    /// halves' least depth 256, depth of four times the rows (64 and 256, 100 and 400) and width of twice the rows (32 and
    /// 64, 200 and 100).</summary>
    private static readonly int[] Numbers = [1, 2, 3, 9, 16, 32, 33, 64, 65, 100, 200, 201, 255, 256, 383, 384, 399, 400, 1000, 1024, 1025, 4095, 4096, 5000];

    /// <summary>Values a named size or the batch takes in the symbolic cases.</summary>
    private static readonly int[] SymbolValues = [1, 2, 7, 383, 384, 4096, 5000];

    [Theory]
    [InlineData("float")]
    [InlineData("double")]
    public void AKnownShapeGetsTheRuntimesKernel(string elementType)
    {
        foreach (int m in Numbers)
        {
            foreach (int n in Numbers)
            {
                foreach (int k in Numbers)
                {
                    var choice = GemmKernelChooser.Choose(Size.Of(m), Size.Of(n), Size.Of(k), elementType);
                    if (choice.Kernel == GemmKernelName.RunTime)
                    {
                        // Only what may depend on the processor is left to the run time: the packing of a product
                        // whose every dimension reaches the packing size (packed, or the direct tiles on a core that
                        // halves 512-bit multiply-adds), and the halves of a C that may be narrower than a vector.
                        var possible = ProcessorChoices(elementType, m, n, k);
                        Assert.True(Math.Min(m, Math.Min(n, k)) >= GemmKernelChooser.PackedMinSize || possible.Count > 1, $"{m}x{n}x{k}: {choice.Reason}");
                        Assert.Contains(RuntimeChoice(elementType, m, n, k), possible);
                        continue;
                    }

                    Assert.Equal(RuntimeChoice(elementType, m, n, k), choice.Kernel.ToString());
                }
            }
        }
    }

    [Theory]
    [InlineData("float")]
    [InlineData("double")]
    [InlineData("T")]
    public void ANamedKernelHoldsForEveryValueOfTheSymbols(string elementType)
    {
        var shapes = new List<Size>();
        foreach (int c in new[] { 1, 2, 9, 400, 625 })
        {
            shapes.Add(Size.Of(c));
            shapes.Add(Size.Batch * c);
            shapes.Add(Size.Named("Hidden") * c);
        }

        int named = 0, runTime = 0;
        foreach (var m in shapes)
        {
            foreach (var n in shapes)
            {
                foreach (var k in shapes)
                {
                    var choice = GemmKernelChooser.Choose(m, n, k, elementType);
                    var values = Values(elementType, m, n, k).ToList();
                    var kernels = values.Select(v => RuntimeChoice(v.Type, v.M, v.N, v.K)).Distinct().ToList();
                    if (choice.Kernel == GemmKernelName.RunTime)
                    {
                        // The rule reads each size on its own, so it may leave to the run time a choice that sizes
                        // sharing a symbol make certain; with no symbol shared, it leaves only what can change.
                        // A product that may reach the packing size in every dimension depends on the processor.
                        runTime++;
                        bool independent = m.Symbols.Concat(n.Symbols).Concat(k.Symbols).Distinct().Count() == m.Symbols.Count + n.Symbols.Count + k.Symbols.Count;
                        bool processor = new[] { m, n, k }.All(s => !s.IsConstant || s.Value >= GemmKernelChooser.PackedMinSize)
                            || values.Any(v => ProcessorChoices(v.Type, v.M, v.N, v.K).Count > 1);
                        Assert.True(!independent || processor || kernels.Count > 1, $"{m}x{n}x{k} in {elementType}: left to the run time although the runtime always picks {kernels[0]}");
                    }
                    else
                    {
                        named++;
                        Assert.Equal([choice.Kernel.ToString()], kernels);
                    }
                }
            }
        }

        Assert.True(named > 0 && runTime > 0);
    }

    [Fact]
    public void TheFusedStepLeavesADepthThatMayBeOneToTheRuntime()
    {
        var product = GemmKernelChooser.Choose(Size.Of(784), Size.Of(40), Size.Batch, "double");
        Assert.Equal(GemmKernelName.Direct, product.Kernel);
        Assert.Equal(GemmKernelName.RunTime, GemmKernelChooser.ChooseForUpdate(product, Size.Batch).Kernel);
        Assert.Equal(GemmKernelName.Direct, GemmKernelChooser.ChooseForUpdate(product, Size.Batch * 2).Kernel);
    }

    /// <summary>The element types and sizes a product of these symbolic sizes takes over the symbols' values.</summary>
    private static IEnumerable<(string Type, int M, int N, int K)> Values(string elementType, Size m, Size n, Size k) =>
        from batch in SymbolValues
        from hidden in SymbolValues
        from type in elementType == "T" ? new[] { "float", "double" } : new[] { elementType }
        select (type, Value(m, batch, hidden), Value(n, batch, hidden), Value(k, batch, hidden));

    private static int Value(Size size, int batch, int hidden) =>
        size.Coefficient * size.Symbols.Aggregate(1, (p, s) => p * (s == Size.BatchSymbol ? batch : hidden));

    /// <summary>The kernels the runtime's rule picks for the shape on the processors it knows: vectors of 128, 256 and
    /// 512 bits, on cores that halve 512-bit multiply-adds and on cores that do not.</summary>
    private static List<string> ProcessorChoices(string elementType, int m, int n, int k) =>
        (from bytes in new[] { 16, 32, 64 }
         from halved in new[] { false, true }
         select (elementType == "float"
             ? GemmCore.ChooseKernel<float>(false, false, m, n, k, bytes / sizeof(float), halved)
             : GemmCore.ChooseKernel<double>(false, false, m, n, k, bytes / sizeof(double), halved)).ToString())
        .Distinct()
        .ToList();

    private static string RuntimeChoice(string elementType, int m, int n, int k) =>
        (elementType == "float" ? Kernels.ChooseGemmKernel<float>(false, false, m, n, k) : Kernels.ChooseGemmKernel<double>(false, false, m, n, k)).ToString();
}
