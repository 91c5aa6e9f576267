namespace Graph.Generator.Planning;

/// <summary>Where a value lives while a compiled method runs.</summary>
internal enum StorageKind
{
    /// <summary>Written inline: a constant or the batch size.</summary>
    Inline,

    /// <summary>The caller's input span <see cref="Storage.Index"/>.</summary>
    Input,

    /// <summary>The values of parameter <see cref="Storage.Index"/>.</summary>
    ParameterValue,

    /// <summary>The gradient array of parameter <see cref="Storage.Index"/>.</summary>
    ParameterGradient,

    /// <summary>The caller's output span.</summary>
    Output,

    /// <summary>Planned buffer <see cref="Storage.Index"/>, sized per sample × batch.</summary>
    BatchBuffer,

    /// <summary>Planned buffer <see cref="Storage.Index"/> of fixed size, shared by the batch.</summary>
    SharedBuffer,

    /// <summary>
    /// The int buffer holding position <see cref="Storage.Position"/> of each sample's indices of index input
    /// <see cref="Storage.Index"/> (one index per sample, sized by the batch).
    /// </summary>
    IndexBuffer,
}

internal sealed record Storage(StorageKind Kind, int Index, int Position = 0);
