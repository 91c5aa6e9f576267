namespace Graph.Tests.Datasets;

/// <summary>A fact that needs the real mnist files ($GRAPH_DATA/mnist or ../shared/data/mnist); see <see cref="SharedData"/>.</summary>
public sealed class SharedMnistFactAttribute : SharedDataFactAttribute
{
    /// <summary>The data set's folder name.</summary>
    public const string Dataset = "mnist";

    /// <summary>Skips the test where the data is absent, unless CI=true.</summary>
    public SharedMnistFactAttribute()
        : base(Dataset)
    {
    }

    /// <summary>The data set's folder.</summary>
    /// <exception cref="DirectoryNotFoundException">The data is absent.</exception>
    public static string Directory => SharedData.Directory(Dataset);
}
