using Graph.Generator.Common;
using Graph.Generator.Diagnostics;
using Graph.Generator.IR;
using Graph.Generator.IR.Ops;
using Graph.Generator.Shapes;
using Graph.Generator.Spec;

namespace Graph.Generator.Lowering;

/// <summary>
/// Stage 2: turns a model method into IR nodes, inlining the model methods it calls and lowering each operation
/// through its <see cref="DslFunction"/> (defined beside the ops it builds, in <c>IR/Ops</c>). A problem in the
/// model becomes a <see cref="CompileError"/> at the expression that caused it.
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
        var inputs = function.Inputs.Select((input, i) => builder.Apply(InputOp(input, i), input.Name, Array.Empty<Node>())).ToList();
        var result = Lower(function, inputs);
        if (result.IsIndices)
        {
            throw new CompileError(DiagnosticInfo.AtKey(DiagnosticDescriptors.IndicesUsedAsValues.Id, LocationKeys.Function(function.Name), result.Origin, "the result of " + function.Name));
        }

        return result;
    }

    /// <summary>The leaf of a tensor argument: values of its shape, or row indices of its count.</summary>
    private static Op InputOp(InputSpec input, int position) =>
        !input.Indices ? new Input(position, Shape.Parse(input.Shape))
        : new IndexInput(position, input.VariableLength ? ShapeRules.VariableCount(input.Name) : Size.Parse(input.Shape[0]), input.Padded);

    private Node Lower(FunctionSpec function, IReadOnlyList<Node> inputs)
    {
        var values = new Node[function.Body.Count];
        for (int i = 0; i < function.Body.Count; i++)
        {
            try
            {
                values[i] = LowerExpression(function.Body[i], inputs, values);
            }
            catch (ModelError error)
            {
                throw new CompileError(DiagnosticInfo.AtKey(error.DiagnosticId, LocationKeys.Expression(function.Name, i), error.Arguments.ToArray()));
            }
        }

        return values[function.Result];
    }

    private Node LowerExpression(ExprSpec expression, IReadOnlyList<Node> inputs, Node[] values)
    {
        var args = expression.Args.Select(a => values[a]).ToArray();
        switch (expression.Kind)
        {
            case ExprKind.Input:
                return inputs[expression.Index];
            case ExprKind.Constant:
                return builder.At(expression.Text).Constant(expression.Value);
            case ExprKind.Parameter:
                return Parameter(expression.Name);
            case ExprKind.Call:
                var callee = model.Functions.First(f => f.Name == expression.Name);
                return Lower(callee, args);
            default:
                var function = DslFunctions.Find(expression.Name)
                    ?? throw new ArgumentError(DiagnosticDescriptors.UnsupportedConstruct.Id, expression.Name, "the model", "this version of the generator does not compile this operation");
                return function.Lower(new DslCall(builder.At(expression.Text), args, training));
        }
    }

    private Node Parameter(string name)
    {
        if (!parameters.TryGetValue(name, out var node))
        {
            int index = Enumerable.Range(0, model.Parameters.Count).First(i => model.Parameters[i].Name == name);
            node = builder.Apply(new Parameter(index, Shape.Parse(model.Parameters[index].Shape)), name, Array.Empty<Node>());
            parameters.Add(name, node);
        }

        return node;
    }
}
