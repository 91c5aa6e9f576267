using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Graph.Runtime;
using Xunit;

namespace Graph.Tests.Runtime;

/// <summary>
/// The double tanh behind <c>Kernels.Tanh&lt;double&gt;</c> and the generated loops' <c>Simd.Tanh</c>, at 512 and 256
/// bits: every lane the bits of <see cref="Math.Tanh"/> of its element, over millions of values spread over every path
/// of the computation (each range of the reduction's k, both sides of each threshold, the special values), and the
/// buffer kernel's and the loops' results the same as an element-by-element <see cref="Math.Tanh"/>.
/// </summary>
public sealed class DoubleTanhTests
{
    [Fact]
    public void ReproducesMathTanhOnLinuxWithFma()
    {
        // The lanes follow glibc's tanh and its FMA build of expm1, the one Math.Tanh calls on x86-64 Linux.
        if (OperatingSystem.IsLinux() && Fma.IsSupported && Avx2.IsSupported)
        {
            Assert.True(DoubleTanh.IsSupported, "the probe found Math.Tanh to differ from the lanes on this machine");
        }
    }

    [Theory]
    [InlineData(512)]
    [InlineData(256)]
    public void EveryLaneIsMathTanhBitForBit(int width)
    {
        if (!Accelerated(width))
        {
            return;
        }

        var random = new Random(11);
        double[] x = new double[1 << 20];
        for (int round = 0; round < 4; round++)
        {
            for (int i = 0; i < x.Length; i++)
            {
                x[i] = round switch
                {
                    0 => (random.NextDouble() - 0.5) * 6,                                    // below 1 and the first ks
                    1 => (random.NextDouble() - 0.5) * 50,                                   // every k up to 22 and beyond
                    2 => BitConverter.Int64BitsToDouble(random.NextInt64(long.MinValue, long.MaxValue)), // any bits
                    _ => (random.NextDouble() - 0.5) * Math.ScaleB(1, -random.Next(0, 64)),  // small, down to 2⁻⁶⁴
                };
            }

            AssertMathTanh(x, Tanh(x, width), $"round {round} at {width} bits");
        }

        double[] edges = Edges();
        AssertMathTanh(edges, Tanh(edges, width), $"the thresholds at {width} bits");
    }

    [Theory]
    [InlineData(512)]
    [InlineData(256)]
    public void GivesTheSpecialValuesAndKeepsTheSignOfZero(int width)
    {
        if (!Accelerated(width))
        {
            return;
        }

        // Vectors of tiny values only (the zero pre-activations of a layer take x·(1 + x) alone), then mixed.
        double[] x = [0.0, -0.0, double.Epsilon, -1e-300, 0.0, -0.0, 1e-17, -2e-17,
                      0.0, double.NaN, double.PositiveInfinity, double.NegativeInfinity, 22.0, -1e300, double.MaxValue, -0.0];
        double[] y = Tanh(x, width);
        AssertMathTanh(x, y, $"the special values at {width} bits");
        Assert.Equal(BitConverter.DoubleToInt64Bits(-0.0), BitConverter.DoubleToInt64Bits(y[1]));
        Assert.Equal(BitConverter.DoubleToInt64Bits(-0.0), BitConverter.DoubleToInt64Bits(y[15]));
        Assert.Equal([1.0, -1.0, 1.0, -1.0, 1.0], y[10..15]);
    }

    [Fact]
    public void KernelsTanhGivesMathTanhOfEveryElementInPlaceOrNotOnAnyThreadCount()
    {
        var random = new Random(12);
        double[] x = Enumerable.Range(0, 70_001).Select(_ => (random.NextDouble() - 0.5) * 8).ToArray();
        double[] expected = x.Select(Math.Tanh).ToArray();
        foreach (int threads in new[] { 1, 2 })
        {
            using (Parallelism.Use(threads))
            {
                for (int length = 0; length <= 20; length++)
                {
                    double[] apart = new double[length];
                    Kernels.Tanh<double>(x.AsSpan(3, length), apart);
                    AssertMathTanh(x[3..(3 + length)], apart, $"{length} elements");
                }

                double[] y = new double[x.Length];
                Kernels.Tanh<double>(x, y);
                AssertMathTanh(x, y, $"{x.Length} elements on {threads} threads");
                double[] inPlace = (double[])x.Clone();
                Kernels.Tanh<double>(inPlace, inPlace);
                Assert.Equal(expected, inPlace);
            }
        }
    }

