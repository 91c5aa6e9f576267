using Graph.Generator.IR;
using Graph.Generator.IR.Ops;
using Graph.Generator.Optimization;
using Graph.Generator.Pipeline;
using Graph.Generator.Planning;
using Graph.Generator.Spec;

namespace Graph.Generator.Schedule;

/// <summary>
/// Where a training step updates each parameter: inside the step that computes the parameter's gradient (the
/// gradient never stored) or after the backward pass from the stored gradient; and where the loss is known, so the
/// step can refuse a non-finite loss before it changes any parameter.
/// </summary>
/// <remarks>
/// A parameter's update is fused when its whole gradient is one step written straight into its gradient array that
/// can apply the update itself, it has no frozen elements, the loss is computed before that step, and nothing after
/// it reads the parameter's value or its gradient (reverse mode uses a weight to propagate the delta before it forms
/// the weight's own gradient, so for a layer stack every weight qualifies). Two steps can: a GEMM folded into one
/// call applies any rule row by row to the product (<see cref="UpdateSite.InProduct"/>), and a row-sparse
/// <see cref="ScatterAdd"/> steps each row read as its gradient row is formed, one step per occurrence of a
/// repeated index, which is plain SGD's step up to rounding but not a stateful rule's
/// (<see cref="UpdateSite.InRowScatter"/>). A step that clips its gradients by their global norm fuses nothing: it
/// needs every gradient first, so the printed code decides at run time between the fused and the stored path.
/// </remarks>
internal sealed class UpdateFusion
{
    private UpdateFusion(IReadOnlyDictionary<int, int> parameterOfKernelRoot, int lossKernel)
    {
        ParameterOfKernelRoot = parameterOfKernelRoot;
        LossKernel = lossKernel;
    }

    /// <summary>The index of the kernel after which the loss is final; -1 when it is known before any kernel runs.</summary>
    public int LossKernel { get; }

    /// <summary>The parameter each fused kernel (by its root node's id) updates.</summary>
    public IReadOnlyDictionary<int, int> ParameterOfKernelRoot { get; }

    /// <param name="canUpdate">Whether the kernel rooted at a node can apply a parameter's update itself.</param>
    public static UpdateFusion Plan(ModelSpec model, CompiledEntry entry, Func<Node, bool> canUpdate)
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
            if (!plan.StorageOf.TryGetValue(root.Id, out var storage) || storage.Kind != StorageKind.ParameterGradient || !canUpdate(root))
            {
                continue;
            }

            var parameter = model.Parameters[storage.Index];
            var value = new Storage(StorageKind.ParameterValue, storage.Index);
            bool writtenOnce = kernels.Count(k => plan.StorageOf.TryGetValue(k.Root.Id, out var written) && written == storage) == 1;
            bool readLater = kernels.Skip(q + 1).Any(k => Reads(k, plan, value) || Reads(k, plan, storage))
                || plan.Copies.Any(copy => (plan.StorageOf.TryGetValue(copy.From.Id, out var from) && (from == value || from == storage)) || copy.To == storage);
            if (!parameter.Frozen && parameter.FrozenElements.Count == 0 && writtenOnce && !readLater)
            {
                fused[root.Id] = storage.Index;
            }
        }

        return new UpdateFusion(fused, lossKernel);
    }

    private static bool Reads(Kernel kernel, BufferPlan plan, Storage storage) =>
        kernel.Fused.Append(kernel.Root).SelectMany(node => node.Inputs)
            .Any(input => plan.StorageOf.TryGetValue(input.Id, out var read) && read == storage);

    /// <summary>Where a training step updates each parameter it computes a gradient for, in parameter order.</summary>
    /// <param name="steps">The method's steps, whose fused updates name their parameters.</param>
    /// <param name="gradients">The parameters the loss depends on.</param>
    /// <param name="sparse">Whether a parameter's gradient is row-sparse.</param>
    public static IReadOnlyList<ParameterUpdate> Sites(IReadOnlyList<Step> steps, IEnumerable<int> gradients, Func<int, bool> sparse)
    {
        var fused = new Dictionary<int, UpdateSite>();
        foreach (var step in steps)
        {
            switch (step)
            {
                case GemmStep { UpdatedParameter: int p }:
                    fused[p] = UpdateSite.InProduct;
                    break;
                case CallStep { UpdatedParameter: int p }:
                    fused[p] = UpdateSite.InRowScatter;
                    break;
            }
        }

        return gradients.OrderBy(p => p)
            .Select(p => new ParameterUpdate(p, fused.TryGetValue(p, out var site) ? site : UpdateSite.AfterGradients, sparse(p)))
            .ToList();
    }
}
