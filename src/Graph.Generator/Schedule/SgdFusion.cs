using Graph.Generator.IR;
using Graph.Generator.IR.Ops;
using Graph.Generator.Optimization;
using Graph.Generator.Pipeline;
using Graph.Generator.Planning;
using Graph.Generator.Spec;

namespace Graph.Generator.Schedule;

/// <summary>
/// Which weight updates of a training step run inside the step that computes the weight's gradient
/// (<c>w -= rate · xᵀ·δ</c> in one pass, the gradient never stored), and where the loss is known, so the step can
/// refuse a non-finite loss before it changes any weight.
/// </summary>
/// <remarks>
/// A parameter's update is fused when its whole gradient is one step written straight into its gradient array that
/// can apply the update itself (a GEMM folded into one call; a row-sparse <see cref="ScatterAdd"/>, each row read
/// stepping as its gradient row is formed, one step per occurrence of a repeated index), it has no frozen elements,
/// the loss is computed before that step, and nothing after it reads the parameter's value or its gradient (reverse
/// mode uses a weight to propagate the delta before it forms the weight's own gradient, so for a layer stack every
/// weight qualifies).
/// </remarks>
internal sealed class SgdFusion
{
    private SgdFusion(IReadOnlyDictionary<int, int> parameterOfKernelRoot, int lossKernel)
    {
        ParameterOfKernelRoot = parameterOfKernelRoot;
        LossKernel = lossKernel;
    }

    /// <summary>The index of the kernel after which the loss is final; -1 when it is known before any kernel runs.</summary>
    public int LossKernel { get; }

    /// <summary>The parameter each fused kernel (by its root node's id) updates.</summary>
    public IReadOnlyDictionary<int, int> ParameterOfKernelRoot { get; }

    /// <param name="canUpdate">Whether the kernel rooted at a node can apply an SGD step itself.</param>
    public static SgdFusion Plan(ModelSpec model, CompiledEntry entry, Func<Node, bool> canUpdate)
    {
        var plan = entry.Plan;
        var kernels = entry.Kernels;
        var loss = BufferPlanner.AliasRoot(entry.Graph.Outputs.First(o => o.Kind == OutputKind.Loss).Node);
        int lossKernel = -1;
        for (int q = 0; q < kernels.Count; q++)
        {
            if (kernels[q].Root == loss || kernels[q].Fused.Contains(loss))
            {
                lossKernel = q;
            }
        }

        var fused = new Dictionary<int, int>();
        for (int q = lossKernel + 1; q < kernels.Count; q++)
        {
            var root = kernels[q].Root;
            var storage = plan.StorageOf[root.Id];
            if (storage.Kind != StorageKind.ParameterGradient || !canUpdate(root))
            {
                continue;
            }

            var parameter = model.Parameters[storage.Index];
            var value = new Storage(StorageKind.ParameterValue, storage.Index);
            bool writtenOnce = kernels.Count(k => plan.StorageOf[k.Root.Id] == storage) == 1;
            bool readLater = kernels.Skip(q + 1).Any(k => Reads(k, plan, value) || Reads(k, plan, storage))
                || plan.Copies.Any(copy => (plan.StorageOf.TryGetValue(copy.From.Id, out var from) && (from == value || from == storage)) || copy.To == storage);
            if (!parameter.Frozen && parameter.FrozenElements.Count == 0 && writtenOnce && !readLater)
            {
                fused[root.Id] = storage.Index;
            }
        }

        return new SgdFusion(fused, lossKernel);
    }

    private static bool Reads(Kernel kernel, BufferPlan plan, Storage storage) =>
        kernel.Fused.Append(kernel.Root).SelectMany(node => node.Inputs)
            .Any(input => plan.StorageOf.TryGetValue(input.Id, out var read) && read == storage);
}
