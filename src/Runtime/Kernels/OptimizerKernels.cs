using System.Numerics;
using System.Runtime.InteropServices;

namespace Graph.Runtime;

/// <summary>The optimizer steps of generated training code: one rule (<see cref="UpdateRule{T}"/>) over a parameter's elements.</summary>
public static partial class Kernels
{
    /// <summary>
    /// Updates every element of parameter <paramref name="parameter"/> from its gradient by <paramref name="rule"/>
    /// (see <see cref="Optimizer"/> for each rule's equations), vectorised with the same IEEE operations per lane as
    /// per element, so the result does not depend on the vector width. Plain SGD is <see cref="SgdStep{T}"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The gradient or the state is not the parameter's length.</exception>
    public static void OptimizerStep<T>(Span<T> value, ReadOnlySpan<T> gradient, in UpdateRule<T> rule, int parameter)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (gradient.Length != value.Length)
        {
            throw new ArgumentException($"The gradient holds {gradient.Length} values but the parameter {value.Length}.", nameof(gradient));
        }

        if (rule.IsPlainSgd)
        {
            SgdStep(value, gradient, rule.LearningRate);
            return;
        }

        rule.StateOf(parameter, value.Length, out var first, out var second);
        var frozen = rule.FrozenElementsToKeep(parameter);
        if (frozen.IsEmpty)
        {
            UpdateElements(value, gradient, first, second, rule);
            return;
        }

        // AdamW's decay would shrink elements that [Frozen(...)] keeps: their values are put back after the update.
        rule.FrozenValuesOf(parameter, out var kept);
        for (int i = 0; i < frozen.Length; i++)
        {
            kept[i] = value[frozen[i]];
        }

