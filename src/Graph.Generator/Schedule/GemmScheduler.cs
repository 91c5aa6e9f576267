using Graph.Generator.IR;
using Graph.Generator.IR.Ops;
using Graph.Generator.Planning;
using Graph.Generator.Shapes;

namespace Graph.Generator.Schedule;

/// <summary>
/// Plans a <see cref="MatMul"/> as runtime GEMM calls. Where the batch can be folded into one matrix dimension (the
/// layout of the stacked samples is itself a strided matrix) the whole batch is one call: a batched row or matrix
/// times a shared weight stacks the samples as rows; a shared matrix times batched column vectors computes the
/// transposed product; the gradient of a shared weight stacks the samples along the summed dimension. Other
/// combinations take one call per sample. Each call's kernel is chosen from the sizes the compiler knows
/// (<see cref="GemmKernelChooser"/>).
/// </summary>
internal static class GemmScheduler
{
    private static readonly GemmKernelChoice Unchosen = new(GemmKernelName.RunTime, "not chosen");

    /// <param name="elementType">The model's element type: float, double or its type parameter.</param>
    public static Gemm Plan(Node node, BufferPlan plan, string elementType)
    {
        var product = Fold(node, plan);
        var kernel = GemmKernelChooser.Choose(product.M, product.N, product.K, elementType);
        return product with { Kernel = kernel, UpdateKernel = GemmKernelChooser.ChooseForUpdate(kernel, product.K) };
    }

    /// <summary>The calls of the product, the batch folded into one where it can be; the kernels still to choose.</summary>
    private static Gemm Fold(Node node, BufferPlan plan)
    {
        var product = (MatMul)node.Op;
        var a = Operand.Of(node.Inputs[0], product.TransposeA);
        var b = Operand.Of(node.Inputs[1], product.TransposeB);
        var (m, k, n) = (a.Rows, a.Cols, b.Cols);
        var A = new GemmOperand(plan.StorageOf[node.Inputs[0].Id], null);
        var B = new GemmOperand(plan.StorageOf[node.Inputs[1].Id], null);
        var C = new GemmOperand(plan.StorageOf[node.Id], null);
        bool outputBatched = node.Batched;

        if (!a.Batched && !b.Batched)
        {
            return Single(a.Transposed, b.Transposed, m, n, k, A, a.Ld, B, b.Ld, C, n);
        }

        if (outputBatched && a.Batched && !b.Batched && (!a.Transposed || m.IsOne || k.IsOne))
        {
            // Rows of every sample stacked: [batch·m, k] · op(B). A transposed row or column is stored contiguously too.
            return Single(false, b.Transposed, Size.Batch * m, n, k, A, k, B, b.Ld, C, n);
        }

        if (outputBatched && !a.Batched && b.Batched && n.IsOne)
        {
            // Each sample's column c = op(A)·x, so the stacked rows cᵀ = xᵀ·op(A)ᵀ: [batch, k] · op(A)ᵀ.
            return Single(false, !a.Transposed, Size.Batch, m, k, B, k, A, a.Ld, C, m);
        }

        if (!outputBatched && a.Batched && b.Batched
            && (a.Transposed || m.IsOne || k.IsOne)
            && (!b.Transposed || n.IsOne || k.IsOne))
        {
            // Σ over samples of op(A)ₛ·op(B)ₛ: the samples stacked along the summed dimension, [m, batch·k] · [batch·k, n].
            // Stacked samples of A read as a [batch·k, m] matrix, transposed, unless each is one row [1, k].
            bool transposeA = a.Transposed || k.IsOne;
            return Single(transposeA, false, m, n, Size.Batch * k, A, transposeA ? m : Size.Batch * k, B, n, C, n);
        }

        // One product per sample; a shared result accumulates over the samples.
        return new Gemm(
            a.Transposed,
            b.Transposed,
            m,
            n,
            k,
            A with { SampleSize = a.Batched ? node.Inputs[0].Shape.Size : null },
            a.Ld,
            B with { SampleSize = b.Batched ? node.Inputs[1].Shape.Size : null },
            b.Ld,
            C with { SampleSize = outputBatched ? node.Shape.Size : null },
            n,
            PerSample: true,
            AccumulateOverSamples: !outputBatched,
            Kernel: Unchosen,
            UpdateKernel: Unchosen);
    }

    private static Gemm Single(bool transposeA, bool transposeB, Size m, Size n, Size k, GemmOperand a, Size lda, GemmOperand b, Size ldb, GemmOperand c, Size ldc) =>
        new(transposeA, transposeB, m, n, k, a, lda, b, ldb, c, ldc, PerSample: false, AccumulateOverSamples: false, Unchosen, Unchosen);

    /// <summary>An operand as GEMM sees it: op(X) is Rows × Cols; X is stored row-major with leading dimension Ld.</summary>
    private sealed record Operand(Size Rows, Size Cols, bool Transposed, bool Batched, Size Ld)
    {
        public static Operand Of(Node node, bool transposed)
        {
            var r = node.Shape[0];
            var c = node.Shape[1];
            return transposed ? new Operand(c, r, true, node.Batched, c) : new Operand(r, c, false, node.Batched, c);
        }
    }
}
