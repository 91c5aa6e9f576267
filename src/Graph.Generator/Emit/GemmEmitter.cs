using Graph.Generator.IR;
using Graph.Generator.Planning;

namespace Graph.Generator.Emit;

/// <summary>
/// Emits a <see cref="OpKind.MatMul"/> as calls to the runtime's GEMM. Where the batch can be folded into one
/// matrix dimension (the layout of the stacked samples is itself a strided matrix) the whole batch is one call:
/// a batched row or matrix times a shared weight stacks the samples as rows; a shared matrix times batched
/// column vectors computes the transposed product; the gradient of a shared weight stacks the samples along the
/// summed dimension. Other combinations loop over the samples.
/// </summary>
internal sealed class GemmEmitter
{
    private readonly CodeWriter writer;
    private readonly ElementType type;
    private readonly MemoryNames names;
    private readonly BufferPlan plan;

    public GemmEmitter(CodeWriter writer, ElementType type, MemoryNames names, BufferPlan plan)
    {
        this.writer = writer;
        this.type = type;
        this.names = names;
        this.plan = plan;
    }

    public void Emit(Node node)
    {
        var a = Operand.Of(node.Inputs[0], node.TransposeA);
        var b = Operand.Of(node.Inputs[1], node.TransposeB);
        var m = a.Rows;
        var k = a.Cols;
        var n = b.Cols;
        string A = names.Of(plan.StorageOf[node.Inputs[0].Id]);
        string B = names.Of(plan.StorageOf[node.Inputs[1].Id]);
        string C = names.Of(plan.StorageOf[node.Id]);
        bool outputBatched = node.Batched;

        if (!a.Batched && !b.Batched)
        {
            Call(a.Transposed, b.Transposed, I(m), I(n), I(k), A, a.Ld, B, b.Ld, C, I(n), "false");
            return;
        }

        if (outputBatched && a.Batched && !b.Batched && (!a.Transposed || m.IsOne || k.IsOne))
        {
            // Rows of every sample stacked: [batch·m, k] · op(B). A transposed row or column is stored contiguously too.
            Call(false, b.Transposed, Batch(m), I(n), I(k), A, I(k), B, b.Ld, C, I(n), "false");
            return;
        }

        if (outputBatched && !a.Batched && b.Batched && n.IsOne)
        {
            // Each sample's column c = op(A)·x, so the stacked rows cᵀ = xᵀ·op(A)ᵀ: [batch, k] · op(A)ᵀ.
            Call(false, !a.Transposed, "batch", I(m), I(k), B, I(k), A, a.Ld, C, I(m), "false");
            return;
        }

        if (!outputBatched && a.Batched && b.Batched
            && (a.Transposed || m.IsOne || k.IsOne)
            && (!b.Transposed || n.IsOne || k.IsOne))
        {
            // Σ over samples of op(A)ₛ·op(B)ₛ: the samples stacked along the summed dimension, [m, batch·k] · [batch·k, n].
            // Stacked samples of A read as a [batch·k, m] matrix, transposed, unless each is one row [1, k].
            bool transposeA = a.Transposed || k.IsOne;
            Call(transposeA, false, I(m), I(n), Batch(k), A, transposeA ? I(m) : Batch(k), B, I(n), C, I(n), "false");
            return;
        }

        // One product per sample; a shared result accumulates over the samples.
        string sizeA = I(node.Inputs[0].Shape.Size);
        string sizeB = I(node.Inputs[1].Shape.Size);
        string sizeC = I(node.Shape.Size);
        string s = names.Local("sample");
        using (writer.Block($"for (int {s} = 0; {s} < batch; {s}++)"))
        {
            string sliceA = a.Batched ? names.Slice(plan.StorageOf[node.Inputs[0].Id], $"{s} * {sizeA}", sizeA) : A;
            string sliceB = b.Batched ? names.Slice(plan.StorageOf[node.Inputs[1].Id], $"{s} * {sizeB}", sizeB) : B;
            string sliceC = outputBatched ? names.Slice(plan.StorageOf[node.Id], $"{s} * {sizeC}", sizeC) : C;
            Call(a.Transposed, b.Transposed, I(m), I(n), I(k), sliceA, a.Ld, sliceB, b.Ld, sliceC, I(n), outputBatched ? "false" : $"{s} > 0");
        }
    }

    private void Call(bool transposeA, bool transposeB, string m, string n, string k, string a, string lda, string b, string ldb, string c, string ldc, string accumulate) =>
        writer.Line($"global::Graph.Runtime.Kernels.Gemm<{type.Name}>({Bool(transposeA)}, {Bool(transposeB)}, {m}, {n}, {k}, {a}, {lda}, {b}, {ldb}, {c}, {ldc}, {accumulate});");

    private static string Bool(bool value) => value ? "true" : "false";

    private static string I(Size value) => MemoryNames.Expression(value);

    private static string Batch(Size factor) => MemoryNames.Expression(Size.Batch * factor);

    /// <summary>An operand as GEMM sees it: op(X) is Rows × Cols; X is stored row-major with leading dimension Ld.</summary>
    private sealed record Operand(Size Rows, Size Cols, bool Transposed, bool Batched, string Ld)
    {
        public static Operand Of(Node node, bool transposed)
        {
            var r = node.Shape[0];
            var c = node.Shape[1];
            return transposed
                ? new Operand(c, r, true, node.Batched, I(c))
                : new Operand(r, c, false, node.Batched, I(c));
        }
    }
}
