using Xunit;

namespace Graph.Tests.Datasets;

/// <summary>A fact that needs the real MNIST files in <c>shared/data/mnist</c> beside the repository; skipped when absent.</summary>
public sealed class SharedMnistFactAttribute : FactAttribute
{
    /// <summary>Marks the test as skipped when the shared MNIST folder is missing.</summary>
    public SharedMnistFactAttribute()
    {
        if (Directory is null)
        {
            Skip = "The shared MNIST files (../shared/data/mnist beside the repository) are not present.";
        }
    }

    /// <summary>The shared MNIST folder, or null when it is absent.</summary>
    public static string? Directory =>
        TestData.SharedDirectory is string shared && System.IO.Directory.Exists(Path.Combine(shared, "data", "mnist"))
            ? Path.Combine(shared, "data", "mnist")
            : null;
}
