using Graph.Generator.Diagnostics;
using Graph.Generator.IR;
using Graph.Generator.Shapes;
using Graph.Generator.Spec;

namespace Graph.Generator.Lowering;

/// <summary>
/// Stage 2: turns a model method into IR nodes, inlining the model methods it calls and expanding composite
/// operations (Dot, Mean, SumSquares, L2Loss, MeanSquaredError, Conv2d, MeanPool2d) into IR primitives.
/// </summary>
internal sealed class FunctionLowering
{
    private readonly ModelSpec model;
    private readonly GraphBuilder builder;
    private readonly bool training;
    private readonly Dictionary<string, Node> parameters = new(StringComparer.Ordinal);

    /// <param name="training">Whether the graph trains: dropout is applied only then.</param>
    public FunctionLowering(ModelSpec model, GraphBuilder builder, bool training)
    {
        this.model = model;
        this.builder = builder;
        this.training = training;
    }

    /// <summary>Lowers an entry point: its tensor arguments become the graph's batched inputs.</summary>
    public Node LowerEntry(FunctionSpec function)
    {
        var inputs = function.Inputs.Select((input, i) => !input.Indices ? builder.Input(i, Shape.Parse(input.Shape), input.Name)
            : builder.IndexInput(i, input.VariableLength ? ShapeInference.VariableCount(input.Name) : Size.Parse(input.Shape[0]), input.Name, input.Padded)).ToList();
        var result = Lower(function, inputs);
        if (result.IsIndices)
        {
            throw new CompileError(DiagnosticInfo.AtKey(DiagnosticDescriptors.IndicesUsedAsValues.Id, LocationKeys.Function(function.Name), result.Origin, "the result of " + function.Name));
        }

        return result;
    }

    private Node Lower(FunctionSpec function, IReadOnlyList<Node> inputs)
    {
        var values = new Node[function.Body.Count];
        for (int i = 0; i < function.Body.Count; i++)
        {
            var expression = function.Body[i];
            try
            {
                values[i] = LowerExpression(expression, inputs, values);
            }
            catch (ShapeException error)
            {
                throw new CompileError(DiagnosticInfo.AtKey(error.DiagnosticId, LocationKeys.Expression(function.Name, i), error.Arguments.ToArray()));
            }
        }

        return values[function.Result];
    }

    private Node LowerExpression(ExprSpec expression, IReadOnlyList<Node> inputs, Node[] values)
    {
        var args = expression.Args.Select(a => values[a]).ToArray();
        string origin = expression.Text;
        switch (expression.Kind)
        {
            case ExprKind.Input:
                return inputs[expression.Index];
            case ExprKind.Constant:
                return builder.Constant(expression.Value);
            case ExprKind.Parameter:
                return Parameter(expression.Name);
            case ExprKind.Call:
                var callee = model.Functions.First(f => f.Name == expression.Name);
                return Lower(callee, args);
            default:
                return Operation(expression.Name, args, origin);
        }
    }

