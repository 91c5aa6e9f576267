namespace Graph.Bench.Report;

/// <summary>The summaries the bench's tables take of repeated timings.</summary>
public static class Statistics
{
    /// <summary>The upper median (element n / 2 of the values in order; NaN for none), leaving the values as they are.</summary>
    public static double Median(IEnumerable<double> values)
    {
        double[] sorted = [.. values];
        Array.Sort(sorted);
        return sorted.Length == 0 ? double.NaN : sorted[sorted.Length / 2];
    }
}
