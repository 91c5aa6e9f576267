using Graph.Generator.IR;
using Graph.Generator.IR.Ops;
using Graph.Generator.Shapes;
using Graph.Generator.Planning;

namespace Graph.Generator.Emit;

/// <summary>
/// Emits a <see cref="MatMul"/> as calls to the runtime's GEMM. Where the batch can be folded into one
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
        string C = names.Of(plan.StorageOf[node.Id]);
        if (SingleCall(node, C) is GemmCall single)
        {
            writer.Line($"global::Graph.Runtime.Kernels.Gemm<{type.Name}>({single.Arguments}, false);");
            return;
        }

        // One product per sample; a shared result accumulates over the samples.
        var product = (MatMul)node.Op;
        var a = Operand.Of(node.Inputs[0], product.TransposeA);
        var b = Operand.Of(node.Inputs[1], product.TransposeB);
        string sizeA = I(node.Inputs[0].Shape.Size);
        string sizeB = I(node.Inputs[1].Shape.Size);
        string sizeC = I(node.Shape.Size);
        string s = names.Local("sample");
        using (writer.Block($"for (int {s} = 0; {s} < batch; {s}++)"))
        {
            string sliceA = a.Batched ? names.Slice(plan.StorageOf[node.Inputs[0].Id], $"{s} * {sizeA}", sizeA) : names.Of(plan.StorageOf[node.Inputs[0].Id]);
            string sliceB = b.Batched ? names.Slice(plan.StorageOf[node.Inputs[1].Id], $"{s} * {sizeB}", sizeB) : names.Of(plan.StorageOf[node.Inputs[1].Id]);
            string sliceC = node.Batched ? names.Slice(plan.StorageOf[node.Id], $"{s} * {sizeC}", sizeC) : C;
            var call = new GemmCall(a.Transposed, b.Transposed, I(a.Rows), I(b.Cols), I(a.Cols), sliceA, a.Ld, sliceB, b.Ld, sliceC, I(b.Cols));
            writer.Line($"global::Graph.Runtime.Kernels.Gemm<{type.Name}>({call.Arguments}, {(node.Batched ? "false" : $"{s} > 0")});");
        }
    }

    /// <summary>Whether the product is one GEMM call, so that an SGD step can be fused into it.</summary>
    public static bool IsSingleCall(Node node) => SingleCall(node, string.Empty, _ => string.Empty) is not null;

    /// <summary>
    /// Emits <c>value -= rate · product</c> for a weight gradient that is one GEMM call: the update is applied by the
    /// product itself and the gradient is never stored.
    /// </summary>
    public void EmitSgdStep(Node node, string value, string rate)
    {
        var call = SingleCall(node, value) ?? throw new InvalidOperationException($"%{node.Id} is not a single GEMM call.");
        writer.Line($"global::Graph.Runtime.Kernels.GemmSgdStep<{type.Name}>({call.Arguments}, {rate});");
    }

    private GemmCall? SingleCall(Node node, string c) => SingleCall(node, c, n => names.Of(plan.StorageOf[n.Id]));

    /// <summary>The one GEMM call that computes the product for the whole batch, or null where it takes a call per sample.</summary>
    private static GemmCall? SingleCall(Node node, string C, Func<Node, string> storage)
    {
        var product = (MatMul)node.Op;
        var a = Operand.Of(node.Inputs[0], product.TransposeA);
        var b = Operand.Of(node.Inputs[1], product.TransposeB);
        var m = a.Rows;
        var k = a.Cols;
        var n = b.Cols;
        string A = storage(node.Inputs[0]);
        string B = storage(node.Inputs[1]);
        bool outputBatched = node.Batched;

        if (!a.Batched && !b.Batched)
        {
            return new GemmCall(a.Transposed, b.Transposed, I(m), I(n), I(k), A, a.Ld, B, b.Ld, C, I(n));
        }

        if (outputBatched && a.Batched && !b.Batched && (!a.Transposed || m.IsOne || k.IsOne))
        {
            // Rows of every sample stacked: [batch·m, k] · op(B). A transposed row or column is stored contiguously too.
            return new GemmCall(false, b.Transposed, Batch(m), I(n), I(k), A, I(k), B, b.Ld, C, I(n));
        }

        if (outputBatched && !a.Batched && b.Batched && n.IsOne)
        {
            // Each sample's column c = op(A)·x, so the stacked rows cᵀ = xᵀ·op(A)ᵀ: [batch, k] · op(A)ᵀ.
            return new GemmCall(false, !a.Transposed, "batch", I(m), I(k), B, I(k), A, a.Ld, C, I(m));
        }

        if (!outputBatched && a.Batched && b.Batched
            && (a.Transposed || m.IsOne || k.IsOne)
            && (!b.Transposed || n.IsOne || k.IsOne))
        {
            // Σ over samples of op(A)ₛ·op(B)ₛ: the samples stacked along the summed dimension, [m, batch·k] · [batch·k, n].
            // Stacked samples of A read as a [batch·k, m] matrix, transposed, unless each is one row [1, k].
            bool transposeA = a.Transposed || k.IsOne;
            return new GemmCall(transposeA, false, I(m), I(n), Batch(k), A, transposeA ? I(m) : Batch(k), B, I(n), C, I(n));
        }

        return null;
    }

    /// <summary>The arguments of one GEMM call, up to the accumulate flag or the learning rate.</summary>
    private sealed record GemmCall(bool TransposeA, bool TransposeB, string M, string N, string K, string A, string Lda, string B, string Ldb, string C, string Ldc)
    {
        public string Arguments => $"{Bool(TransposeA)}, {Bool(TransposeB)}, {M}, {N}, {K}, {A}, {Lda}, {B}, {Ldb}, {C}, {Ldc}";
    }

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
