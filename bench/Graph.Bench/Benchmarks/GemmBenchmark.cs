using BenchmarkDotNet.Attributes;
using Graph.Runtime;

namespace Graph.Bench.Benchmarks;

/// <summary>C = A·B with <see cref="Kernels.Gemm{T}(bool, bool, int, int, int, ReadOnlySpan{T}, int, ReadOnlySpan{T}, int, Span{T}, int, bool)"/>, float, n×n×n, one thread.</summary>
public class GemmBenchmark
{
    private float[] a = [];
    private float[] b = [];
    private float[] c = [];

    /// <summary>The matrix size.</summary>
    [Params(128, 256, 512, 1024)]
    public int N { get; set; }

    /// <summary>Floating-point operations per call: 2n³.</summary>
    public static double Flops(int n) => 2.0 * n * n * n;

    /// <summary>Random A and B in [-1, 1).</summary>
    [GlobalSetup]
    public void Setup()
    {
        var random = NumpyRandom.FromSeed(42);
        a = new float[N * N];
        b = new float[N * N];
        c = new float[N * N];
        random.RandomSample(a);
        random.RandomSample(b);
        for (int i = 0; i < a.Length; i++)
        {
            a[i] = (2 * a[i]) - 1;
            b[i] = (2 * b[i]) - 1;
        }
    }

    /// <summary>One n×n×n product.</summary>
    [Benchmark(Description = "Kernels.Gemm<float>")]
    public void Sgemm() => Kernels.Gemm<float>(false, false, N, N, N, a, N, b, N, c, N, false);
}
