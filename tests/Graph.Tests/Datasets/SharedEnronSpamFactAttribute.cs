namespace Graph.Tests.Datasets;

/// <summary>A fact that needs the real enron_spam files ($GRAPH_DATA/enron_spam or ../shared/data/enron_spam); see <see cref="SharedData"/>.</summary>
public sealed class SharedEnronSpamFactAttribute : SharedDataFactAttribute
{
    /// <summary>The data set's folder name.</summary>
    public const string Dataset = "enron_spam";

    /// <summary>Skips the test where the data is absent, unless CI=true.</summary>
    public SharedEnronSpamFactAttribute()
        : base(Dataset)
    {
    }

    /// <summary>The data set's folder.</summary>
    /// <exception cref="DirectoryNotFoundException">The data is absent.</exception>
    public static string Directory => SharedData.Directory(Dataset);
}
