using System.Numerics;

namespace Graph.Runtime;

/// <summary>
/// One training step's update, ready to apply: the rule, its coefficients in the element type (the scheduled rate,
/// Adam's step size and bias correction, computed once per step in double), the gradient's clipping factor, and the
/// <see cref="OptimizerState{T}"/> whose moments it updates. Generated training code gets it from
/// <see cref="OptimizerState{T}.Begin"/> (or <see cref="Sgd"/> for the plain learning-rate step) and passes it to the
/// update kernels.
/// </summary>
public readonly struct UpdateRule<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly OptimizerState<T>? state;

    internal UpdateRule(OptimizerKind kind, T learningRate, OptimizerState<T>? state, double? maxGradientNorm)
    {
        Kind = kind;
        LearningRate = learningRate;
        this.state = state;
        MaxGradientNorm = maxGradientNorm;
        GradientScale = T.One;
        GradientNorm = double.NaN;
    }

    /// <summary>The rule.</summary>
    public OptimizerKind Kind { get; }

    /// <summary>This step's learning rate (after the schedule).</summary>
    public T LearningRate { get; }

    /// <summary>The largest global gradient norm of the optimizer (null: no clipping).</summary>
    public double? MaxGradientNorm { get; }

    /// <summary>True when the step must see every gradient before it updates anything: it clips by the global norm.</summary>
    public bool ClipsGradients => MaxGradientNorm is not null;

    /// <summary>
    /// True when a row-sparse gradient may be applied row by row as it is formed, one step per occurrence of a row
    /// (plain SGD, where that equals the step of the summed gradient up to rounding); a stateful rule needs each row's
    /// whole gradient, so it is stored and the rows stepped after.
    /// </summary>
    public bool StepsRowsAsTheyAreRead => Kind == OptimizerKind.Sgd && MaxGradientNorm is null;

    /// <summary>What the gradient is multiplied by before the update: 1, or the clipping factor.</summary>
    public T GradientScale { get; private init; }

    /// <summary>The global norm of the gradients measured for clipping; NaN when the step does not clip.</summary>
    public double GradientNorm { get; private init; }

    internal T Momentum { get; init; }

    internal bool Nesterov { get; init; }

    internal T Beta1 { get; init; }

    internal T OneMinusBeta1 { get; init; }

    internal T Beta2 { get; init; }

    internal T OneMinusBeta2 { get; init; }

    /// <summary>Adam: <c>rate / (1 - β1^t)</c>.</summary>
    internal T StepSize { get; init; }

    /// <summary>Adam: <c>√(1 - β2^t)</c>.</summary>
    internal T BiasCorrection2Root { get; init; }

    internal T Epsilon { get; init; }

    /// <summary>AdamW: <c>1 - rate·λ</c>, what every weight is multiplied by before the Adam step.</summary>
    internal T Decay { get; init; }

    /// <summary>True for <c>w -= rate · g</c> on the gradient as it is: the plain SGD kernels apply it.</summary>
    internal bool IsPlainSgd => Kind == OptimizerKind.Sgd && GradientScale == T.One;

    /// <summary>Plain SGD at <paramref name="learningRate"/>: no state, no clipping.</summary>
    public static UpdateRule<T> Sgd(T learningRate) => new(OptimizerKind.Sgd, learningRate, null, null);

    /// <summary>
    /// The same step with the gradients scaled by <c>min(1, maxNorm / (√<paramref name="sumOfSquares"/> + 1e-6))</c>,
    /// from the sum of the squares of every gradient element of the step.
    /// </summary>
    /// <exception cref="InvalidOperationException">The rule does not clip.</exception>
    /// <exception cref="TrainingDivergedException">The norm is not finite: no parameter has changed.</exception>
    public UpdateRule<T> ClippedTo(double sumOfSquares)
    {
        double maxNorm = MaxGradientNorm ?? throw new InvalidOperationException("This update does not clip its gradients.");
        double norm = Math.Sqrt(sumOfSquares);
        if (!double.IsFinite(norm))
        {
            throw new TrainingDivergedException($"The gradients' global norm is {norm}, so training has diverged; the parameters were left as they were before this step.");
        }

        double scale = Math.Min(1.0, maxNorm / (norm + Optimizer.ClipEpsilon));
        return this with { GradientScale = T.CreateChecked(scale), GradientNorm = norm };
    }

    /// <summary>The state arrays of parameter <paramref name="parameter"/> for a rule that keeps any (empty spans for SGD).</summary>
    internal void StateOf(int parameter, int length, out Span<T> first, out Span<T> second)
    {
        if (Kind == OptimizerKind.Sgd)
        {
            first = default;
            second = default;
            return;
        }

        if (state is null)
        {
            throw new InvalidOperationException($"A {Kind} update needs an optimizer state; get the rule from OptimizerState.Begin.");
        }

        state.Slots(parameter, length, out first, out second);
    }

    /// <summary>The frozen elements whose value the rule would change though their gradient is zero (AdamW's decay), or none.</summary>
    internal ReadOnlySpan<int> FrozenElementsToKeep(int parameter) =>
        Kind == OptimizerKind.AdamW && state is not null ? state.FrozenElements(parameter) : default;

    /// <summary>The buffer that holds the values of those frozen elements during an update.</summary>
    internal void FrozenValuesOf(int parameter, out Span<T> values) =>
        values = state is null ? default : state.FrozenValues(parameter);
}
