using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using BenchmarkDotNet.Attributes;

namespace Graph.Bench.Benchmarks;

/// <summary>
/// The single-core float FMA peak: 12 independent chains of fused multiply-adds (enough to cover the FMA latency on
/// every current x64 core: 2 pipes × 4–5 cycles), kept in registers, at the widest vector width the hardware
/// accelerates. flops per call = <see cref="Iterations"/> × 12 chains × lanes × 2.
/// </summary>
public class FmaPeakBenchmark
{
    /// <summary>Loop trips per call.</summary>
    public const int Iterations = 1 << 18;

    /// <summary>Independent accumulator chains.</summary>
    public const int Chains = 12;

    private readonly float seed = 0.5f;

    /// <summary>Floating-point operations of one call at <paramref name="lanes"/> floats per vector.</summary>
    public static double Flops(int lanes) => (double)Iterations * Chains * lanes * 2;

    /// <summary>Vector256 FMA chains (8 floats per vector).</summary>
    [Benchmark(Description = "Vector256 FMA x12")]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public float Fma256()
    {
        var m = Vector256.Create(0.999f);
        var add = Vector256.Create(seed * 1e-3f);
        Vector256<float> a0 = Vector256.Create(seed), a1 = a0 + add, a2 = a1 + add, a3 = a2 + add, a4 = a3 + add, a5 = a4 + add;
        Vector256<float> a6 = a5 + add, a7 = a6 + add, a8 = a7 + add, a9 = a8 + add, a10 = a9 + add, a11 = a10 + add;
        for (int i = 0; i < Iterations; i++)
        {
            a0 = Vector256.FusedMultiplyAdd(a0, m, add);
            a1 = Vector256.FusedMultiplyAdd(a1, m, add);
            a2 = Vector256.FusedMultiplyAdd(a2, m, add);
            a3 = Vector256.FusedMultiplyAdd(a3, m, add);
            a4 = Vector256.FusedMultiplyAdd(a4, m, add);
            a5 = Vector256.FusedMultiplyAdd(a5, m, add);
            a6 = Vector256.FusedMultiplyAdd(a6, m, add);
            a7 = Vector256.FusedMultiplyAdd(a7, m, add);
            a8 = Vector256.FusedMultiplyAdd(a8, m, add);
            a9 = Vector256.FusedMultiplyAdd(a9, m, add);
            a10 = Vector256.FusedMultiplyAdd(a10, m, add);
            a11 = Vector256.FusedMultiplyAdd(a11, m, add);
        }

        return Vector256.Sum(((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7)) + ((a8 + a9) + (a10 + a11)));
    }

    /// <summary>Vector512 FMA chains (16 floats per vector); skipped where Vector512 is not hardware-accelerated.</summary>
    [Benchmark(Description = "Vector512 FMA x12")]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public float Fma512()
    {
        var m = Vector512.Create(0.999f);
        var add = Vector512.Create(seed * 1e-3f);
        Vector512<float> a0 = Vector512.Create(seed), a1 = a0 + add, a2 = a1 + add, a3 = a2 + add, a4 = a3 + add, a5 = a4 + add;
        Vector512<float> a6 = a5 + add, a7 = a6 + add, a8 = a7 + add, a9 = a8 + add, a10 = a9 + add, a11 = a10 + add;
        for (int i = 0; i < Iterations; i++)
        {
            a0 = Vector512.FusedMultiplyAdd(a0, m, add);
            a1 = Vector512.FusedMultiplyAdd(a1, m, add);
            a2 = Vector512.FusedMultiplyAdd(a2, m, add);
            a3 = Vector512.FusedMultiplyAdd(a3, m, add);
            a4 = Vector512.FusedMultiplyAdd(a4, m, add);
            a5 = Vector512.FusedMultiplyAdd(a5, m, add);
            a6 = Vector512.FusedMultiplyAdd(a6, m, add);
            a7 = Vector512.FusedMultiplyAdd(a7, m, add);
            a8 = Vector512.FusedMultiplyAdd(a8, m, add);
            a9 = Vector512.FusedMultiplyAdd(a9, m, add);
            a10 = Vector512.FusedMultiplyAdd(a10, m, add);
            a11 = Vector512.FusedMultiplyAdd(a11, m, add);
        }

        return Vector512.Sum(((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7)) + ((a8 + a9) + (a10 + a11)));
    }
}