    [Fact]
    public void TheGeneratedLoopsTanhIsMathTanhOfEachLane()
    {
        var random = new Random(13);
        int lanes = System.Numerics.Vector<double>.Count;
        double[] x = Enumerable.Range(0, 4096 * lanes).Select(_ => (random.NextDouble() - 0.5) * 60).ToArray();
        double[] y = new double[x.Length];
        for (int i = 0; i < x.Length; i += lanes)
        {
            Simd.Store<double>(Simd.Tanh(Simd.Load<double>(x, i)), y, i);
        }

        AssertMathTanh(x, y, "Simd.Tanh");
    }

    [Theory]
    [InlineData(512)]
    [InlineData(256)]
    public void TheProbeCoversEveryRangeOfTheReduction(int width)
    {
        if (!Accelerated(width))
        {
            return;
        }

        // The probe decides whether the lanes are used at all: its values must reach every k of tanh's arguments, −3 … 0
        // (u = −2|x| below 1: 0 up to ½ ln 2, −1 up to 1.5 ln 2, else u/ln 2 − ½ truncated) and 3 … 63 (u = 2|x|).
        double[] probes = DoubleTanh.ProbeValues();
        var ks = new HashSet<int>();
        foreach (double x in probes.Where(v => Math.Abs(v) is > 0 and < 22))
        {
            double u = Math.Abs(x) < 1 ? -2 * Math.Abs(x) : 2 * Math.Abs(x);
            ks.Add(Math.Abs(u) <= 0.5 * Math.Log(2) ? 0 : u < 0 && Math.Abs(u) < 1.5 * Math.Log(2) ? -1 : (int)Math.Truncate(u / Math.Log(2) + (u < 0 ? -0.5 : 0.5)));
        }

        Assert.Equal(Enumerable.Range(-3, 4).Concat(Enumerable.Range(3, 61)), ks.Order());
        AssertMathTanh(probes, Tanh(probes, width), $"the probe at {width} bits");
    }

    /// <summary>Each threshold of tanh and of expm1 (on u = ±2|x|) and each boundary between two ks, with the 200
    /// doubles either side of it, both signs.</summary>
    private static double[] Edges()
    {
        var edges = new List<double>();
        void Around(double center)
        {
            long bits = BitConverter.DoubleToInt64Bits(Math.Abs(center));
            for (long d = -200; d <= 200; d++)
            {
                double v = BitConverter.Int64BitsToDouble(bits + d);
                edges.Add(v);
                edges.Add(-v);
            }
        }

        // tanh's: 2⁻⁵⁵, 1, 22; expm1's on |u| = 2|x|: ½ ln 2 and 1.5 ln 2 (by their high words), 56 ln 2.
        foreach (double bound in new[] { Math.ScaleB(1, -55), 1.0, 22.0 })
        {
            Around(bound);
        }

        foreach (ulong high in new ulong[] { 0x3fd62e43, 0x3ff0a2b2, 0x4043687a })
        {
            Around(BitConverter.UInt64BitsToDouble(high << 32) / 2);
        }

        // Where u/ln 2 ± ½ crosses a whole number: the boundaries between k and k + 1.
        for (int k = -4; k <= 64; k++)
        {
            Around((k + 0.5) * Math.Log(2) / 2);
        }

        return edges.ToArray();
    }

    /// <summary>
    /// Whether the lanes at <paramref name="width"/> bits are compared here: where the runtime uses them (the probe
    /// agreed, which <see cref="ReproducesMathTanhOnLinuxWithFma"/> requires on this project's machines) and the width
    /// is accelerated. Elsewhere the runtime's tanh is <see cref="Math.Tanh"/> itself.
    /// </summary>
    private static bool Accelerated(int width) => DoubleTanh.IsSupported && (width == 256 || Vector512.IsHardwareAccelerated);

    private static double[] Tanh(double[] x, int width)
    {
        double[] y = new double[x.Length];
        if (width == 512)
        {
            DoubleTanh.Apply<Lanes512<double>, Vector512<double>>(x, y);
        }
        else
        {
            DoubleTanh.Apply<Lanes256<double>, Vector256<double>>(x, y);
        }

        return y;
    }

    private static void AssertMathTanh(double[] x, double[] y, string what)
    {
        for (int i = 0; i < x.Length; i++)
        {
            double expected = Math.Tanh(x[i]);
            if (BitConverter.DoubleToInt64Bits(expected) != BitConverter.DoubleToInt64Bits(y[i]))
            {
                Assert.Fail($"{what}: tanh({x[i]:R}) is {y[i]:R}, Math.Tanh gives {expected:R}");
            }
        }
    }
}
