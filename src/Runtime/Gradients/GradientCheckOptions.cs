namespace Graph.Runtime;

/// <summary>How <see cref="GradientChecker"/> probes a model.</summary>
public sealed record GradientCheckOptions
{
    /// <summary>The largest relative error an element may have: 1e-6 by default.</summary>
    public double RelativeTolerance { get; init; } = 1e-6;

    /// <summary>The finite-difference step, relative to <c>max(1, |value|)</c> of the element: 1e-6 by default.</summary>
    public double Step { get; init; } = 1e-6;

    /// <summary>How many elements of each parameter to check, spread evenly; every element when null (the default).</summary>
    public int? SamplesPerParameter { get; init; }
}
