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

    /// <summary>
    /// Table <see cref="Storage.Index"/> of shape <see cref="Storage.Table"/> that holds a row-sparse part of a gradient
    /// (a scatter, or a sum of such parts), with a row list of its own: only row-sparse kernels write it, each clearing
    /// the rows the last one listed, so every row it does not list is zero.
    /// </summary>
    ScatteredTable,
}

/// <summary>
/// Where a value lives: storage <see cref="Kind"/> number <see cref="Index"/> (and, for an index buffer, the position
/// it holds, or the position that moves with a loop's step, <see cref="AtStep"/>); a value a loop keeps for every
/// step lives at <see cref="Step"/>'s part of its buffer; a scattered table is number <see cref="Index"/> of those of
/// shape <see cref="Table"/>.
/// </summary>
internal sealed record Storage(StorageKind Kind, int Index, int Position = 0, StepPart? Step = null, StepPosition? AtStep = null, Graph.Generator.Shapes.Shape? Table = null);

/// <summary>
/// The part of a buffer that holds one step's copy of a value: <see cref="Elements"/> elements from
/// (the loop's step + <see cref="Offset"/>) × <see cref="Elements"/> where <see cref="Relative"/>, else from
/// <see cref="Offset"/> × <see cref="Elements"/>; or, where <see cref="Steps"/> is more than one, the copies of that
/// many consecutive steps from there (<see cref="IR.Ops.StepRows"/>), or, where <see cref="RunTime"/> is given, as many
/// as a region that ends at a run-time count ran.
/// </summary>
internal sealed record StepPart(bool Relative, int Offset, Graph.Generator.Shapes.Size Elements, int Steps = 1, IR.Ops.RunTimeSteps? RunTime = null);

/// <summary>The position <see cref="Coefficient"/> × the loop's step + <see cref="Offset"/> of a sequence.</summary>
internal sealed record StepPosition(int Coefficient, int Offset);
