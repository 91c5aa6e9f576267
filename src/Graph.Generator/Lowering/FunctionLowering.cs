using Graph.Generator.Common;
using Graph.Generator.Diagnostics;
using Graph.Generator.IR;
using Graph.Generator.IR.Ops;
using Graph.Generator.Shapes;
using Graph.Generator.Spec;

namespace Graph.Generator.Lowering;

/// <summary>
/// Stage 2: turns a model method into IR nodes, inlining the model methods it calls and lowering each operation
/// through its <see cref="DslFunction"/> (defined beside the ops it builds, in <c>IR/Ops</c>). A loop becomes a
/// <see cref="Scan"/> whose body is lowered into a graph of its own. A problem in the model becomes a
/// <see cref="CompileError"/> at the expression that caused it.
/// </summary>
internal sealed class FunctionLowering
{
    private readonly ModelSpec model;
    private readonly bool training;

    /// <summary>Where nodes are built: the method's graph, then the body of each loop being lowered, innermost last.</summary>
    private readonly List<Scope> scopes = new();

    /// <param name="training">Whether the graph trains: dropout is applied only then.</param>
    public FunctionLowering(ModelSpec model, GraphBuilder builder, bool training)
    {
        this.model = model;
        this.training = training;
        scopes.Add(new Scope(builder, null));
    }

    private Scope Current => scopes[scopes.Count - 1];

