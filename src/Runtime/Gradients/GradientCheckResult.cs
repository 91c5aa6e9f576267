using System.Globalization;

namespace Graph.Runtime;

/// <summary>What <see cref="GradientChecker.Check"/> found: the worst element, every failing one, and how many were checked.</summary>
public sealed class GradientCheckResult
{
    internal GradientCheckResult(IReadOnlyList<GradientCheckElement> failures, GradientCheckElement? worst, int checkedElements, double tolerance)
    {
        Failures = failures;
        Worst = worst;
        CheckedElements = checkedElements;
        RelativeTolerance = tolerance;
    }

    /// <summary>Whether every checked element is within the tolerance (and every frozen one exactly zero), and at least one was checked.</summary>
    public bool Passed => Failures.Count == 0 && CheckedElements > 0;

    /// <summary>The checked element with the largest relative error (a frozen element with a gradient first); null when none was checked.</summary>
    public GradientCheckElement? Worst { get; }

    /// <summary>The elements whose relative error is above the tolerance, or that are frozen and have a gradient.</summary>
    public IReadOnlyList<GradientCheckElement> Failures { get; }

    /// <summary>The number of trainable elements compared with finite differences (frozen ones are checked for a zero gradient besides).</summary>
    public int CheckedElements { get; }

    /// <summary>The tolerance the elements were held to.</summary>
    public double RelativeTolerance { get; }

    /// <summary>Throws a <see cref="GradientCheckException"/> describing the worst element unless the check passed.</summary>
    public void ThrowIfFailed()
    {
        if (!Passed)
        {
            throw new GradientCheckException(ToString());
        }
    }

    /// <summary>One line: passed or failed, the count, the worst element and the first failures.</summary>
    public override string ToString()
    {
        if (CheckedElements == 0)
        {
            return "Gradient check failed: the model has no trainable element to check.";
        }

        string verdict = Passed
            ? $"Gradient check passed: {CheckedElements} elements within relative error {RelativeTolerance.ToString("G3", CultureInfo.InvariantCulture)}"
            : $"Gradient check failed: {Failures.Count} of {CheckedElements} elements beyond relative error {RelativeTolerance.ToString("G3", CultureInfo.InvariantCulture)}";
        string failures = Failures.Count > 1 ? "; first failures: " + string.Join("; ", Failures.Take(5)) : "";
        return $"{verdict}; worst {Worst}{failures}.";
    }
}
