using Graph.Generator.IR;

namespace Graph.Generator.Autodiff;

/// <summary>
/// The one table of derivative rules: for a node y = op(x₀, x₁, ...) and the adjoint g = ∂L/∂y, the
/// vector-Jacobian products ∂L/∂xᵢ. Contributions may still have the broadcast shape of y; the caller sums
/// them back down to each input's shape.
/// </summary>
internal static class DerivativeRules
{
    /// <summary>The contribution to input <paramref name="input"/> of <paramref name="y"/>, or null where it has none.</summary>
    public static Node? Contribution(GraphBuilder b, Node y, Node g, int input)
    {
        var x = y.Inputs;
        string o = "d(" + y.Origin + ")";
        switch (y.Op)
        {
            case OpKind.Add:
                return g;
            case OpKind.Subtract:
                return input == 0 ? g : b.Unary(OpKind.Negate, g, o);
            case OpKind.Multiply:
                return b.Binary(OpKind.Multiply, g, x[1 - input], o);
            case OpKind.Divide:
                // d(a/b)/da = 1/b; d(a/b)/db = -(a/b)/b.
                return input == 0
                    ? b.Binary(OpKind.Divide, g, x[1], o)
                    : b.Unary(OpKind.Negate, b.Binary(OpKind.Multiply, g, b.Binary(OpKind.Divide, y, x[1], o), o), o);
            case OpKind.Negate:
                return b.Unary(OpKind.Negate, g, o);
            case OpKind.Relu:
                return b.Binary(OpKind.Multiply, g, b.Unary(OpKind.Step, y, o), o);
            case OpKind.Sigmoid:
                // σ' = y (1 - y).
                return b.Binary(OpKind.Multiply, g, b.Binary(OpKind.Multiply, y, b.Binary(OpKind.Subtract, b.Constant(1), y, o), o), o);
            case OpKind.Tanh:
                // tanh' = 1 - y².
                return b.Binary(OpKind.Multiply, g, b.Binary(OpKind.Subtract, b.Constant(1), b.Unary(OpKind.Square, y, o), o), o);
            case OpKind.Exp:
                return b.Binary(OpKind.Multiply, g, y, o);
            case OpKind.Log:
                return b.Binary(OpKind.Divide, g, x[0], o);
            case OpKind.Square:
                return b.Binary(OpKind.Multiply, g, b.Binary(OpKind.Multiply, x[0], b.Constant(2), o), o);
            case OpKind.Step or OpKind.StopGradient:
                return null;
            case OpKind.Broadcast:
                return b.ReduceSum(g, x[0].Shape, x[0].Batched, o);
            case OpKind.ReduceSum:
                return b.Broadcast(g, x[0].Shape, x[0].Batched, o);
            case OpKind.Reshape:
                return b.Reshape(g, x[0].Shape, o);
            case OpKind.Transpose:
                return b.Transpose(g, o);
            case OpKind.MatMul:
                return input == 0 ? MatMulLeft(b, y, g, o) : MatMulRight(b, y, g, o);
            case OpKind.Im2Col:
                // Linear: the adjoint adds each window's gradient back onto the pixels it read.
                return b.Col2Im(g, x[0].Shape, y.Window!, o);
            case OpKind.Col2Im:
                return b.Im2Col(g, y.Window!, o);
            case OpKind.SumPool2d:
                // Every pixel of a window contributes once to its sum.
                return b.Upsample2d(g, x[0].Shape, y.Window!, o);
            case OpKind.Upsample2d:
                return b.SumPool2d(g, y.Window!, o);
            case OpKind.Softmax:
                // ∂x = y ⊙ (g - Σ g ⊙ y), the sum along the last axis.
                var last = LastAxisSummed(y.Shape);
                var dot = b.Broadcast(b.ReduceSum(b.Binary(OpKind.Multiply, g, y, o), last, y.Batched, o), y.Shape, y.Batched, o);
                return b.Binary(OpKind.Multiply, y, b.Binary(OpKind.Subtract, g, dot, o), o);
            case OpKind.SoftmaxCrossEntropy:
                // The fused step: ∂logits = g · (softmax(logits) - target), for a target that sums to one.
                return input == 0
                    ? b.Binary(OpKind.Multiply, b.Reshape(g, LastAxisSummed(x[0].Shape), o), b.Binary(OpKind.Subtract, b.Softmax(x[0], o), x[1], o), o)
                    : null;
            case OpKind.Gather:
                // Each gathered row's gradient goes back to the row it came from; indices get none.
                return input == 0 ? b.ScatterAdd(g, x[1], x[0].Shape, mean: false, o) : null;
            case OpKind.EmbeddingBag:
                // Every row in the bag receives the bag's gradient (divided by the count for a mean).
                return input == 0 ? b.ScatterAdd(g, x[1], x[0].Shape, mean: y.Value == 1, o) : null;
            case OpKind.SelectRow:
                // The row's gradient goes back to that row; the other rows get zeros.
                return b.InsertRow(g, x[0].Shape, y.Index, o);
            case OpKind.InsertRow:
                return b.SelectRow(g, y.Index, o);
            case OpKind.Concat:
                // Each input receives its own part of the gradient: the first's elements, then the second's.
                return b.Slice(g, input == 0 ? Size.Zero : x[0].Shape.Size, x[input].Shape, o);
            case OpKind.SigmoidCrossEntropy:
                // The fused step: ∂x = g · (σ(x) - y); ∂y = -g · x.
                return input == 0
                    ? b.Binary(OpKind.Multiply, g, b.Binary(OpKind.Subtract, b.Unary(OpKind.Sigmoid, x[0], o), x[1], o), o)
                    : b.Unary(OpKind.Negate, b.Binary(OpKind.Multiply, g, x[0], o), o);
            default:
                return null;
        }
    }

    /// <summary>The shape with its last axis summed to one element: [10] → [1], [4,10] → [4,1].</summary>
    private static Shape LastAxisSummed(Shape shape) => new(shape.WithoutLastAxis.Dims.Append(Size.One));

    // C = op(A)·op(B): ∂A = g·op(B)ᵀ, or op(B)·gᵀ when A is used transposed.
    private static Node MatMulLeft(GraphBuilder b, Node y, Node g, string o)
    {
        var (a, m) = (y.Inputs[0], y.Inputs[1]);
        return y.TransposeA
            ? b.MatMul(m, g, y.TransposeB, true, a.Batched, o)
            : b.MatMul(g, m, false, !y.TransposeB, a.Batched, o);
    }

    // C = op(A)·op(B): ∂B = op(A)ᵀ·g, or gᵀ·op(A) when B is used transposed.
    private static Node MatMulRight(GraphBuilder b, Node y, Node g, string o)
    {
        var (a, m) = (y.Inputs[0], y.Inputs[1]);
        return y.TransposeB
            ? b.MatMul(g, a, true, y.TransposeA, m.Batched, o)
            : b.MatMul(a, g, !y.TransposeA, false, m.Batched, o);
    }
}