    private Node Operation(string name, Node[] args, string origin)
    {
        switch (name)
        {
            case Ops.Add: return builder.Binary(OpKind.Add, args[0], args[1], origin);
            case Ops.Subtract: return builder.Binary(OpKind.Subtract, args[0], args[1], origin);
            case Ops.Multiply: return builder.Binary(OpKind.Multiply, args[0], args[1], origin);
            case Ops.Divide: return builder.Binary(OpKind.Divide, args[0], args[1], origin);
            case Ops.Negate: return builder.Unary(OpKind.Negate, args[0], origin);
            case Ops.Relu: return builder.Unary(OpKind.Relu, args[0], origin);
            case Ops.Sigmoid: return builder.Unary(OpKind.Sigmoid, args[0], origin);
            case Ops.Tanh: return builder.Unary(OpKind.Tanh, args[0], origin);
            case Ops.Exp: return builder.Unary(OpKind.Exp, args[0], origin);
            case Ops.Log: return builder.Unary(OpKind.Log, args[0], origin);
            case Ops.Square: return builder.Unary(OpKind.Square, args[0], origin);
            case Ops.Dot: return builder.Dot(args[0], args[1], origin);
            case Ops.Transpose: return builder.Transpose(args[0], origin);
            case Ops.Sum: return Sum(args[0], origin);
            case Ops.Mean: return Mean(args[0], origin);
            case Ops.SumSquares: return Sum(builder.Unary(OpKind.Square, args[0], origin), origin);
            case Ops.L2Loss:
                // Σx² / 2, whose gradient is x itself.
                return builder.Binary(OpKind.Multiply, Sum(builder.Unary(OpKind.Square, args[0], origin), origin), builder.Constant(0.5), origin);
            case Ops.MeanSquaredError:
                return Mean(builder.Unary(OpKind.Square, builder.Binary(OpKind.Subtract, args[0], args[1], origin), origin), origin);
            case Ops.Dropout:
                return Dropout(args[0], args[1], origin);
            case Ops.Softmax:
                return builder.Softmax(args[0], origin);
            case Ops.SoftmaxCrossEntropy when args[1].IsIndices:
                return ClassIndexCrossEntropy(args[0], args[1], origin);
            case Ops.SoftmaxCrossEntropy:
                ShapeInference.NoIndicesAsValues(OpKind.SoftmaxCrossEntropy, args);
                var target = ShapeInference.TargetIsClassIndex(args[0].Shape, args[1].Shape)
                    ? builder.OneHot(args[1], args[0].Shape[0], origin)
                    : args[1];
                return builder.SoftmaxCrossEntropy(args[0], target, origin);
            case Ops.Argmax:
                return builder.Argmax(args[0], origin);
            case Ops.StopGradient:
                return builder.Unary(OpKind.StopGradient, args[0], origin);
            case Ops.Conv2d:
                return Convolution(args[0], args[1], origin);
            case Ops.Flatten:
                return UserReshape(args[0], Shape.Of(args[0].Shape.Size), origin);
            case Ops.Reshape:
                return UserReshape(args[0], args.Skip(1).ToArray(), origin);
            case Ops.Concat:
                return builder.Concat(args[0], args[1], origin);
            case Ops.SumPool2d:
                return SumPool(args[0], args[1], origin);
            case Ops.MeanPool2d:
                var pooled = SumPool(args[0], args[1], origin);
                return builder.Binary(OpKind.Divide, pooled, builder.Constant(pooled.Window!.Height * pooled.Window.Width), origin);
            case Ops.Gather:
                return builder.Gather(args[0], args[1], origin);
            case Ops.EmbeddingSum:
                return builder.EmbeddingBag(args[0], args[1], mean: false, origin);
            case Ops.EmbeddingMean:
                return builder.EmbeddingBag(args[0], args[1], mean: true, origin);
            case Ops.IndexAt:
                // The reader gives the position as a constant: one index per sample of an index input, or a row of a dense value.
                return args[0].IsIndices
                    ? builder.PickIndex(args[0], (int)args[1].Value, origin)
                    : builder.SelectRow(args[0], (int)args[1].Value, origin);
            case Ops.SigmoidCrossEntropy:
                // Σ over the elements of the elementwise loss; its gradient is σ(logits) - target.
                return Sum(builder.Binary(OpKind.SigmoidCrossEntropy, args[0], args[1], origin), origin);
            default:
                throw new ShapeException(DiagnosticDescriptors.UnsupportedConstruct.Id, name, "the model", "this version of the generator does not compile this operation");
        }
    }

    /// <summary>
    /// The cross-entropy against a class index held in an index input of one index per sample: the one-hot of the
    /// index as the target. A padding index (-1) has an all-zero one-hot, and the loss is multiplied by the padding
    /// mask, so that the fused gradient softmax - target is zero for it too.
    /// </summary>
    private Node ClassIndexCrossEntropy(Node logits, Node index, string origin)
    {
        ShapeInference.NoIndicesAsValues(OpKind.SoftmaxCrossEntropy, new[] { logits });
        ShapeInference.TargetIsClassIndex(logits.Shape, index.Shape);
        var loss = builder.SoftmaxCrossEntropy(logits, builder.OneHot(index, logits.Shape[0], origin), origin);
        return index.Padded ? builder.Binary(OpKind.Multiply, loss, builder.PaddingMask(index, origin), origin) : loss;
    }

