using System.Numerics;

namespace Graph.Runtime;

/// <summary>
/// What an optimizer remembers between the steps of one model: the number of steps taken and, per trainable
/// parameter, the rule's moments (a velocity for momentum; the first and second moments for Adam and AdamW), in
/// arrays of the parameter's layout allocated on the first step that needs them and then reused, so a step allocates
/// nothing. A model owns one (its <c>OptimizerState</c>); its checkpoints hold it.
/// </summary>
/// <remarks>
/// The state belongs to one rule: after steps of one <see cref="OptimizerKind"/>, a step of another throws until
/// <see cref="Reset"/>. A row-sparse parameter (an embedding read by row) is updated only in the rows a step reads,
/// moments included, as PyTorch's <c>SparseAdam</c> does; its other rows keep their moments until read again.
/// </remarks>
public sealed class OptimizerState<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private static readonly string[] MomentumSlots = ["momentum_buffer"];
    private static readonly string[] AdamSlots = ["exp_avg", "exp_avg_sq"];

    private readonly ParameterSet<T> parameters;
    private readonly T[]?[] first;
    private readonly T[]?[] second;
    private readonly T[]?[] frozenValues;

    // The step-decay rate of the last step, so that each step multiplies once more instead of from the start.
    private LearningRateSchedule cachedSchedule;
    private double cachedBase = double.NaN;
    private long cachedDecays;
    private double cachedRate;

    public OptimizerState(ParameterSet<T> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        this.parameters = parameters;
        first = new T[parameters.Count][];
        second = new T[parameters.Count][];
        frozenValues = new T[parameters.Count][];
    }

    /// <summary>The rule whose state this holds; null before the first step (and after <see cref="Reset"/>).</summary>
    public OptimizerKind? Kind { get; private set; }

    /// <summary>How many steps have been taken: Adam's bias correction and the schedules count from it.</summary>
    public long Step { get; private set; }

    /// <summary>The gradients' global norm measured by the last step that clipped (before clipping); NaN before any.</summary>
    public double LastGradientNorm { get; private set; } = double.NaN;

    /// <summary>The names of the arrays a rule keeps per parameter, as PyTorch's optimizers name them.</summary>
    public static IReadOnlyList<string> SlotNames(OptimizerKind kind) => kind switch
    {
        OptimizerKind.Momentum => MomentumSlots,
        OptimizerKind.Adam or OptimizerKind.AdamW => AdamSlots,
        _ => Array.Empty<string>(),
    };

    /// <summary>Slot <paramref name="slot"/> (see <see cref="SlotNames"/>) of parameter <paramref name="parameter"/>: empty when the rule keeps none or no step has needed it.</summary>
    public ReadOnlySpan<T> Slot(int parameter, int slot)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(parameter);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(parameter, parameters.Count);
        return slot switch
        {
            0 => first[parameter],
            1 => second[parameter],
            _ => throw new ArgumentOutOfRangeException(nameof(slot), slot, "A rule keeps at most two arrays per parameter (slots 0 and 1)."),
        };
    }

    /// <summary>Forgets every step: the moments are zeroed, the step count and the rule cleared.</summary>
    public void Reset()
    {
        foreach (var array in first.Concat(second))
        {
            if (array is not null)
            {
                Array.Clear(array);
            }
        }

        Kind = null;
        Step = 0;
        LastGradientNorm = double.NaN;
    }

    /// <summary>
    /// The update of the next step with <paramref name="optimizer"/>: its scheduled rate and, for Adam, the bias
    /// corrections of step <see cref="Step"/> + 1. The state's arrays are allocated here the first time; the step
    /// count moves on only when the step completes (<see cref="Complete"/>).
    /// </summary>
    /// <exception cref="InvalidOperationException">The state holds steps of another rule.</exception>
    public UpdateRule<T> Begin(in Optimizer optimizer)
    {
        if (Kind is OptimizerKind kind && kind != optimizer.Kind)
        {
            throw new InvalidOperationException(
                $"The optimizer state holds {Step} steps of {kind}; call OptimizerState.Reset() before training with {optimizer.Kind}.");
        }

        Allocate(optimizer.Kind);
        double rate = ScheduledRate(optimizer.LearningRate, optimizer.Schedule);
        double t = Step + 1;
        double correction1 = 1 - Math.Pow(optimizer.Beta1, t);
        double correction2 = 1 - Math.Pow(optimizer.Beta2, t);
        bool adam = optimizer.Kind is OptimizerKind.Adam or OptimizerKind.AdamW;
        return new UpdateRule<T>(optimizer.Kind, T.CreateChecked(rate), this, optimizer.MaxGradientNorm)
        {
            Momentum = T.CreateChecked(optimizer.Momentum),
            Nesterov = optimizer.Nesterov,
            Beta1 = T.CreateChecked(optimizer.Beta1),
            OneMinusBeta1 = T.CreateChecked(1 - optimizer.Beta1),
            Beta2 = T.CreateChecked(optimizer.Beta2),
            OneMinusBeta2 = T.CreateChecked(1 - optimizer.Beta2),
            StepSize = adam ? T.CreateChecked(rate / correction1) : T.Zero,
            BiasCorrection2Root = adam ? T.CreateChecked(Math.Sqrt(correction2)) : T.One,
            Epsilon = T.CreateChecked(optimizer.Epsilon),
            Decay = T.CreateChecked(1 - (rate * optimizer.WeightDecay)),
        };
    }

    /// <summary>Records a step taken with <paramref name="rule"/> (from this state's <see cref="Begin"/>).</summary>
    public void Complete(in UpdateRule<T> rule)
    {
        Kind = rule.Kind;
        Step++;
        if (rule.ClipsGradients)
        {
            LastGradientNorm = rule.GradientNorm;
        }
    }

    /// <summary>
    /// Replaces the whole state, for a checkpoint being loaded: the rule, the step count and each trainable
    /// parameter's slots (<paramref name="slots"/> gives slot s of parameter p, exactly the parameter's size).
    /// </summary>
    internal void Restore(OptimizerKind? kind, long step, Func<int, int, ReadOnlyMemory<T>> slots)
    {
        Reset();
        if (kind is not OptimizerKind restored)
        {
            return;
        }

        Allocate(restored);
        for (int p = 0; p < parameters.Count; p++)
        {
            for (int s = 0; s < SlotNames(restored).Count; s++)
            {
                var target = s == 0 ? first[p] : second[p];
                if (target is not null)
                {
                    slots(p, s).Span.CopyTo(target);
                }
            }
        }

        Kind = restored;
        Step = step;
    }

    internal void Slots(int parameter, int length, out Span<T> firstSlot, out Span<T> secondSlot)
    {
        firstSlot = first[parameter] ?? throw new InvalidOperationException($"Parameter '{parameters[parameter].Name}' has no optimizer state (it is frozen, or the rule keeps none).");
        secondSlot = second[parameter];
        if (firstSlot.Length != length)
        {
            throw new ArgumentException($"The optimizer state of '{parameters[parameter].Name}' holds {firstSlot.Length} values, but the update is over {length}.");
        }
    }

    /// <summary>The frozen elements of a parameter, whose values an update that would change them restores (AdamW's decay).</summary>
    internal ReadOnlySpan<int> FrozenElements(int parameter) => parameters[parameter].FrozenElements;

    /// <summary>A buffer for the values of parameter <paramref name="parameter"/>'s frozen elements.</summary>
    internal Span<T> FrozenValues(int parameter) => frozenValues[parameter];

    private void Allocate(OptimizerKind kind)
    {
        int slots = SlotNames(kind).Count;
        for (int p = 0; p < parameters.Count; p++)
        {
            var parameter = parameters[p];
            if (parameter.IsFrozen)
            {
                continue;
            }

            if (slots >= 1)
            {
                first[p] ??= new T[parameter.Size];
            }

            if (slots >= 2)
            {
                second[p] ??= new T[parameter.Size];
            }

            if (kind == OptimizerKind.AdamW && parameter.FrozenElements.Length > 0)
            {
                frozenValues[p] ??= new T[parameter.FrozenElements.Length];
            }
        }
    }

    private double ScheduledRate(double learningRate, LearningRateSchedule schedule)
    {
        if (schedule.Kind != ScheduleKind.StepDecay)
        {
            return schedule.RateAt(learningRate, Step);
        }

        long decays = Step / schedule.Every;
        if (cachedSchedule != schedule || !cachedBase.Equals(learningRate) || cachedDecays > decays)
        {
            cachedSchedule = schedule;
            cachedBase = learningRate;
            cachedDecays = 0;
            cachedRate = learningRate;
        }

        for (; cachedDecays < decays; cachedDecays++)
        {
            cachedRate *= schedule.Factor;
        }

        return cachedRate;
    }
}
