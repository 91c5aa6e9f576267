using System.Globalization;

namespace Graph.Runtime;

/// <summary>
/// The settings of a training step's update: the rule (<see cref="Sgd"/>, <see cref="SgdWithMomentum"/>,
/// <see cref="Adam"/>, <see cref="AdamW"/>) and its coefficients, an optional clipping of the gradient by its global norm
/// (<see cref="ClipGradientNorm"/>) and a learning-rate schedule (<see cref="WithSchedule"/>). Every setting is checked
/// when it is made, so an optimizer that exists is valid. A compiled model takes it in
/// <c>TrainStep(inputs..., optimizer, batch)</c> and keeps the state the rule needs (moments, step count) in its
/// <see cref="OptimizerState{T}"/>.
/// </summary>
/// <remarks>
/// With <c>g</c> the gradient (times the clipping factor), <c>t</c> the step number from 1 and <c>rate</c> the
/// scheduled rate of this step, each element is updated as follows, in this order of operations:
/// <list type="bullet">
/// <item><description>SGD: <c>w = w - rate·g</c>.</description></item>
/// <item><description>Momentum: <c>v = μ·v + g</c>; <c>w = w - rate·v</c>, or with Nesterov <c>w = w - rate·(g + μ·v)</c>
/// (PyTorch's form; the velocity starts at zero, so the first step's velocity is <c>g</c>).</description></item>
/// <item><description>Adam: <c>m = β1·m + (1-β1)·g</c>; <c>s = β2·s + (1-β2)·(g·g)</c>;
/// <c>w = w - (rate / (1-β1^t))·(m / (√s / √(1-β2^t) + ε))</c>, the bias corrections and the step size computed in
/// double once per step (Kingma and Ba's algorithm with ε added to the corrected root, as PyTorch does).</description></item>
/// <item><description>AdamW: first <c>w = w·(1 - rate·λ)</c> (decoupled weight decay; elements frozen with
/// <c>[Frozen(...)]</c> keep their value), then Adam's update.</description></item>
/// </list>
/// Clipping: <c>factor = min(1, maxNorm / (‖g‖ + 1e-6))</c> with <c>‖g‖</c> the Euclidean norm of every trainable
/// gradient of the step together, summed in double in parameter and index order (PyTorch's
/// <c>clip_grad_norm_</c>); a step that clips needs every gradient before the first update, so no update is fused
/// into a gradient's product then.
/// </remarks>
public readonly record struct Optimizer
{
    /// <summary>PyTorch's <c>clip_grad_norm_</c> adds this to the norm before dividing.</summary>
    public const double ClipEpsilon = 1e-6;

    private readonly double? maxGradientNorm;

    private Optimizer(OptimizerKind kind, double learningRate, double momentum = 0, bool nesterov = false,
        double beta1 = 0, double beta2 = 0, double epsilon = 0, double weightDecay = 0)
    {
        Kind = kind;
        LearningRate = Check(learningRate, nameof(learningRate), learningRate >= 0, "a finite number of at least 0");
        Momentum = Check(momentum, nameof(momentum), momentum >= 0, "a finite number of at least 0");
        if (nesterov && momentum <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "Nesterov momentum needs a momentum above 0.");
        }

        Nesterov = nesterov;
        Beta1 = Check(beta1, nameof(beta1), beta1 is >= 0 and < 1, "at least 0 and below 1");
        Beta2 = Check(beta2, nameof(beta2), beta2 is >= 0 and < 1, "at least 0 and below 1");
        Epsilon = Check(epsilon, nameof(epsilon), epsilon > 0 || kind is OptimizerKind.Sgd or OptimizerKind.Momentum, "a finite number above 0");
        WeightDecay = Check(weightDecay, nameof(weightDecay), weightDecay >= 0, "a finite number of at least 0");
    }

    /// <summary>The update rule.</summary>
    public OptimizerKind Kind { get; }

    /// <summary>The learning rate, before the <see cref="Schedule"/> changes it.</summary>
    public double LearningRate { get; }

    /// <summary>Momentum: the velocity's factor μ.</summary>
    public double Momentum { get; }

    /// <summary>Momentum: whether the step looks ahead along the velocity (Nesterov).</summary>
    public bool Nesterov { get; }

    /// <summary>Adam and AdamW: the first moment's decay β1.</summary>
    public double Beta1 { get; }

    /// <summary>Adam and AdamW: the second moment's decay β2.</summary>
    public double Beta2 { get; }

    /// <summary>Adam and AdamW: ε, added to the corrected root of the second moment.</summary>
    public double Epsilon { get; }

    /// <summary>AdamW: the decoupled weight decay λ.</summary>
    public double WeightDecay { get; }

    /// <summary>The largest Euclidean norm the step's gradients may have together before they are scaled down to it; null for no clipping.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to a value that is not a positive finite number.</exception>
    public double? MaxGradientNorm
    {
        get => maxGradientNorm;
        init => maxGradientNorm = value is double norm ? Check(norm, nameof(MaxGradientNorm), norm > 0, "a finite number above 0") : null;
    }

    /// <summary>How the learning rate changes with the steps taken; constant by default.</summary>
    public LearningRateSchedule Schedule { get; init; }

    /// <summary>Plain SGD, <c>w -= rate · g</c>.</summary>
    public static Optimizer Sgd(double learningRate) => new(OptimizerKind.Sgd, learningRate);

    /// <summary>SGD with momentum μ (heavy ball), or with <paramref name="nesterov"/> Nesterov's look-ahead.</summary>
    public static Optimizer SgdWithMomentum(double learningRate, double momentum = 0.9, bool nesterov = false) =>
        new(OptimizerKind.Momentum, learningRate, momentum, nesterov);

    /// <summary>Adam with PyTorch's defaults.</summary>
    public static Optimizer Adam(double learningRate = 0.001, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8) =>
        new(OptimizerKind.Adam, learningRate, beta1: beta1, beta2: beta2, epsilon: epsilon);

    /// <summary>AdamW (Adam with decoupled weight decay) with PyTorch's defaults.</summary>
    public static Optimizer AdamW(double learningRate = 0.001, double weightDecay = 0.01, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8) =>
        new(OptimizerKind.AdamW, learningRate, beta1: beta1, beta2: beta2, epsilon: epsilon, weightDecay: weightDecay);

    /// <summary>This optimizer with the gradients scaled down to a global norm of at most <paramref name="maxNorm"/> before each step.</summary>
    public Optimizer ClipGradientNorm(double maxNorm) => this with { MaxGradientNorm = maxNorm };

    /// <summary>This optimizer with its learning rate following <paramref name="schedule"/>.</summary>
    public Optimizer WithSchedule(LearningRateSchedule schedule) => this with { Schedule = schedule };

    public override string ToString()
    {
        string rule = Kind switch
        {
            OptimizerKind.Momentum => string.Create(CultureInfo.InvariantCulture, $"{(Nesterov ? "Nesterov" : "momentum")} {Momentum}, rate {LearningRate}"),
            OptimizerKind.Adam => string.Create(CultureInfo.InvariantCulture, $"Adam rate {LearningRate}, betas {Beta1} {Beta2}, eps {Epsilon}"),
            OptimizerKind.AdamW => string.Create(CultureInfo.InvariantCulture, $"AdamW rate {LearningRate}, weight decay {WeightDecay}, betas {Beta1} {Beta2}, eps {Epsilon}"),
            _ => string.Create(CultureInfo.InvariantCulture, $"SGD rate {LearningRate}"),
        };
        string clip = MaxGradientNorm is double norm ? string.Create(CultureInfo.InvariantCulture, $", gradients clipped to norm {norm}") : string.Empty;
        string schedule = Schedule.Kind == ScheduleKind.Constant ? string.Empty : ", " + Schedule;
        return rule + clip + schedule;
    }

    private static double Check(double value, string name, bool valid, string rule) =>
        double.IsFinite(value) && valid ? value : throw new ArgumentOutOfRangeException(name, value, $"The optimizer setting '{name}' must be {rule}, not {value.ToString(CultureInfo.InvariantCulture)}.");
}
