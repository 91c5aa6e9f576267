namespace Graph.Datasets;

/// <summary>One folder that <see cref="DataLocator"/> searches for a dataset's files.</summary>
/// <param name="Directory">The full path of the dataset's folder, for example <c>/work/shared/data/mnist</c>.</param>
/// <param name="Kind">Why this folder is searched.</param>
public sealed record DatasetLocation(string Directory, DatasetLocationKind Kind)
{
    /// <summary>The folder and, in brackets, why it is searched: <c>/home/me/.cache/graph/datasets/mnist (per-user cache)</c>.</summary>
    public override string ToString() => Kind switch
    {
        DatasetLocationKind.EnvironmentVariable => $"{Directory} (from {DataLocator.EnvironmentVariable})",
        DatasetLocationKind.SharedFolder => $"{Directory} (shared data folder)",
        _ => $"{Directory} (per-user cache)",
    };
}
