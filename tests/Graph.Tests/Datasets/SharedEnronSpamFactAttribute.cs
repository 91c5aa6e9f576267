using Xunit;

namespace Graph.Tests.Datasets;

/// <summary>A fact that needs the real Enron-Spam files in <c>shared/data/enron_spam</c> beside the repository; skipped when absent.</summary>
public sealed class SharedEnronSpamFactAttribute : FactAttribute
{
    /// <summary>Marks the test as skipped when the shared Enron-Spam folder is missing.</summary>
    public SharedEnronSpamFactAttribute()
    {
        if (Directory is null)
        {
            Skip = "The shared Enron-Spam files (../shared/data/enron_spam beside the repository) are not present.";
        }
    }

    /// <summary>The shared Enron-Spam folder, or null when it is absent.</summary>
    public static string? Directory =>
        TestData.SharedDirectory is string shared && System.IO.Directory.Exists(Path.Combine(shared, "data", "enron_spam"))
            ? Path.Combine(shared, "data", "enron_spam")
            : null;
}
