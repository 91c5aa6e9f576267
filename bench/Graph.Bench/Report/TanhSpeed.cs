using System.Globalization;
using System.Runtime.Intrinsics;
using Graph.Runtime;

namespace Graph.Bench.Report;

/// <summary>
/// How long tanh over the CNN's 1.28M hidden values takes on one thread, at each vector width the runtime's lanes run
/// at: <c>Kernels.Tanh</c> (the width it picks), the lanes at 512 and at 256 bits, and <c>Math.Tanh</c> of each
/// element, in double and in float. The values are those of the <c>kernels</c> table, (i mod 97 − 48) / 16: magnitudes
/// up to 3, no vector of them all tiny; and in double the same divided by 24 (magnitudes below 0.13, a layer's small
/// pre-activations, where every lane takes expm1's first range and the lanes skip the others' reconstructions).
/// </summary>
public static class TanhSpeed
{
    private const int Length = 128 * 10_000;

    /// <summary>Prints the table (the best thread CPU time of 20 calls each, after a warm-up).</summary>
    public static void Run(TextWriter output)
    {
        var hidden = Enumerable.Range(0, Length).Select(i => (double)((i % 97) - 48) / 16).ToArray();
        var hiddenFloat = hidden.Select(v => (float)v).ToArray();
        var small = hidden.Select(v => v / 24).ToArray();
        var y = new double[Length];
        var yFloat = new float[Length];
        output.WriteLine("tanh over the CNN's 1.28M hidden values, one thread (best thread CPU time of 20 calls)");
        output.WriteLine();
        output.WriteLine("| tanh | double | double, magnitudes below 0.13 | float |");
        output.WriteLine("|---|---:|---:|---:|");
        using var scope = Parallelism.Use(1);
        Row(output, "Kernels.Tanh (the width the runtime picks)",
            () => Kernels.Tanh<double>(hidden, y), () => Kernels.Tanh<double>(small, y), () => Kernels.Tanh<float>(hiddenFloat, yFloat));
        if (Vector512.IsHardwareAccelerated)
        {
            Row(output, "the lanes at 512 bits",
                DoubleTanh.IsSupported ? () => DoubleTanh.Apply<Lanes512<double>, Vector512<double>>(hidden, y) : null,
                DoubleTanh.IsSupported ? () => DoubleTanh.Apply<Lanes512<double>, Vector512<double>>(small, y) : null,
                FloatTanh.IsSupported ? () => FloatTanh.Apply<Lanes512<float>, Vector512<float>>(hiddenFloat, yFloat) : null);
        }

        Row(output, "the lanes at 256 bits",
            DoubleTanh.IsSupported ? () => DoubleTanh.Apply<Lanes256<double>, Vector256<double>>(hidden, y) : null,
            DoubleTanh.IsSupported ? () => DoubleTanh.Apply<Lanes256<double>, Vector256<double>>(small, y) : null,
            FloatTanh.IsSupported && Vector256.IsHardwareAccelerated ? () => FloatTanh.Apply<Lanes256<float>, Vector256<float>>(hiddenFloat, yFloat) : null);
        Row(output, "Math.Tanh of each element", () => EachElement(hidden, y), () => EachElement(small, y), null);
    }

    private static void Row(TextWriter output, string name, Action? inDouble, Action? inDoubleSmall, Action? inFloat) =>
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {name} | {Milliseconds(inDouble)} | {Milliseconds(inDoubleSmall)} | {Milliseconds(inFloat)} |"));

    private static string Milliseconds(Action? call) =>
        call is null ? "n/a" : string.Create(CultureInfo.InvariantCulture, $"{CallTimes.BestCpuSeconds(call, 20) * 1e3:0.000} ms");

    private static void EachElement(double[] x, double[] y)
    {
        for (int i = 0; i < x.Length; i++)
        {
            y[i] = Math.Tanh(x[i]);
        }
    }
}
