namespace Graph.Runtime;

/// <summary>How a <see cref="LearningRateSchedule"/> changes the learning rate from step to step.</summary>
public enum ScheduleKind
{
    /// <summary>The optimizer's learning rate at every step.</summary>
    Constant,

    /// <summary>The rate multiplied by a factor once every so many steps (the book's <c>alpha *= 0.99</c> per iteration).</summary>
    StepDecay,

    /// <summary>Half a cosine from the rate down to a minimum over a number of steps, then the minimum.</summary>
    Cosine,
}
