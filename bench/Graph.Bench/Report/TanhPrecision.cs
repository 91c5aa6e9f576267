using System.Globalization;
using System.Numerics;
using System.Numerics.Tensors;
using Graph.Runtime;

namespace Graph.Bench.Report;

/// <summary>
/// How far each tanh over a buffer lies from <c>Math.Tanh</c>, by the magnitude of its input: <c>TensorPrimitives.Tanh</c>,
/// which the runtime does not use because it loses the relative precision of small values, and the runtime's
/// <c>Kernels.Tanh</c>, in double and in float. The largest relative error over 100,000 values of both signs drawn
/// uniformly below each bound (seeded, the same values every run).
/// </summary>
public static class TanhPrecision
{
    private const int Count = 100_000;

    private static readonly double[] Bounds = [1e-8, 1e-5, 1e-3, 0.1, 1, 3];

    /// <summary>Prints the table.</summary>
    public static void Run(TextWriter output)
    {
        output.WriteLine("Largest relative error against Math.Tanh over 100,000 values with |x| below each bound");
        output.WriteLine();
        output.WriteLine("| \\|x\\| below | TensorPrimitives.Tanh, double | Kernels.Tanh, double | TensorPrimitives.Tanh, float | Kernels.Tanh, float |");
        output.WriteLine("|---:|---:|---:|---:|---:|");
        var random = new Random(1);
        foreach (double bound in Bounds)
        {
            double[] x = Enumerable.Range(0, Count).Select(_ => ((random.NextDouble() * 2) - 1) * bound).ToArray();
            float[] xf = x.Select(v => (float)v).ToArray();
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {bound:G} | {Worst<double>(x, TensorPrimitives.Tanh)} | {Worst<double>(x, Kernels.Tanh)} | {Worst<float>(xf, TensorPrimitives.Tanh)} | {Worst<float>(xf, Kernels.Tanh)} |"));
        }
    }

    private delegate void Function<T>(ReadOnlySpan<T> x, Span<T> y);

    /// <summary>The largest |f(x) − tanh(x)| / |tanh(x)|, tanh computed in double.</summary>
    private static string Worst<T>(T[] x, Function<T> function)
        where T : IFloatingPointIeee754<T>
    {
        var y = new T[x.Length];
        function(x, y);
        double worst = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double exact = Math.Tanh(double.CreateChecked(x[i]));
            if (exact != 0)
            {
                worst = Math.Max(worst, Math.Abs(double.CreateChecked(y[i]) - exact) / Math.Abs(exact));
            }
        }

        return worst.ToString("0.0e0", CultureInfo.InvariantCulture);
    }
}
