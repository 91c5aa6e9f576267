namespace Graph.Datasets;

/// <summary>The kinds of folder that <see cref="DataLocator"/> searches, in the order it searches them.</summary>
public enum DatasetLocationKind
{
    /// <summary><c>$GRAPH_DATA/&lt;dataset&gt;/</c>, the folder named by the <see cref="DataLocator.EnvironmentVariable"/> variable.</summary>
    EnvironmentVariable,

    /// <summary><c>shared/data/&lt;dataset&gt;/</c> in the current directory, the application's directory, or an ancestor of either.</summary>
    SharedFolder,

    /// <summary>The per-user cache, <c>~/.cache/graph/datasets/&lt;dataset&gt;/</c> or its platform equivalent; downloads go there.</summary>
    UserCache,
}