    /// <summary>Lowers an entry point: its tensor arguments become the graph's batched inputs.</summary>
    public Node LowerEntry(FunctionSpec function)
    {
        // A step count ([MaxSteps]) is no value of the graph: its loops read it by name, and reading it is GRAPH047.
        var inputs = function.Inputs
            .Select((input, i) => input.StepCount ? null : Current.Builder.Apply(InputOp(input, i), input.Name, Array.Empty<Node>()))
            .ToList();
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

    /// <summary>Lowers a method whose arguments are <paramref name="inputs"/>, nodes of the current scope; returns its result there.</summary>
    private Node Lower(FunctionSpec function, IReadOnlyList<Node?> inputs)
    {
        var values = new Values(function.Body.Count) { ArgumentScope = scopes.Count - 1 };

        LowerRange(function, inputs, values, 0, function.Body.Count);
        return Resolve(values, function.Result)!;
    }

    /// <summary>Lowers the expressions <paramref name="from"/> to <paramref name="to"/> (exclusive) into the current scope.</summary>
    private void LowerRange(FunctionSpec function, IReadOnlyList<Node?> inputs, Values values, int from, int to)
    {
        int i = from;
        while (i < to)
        {
            var expression = function.Body[i];
            if (expression.Kind == ExprKind.Loop)
            {
                i = LowerLoop(function, inputs, values, i);
                continue;
            }

            try
            {
                values.Set(i, LowerExpression(function, expression, inputs, values), expression.Kind == ExprKind.Input ? values.ArgumentScope : scopes.Count - 1);
            }
            catch (ModelError error)
            {
                throw new CompileError(DiagnosticInfo.AtKey(error.DiagnosticId, LocationKeys.Expression(function.Name, i), error.Arguments.ToArray()));
            }

            i++;
        }
    }

    private Node? LowerExpression(FunctionSpec function, ExprSpec expression, IReadOnlyList<Node?> inputs, Values values)
    {
        var builder = Current.Builder;
        switch (expression.Kind)
        {
            case ExprKind.Input:
                return inputs[expression.Index];
            case ExprKind.Constant:
                return builder.At(expression.Text).Constant(expression.Value);
            case ExprKind.Parameter:
                return Parameter(expression.Name);
            case ExprKind.StepPosition:
                // Read only by the IndexAt that follows it.
                return null;
            case ExprKind.LoopResult:
                return builder.Apply(new ScanResult(expression.Index), expression.Text, new[] { Resolve(values, expression.Args[0])! });
            case ExprKind.Carried or ExprKind.EndLoop:
                throw new InvalidOperationException($"{expression.Kind} outside the loop it belongs to.");
        }

        var args = expression.Args.Select(a => Resolve(values, a)!).ToArray();
        if (expression.Kind == ExprKind.Call)
        {
            var callee = model.Functions.First(f => f.Name == expression.Name);
            return Lower(callee, args);
        }

        if (expression.Name == Spec.Ops.IndexAt && function.Body[expression.Args[1]] is { Kind: ExprKind.StepPosition } position)
        {
            return StepSlice(builder.At(expression.Text), args[0], position.Index, (int)position.Value);
        }

        var dsl = DslFunctions.Find(expression.Name)
            ?? throw new ArgumentError(DiagnosticDescriptors.UnsupportedConstruct.Id, expression.Name, "the model", "this version of the generator does not compile this operation");
        return dsl.Lower(new DslCall(builder.At(expression.Text), args, training));
    }

    /// <summary><c>x[t]</c> in a loop body: the row each step reads, checked at the first and the last step (GRAPH027).</summary>
    private Node StepSlice(Site at, Node sequence, int coefficient, int offset)
    {
        var slice = new StepSlice(coefficient, offset);
        var source = sequence;
        for (int scope = scopes.Count - 1; scope > 0; scope--)
        {
            source = scopes[scope].SourceOf(source);
        }
        foreach (int step in new[] { 0, Current.Loop!.Steps - 1 })
        {
            string? problem = IndexAtFunction.Problem(source, slice.Position(step));
            if (problem is not null)
            {
                var loop = Current.Loop!;
                string origin = at.Origin.Replace(loop.Placeholder, loop.ValueAt(step).ToString(System.Globalization.CultureInfo.InvariantCulture));
                throw new IndexError(DiagnosticDescriptors.InvalidIndexPosition.Id, origin, problem);
            }
        }

        return at.Apply(slice, sequence);
    }

    /// <summary>
    /// Lowers the loop that starts at expression <paramref name="start"/> into a <see cref="Scan"/>; returns the index
    /// of the expression after its end. The body is lowered with each carried value of its first value's type; where
    /// a step changes a type, once more with the types a step gives, which the next step must keep (GRAPH044
    /// otherwise). A carried value that starts at a constant (a running sum from 0, which becomes a value per sample)
    /// starts at the constant broadcast to that type instead, so the first step runs the same body as the others;
    /// any other change (a state that starts at a parameter shared by the batch) gives the first step a body of its own.
    /// </summary>
    private int LowerLoop(FunctionSpec function, IReadOnlyList<Node?> inputs, Values values, int start)
    {
        var header = function.Body[start];
        var loop = function.Loops[header.Index];
        int end = start + 1;
        while (function.Body[end] is not { Kind: ExprKind.EndLoop } last || last.Index != header.Index)
        {
            end++;
        }

        var first = header.Args.Select(a => Resolve(values, a)!).ToList();
        var carries = first.Select(n => n.Type).ToList();
        (ScanBody Body, IReadOnlyList<Node> Captured)? firstStep = null;
        for (int attempt = 0; ; attempt++)
        {
            var scope = new Scope(new GraphBuilder(), loop);
            scopes.Add(scope);
            List<Node> carried, next;
            try
            {
                carried = carries.Select((type, k) => scope.Builder.Apply(new ScanCarry(k, type), function.Body[start + 1 + k].Text, Array.Empty<Node>())).ToList();
                for (int k = 0; k < carried.Count; k++)
                {
                    values.Set(start + 1 + k, carried[k], scopes.Count - 1);
                }

                LowerRange(function, inputs, values, start + 1 + carried.Count, end);
                next = function.Body[end].Args.Select(a => Resolve(values, a)!).ToList();
            }
            finally
            {
                scopes.RemoveAt(scopes.Count - 1);
            }

            var appended = Enumerable.Range(0, carried.Count).Select(k => ScanBody.IsAppended(scope.Builder.Nodes, carried[k], next[k])).ToList();
            var body = new ScanBody(scope.Builder.Nodes, carried, scope.Captures, next, appended);

            // A value appended to grows by a row each step; its leaf is read only by the Concat, which takes any length.
            var nextTypes = next.Select((n, k) => appended[k] ? carries[k] : n.Type).ToList();
            if (nextTypes.SequenceEqual(carries) || loop.Steps == 1)
            {
                var scan = firstStep is { } peeled
                    ? Current.Builder.Apply(new Scan(loop, body, peeled.Body), loop.Header, first.Concat(scope.Captured).Concat(peeled.Captured).ToList())
                    : Current.Builder.Apply(new Scan(loop, body, null), loop.Header, first.Concat(scope.Captured).ToList());
                values.Set(end, scan, scopes.Count - 1);
                return end + 1;
            }

            if (attempt == 1)
            {
                int changed = Enumerable.Range(0, carries.Count).First(k => !nextTypes[k].Equals(carries[k]));
                throw new CompileError(DiagnosticInfo.AtKey(
                    DiagnosticDescriptors.CarriedShapeChanges.Id,
                    LocationKeys.Expression(function.Name, function.Body[end].Args[changed]),
                    loop.Header,
                    function.Body[start + 1 + changed].Text,
                    carries[changed].ToString(),
                    nextTypes[changed].ToString()));
            }

            if (firstStep is null && Enumerable.Range(0, carries.Count).All(k => nextTypes[k].Equals(carries[k]) || StartsAtConstant(first[k], nextTypes[k])))
            {
                // Only running sums from a constant change type: each starts from the constant broadcast to the type a
                // step gives it, so every step, the first too, runs one body and a loop region can hold them all.
                for (int k = 0; k < carries.Count; k++)
                {
                    if (!nextTypes[k].Equals(carries[k]))
                    {
                        first[k] = Current.Builder.Apply(new Broadcast(nextTypes[k].Shape, nextTypes[k].Batched), function.Body[start + 1 + k].Text, new[] { first[k] });
                    }
                }

                carries = nextTypes;
                continue;
            }

            // The first step changes a carried value's type: it keeps this body, and the other steps get one of their own.
            firstStep = (body, scope.Captured);
            carries = nextTypes;
        }
    }

    /// <summary>Whether a carried value's first value is a constant that broadcasts to the <paramref name="type"/> a step gives it (<c>Tensor loss = 0</c>, a sum per sample).</summary>
    private static bool StartsAtConstant(Node first, TensorType type) =>
        first.Op is Constant && ShapeRules.BroadcastsTo(first.Shape, type.Shape);

    /// <summary>Expression <paramref name="index"/>'s value as a node of the current scope, captured into each loop body it is read in.</summary>
    private Node? Resolve(Values values, int index)
    {
        var node = values.Nodes[index];
        if (node is null)
        {
            return null;
        }

        for (int scope = values.Scopes[index] + 1; scope < scopes.Count; scope++)
        {
            node = scopes[scope].Capture(node);
        }

        return node;
    }

    private Node Parameter(string name)
    {
        var parameters = Current.Parameters;
        if (!parameters.TryGetValue(name, out var node))
        {
            int index = Enumerable.Range(0, model.Parameters.Count).First(i => model.Parameters[i].Name == name);
            node = Current.Builder.Apply(new Parameter(index, Shape.Parse(model.Parameters[index].Shape)), name, Array.Empty<Node>());
            parameters.Add(name, node);
        }

        return node;
    }

    /// <summary>The nodes of one method's expressions and the scope each lives in.</summary>
    private sealed class Values
    {
        public Values(int count)
        {
            Nodes = new Node?[count];
            Scopes = new int[count];
        }

        public Node?[] Nodes { get; }

        public int[] Scopes { get; }

        /// <summary>The scope the method's arguments live in: the scope it is called from.</summary>
        public int ArgumentScope { get; set; }

        public void Set(int index, Node? node, int scope)
        {
            Nodes[index] = node;
            Scopes[index] = scope;
        }
    }

    /// <summary>A graph being built: the method's, or a loop body's with the values it captures from around the loop.</summary>
    private sealed class Scope
    {
        private readonly Dictionary<Node, Node> captures = new();
        private readonly Dictionary<Node, Node> sources = new();
        private readonly List<Node> captured = new();
        private readonly List<Node> leaves = new();

        public Scope(GraphBuilder builder, LoopSpec? loop)
        {
            Builder = builder;
            Loop = loop;
        }

        public GraphBuilder Builder { get; }

        /// <summary>The loop whose body this is; null for the method's graph.</summary>
        public LoopSpec? Loop { get; }

        /// <summary>Each parameter's leaf in this graph (a body reads parameters directly; they are not captured).</summary>
        public Dictionary<string, Node> Parameters { get; } = new(StringComparer.Ordinal);

        /// <summary>The values of the enclosing graph this body reads, in the order first read.</summary>
        public IReadOnlyList<Node> Captured => captured;

        /// <summary>The <see cref="ScanCapture"/> leaf of each, in the same order.</summary>
        public IReadOnlyList<Node> Captures => leaves;

        /// <summary>The leaf standing for <paramref name="outer"/>, a value of the enclosing graph.</summary>
        public Node Capture(Node outer)
        {
            if (!captures.TryGetValue(outer, out var leaf))
            {
                leaf = Builder.Apply(new ScanCapture(captured.Count, outer.Type), outer.Origin, Array.Empty<Node>());
                captures.Add(outer, leaf);
                sources.Add(leaf, outer);
                captured.Add(outer);
                leaves.Add(leaf);
            }

            return leaf;
        }

        /// <summary>The value a node of this body is: for a captured value, the enclosing graph's node (as far out as it is captured).</summary>
        public Node SourceOf(Node node) => sources.TryGetValue(node, out var outer) ? outer : node;
    }
}
