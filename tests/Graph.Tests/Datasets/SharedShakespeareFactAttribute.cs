using Xunit;

namespace Graph.Tests.Datasets;

/// <summary>A fact that needs the real Shakespeare files in <c>shared/data/babi</c> beside the repository; skipped when absent.</summary>
public sealed class SharedShakespeareFactAttribute : FactAttribute
{
    /// <summary>Marks the test as skipped when the shared Shakespeare folder is missing.</summary>
    public SharedShakespeareFactAttribute()
    {
        if (Directory is null)
        {
            Skip = "The shared Shakespeare files (../shared/data/babi beside the repository) are not present.";
        }
    }

    /// <summary>The shared Shakespeare folder, or null when it is absent.</summary>
    public static string? Directory =>
        TestData.SharedDirectory is string shared && System.IO.Directory.Exists(Path.Combine(shared, "data", "shakespeare"))
            ? Path.Combine(shared, "data", "shakespeare")
            : null;
}
