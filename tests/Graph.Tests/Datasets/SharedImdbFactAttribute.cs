using Xunit;

namespace Graph.Tests.Datasets;

/// <summary>A fact that needs the real IMDB files in <c>shared/data/imdb</c> beside the repository; skipped when absent.</summary>
public sealed class SharedImdbFactAttribute : FactAttribute
{
    /// <summary>Marks the test as skipped when the shared IMDB folder is missing.</summary>
    public SharedImdbFactAttribute()
    {
        if (Directory is null)
        {
            Skip = "The shared IMDB files (../shared/data/imdb beside the repository) are not present.";
        }
    }

    /// <summary>The shared IMDB folder, or null when it is absent.</summary>
    public static string? Directory =>
        TestData.SharedDirectory is string shared && System.IO.Directory.Exists(Path.Combine(shared, "data", "imdb"))
            ? Path.Combine(shared, "data", "imdb")
            : null;
}
