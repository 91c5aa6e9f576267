namespace Graph.Runtime;

/// <summary>
/// Checks a compiled model's gradients against central finite differences of its loss, in double precision, as
/// <c>torch.autograd.gradcheck</c> and JAX's <c>check_grads</c> do. It needs only what every generated model has: its
/// <c>Parameters</c>, and its <c>Loss</c> and <c>Backward</c> on fixed inputs, passed as callbacks:
/// <code>
/// var result = GradientChecker.Check(model.Parameters, () => model.Loss(x, y, batch), () => model.Backward(x, y, batch));
/// result.ThrowIfFailed();   // or read result.Worst
/// </code>
/// </summary>
/// <remarks>
/// <para>
/// For each element θ of each trainable parameter, with <c>h = Step × max(1, |θ|)</c>, the loss is evaluated at
/// θ ± h and θ ± 2h (every other element unchanged, θ restored afterwards) and compared with the gradient one
/// <c>backward()</c> call left in the parameter. The central difference <c>n = (L(θ+h) - L(θ-h)) / 2h</c> has two
/// errors of its own: rounding, about <c>8 ε (|L(θ+h)| + |L(θ-h)|) / 2h</c> with ε the double epsilon, and truncation
/// (the h² term), which shows in its difference from the 2h estimate,
/// <c>|n - (L(θ+2h) - L(θ-2h)) / 4h|</c>. Their sum is the element's noise; the relative error
/// <c>|analytic - n| / max(|analytic|, |n|, noise / tolerance)</c> must be at most the tolerance. So a gradient is
/// held to the relative tolerance however small it is, down to the point where the finite difference itself cannot
/// tell (a fixed absolute tolerance would let every wrong gradient below it pass).
/// </para>
/// <para>
/// A frozen parameter, or a frozen element of one, must have a gradient of exactly zero. The callbacks must be
/// deterministic (a model with dropout is checked with dropout off).
/// </para>
/// </remarks>
public static class GradientChecker
{
    /// <summary>How many times the double epsilon a computed loss may be off, relative to its magnitude.</summary>
    private const double LossRoundingUlps = 8;

    /// <summary>The distance from 1 to the next double, 2^-52.</summary>
    private const double MachineEpsilon = 2.220446049250313e-16;

    /// <summary>Compares the gradients <paramref name="backward"/> leaves in <paramref name="parameters"/> with central differences of <paramref name="loss"/>.</summary>
    /// <param name="parameters">The model's parameters; their values are changed during the check and restored.</param>
    /// <param name="loss">The model's loss on fixed inputs.</param>
    /// <param name="backward">The model's backward pass on the same inputs: fills every parameter's gradient.</param>
    /// <param name="options">Tolerance, step and sampling; the defaults when null.</param>
    public static GradientCheckResult Check(ParameterSet<double> parameters, Func<double> loss, Func<double> backward, GradientCheckOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(backward);
        options ??= new GradientCheckOptions();
        if (!(options.RelativeTolerance > 0) || !(options.Step > 0) || options.SamplesPerParameter is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "The tolerance and the step are positive, and at least one element per parameter is sampled.");
        }

        backward();
        var failures = new List<GradientCheckElement>();
        GradientCheckElement? worst = null;
        int checkedElements = 0;
        foreach (var parameter in parameters)
        {
            var analytic = (double[])parameter.Gradient.Clone();
            var frozen = new HashSet<int>(parameter.FrozenElements.ToArray());
            int stride = options.SamplesPerParameter is int samples ? Math.Max(1, parameter.Size / samples) : 1;
            for (int i = 0; i < parameter.Size; i += stride)
            {
                GradientCheckElement element = parameter.IsFrozen || frozen.Contains(i)
                    ? new GradientCheckElement(parameter.Name, i, analytic[i], 0, analytic[i] == 0 ? 0 : double.PositiveInfinity, 0, Frozen: true)
                    : Compare(parameter, i, analytic[i], loss, options);
                checkedElements += element.Frozen ? 0 : 1;
                if (!(element.RelativeError <= options.RelativeTolerance))
                {
                    failures.Add(element);
                }

                if (worst is null || !(element.RelativeError <= worst.RelativeError))
                {
                    worst = element;
                }
            }
        }

        return new GradientCheckResult(failures, worst, checkedElements, options.RelativeTolerance);
    }

    private static GradientCheckElement Compare(Parameter<double> parameter, int i, double analytic, Func<double> loss, GradientCheckOptions options)
    {
        double saved = parameter.Value[i];
        double h = options.Step * Math.Max(1.0, Math.Abs(saved));
        double At(double offset)
        {
            parameter.Value[i] = saved + offset;
            return loss();
        }

        double plus, minus, plus2, minus2;
        try
        {
            (plus, minus, plus2, minus2) = (At(h), At(-h), At(2 * h), At(-2 * h));
        }
        finally
        {
            parameter.Value[i] = saved;
        }

        double numeric = (plus - minus) / (2 * h);
        double wide = (plus2 - minus2) / (4 * h);
        double rounding = LossRoundingUlps * MachineEpsilon * (Math.Abs(plus) + Math.Abs(minus)) / (2 * h);
        double noise = rounding + Math.Abs(numeric - wide);
        double floor = noise / options.RelativeTolerance;
        double scale = Math.Max(Math.Max(Math.Abs(analytic), Math.Abs(numeric)), floor);
        double difference = Math.Abs(analytic - numeric);
        double relative = difference == 0 ? 0 : difference / scale;
        return new GradientCheckElement(parameter.Name, i, analytic, numeric, double.IsNaN(relative) ? double.PositiveInfinity : relative, floor, Frozen: false);
    }
}
