using System.Numerics;

namespace Graph.Runtime;

/// <summary>The register-blocked micro-kernel of the packed GEMM strategy.</summary>
internal static partial class GemmCore
{
    /// <summary>
    /// C[0..MR, 0..NR] = (loadC ? C : 0) + panel·sliver, for a packed A panel (kc columns of MR = 6 elements) and a
    /// packed B sliver (kc rows of NR = 2W elements).
    /// </summary>
    /// <remarks>
    /// The 6×2 vectors of the tile stay in twelve accumulator registers for the whole depth. Each step p loads the
    /// sliver's two vectors of row p and broadcasts the panel's six elements of column p, for twelve multiply-adds:
    /// fifteen vector registers in all (AVX2 has sixteen, AVX-512 and NEON thirty-two), and twelve independent
    /// chains, enough to cover a fused multiply-add's latency (4 cycles) at two per cycle. The eight loads of a step
    /// (two vectors, six broadcasts) take fewer cycles than its twelve multiply-adds.
    /// </remarks>
    private static unsafe void MicroKernel<T, TVec, TOps>(int kc, T* panel, T* sliver, T* c, nint ldc, bool loadC)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVec : struct
        where TOps : IGemmVector<T, TVec>
    {
        int width = TOps.Count;
        T* c0 = c;
        T* c1 = c0 + ldc;
        T* c2 = c1 + ldc;
        T* c3 = c2 + ldc;
        T* c4 = c3 + ldc;
        T* c5 = c4 + ldc;
        TVec sum00, sum01, sum10, sum11, sum20, sum21, sum30, sum31, sum40, sum41, sum50, sum51;
        if (loadC)
        {
            sum00 = TOps.Load(c0);
            sum01 = TOps.Load(c0 + width);
            sum10 = TOps.Load(c1);
            sum11 = TOps.Load(c1 + width);
            sum20 = TOps.Load(c2);
            sum21 = TOps.Load(c2 + width);
            sum30 = TOps.Load(c3);
            sum31 = TOps.Load(c3 + width);
            sum40 = TOps.Load(c4);
            sum41 = TOps.Load(c4 + width);
            sum50 = TOps.Load(c5);
            sum51 = TOps.Load(c5 + width);
        }
        else
        {
            sum00 = sum01 = sum10 = sum11 = sum20 = sum21 = TOps.Zero;
            sum30 = sum31 = sum40 = sum41 = sum50 = sum51 = TOps.Zero;
        }

        for (int p = 0; p < kc; p++)
        {
            TVec b0 = TOps.Load(sliver);
            TVec b1 = TOps.Load(sliver + width);
            TVec a = TOps.Broadcast(panel[0]);
            sum00 = TOps.MultiplyAdd(sum00, a, b0);
            sum01 = TOps.MultiplyAdd(sum01, a, b1);
            a = TOps.Broadcast(panel[1]);
            sum10 = TOps.MultiplyAdd(sum10, a, b0);
            sum11 = TOps.MultiplyAdd(sum11, a, b1);
            a = TOps.Broadcast(panel[2]);
            sum20 = TOps.MultiplyAdd(sum20, a, b0);
            sum21 = TOps.MultiplyAdd(sum21, a, b1);
            a = TOps.Broadcast(panel[3]);
            sum30 = TOps.MultiplyAdd(sum30, a, b0);
            sum31 = TOps.MultiplyAdd(sum31, a, b1);
            a = TOps.Broadcast(panel[4]);
            sum40 = TOps.MultiplyAdd(sum40, a, b0);
            sum41 = TOps.MultiplyAdd(sum41, a, b1);
            a = TOps.Broadcast(panel[5]);
            sum50 = TOps.MultiplyAdd(sum50, a, b0);
            sum51 = TOps.MultiplyAdd(sum51, a, b1);
            panel += MicroRows;
            sliver += 2 * width;
        }

        TOps.Store(c0, sum00);
        TOps.Store(c0 + width, sum01);
        TOps.Store(c1, sum10);
        TOps.Store(c1 + width, sum11);
        TOps.Store(c2, sum20);
        TOps.Store(c2 + width, sum21);
        TOps.Store(c3, sum30);
        TOps.Store(c3 + width, sum31);
        TOps.Store(c4, sum40);
        TOps.Store(c4 + width, sum41);
        TOps.Store(c5, sum50);
        TOps.Store(c5 + width, sum51);
    }
}
