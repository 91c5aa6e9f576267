namespace Graph.Tests.Datasets;

/// <summary>A fact that needs the real babi files ($GRAPH_DATA/babi or ../shared/data/babi); see <see cref="SharedData"/>.</summary>
public sealed class SharedBabiFactAttribute : SharedDataFactAttribute
{
    /// <summary>The data set's folder name.</summary>
    public const string Dataset = "babi";

    /// <summary>Skips the test where the data is absent, unless CI=true.</summary>
    public SharedBabiFactAttribute()
        : base(Dataset)
    {
    }

    /// <summary>The data set's folder.</summary>
    /// <exception cref="DirectoryNotFoundException">The data is absent.</exception>
    public static string Directory => SharedData.Directory(Dataset);
}
