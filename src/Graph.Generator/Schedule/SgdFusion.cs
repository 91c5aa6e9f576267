using Graph.Generator.IR;
using Graph.Generator.IR.Ops;
using Graph.Generator.Optimization;
using Graph.Generator.Pipeline;
using Graph.Generator.Planning;
using Graph.Generator.Spec;

namespace Graph.Generator.Emit;

/// <summary>
/// Which weight updates of a training step run inside the product that computes the weight's gradient
/// (<c>w -= rate · xᵀ·δ</c> in one pass, the gradient never stored), and where the loss is known, so the step can
/// refuse a non-finite loss before it changes any weight.
/// </summary>
/// <remarks>
/// A row-sparse gradient (one <see cref="ScatterAdd"/>) fuses the same way: each row read takes its step as
/// its gradient row is formed, one step per occurrence of a repeated index.
/// A parameter's update is fused when its whole gradient is one GEMM call written straight into its gradient
/// array, it has no frozen elements, the loss is computed before that call, and nothing after the call reads the
/// parameter's value or its gradient (reverse mode uses a weight to propagate the delta before it forms the
/// weight's own gradient, so for a layer stack every weight qualifies).
/// </remarks>
internal sealed class SgdFusion
{
    private readonly Dictionary<int, int> parameterOfKernelRoot;

    private SgdFusion(Dictionary<int, int> parameterOfKernelRoot, int lossKernel)
    {
        this.parameterOfKernelRoot = parameterOfKernelRoot;
        LossKernel = lossKernel;
    }

    /// <summary>The index of the kernel after which the loss is final; -1 when it is known before any kernel runs.</summary>
    public int LossKernel { get; }

    /// <summary>The parameters whose update is fused.</summary>
    public IEnumerable<int> FusedParameters => parameterOfKernelRoot.Values;

    public static SgdFusion Plan(ModelSpec model, CompiledEntry entry)
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
            bool fusable = (root.Op is KernelOp op && op.StepCall(root) is not null) || (root.Op is MatMul && GemmEmitter.IsSingleCall(root));
            if (!fusable || storage.Kind != StorageKind.ParameterGradient)
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

    /// <summary>The parameter whose update the product <paramref name="root"/> applies, if it is fused.</summary>
    public int? ParameterUpdatedBy(Node root) => parameterOfKernelRoot.TryGetValue(root.Id, out int p) ? p : null;

    private static bool Reads(Kernel kernel, BufferPlan plan, Storage storage) =>
        kernel.Fused.Append(kernel.Root).SelectMany(node => node.Inputs)
            .Any(input => plan.StorageOf.TryGetValue(input.Id, out var read) && read == storage);
}