        UpdateElements(value, gradient, first, second, rule);
        for (int i = 0; i < frozen.Length; i++)
        {
            value[frozen[i]] = kept[i];
        }
    }

    /// <summary>
    /// <see cref="OptimizerStep{T}"/> over the rows listed in <paramref name="rows"/> only, for a row-sparse gradient
    /// (every other row's gradient is zero): the rows not read keep their values and their moments.
    /// </summary>
    public static void OptimizerStepRows<T>(Span<T> value, ReadOnlySpan<T> gradient, int rowLength, SparseRows rows, in UpdateRule<T> rule, int parameter)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (gradient.Length != value.Length)
        {
            throw new ArgumentException($"The gradient holds {gradient.Length} values but the parameter {value.Length}.", nameof(gradient));
        }

        if (rule.IsPlainSgd)
        {
            SgdStepRows(value, gradient, rowLength, rows, rule.LearningRate);
            return;
        }

        rule.StateOf(parameter, value.Length, out var first, out var second);
        foreach (int row in rows.Rows)
        {
            int start = row * rowLength;
            UpdateElements(value.Slice(start, rowLength), gradient.Slice(start, rowLength), Part(first, start, rowLength), Part(second, start, rowLength), rule);
        }
    }

    /// <summary>
    /// <c>C</c> updated by <paramref name="rule"/> with the gradient <c>op(A)·op(B)</c>, without storing the gradient:
    /// a weight whose gradient is one matrix product. Plain SGD is <see cref="GemmSgdStep{T}"/>; any other rule
    /// computes the product into a per-thread buffer (the same values <see cref="Gemm{T}(bool, bool, int, int, int, ReadOnlySpan{T}, int, ReadOnlySpan{T}, int, Span{T}, int, bool)"/>
    /// stores) and updates C row by row from it, with the state arrays laid out as C (row i at <c>i · ldc</c>).
    /// </summary>
    public static void GemmOptimizerStep<T>(bool transA, bool transB, int m, int n, int k,
        ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb, Span<T> c, int ldc, in UpdateRule<T> rule, int parameter)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        GemmOptimizerStep(GemmKernel.Auto, transA, transB, m, n, k, a, lda, b, ldb, c, ldc, rule, parameter);

    /// <summary>
    /// <see cref="GemmOptimizerStep{T}(bool, bool, int, int, int, ReadOnlySpan{T}, int, ReadOnlySpan{T}, int, Span{T}, int, in UpdateRule{T}, int)"/>
    /// with the product's kernel named by the caller (<see cref="GemmKernel.Auto"/> chooses from the shape).
    /// </summary>
    public static unsafe void GemmOptimizerStep<T>(GemmKernel kernel, bool transA, bool transB, int m, int n, int k,
        ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb, Span<T> c, int ldc, in UpdateRule<T> rule, int parameter)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (rule.IsPlainSgd)
        {
            GemmSgdStep(kernel, transA, transB, m, n, k, a, lda, b, ldb, c, ldc, rule.LearningRate);
            return;
        }

        GemmCore.Validate(transA, transB, m, n, k, a, lda, b, ldb, c, ldc);
        if (m == 0 || n == 0)
        {
            return;
        }

        rule.StateOf(parameter, c.Length, out var first, out var second);
        var product = new Span<T>(GemmScratch<T>.Product(m * n), m * n);
        Gemm(kernel, transA, transB, m, n, k, a, lda, b, ldb, product, n, accumulate: false);
        for (int i = 0; i < m; i++)
        {
            int start = i * ldc;
            UpdateElements(c.Slice(start, n), product.Slice(i * n, n), Part(first, start, n), Part(second, start, n), rule);
        }
    }

    /// <summary>
    /// <paramref name="sum"/> plus the square of each value, added one at a time in index order in double: a running
    /// sum over a step's gradients, parameter after parameter, for their global norm.
    /// </summary>
    public static double AddSquares<T>(ReadOnlySpan<T> values, double sum)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        foreach (var value in values)
        {
            double x = double.CreateChecked(value);
            sum += x * x;
        }

        return sum;
    }

    /// <summary><see cref="AddSquares{T}"/> over the rows listed in <paramref name="rows"/> only, in the list's order.</summary>
    public static double AddSquaresRows<T>(ReadOnlySpan<T> values, int rowLength, SparseRows rows, double sum)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(rows);
        foreach (int row in rows.Rows)
        {
            sum = AddSquares(values.Slice(row * rowLength, rowLength), sum);
        }

        return sum;
    }

    private static Span<T> Part<T>(Span<T> state, int start, int length) => state.IsEmpty ? state : state.Slice(start, length);

    /// <summary>One rule over matching spans of values, gradients and the rule's state (empty where it keeps none).</summary>
    private static void UpdateElements<T>(Span<T> value, ReadOnlySpan<T> gradient, Span<T> first, Span<T> second, in UpdateRule<T> rule)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        switch (rule.Kind)
        {
            case OptimizerKind.Sgd:
                ScaledSgd(value, gradient, rule.LearningRate, rule.GradientScale);
                break;
            case OptimizerKind.Momentum:
                MomentumStep(value, gradient, first, rule);
                break;
            case OptimizerKind.Adam:
            case OptimizerKind.AdamW:
                AdamStep(value, gradient, first, second, rule);
                break;
            default:
                throw new ArgumentException($"No update for the rule {rule.Kind}.", nameof(rule));
        }
    }

    /// <summary><c>w = w - rate·(g·scale)</c>.</summary>
    private static void ScaledSgd<T>(Span<T> value, ReadOnlySpan<T> gradient, T rate, T scale)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated && value.Length >= Vector<T>.Count)
        {
            var values = MemoryMarshal.Cast<T, Vector<T>>(value);
            var gradients = MemoryMarshal.Cast<T, Vector<T>>(gradient);
            Vector<T> r = new(rate), s = new(scale);
            for (int v = 0; v < values.Length; v++)
            {
                values[v] -= r * (gradients[v] * s);
            }

            i = values.Length * Vector<T>.Count;
        }

        for (; i < value.Length; i++)
        {
            value[i] -= rate * (gradient[i] * scale);
        }
    }

    /// <summary><c>v = μ·v + g</c>; <c>w = w - rate·v</c> (Nesterov: <c>w = w - rate·(g + μ·v)</c>).</summary>
    private static void MomentumStep<T>(Span<T> value, ReadOnlySpan<T> gradient, Span<T> velocity, in UpdateRule<T> rule)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T rate = rule.LearningRate, mu = rule.Momentum, scale = rule.GradientScale;
        bool nesterov = rule.Nesterov;
        int i = 0;
        if (Vector.IsHardwareAccelerated && value.Length >= Vector<T>.Count)
        {
            var values = MemoryMarshal.Cast<T, Vector<T>>(value);
            var gradients = MemoryMarshal.Cast<T, Vector<T>>(gradient);
            var velocities = MemoryMarshal.Cast<T, Vector<T>>(velocity);
            Vector<T> r = new(rate), m = new(mu), s = new(scale);
            for (int v = 0; v < values.Length; v++)
            {
                var g = gradients[v] * s;
                var u = (m * velocities[v]) + g;
                velocities[v] = u;
                values[v] -= r * (nesterov ? g + (m * u) : u);
            }

            i = values.Length * Vector<T>.Count;
        }

        for (; i < value.Length; i++)
        {
            T g = gradient[i] * scale;
            T u = (mu * velocity[i]) + g;
            velocity[i] = u;
            value[i] -= rate * (nesterov ? g + (mu * u) : u);
        }
    }

    /// <summary>
    /// AdamW's <c>w = w·decay</c> first (1 for Adam), then <c>m = β1·m + (1-β1)·g</c>,
    /// <c>s = β2·s + (1-β2)·(g·g)</c>, <c>w = w - stepSize·(m / (√s / √(1-β2^t) + ε))</c>.
    /// </summary>
    private static void AdamStep<T>(Span<T> value, ReadOnlySpan<T> gradient, Span<T> mean, Span<T> square, in UpdateRule<T> rule)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T b1 = rule.Beta1, c1 = rule.OneMinusBeta1, b2 = rule.Beta2, c2 = rule.OneMinusBeta2;
        T step = rule.StepSize, root = rule.BiasCorrection2Root, eps = rule.Epsilon, scale = rule.GradientScale, decay = rule.Decay;
        bool decays = rule.Kind == OptimizerKind.AdamW;
        int i = 0;
        if (Vector.IsHardwareAccelerated && value.Length >= Vector<T>.Count)
        {
            var values = MemoryMarshal.Cast<T, Vector<T>>(value);
            var gradients = MemoryMarshal.Cast<T, Vector<T>>(gradient);
            var means = MemoryMarshal.Cast<T, Vector<T>>(mean);
            var squares = MemoryMarshal.Cast<T, Vector<T>>(square);
            Vector<T> vb1 = new(b1), vc1 = new(c1), vb2 = new(b2), vc2 = new(c2), vStep = new(step), vRoot = new(root), vEps = new(eps), vScale = new(scale), vDecay = new(decay);
            for (int v = 0; v < values.Length; v++)
            {
                var g = gradients[v] * vScale;
                var w = decays ? values[v] * vDecay : values[v];
                var m = (vb1 * means[v]) + (vc1 * g);
                var s = (vb2 * squares[v]) + (vc2 * (g * g));
                means[v] = m;
                squares[v] = s;
                values[v] = w - (vStep * (m / ((Vector.SquareRoot(s) / vRoot) + vEps)));
            }

            i = values.Length * Vector<T>.Count;
        }

        for (; i < value.Length; i++)
        {
            T g = gradient[i] * scale;
            T w = decays ? value[i] * decay : value[i];
            T m = (b1 * mean[i]) + (c1 * g);
            T s = (b2 * square[i]) + (c2 * (g * g));
            mean[i] = m;
            square[i] = s;
            value[i] = w - (step * (m / ((T.Sqrt(s) / root) + eps)));
        }
    }
}
