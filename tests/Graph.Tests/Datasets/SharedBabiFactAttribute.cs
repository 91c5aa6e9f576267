using Xunit;

namespace Graph.Tests.Datasets;

/// <summary>A fact that needs the real bAbI files in <c>shared/data/babi</c> beside the repository; skipped when absent.</summary>
public sealed class SharedBabiFactAttribute : FactAttribute
{
    /// <summary>Marks the test as skipped when the shared bAbI folder is missing.</summary>
    public SharedBabiFactAttribute()
    {
        if (Directory is null)
        {
            Skip = "The shared bAbI files (../shared/data/babi beside the repository) are not present.";
        }
    }

    /// <summary>The shared bAbI folder, or null when it is absent.</summary>
    public static string? Directory =>
        TestData.SharedDirectory is string shared && System.IO.Directory.Exists(Path.Combine(shared, "data", "babi"))
            ? Path.Combine(shared, "data", "babi")
            : null;
}