    private Node Dropout(Node value, Node rate, string origin)
    {
        if (rate.Op != OpKind.Constant || !(rate.Value > 0 && rate.Value < 1))
        {
            throw new ShapeException(DiagnosticDescriptors.OperationShapeError.Id, "apply dropout to", value.Shape.ToString(), "the rate must be a constant between 0 and 1 (exclusive)");
        }

        return training ? builder.Binary(OpKind.Multiply, value, builder.DropoutMask(value.Shape, value.Batched, rate.Value, origin), origin) : value;
    }

    /// <summary>
    /// A valid, stride-1 convolution as one matrix product: the image's windows as rows (im2col) times the kernels
    /// viewed as a [kh·kw·c, count] matrix, giving [positions, count], viewed as [oh, ow, count].
    /// </summary>
    private Node Convolution(Node image, Node kernels, string origin)
    {
        var plan = ShapeInference.Convolution(image.Shape, kernels.Shape);
        var columns = builder.Im2Col(image, plan.Window, origin);
        var matrix = builder.Reshape(kernels, Shape.Of(plan.WindowSize, plan.Count), origin);
        var product = builder.MatMul(columns, matrix, transposeA: false, transposeB: false, image.Batched || kernels.Batched, origin);
        return builder.Reshape(product, Shape.Of(plan.OutputHeight, plan.OutputWidth, plan.Count), origin);
    }

    private Node SumPool(Node image, Node size, string origin)
    {
        int window = PositiveInteger(size)
            ?? throw new ShapeException(DiagnosticDescriptors.WindowShapeError.Id, "pool", image.Shape.ToString(), "the window size must be a positive integer constant");
        return builder.SumPool2d(image, new Window(window, window), origin);
    }

    private Node UserReshape(Node value, Node[] dims, string origin)
    {
        var sizes = dims.Select(PositiveInteger).ToArray();
        if (sizes.Any(s => s is null))
        {
            throw new ShapeException(DiagnosticDescriptors.ReshapeCountMismatch.Id, value.Shape.ToString(), "the dimensions given", "every dimension must be a positive integer constant");
        }

        return UserReshape(value, Shape.Of(sizes.Select(s => s!.Value).ToArray()), origin);
    }

    private Node UserReshape(Node value, Shape target, string origin)
    {
        ShapeInference.UserReshape(value.Shape, target);
        return builder.Reshape(value, target, origin);
    }

    /// <summary>The value of a constant that is a positive integer (a dimension, a window size), or null.</summary>
    private static int? PositiveInteger(Node argument) =>
        argument.Op == OpKind.Constant && argument.Value >= 1 && argument.Value <= int.MaxValue && argument.Value == Math.Floor(argument.Value)
            ? (int)argument.Value
            : null;

    private Node Sum(Node value, string origin) => builder.ReduceSum(value, Shape.Scalar, value.Batched, origin);

    /// <summary>The sum divided by the element count, as numpy's <c>mean</c> computes it.</summary>
    private Node Mean(Node value, string origin) => builder.Binary(OpKind.Divide, Sum(value, origin), Count(value.Shape.Size), origin);

    /// <summary>An element count as a value: a constant, or, for a count that depends on a named size, computed when the model runs.</summary>
    private Node Count(Size size) => size.IsConstant ? builder.Constant(size.Value) : builder.SizeValue(size);

    private Node Parameter(string name)
    {
        if (!parameters.TryGetValue(name, out var node))
        {
            int index = Enumerable.Range(0, model.Parameters.Count).First(i => model.Parameters[i].Name == name);
            node = builder.Parameter(index, Shape.Parse(model.Parameters[index].Shape), name);
            parameters.Add(name, node);
        }

        return node;
    }
}
