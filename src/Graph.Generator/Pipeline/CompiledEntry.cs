using Graph.Generator.IR;
using Graph.Generator.Optimization;
using Graph.Generator.Planning;
using Graph.Generator.Spec;

namespace Graph.Generator.Pipeline;

/// <summary>What a compiled method computes.</summary>
internal enum EntryKind
{
    /// <summary>A [Forward] method's batched inference.</summary>
    Forward,

    /// <summary>The batch loss, without gradients.</summary>
    Loss,

    /// <summary>The batch loss and the gradient of every trainable parameter.</summary>
    Backward,
}

/// <summary>One compiled method of a model: its graph after optimisation, its kernels and its buffer plan.</summary>
internal sealed record CompiledEntry(EntryKind Kind, FunctionSpec Function, Computation Graph, IReadOnlyList<Kernel> Kernels, BufferPlan Plan);
