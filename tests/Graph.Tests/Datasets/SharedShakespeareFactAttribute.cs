namespace Graph.Tests.Datasets;

/// <summary>A fact that needs the real shakespeare files ($GRAPH_DATA/shakespeare or ../shared/data/shakespeare); see <see cref="SharedData"/>.</summary>
public sealed class SharedShakespeareFactAttribute : SharedDataFactAttribute
{
    /// <summary>The data set's folder name.</summary>
    public const string Dataset = "shakespeare";

    /// <summary>Skips the test where the data is absent, unless CI=true.</summary>
    public SharedShakespeareFactAttribute()
        : base(Dataset)
    {
    }

    /// <summary>The data set's folder.</summary>
    /// <exception cref="DirectoryNotFoundException">The data is absent.</exception>
    public static string Directory => SharedData.Directory(Dataset);
}
