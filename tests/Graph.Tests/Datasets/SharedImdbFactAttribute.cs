namespace Graph.Tests.Datasets;

/// <summary>A fact that needs the real imdb files ($GRAPH_DATA/imdb or ../shared/data/imdb); see <see cref="SharedData"/>.</summary>
public sealed class SharedImdbFactAttribute : SharedDataFactAttribute
{
    /// <summary>The data set's folder name.</summary>
    public const string Dataset = "imdb";

    /// <summary>Skips the test where the data is absent, unless CI=true.</summary>
    public SharedImdbFactAttribute()
        : base(Dataset)
    {
    }

    /// <summary>The data set's folder.</summary>
    /// <exception cref="DirectoryNotFoundException">The data is absent.</exception>
    public static string Directory => SharedData.Directory(Dataset);
}
