using System.Runtime.Intrinsics.X86;

namespace Graph.Runtime;

/// <summary>
/// What the GEMM's kernel choice reads from the processor: whether its 512-bit multiply-adds run as two 256-bit
/// halves, where the direct tiles beat the packed kernel on products whose B fits the caches.
/// </summary>
internal static partial class GemmCore
{
    /// <summary>The most elements of op(B) for which a core that halves 512-bit multiply-adds runs a large product on
    /// the direct tiles: 4 MB of floats, 8 MB of doubles.</summary>
    private const long HalvedWideDirectMaxB = 1 << 20;

    /// <summary>The longest depth for which such a core runs a large product with A stored transposed on the direct
    /// tiles.</summary>
    private const int HalvedWideDirectMaxTransposedDepth = 1024;

    /// <summary>
    /// Whether this core runs a 512-bit multiply-add as two 256-bit halves: an AMD processor of family 19h with
    /// AVX-512 (Zen 4). Its 512-bit multiply-adds take twice the cycles of its 256-bit ones, so the direct tiles, which
    /// read B where it lies, keep up with the multiply-adds better than on a core with full 512-bit units.
    /// </summary>
    public static readonly bool HalvesWideMultiplyAdds = DetectHalvedWideMultiplyAdds();

    /// <summary>
    /// Whether a product whose every dimension reaches <see cref="PackedMinSize"/> runs on the direct tiles rather than
    /// packed: at the 512-bit width (<paramref name="vectorBytes"/> = 64) on a core that halves 512-bit multiply-adds
    /// (<paramref name="halvedWide"/>), where op(B) holds at most <see cref="HalvedWideDirectMaxB"/> elements and, A
    /// stored transposed, the depth is at most <see cref="HalvedWideDirectMaxTransposedDepth"/>. Measured there (one
    /// thread), in float: 384×512×512 98% of the FMA peak against 92% packed, 1536³ 91% against 71%, Aᵀ·B 512×512×736
    /// 96% against 89%; but 2048³ 54% against 77%, and Aᵀ·B 512×512×4096 51% against 84%. In double: 384×512×512
    /// 4.8 ms against 5.6-5.7 packed, 1024³ 53 against 66 ms; but 2048³ 667 against 560 ms, Aᵀ·B 512×512×2048 92
    /// against 35 ms.
    /// </summary>
    private static bool DirectBeatsPacked(bool halvedWide, int vectorBytes, bool transA, int n, int k) =>
        halvedWide && vectorBytes == 64 && (long)k * n <= HalvedWideDirectMaxB && (!transA || k <= HalvedWideDirectMaxTransposedDepth);

    private static bool DetectHalvedWideMultiplyAdds()
    {
        if (!X86Base.IsSupported || !Avx512F.IsSupported)
        {
            return false;
        }

        // CPUID leaf 0: the vendor in EBX, EDX, ECX ("Auth" "enti" "cAMD"); leaf 1: the family in EAX, the base family
        // (bits 8-11) plus, when that is 15, the extended family (bits 20-27).
        var (_, vendor1, vendor3, vendor2) = X86Base.CpuId(0, 0);
        bool amd = vendor1 == 0x68747541 && vendor2 == 0x69746E65 && vendor3 == 0x444D4163;
        int signature = X86Base.CpuId(1, 0).Eax;
        int family = (signature >> 8) & 0xF;
        if (family == 0xF)
        {
            family += (signature >> 20) & 0xFF;
        }

        return amd && family == 0x19;
    }
}
