using System.Globalization;
using System.Text.RegularExpressions;
using System.Threading;
using Graph.Generator.Common;
using Graph.Generator.Diagnostics;
using Graph.Generator.Spec;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace Graph.Generator.Discovery;

/// <summary>
/// Reads the bodies of a model's [Forward] and [Loss] methods, and of the model methods they call, from their
/// IOperation trees into <see cref="FunctionSpec"/>s. Every construct it does not know becomes a GRAPH004 diagnostic.
/// </summary>
internal sealed class FunctionReader
{
    private static readonly Regex Whitespace = new(@"\s+", RegexOptions.Compiled);

    private readonly INamedTypeSymbol model;
    private readonly SemanticModel semanticModel;
    private readonly ShapeReader shapes;
    private readonly List<DiagnosticInfo> diagnostics;
    private readonly List<KeyedLocation> locations;
    private readonly CancellationToken cancellationToken;
    /// <summary>Each method read, by its symbol (overloads are different methods), in the order first read.</summary>
    private readonly Dictionary<IMethodSymbol, FunctionSpec?> functions = new(SymbolEqualityComparer.Default);
    private readonly List<IMethodSymbol> order = new();

    /// <summary>Each method's operations with the methods it calls inlined, as lowering will inline them.</summary>
    private readonly Dictionary<string, long> inlinedOperations = new(StringComparer.Ordinal);
    private readonly List<IMethodSymbol> reading = new();

    // The [MaxSteps] arguments read, each a run-time step count that may bound the method's loops.
    private readonly Dictionary<IParameterSymbol, InputSpec> stepCounts = new(SymbolEqualityComparer.Default);

    public FunctionReader(INamedTypeSymbol model, SemanticModel semanticModel, ShapeReader shapes, List<DiagnosticInfo> diagnostics, List<KeyedLocation> locations, CancellationToken cancellationToken)
    {
        this.model = model;
        this.semanticModel = semanticModel;
        this.shapes = shapes;
        this.diagnostics = diagnostics;
        this.locations = locations;
        this.cancellationToken = cancellationToken;
    }

    /// <summary>Reads every [Forward] and [Loss] method and the helpers they call, in declaration order.</summary>
    public List<FunctionSpec> ReadAll(ref bool valid)
    {
        var losses = new List<IMethodSymbol>();
        var entryNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var method in model.GetMembers().OfType<IMethodSymbol>())
        {
            bool forward = ModelDiscoverer.FindAttribute(method, KnownNames.ForwardAttribute) is not null;
            bool loss = ModelDiscoverer.FindAttribute(method, KnownNames.LossAttribute) is not null;
            if (!forward && !loss)
            {
                continue;
            }

            if (forward && loss)
            {
                Report(DiagnosticDescriptors.InvalidMethodSignature, method.Locations.FirstOrDefault(), "Model", method.Name, "it cannot be both [Forward] and [Loss]");
                valid = false;
                continue;
            }

            // Each entry method names the batched methods generated for it, and keys its diagnostics' locations.
            if (!entryNames.Add(method.Name))
            {
                Report(DiagnosticDescriptors.EntryMethodOverloaded, method.Locations.FirstOrDefault(), forward ? "[Forward]" : "[Loss]", method.Name);
                valid = false;
                continue;
            }

            if (loss)
            {
                losses.Add(method);
            }

            valid &= Read(method, loss ? FunctionRole.Loss : FunctionRole.Forward) is not null;
        }

        if (losses.Count > 1)
        {
            Report(DiagnosticDescriptors.MultipleLosses, losses[1].Locations.FirstOrDefault(), model.Name, string.Join(", ", losses.Select(l => l.Name)));
            valid = false;
        }

        valid &= functions.Values.All(f => f is not null);
        return order.Select(m => functions[m]).Where(f => f is not null).Select(f => f!).ToList();
    }

    /// <summary>
    /// The name a method's spec goes by: its own name, or for a helper overloaded by another method of the model its
    /// signature, <c>Layer(Tensor, Tensor)</c>, which is distinct and stable. Entry methods keep their own names, which
    /// are the names of their generated methods; GRAPH043 keeps them distinct.
    /// </summary>
    private string SpecName(IMethodSymbol method, FunctionRole role) =>
        role != FunctionRole.Helper || model.GetMembers(method.Name).Length == 1
            ? method.Name
            : method.Name + "(" + string.Join(", ", method.Parameters.Select(p => (p.RefKind == RefKind.None ? string.Empty : p.RefKind.ToString().ToLowerInvariant() + " ") + p.Type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat))) + ")";

    private FunctionSpec? Read(IMethodSymbol method, FunctionRole role)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (functions.TryGetValue(method, out var known))
        {
            return known;
        }

        order.Add(method);
        string name = SpecName(method, role);
        Record(LocationKeys.Function(name), method.Locations.FirstOrDefault());
        string kind = role switch { FunctionRole.Forward => "[Forward]", FunctionRole.Loss => "[Loss]", _ => "Model" };
        string? signatureError = SignatureError(method, role);
        if (signatureError is not null)
        {
            Report(DiagnosticDescriptors.InvalidMethodSignature, method.Locations.FirstOrDefault(), kind, method.Name, signatureError);
            functions[method] = null;
            return null;
        }

        var inputs = new List<InputSpec>();
        bool valid = true;
        for (int i = 0; i < method.Parameters.Length; i++)
        {
            var parameter = method.Parameters[i];
            Record(LocationKeys.Input(name, i), parameter.Locations.FirstOrDefault());
            var shapeAttribute = ModelDiscoverer.FindAttribute(parameter, KnownNames.ShapeAttribute);
            var indicesAttribute = ModelDiscoverer.FindAttribute(parameter, KnownNames.IndicesAttribute);
            string[] shape = Array.Empty<string>();
            if (ModelDiscoverer.FindAttribute(parameter, KnownNames.MaxStepsAttribute) is { } maxSteps)
            {
                var count = ReadStepCount(method, parameter, maxSteps, shapeAttribute ?? indicesAttribute);
                valid &= count is not null;

                // An invalid count still bounds its loops as a count, so that they report nothing more.
                stepCounts[parameter] = count ?? new InputSpec(parameter.Name, EquatableArray<string>.Empty, MaxSteps: 1);

                inputs.Add(stepCounts[parameter]);
                continue;
            }

            if (indicesAttribute is not null)
            {
                var indices = ReadIndices(method, role, parameter, indicesAttribute, shapeAttribute);
                valid &= indices is not null;
                inputs.Add(indices ?? new InputSpec(parameter.Name, EquatableArray<string>.Empty, Indices: true));
                continue;
            }

            if (role != FunctionRole.Helper && shapeAttribute is null)
            {
                Report(DiagnosticDescriptors.InputWithoutShape, parameter.Locations.FirstOrDefault(), parameter.Name, method.Name);
                valid = false;
            }
            else if (shapeAttribute is not null)
            {
                var read = shapes.Read(shapeAttribute.ConstructorArguments, $"Argument '{parameter.Name}' of '{method.Name}'", parameter.Locations.FirstOrDefault());
                valid &= read is not null;
                shape = read ?? shape;
            }

            inputs.Add(new InputSpec(parameter.Name, shape.ToEquatableArray()));
        }

        var syntax = method.DeclaringSyntaxReferences
            .Select(r => r.GetSyntax(cancellationToken))
            .OfType<MethodDeclarationSyntax>()
            .FirstOrDefault(m => m.Body is not null || m.ExpressionBody is not null);
        if (syntax is null)
        {
            Report(DiagnosticDescriptors.InvalidMethodSignature, method.Locations.FirstOrDefault(), kind, method.Name, "it has no body to compile");
            functions[method] = null;
            return null;
        }

        reading.Add(method);
        var body = new BodyReader(this, method, name);
        int result = body.ReadMethod(syntax);
        reading.RemoveAt(reading.Count - 1);

        FunctionSpec? function = valid && result >= 0
            ? new FunctionSpec(name, role, inputs.ToEquatableArray(), body.Expressions.ToEquatableArray(), result, IsSumReduction(method), body.Loops.ToEquatableArray())
            : null;
        functions[method] = function;
        inlinedOperations[name] = body.Operations;
        return function;
    }

    /// <summary>Reads an [Indices] or [Indices(n)] argument, or returns null after reporting why it is not valid.</summary>
    private InputSpec? ReadIndices(IMethodSymbol method, FunctionRole role, IParameterSymbol parameter, AttributeData indices, AttributeData? shape)
    {
        var location = parameter.Locations.FirstOrDefault();
        int length = indices.ConstructorArguments.Length == 1 && indices.ConstructorArguments[0].Value is int value ? value : 0;
        string? problem = role == FunctionRole.Helper ? $"[Indices] belongs on an argument of a [Forward] or [Loss] method, not of the helper '{method.Name}'"
            : shape is not null ? "it has both [Shape] and [Indices]; an index input's shape is its count, given as [Indices(n)] (or [Indices] for any number)"
            : indices.ConstructorArguments.Length == 1 && length <= 0 ? $"[Indices({length})] must give a positive count (or no count, for any number per call)"
            : null;
        if (problem is not null)
        {
            Report(DiagnosticDescriptors.InvalidIndexInput, location, parameter.Name, problem);
            return null;
        }

        string[] count = length > 0 ? new[] { length.ToString(CultureInfo.InvariantCulture) } : Array.Empty<string>();
        bool padded = indices.NamedArguments.FirstOrDefault(a => a.Key == "Padded").Value.Value is true;
        return new InputSpec(parameter.Name, count.ToEquatableArray(), Indices: true, Padded: padded);
    }

    /// <summary>Whether the model is declared [Model(UnrollLoops = true)].</summary>
    private bool UnrollsLoops => model.GetAttributes()
        .Where(a => a.AttributeClass?.Name == "ModelAttribute")
        .SelectMany(a => a.NamedArguments)
        .Any(a => a.Key == "UnrollLoops" && a.Value.Value is true);

    /// <summary>The run-time step count that <paramref name="parameter"/> of <paramref name="method"/> is, or null.</summary>
    private InputSpec? StepCount(IMethodSymbol method, IParameterSymbol parameter) =>
        SymbolEqualityComparer.Default.Equals(parameter.ContainingSymbol, method) && stepCounts.TryGetValue(parameter, out var count) ? count : null;

    /// <summary>Reads a [MaxSteps(n)] argument, or returns null after reporting why it is not valid.</summary>
    private InputSpec? ReadStepCount(IMethodSymbol method, IParameterSymbol parameter, AttributeData maxSteps, AttributeData? other)
    {
        int max = maxSteps.ConstructorArguments.Length == 1 && maxSteps.ConstructorArguments[0].Value is int value ? value : 0;
        string? problem = parameter.Type.SpecialType != SpecialType.System_Int32 ? $"a step count is an int argument, not '{parameter.Type.ToDisplayString()}'"
            : other is not null ? "a step count is a number, so it takes neither [Shape] nor [Indices]"
            : max <= 0 ? $"[MaxSteps({max})] must give a positive number of steps"
            : null;
        if (problem is not null)
        {
            Report(DiagnosticDescriptors.InvalidStepCount, parameter.Locations.FirstOrDefault(), parameter.Name, method.Name, problem);
            return null;
        }

        return new InputSpec(parameter.Name, EquatableArray<string>.Empty, MaxSteps: max);
    }

    private static bool IsSumReduction(IMethodSymbol method)
    {
        var loss = ModelDiscoverer.FindAttribute(method, KnownNames.LossAttribute);
        var reduction = loss?.NamedArguments.FirstOrDefault(a => a.Key == "Reduction").Value;
        return reduction?.Value is int value && value == 1;
    }

    private static string? SignatureError(IMethodSymbol method, FunctionRole role)
    {
        if (method.ReturnType.ToDisplayString() != KnownNames.Tensor)
        {
            return $"it must return Tensor, not '{method.ReturnType.ToDisplayString()}'";
        }

        if (method.IsStatic)
        {
            return "it must be an instance method, not static";
        }

        if (method.IsGenericMethod)
        {
            return "it must not be generic";
        }

        if (role != FunctionRole.Helper && method.Parameters.Length == 0)
        {
            return "it must take at least one Tensor argument (the per-sample input)";
        }

        foreach (var parameter in method.Parameters)
        {
            bool stepCount = role != FunctionRole.Helper && parameter.Type.SpecialType == SpecialType.System_Int32
                && ModelDiscoverer.FindAttribute(parameter, KnownNames.MaxStepsAttribute) is not null;
            if (parameter.Type.ToDisplayString() != KnownNames.Tensor && !stepCount)
            {
                return $"argument '{parameter.Name}' must be a Tensor, not '{parameter.Type.ToDisplayString()}'";
            }

            if (parameter.RefKind != RefKind.None || parameter.IsParams || parameter.HasExplicitDefaultValue)
            {
                return $"argument '{parameter.Name}' must be a plain {(stepCount ? "int" : "Tensor")} argument (no ref, out, params or default value)";
            }

            if (role != FunctionRole.Helper && parameter.Name == "batch")
            {
                return "an argument may not be named 'batch': the compiled method takes the batch count under that name";
            }

            if (role != FunctionRole.Helper && parameter.Name == "nameof")
            {
                return "an argument may not be named 'nameof': the compiled method names its arguments with C#'s nameof(...) when it checks them";
            }
        }

        return null;
    }

    private void Record(string key, Location? location)
    {
        var info = LocationInfo.From(location);
        if (info is not null)
        {
            locations.Add(new KeyedLocation(key, info));
        }
    }

    private void Report(DiagnosticDescriptor descriptor, Location? location, params string[] arguments) =>
        diagnostics.Add(DiagnosticInfo.At(descriptor.Id, LocationInfo.From(location), arguments));

    /// <summary>Reads one method body into single-assignment expressions.</summary>
    private sealed class BodyReader
    {
        private readonly FunctionReader owner;
        private readonly IMethodSymbol method;

        /// <summary>The name of the method's spec, which keys the locations of its expressions.</summary>
        private readonly string specName;
        /// <summary>The most loop iterations one method may unroll, nested iterations counted one by one.</summary>
        private const int MaximumIterations = 4096;

        /// <summary>
        /// The most operations a method may hold once its loops are unrolled and the methods it calls inlined (a call
        /// counts the operations of the method it calls). Each becomes kernels in the forward and backward code, about
        /// 850 bytes of C# in all, so this keeps a generated file under about 8 MB (chapter 14's LSTM is about 60
        /// operations a step: it may unroll 135 steps), which C# compiles in seconds; 4096 steps of such a body would
        /// be hundreds of MB, which C# takes minutes and more memory than a build machine has to compile.
        /// </summary>
        private const int MaximumOperations = 8192;

        private readonly Dictionary<ILocalSymbol, int> locals = new(SymbolEqualityComparer.Default);
        private readonly Dictionary<ILocalSymbol, long> integers = new(SymbolEqualityComparer.Default);
        private readonly List<ILocalSymbol> loopVariables = new();
        private readonly List<string> iterationLabels = new();
        private long unrolled;

        /// <summary>The loops read as loops (their variable symbolic) that enclose the statement being read, innermost last.</summary>
        private readonly List<SymbolicLoop> symbolicLoops = new();

        /// <summary>Integer locals of a loop read as a loop whose value is a × t + b, with the loop variable t they follow.</summary>
        private readonly Dictionary<ILocalSymbol, (long A, long B, ILocalSymbol Variable)> movingIntegers = new(SymbolEqualityComparer.Default);

        /// <summary>Why the last integer expression read had no value because it overflowed its type, or null.</summary>
        private string? integerOverflow;

        public BodyReader(FunctionReader owner, IMethodSymbol method, string specName)
        {
            this.owner = owner;
            this.method = method;
            this.specName = specName;
        }

        public List<ExprSpec> Expressions { get; } = new();

        /// <summary>The operations read so far, a call counting the operations of the method it calls.</summary>
        public long Operations { get; private set; }

        /// <summary>The loops kept as loops, by the number their <see cref="ExprKind.Loop"/> expressions name.</summary>
        public List<LoopSpec> Loops { get; } = new();

        /// <summary>Reads the method; returns the index of the returned expression, or -1 after reporting why not.</summary>
        public int ReadMethod(MethodDeclarationSyntax syntax)
        {
            var operation = owner.semanticModel.GetOperation(syntax, owner.cancellationToken) as IMethodBodyOperation;
            var block = operation?.BlockBody ?? operation?.ExpressionBody;
            if (block is null)
            {
                return Unsupported(syntax, "the method body could not be read");
            }

            int result = -1;
            foreach (var statement in block.Operations)
            {
                if (result >= 0)
                {
                    return Unsupported(statement.Syntax, "nothing may follow the return statement");
                }

                if (statement is IReturnOperation { ReturnedValue: { } returned })
                {
                    result = Read(returned);
                    if (result < 0)
                    {
                        return -1;
                    }

                    continue;
                }

                if (!ReadStatement(statement))
                {
                    return -1;
                }
            }

            return result >= 0 ? result : Unsupported(syntax, "the method must end by returning a tensor");
        }

        /// <summary>
        /// Reads one statement other than the final return: a local's declaration, an assignment or compound assignment
        /// to a local, a block, or a <c>for</c> loop, which is unrolled. Returns false after reporting why not.
        /// </summary>
        private bool ReadStatement(IOperation statement)
        {
            switch (statement)
            {
                case IVariableDeclarationGroupOperation group:
                    foreach (var declarator in group.Declarations.SelectMany(d => d.Declarators))
                    {
                        var initializer = declarator.GetVariableInitializer() ?? declarator.Initializer;
                        if (initializer is null)
                        {
                            return Unsupported(declarator.Syntax, "a local variable must be initialised where it is declared") >= 0;
                        }

                        if (!Assign(declarator.Symbol, initializer.Value, declarator.Syntax))
                        {
                            return false;
                        }
                    }

                    return true;
                case IExpressionStatementOperation { Operation: ISimpleAssignmentOperation { Target: ILocalReferenceOperation local } assignment }:
                    return NotLoopVariable(local.Local, statement) && Assign(local.Local, assignment.Value, statement.Syntax);
                case IExpressionStatementOperation { Operation: ICompoundAssignmentOperation { Target: ILocalReferenceOperation local } compound }:
                    return NotLoopVariable(local.Local, statement) && CompoundAssign(local.Local, compound, statement.Syntax);
                case IExpressionStatementOperation { Operation: IIncrementOrDecrementOperation { Target: ILocalReferenceOperation local } step }
                    when integers.ContainsKey(local.Local):
                    if (!NotLoopVariable(local.Local, statement))
                    {
                        return false;
                    }

                    long stepped = integers[local.Local] + (step.Kind == OperationKind.Increment ? 1 : -1);
                    if (!Fits(local.Local.Type, stepped))
                    {
                        return Unsupported(statement.Syntax, $"the value {Format(stepped)} does not fit '{local.Local.Type.ToDisplayString()}' (C# would wrap it around)") >= 0;
                    }

                    integers[local.Local] = stepped;
                    return true;
                case IBlockOperation block:
                    return block.Operations.All(ReadStatement);
                case IEmptyOperation:
                    return true;
                case IForLoopOperation loop:
                    return ReadLoop(loop);
                case ILoopOperation:
                    return LoopError(statement.Syntax, statement.Syntax, "only a for loop with constant bounds is unrolled: for (int t = START; t < BOUND; t++)");
                case IBranchOperation when loopVariables.Count > 0:
                    return LoopError(statement.Syntax, statement.Syntax, "break, continue and goto are not supported in an unrolled loop; every iteration runs");
                case IReturnOperation when loopVariables.Count > 0:
                    return LoopError(statement.Syntax, statement.Syntax, "a loop body cannot return; return after the loop");
                case var _ when loopVariables.Count > 0:
                    return LoopError(statement.Syntax, statement.Syntax, "an unrolled loop body may hold only local variables, assignments to them and nested for loops");
                default:
                    return Unsupported(statement.Syntax, "a model method may hold only local variables of type Tensor, assignments to them, for loops with constant bounds and one return statement") >= 0;
            }
        }

        /// <summary>Gives a local its value: a tensor expression, or for an integer local a compile-time constant.</summary>
        private bool Assign(ILocalSymbol local, IOperation value, SyntaxNode syntax)
        {
            if (IsInteger(local.Type))
            {
                long? constant = Integer(value);
                movingIntegers.Remove(local);
                if (constant is null && symbolicLoops.Count > 0 && Affine(value) is (long a, long b) && FitsEveryStep(local.Type, a, b))
                {
                    // An integer that moves with the loop (int back = Steps - 1 - t), usable as a position.
                    integers.Remove(local);
                    movingIntegers[local] = (a, b, symbolicLoops[symbolicLoops.Count - 1].Variable);
                    return true;
                }

                if (constant is null || !Fits(local.Type, constant.Value))
                {
                    return Unsupported(syntax, constant is null
                        ? NotConstant("an integer local must have a compile-time-constant value (constants, literals and loop variables)")
                        : $"the value {Format(constant.Value)} does not fit '{local.Type.ToDisplayString()}' (C# would wrap it around)") >= 0;
                }

                integers[local] = constant.Value;
                return true;
            }

            int read = Read(value);
            if (read < 0)
            {
                return false;
            }

            locals[local] = read;
            return true;
        }

        private bool CompoundAssign(ILocalSymbol local, ICompoundAssignmentOperation compound, SyntaxNode syntax)
        {
            if (integers.TryGetValue(local, out long current))
            {
                long? operand = Integer(compound.Value);
                long? updated = operand is null ? null : Arithmetic(compound.OperatorKind, current, operand.Value);
                if (updated is null || !Fits(local.Type, updated.Value))
                {
                    return Unsupported(syntax, updated is null
                        ? NotConstant("an integer local must have a compile-time-constant value (constants, literals and loop variables)")
                        : $"the value {Format(updated.Value)} does not fit '{local.Type.ToDisplayString()}' (C# would wrap it around)") >= 0;
                }

                integers[local] = updated.Value;
                return true;
            }

            string? name = compound.OperatorMethod is not null && IsTensorMember(compound.OperatorMethod) ? OperatorName(compound.OperatorKind) : null;
            if (name is null || !locals.ContainsKey(local))
            {
                return Unsupported(syntax, $"the compound assignment '{compound.OperatorKind}' is not defined on this local; tensors take +=, -=, *= and /=") >= 0;
            }

            int value = Operation(name, syntax, compound.Target, compound.Value);
            if (value < 0)
            {
                return false;
            }

            locals[local] = value;
            return true;
        }

        /// <summary>
        /// Reads <c>for (int t = START; t &lt; BOUND; t += STEP)</c> (or <c>&lt;=</c>, <c>t++</c>) with constant START,
        /// BOUND and positive STEP: as a loop, its body read once with t symbolic, where the body uses t only in
        /// positions (<c>x[t]</c>, <c>x[t + 1]</c>); otherwise unrolled, the body read once per iteration with t a constant.
        /// </summary>
        private bool ReadLoop(IForLoopOperation loop)
        {
            var header = loop.Syntax;
            if (loop.Before.Length != 1 || loop.Before[0] is not IVariableDeclarationGroupOperation group
                || group.Declarations.SelectMany(d => d.Declarators).ToList() is not { Count: 1 } declarators
                || !IsInteger(declarators[0].Symbol.Type)
                || (declarators[0].GetVariableInitializer() ?? declarators[0].Initializer) is not { } initializer)
            {
                return LoopError(header, header, "it must declare one int loop variable: for (int t = START; t < BOUND; t++)");
            }

            var variable = declarators[0].Symbol;
            long? start = Integer(initializer.Value);
            if (start is null)
            {
                return LoopError(header, initializer.Syntax, NotConstant("the start is not a compile-time constant"));
            }

            if (loop.Condition is not IBinaryOperation { OperatorKind: BinaryOperatorKind.LessThan or BinaryOperatorKind.LessThanOrEqual } condition
                || !IsReferenceTo(condition.LeftOperand, variable))
            {
                return LoopError(header, loop.Condition?.Syntax ?? header, $"the condition must compare the loop variable with a bound: {variable.Name} < BOUND or {variable.Name} <= BOUND");
            }

            var countArgument = StepCountArgument(condition.RightOperand);
            long? bound = countArgument is { } runTime ? runTime.MaxSteps : Integer(condition.RightOperand);
            if (bound is null)
            {
                return LoopError(header, condition.RightOperand.Syntax, NotConstant("the loop bound is neither a compile-time constant (a literal, a const or an expression of them) nor an int argument declared [MaxSteps(n)], a run-time step count"));
            }

            if (countArgument is not null && (start != 0 || condition.OperatorKind != BinaryOperatorKind.LessThan))
            {
                return StepCountError(header, $"a loop bounded by the run-time step count '{countArgument.Name}' must count its steps from 0: for (int {variable.Name} = 0; {variable.Name} < {countArgument.Name}; {variable.Name}++)");
            }

            long? step = loop.AtLoopBottom.Length == 1 ? Step(loop.AtLoopBottom[0], variable) : null;
            if (step is null || step <= 0)
            {
                return LoopError(header, loop.AtLoopBottom.FirstOrDefault()?.Syntax ?? header, NotConstant($"the loop variable must step up by a positive constant: {variable.Name}++ or {variable.Name} += STEP"));
            }

            // Counted in decimal, which holds every difference of two longs exactly.
            decimal last = condition.OperatorKind == BinaryOperatorKind.LessThan ? bound.Value - 1m : bound.Value;
            decimal iterations = last < start.Value ? 0 : decimal.Floor((last - start.Value) / step.Value) + 1;
            if (iterations > 0 && !Fits(variable.Type, start.Value + ((iterations - 1) * step.Value) + step.Value))
            {
                // After the last iteration the step would pass the type's largest value: C# wraps the variable around
                // and the loop never ends (for (int t = 0; t <= int.MaxValue; t++)).
                return LoopError(header, condition.Syntax, $"after {variable.Name} = {Format(start.Value + ((iterations - 1) * step.Value))} the step passes the largest '{variable.Type.ToDisplayString()}', which wraps around, so the loop never ends");
            }

            // A loop read once stands for its iterations in every iteration of the loops around it.
            long copies = symbolicLoops.Aggregate(1L, (product, enclosing) => product * enclosing.Loop.Steps);
            if (unrolled + (iterations * copies) > MaximumIterations)
            {
                owner.Report(DiagnosticDescriptors.UnrolledGraphTooLarge, header.GetLocation(), Header(header), method.Name, MaximumIterations.ToString(CultureInfo.InvariantCulture) + " loop iterations");
                return false;
            }

            var spec = new LoopSpec(variable.Name, start.Value, step.Value, (int)iterations, Header(header), countArgument?.Name);
            if (countArgument is not null)
            {
                return ReadRunTimeLoop(loop, variable, spec, copies);
            }

            if (iterations > 0)
            {
                // Kept as a loop where its body reads without the variable's value; otherwise (the variable used as a
                // number, in a nested loop's bound, an integer local changed in the body) unrolled as before.
                var saved = Save();
                unrolled += (long)iterations * copies;
                if (ReadSymbolic(loop, variable, spec))
                {
                    // The body, read once, counts once per iteration where the generated code unrolls it, and a few
                    // times where it stays a loop (the loop, its reverse, and the steps either side of them).
                    long counted = KeptAsLoop(loop, iterations, copies) ? Math.Min((long)iterations, KeptLoopCopies) : (long)iterations;
                    Operations += (Operations - saved.Operations) * (counted - 1);
                    return Operations <= MaximumOperations || TooManyOperations(header);
                }

                Restore(saved);
            }

            unrolled += (long)iterations * copies;
            loopVariables.Add(variable);
            try
            {
                for (long i = 0; i < iterations; i++)
                {
                    long t = start.Value + (i * step.Value);
                    integers[variable] = t;
                    iterationLabels.Add($"{variable.Name} = {t.ToString(CultureInfo.InvariantCulture)}");
                    bool read = ReadStatement(loop.Body);
                    iterationLabels.RemoveAt(iterationLabels.Count - 1);
                    if (!read)
                    {
                        return false;
                    }

                    if (Operations > MaximumOperations)
                    {
                        return TooManyOperations(header);
                    }
                }
            }
            finally
            {
                loopVariables.Remove(variable);
                integers.Remove(variable);
            }

            return true;
        }

        /// <summary>
        /// Reads a loop bounded by a run-time step count: as a loop, always, since the number of steps is known only when
        /// the method runs; a loop that cannot be compiled as a loop is GRAPH047.
        /// </summary>
        private bool ReadRunTimeLoop(IForLoopOperation loop, ILocalSymbol variable, LoopSpec spec, long copies)
        {
            var header = loop.Syntax;
            string? why = owner.UnrollsLoops ? "the model is declared [Model(UnrollLoops = true)], which writes every loop out step by step"
                : copies > 1 || symbolicLoops.Count > 0 || loopVariables.Count > 0 ? "it is inside another loop"
                : !BodyCompilesAsLoop(loop) ? "its body appends rows (Concat) or holds a loop, which only unrolling compiles"
                : null;
            if (why is not null)
            {
                return StepCountError(header, $"the loop runs '{spec.Count}' steps, known only at run time, so it must be compiled as a loop, but {why}");
            }

            var saved = Save();
            unrolled += spec.Steps;
            if (ReadSymbolic(loop, variable, spec))
            {
                Operations += (Operations - saved.Operations) * (Math.Min(spec.Steps, KeptLoopCopies) - 1);
                return Operations <= MaximumOperations || TooManyOperations(header);
            }

            // A body that needs its variable's value, or has an error of its own: read as one step of an unrolled loop,
            // which reports the errors it has; where it has none, it needed the variable's value.
            Restore(saved);
            loopVariables.Add(variable);
            integers[variable] = 0;
            iterationLabels.Add($"{variable.Name} = 0");
            bool read;
            try
            {
                read = ReadStatement(loop.Body) && owner.diagnostics.Count == saved.Diagnostics;
            }
            finally
            {
                iterationLabels.RemoveAt(iterationLabels.Count - 1);
                integers.Remove(variable);
                loopVariables.Remove(variable);
            }

            if (!read)
            {
                return false;
            }

            Restore(saved);
            return StepCountError(header, $"the loop runs '{spec.Count}' steps, known only at run time, so it must be compiled as a loop, but its body uses '{variable.Name}' as a number or changes an int local, which only unrolling compiles");
        }

        /// <summary>Reports GRAPH047 for a run-time step count used where it cannot be; returns false.</summary>
        private bool StepCountError(SyntaxNode at, string why)
        {
            owner.Report(DiagnosticDescriptors.InvalidStepCount, at.GetLocation(), Header(at), method.Name, why);
            return false;
        }

        /// <summary>The method's [MaxSteps] argument that <paramref name="operation"/> reads as it is, or null.</summary>
        private InputSpec? StepCountArgument(IOperation operation)
        {
            while (operation is IConversionOperation { IsImplicit: true } or IParenthesizedOperation)
            {
                operation = operation is IConversionOperation conversion ? conversion.Operand : ((IParenthesizedOperation)operation).Operand;
            }

            return operation is IParameterReferenceOperation parameter ? owner.StepCount(method, parameter.Parameter) : null;
        }

        /// <summary>How many copies of a kept loop's body the generated code holds, at most: its forward and reverse loops and the steps printed apart around them.</summary>
        private const int KeptLoopCopies = 6;

        /// <summary>
        /// Whether the generated code keeps a loop read once as a loop: one not inside another, long enough, in a model
        /// that does not unroll its loops, and whose body can be a loop (<see cref="BodyCompilesAsLoop"/>).
        /// </summary>
        private bool KeptAsLoop(IForLoopOperation loop, decimal iterations, long copies) =>
            !owner.UnrollsLoops && copies == 1 && symbolicLoops.Count == 0 && iterations >= Optimization.LoopUnrolling.MinimumKeptSteps + 1 && BodyCompilesAsLoop(loop);

        /// <summary>Whether a loop's body neither appends rows (a stack that grows by a row a step) nor holds a loop.</summary>
        private static bool BodyCompilesAsLoop(IForLoopOperation loop)
        {
            var body = loop.Body.Syntax;
            bool appends = body.DescendantNodes().OfType<InvocationExpressionSyntax>().Any(i => i.Expression switch
            {
                IdentifierNameSyntax name => name.Identifier.ValueText == "Concat",
                MemberAccessExpressionSyntax member => member.Name.Identifier.ValueText == "Concat",
                _ => false,
            });
            bool nested = body.DescendantNodes().Any(n => n is ForStatementSyntax or WhileStatementSyntax or DoStatementSyntax or ForEachStatementSyntax);
            return !appends && !nested;
        }

        /// <summary>Reports GRAPH026 for a loop that takes the method past <see cref="MaximumOperations"/>; returns false.</summary>
        private bool TooManyOperations(SyntaxNode header)
        {
            owner.Report(DiagnosticDescriptors.UnrolledGraphTooLarge, header.GetLocation(), Header(header), method.Name, MaximumOperations.ToString(CultureInfo.InvariantCulture) + " operations");
            return false;
        }

        /// <summary>A loop being read with its variable symbolic.</summary>
        private sealed record SymbolicLoop(ILocalSymbol Variable, LoopSpec Loop);

        /// <summary>What reading a loop as a loop may change, to undo it when the loop must be unrolled instead.</summary>
        private sealed record ReaderState(
            int Expressions,
            int Loops,
            int Locations,
            int Diagnostics,
            int Functions,
            long Unrolled,
            long Operations,
            Dictionary<ILocalSymbol, int> Locals,
            Dictionary<ILocalSymbol, long> Integers,
            Dictionary<ILocalSymbol, (long A, long B, ILocalSymbol Variable)> MovingIntegers);

        private ReaderState Save() => new(
            Expressions.Count,
            Loops.Count,
            owner.locations.Count,
            owner.diagnostics.Count,
            owner.order.Count,
            unrolled,
            Operations,
            new Dictionary<ILocalSymbol, int>(locals, SymbolEqualityComparer.Default),
            new Dictionary<ILocalSymbol, long>(integers, SymbolEqualityComparer.Default),
            new Dictionary<ILocalSymbol, (long A, long B, ILocalSymbol Variable)>(movingIntegers, SymbolEqualityComparer.Default));

        private void Restore(ReaderState state)
        {
            Expressions.RemoveRange(state.Expressions, Expressions.Count - state.Expressions);
            Loops.RemoveRange(state.Loops, Loops.Count - state.Loops);
            owner.locations.RemoveRange(state.Locations, owner.locations.Count - state.Locations);
            owner.diagnostics.RemoveRange(state.Diagnostics, owner.diagnostics.Count - state.Diagnostics);

            // Helpers first read inside the loop are read again, so that their diagnostics are reported again.
            foreach (var helper in owner.order.Skip(state.Functions))
            {
                owner.functions.Remove(helper);
            }

            owner.order.RemoveRange(state.Functions, owner.order.Count - state.Functions);
            unrolled = state.Unrolled;
            Operations = state.Operations;
            locals.Clear();
            foreach (var pair in state.Locals)
            {
                locals[pair.Key] = pair.Value;
            }

            integers.Clear();
            foreach (var pair in state.Integers)
            {
                integers[pair.Key] = pair.Value;
            }

            movingIntegers.Clear();
            foreach (var pair in state.MovingIntegers)
            {
                movingIntegers[pair.Key] = pair.Value;
            }
        }

        /// <summary>
        /// Reads a loop as a loop: a <see cref="ExprKind.Loop"/> with the carried locals' first values, a
        /// <see cref="ExprKind.Carried"/> for each, the body read once, an <see cref="ExprKind.EndLoop"/> with their
        /// values after an iteration, and a <see cref="ExprKind.LoopResult"/> for each. False (nothing reported that
        /// stays) when the body needs the variable's value.
        /// </summary>
        private bool ReadSymbolic(IForLoopOperation loop, ILocalSymbol variable, LoopSpec spec)
        {
            // The locals the loop carries: declared before it and assigned in its body. An integer local changed in
            // the body has a value per iteration, which only unrolling gives.
            var carried = new List<ILocalSymbol>();
            foreach (var target in loop.Body.DescendantsAndSelf().Select(AssignedLocal).Where(l => l is not null).Select(l => l!))
            {
                if (integers.ContainsKey(target) || movingIntegers.ContainsKey(target))
                {
                    return false;
                }

                if (locals.ContainsKey(target) && !carried.Contains(target, SymbolEqualityComparer.Default))
                {
                    carried.Add(target);
                }
            }

            int id = Loops.Count;
            Loops.Add(spec);
            var syntax = loop.Syntax;
            Add(ExprKind.Loop, variable.Name, spec.Steps, id, carried.Select(l => locals[l]).ToArray(), syntax, spec.Header);
            for (int k = 0; k < carried.Count; k++)
            {
                locals[carried[k]] = Add(ExprKind.Carried, carried[k].Name, 0, k, Array.Empty<int>(), syntax, carried[k].Name);
            }

            symbolicLoops.Add(new SymbolicLoop(variable, spec));
            loopVariables.Add(variable);
            iterationLabels.Add($"{variable.Name} = {spec.Placeholder}");
            bool read;
            try
            {
                read = ReadStatement(loop.Body);
            }
            finally
            {
                iterationLabels.RemoveAt(iterationLabels.Count - 1);
                loopVariables.Remove(variable);
                symbolicLoops.RemoveAt(symbolicLoops.Count - 1);
            }

            if (!read)
            {
                return false;
            }

            int end = Add(ExprKind.EndLoop, variable.Name, spec.Steps, id, carried.Select(l => locals[l]).ToArray(), syntax, spec.Header);
            for (int k = 0; k < carried.Count; k++)
            {
                locals[carried[k]] = Add(ExprKind.LoopResult, carried[k].Name, 0, k, new[] { end }, syntax, carried[k].Name);
            }

            return true;
        }

        /// <summary>True when a × t + b fits <paramref name="type"/> for every value of the innermost loop's variable t.</summary>
        private bool FitsEveryStep(ITypeSymbol type, long a, long b)
        {
            var loop = symbolicLoops[symbolicLoops.Count - 1].Loop;
            return new[] { loop.ValueAt(0), loop.ValueAt(loop.Steps - 1) }.All(t => Fits(type, ((decimal)a * t) + b));
        }

        /// <summary>The local an assignment, compound assignment or increment writes, or null.</summary>
        private static ILocalSymbol? AssignedLocal(IOperation operation) => operation switch
        {
            ISimpleAssignmentOperation { Target: ILocalReferenceOperation local } => local.Local,
            ICompoundAssignmentOperation { Target: ILocalReferenceOperation local } => local.Local,
            IIncrementOrDecrementOperation { Target: ILocalReferenceOperation local } => local.Local,
            _ => null,
        };

        /// <summary>
        /// An integer expression of the innermost loop read as a loop, as a × t + b with a and b known: null when it
        /// is not of that form or reads another loop's variable.
        /// </summary>
        private (long A, long B)? Affine(IOperation operation)
        {
            if (Integer(operation) is long constant)
            {
                return (0, constant);
            }

            integerOverflow = null;
            var variable = symbolicLoops[symbolicLoops.Count - 1].Variable;
            try
            {
                return operation switch
                {
                    ILocalReferenceOperation local when SymbolEqualityComparer.Default.Equals(local.Local, variable) => (1, 0),
                    ILocalReferenceOperation local when movingIntegers.TryGetValue(local.Local, out var moving) && SymbolEqualityComparer.Default.Equals(moving.Variable, variable) => (moving.A, moving.B),
                    IParenthesizedOperation parenthesized => Affine(parenthesized.Operand),
                    IConversionOperation conversion when conversion.OperatorMethod is null && IsInteger(conversion.Operand.Type) => Affine(conversion.Operand),
                    IUnaryOperation { OperatorMethod: null, OperatorKind: UnaryOperatorKind.Plus } unary => Affine(unary.Operand),
                    IUnaryOperation { OperatorMethod: null, OperatorKind: UnaryOperatorKind.Minus } unary => Affine(unary.Operand) is (long a, long b) ? (checked(-a), checked(-b)) : null,
                    IBinaryOperation { OperatorMethod: null, OperatorKind: BinaryOperatorKind.Add } add =>
                        Affine(add.LeftOperand) is (long a1, long b1) && Affine(add.RightOperand) is (long a2, long b2) ? (checked(a1 + a2), checked(b1 + b2)) : null,
                    IBinaryOperation { OperatorMethod: null, OperatorKind: BinaryOperatorKind.Subtract } subtract =>
                        Affine(subtract.LeftOperand) is (long a1, long b1) && Affine(subtract.RightOperand) is (long a2, long b2) ? (checked(a1 - a2), checked(b1 - b2)) : null,
                    IBinaryOperation { OperatorMethod: null, OperatorKind: BinaryOperatorKind.Multiply } multiply =>
                        Affine(multiply.LeftOperand) is (long a1, long b1) && Affine(multiply.RightOperand) is (long a2, long b2) && (a1 == 0 || a2 == 0)
                            ? (checked((a1 * b2) + (a2 * b1)), checked(b1 * b2))
                            : null,
                    _ => null,
                };
            }
            catch (OverflowException)
            {
                return null;
            }
        }

        /// <summary>The constant step of a loop's increment (<c>t++</c>, <c>++t</c>, <c>t += k</c>), or null.</summary>
        private long? Step(IOperation increment, ILocalSymbol variable) => increment switch
        {
            IExpressionStatementOperation { Operation: IIncrementOrDecrementOperation { Kind: OperationKind.Increment } step } when IsReferenceTo(step.Target, variable) => 1,
            IExpressionStatementOperation { Operation: ICompoundAssignmentOperation { OperatorKind: BinaryOperatorKind.Add } add } when IsReferenceTo(add.Target, variable) => Integer(add.Value),
            _ => null,
        };

        private static bool IsReferenceTo(IOperation operation, ILocalSymbol variable) =>
            (operation is IConversionOperation conversion ? conversion.Operand : operation) is ILocalReferenceOperation reference
            && SymbolEqualityComparer.Default.Equals(reference.Local, variable);

        private bool NotLoopVariable(ILocalSymbol local, IOperation statement) =>
            !loopVariables.Contains(local)
            || LoopError(statement.Syntax, statement.Syntax, $"the loop variable '{local.Name}' may not be assigned in the loop body");

        /// <summary>Reports GRAPH025 for the loop at <paramref name="loop"/> at <paramref name="at"/>; returns false.</summary>
        private bool LoopError(SyntaxNode loop, SyntaxNode at, string why)
        {
            owner.Report(DiagnosticDescriptors.InvalidLoop, at.GetLocation(), Header(loop), method.Name, why);
            return false;
        }

        /// <summary>A statement's first line, shortened, to name it in a message.</summary>
        private static string Header(SyntaxNode syntax)
        {
            string text = syntax is ForStatementSyntax loop
                ? $"for ({loop.Declaration}; {loop.Condition}; {string.Join(", ", loop.Incrementors)})"
                : syntax.ToString();
            text = Whitespace.Replace(text, " ");
            return text.Length > 60 ? text.Substring(0, 57) + "..." : text;
        }

        /// <summary>
        /// The value of an integer expression known at compile time: a constant, a literal, a loop variable or integer
        /// local, or arithmetic of them; null otherwise. A value that does not fit the expression's type (which C#
        /// would wrap around) is null too, and <see cref="integerOverflow"/> says which.
        /// </summary>
        private long? Integer(IOperation operation)
        {
            if (operation.ConstantValue.HasValue)
            {
                return operation.ConstantValue.Value is int or long or short or byte or sbyte or ushort or uint
                    ? Convert.ToInt64(operation.ConstantValue.Value, CultureInfo.InvariantCulture)
                    : null;
            }

            long? value = operation switch
            {
                ILocalReferenceOperation local when integers.TryGetValue(local.Local, out long known) => known,
                IParenthesizedOperation parenthesized => Integer(parenthesized.Operand),
                IConversionOperation conversion when conversion.OperatorMethod is null && IsInteger(conversion.Operand.Type) => Integer(conversion.Operand),
                IUnaryOperation { OperatorMethod: null, OperatorKind: UnaryOperatorKind.Minus } unary => Integer(unary.Operand) is long operand && operand != long.MinValue ? -operand : null,
                IUnaryOperation { OperatorMethod: null, OperatorKind: UnaryOperatorKind.Plus } unary => Integer(unary.Operand),
                IBinaryOperation { OperatorMethod: null } binary when IsInteger(binary.Type) =>
                    Integer(binary.LeftOperand) is long left && Integer(binary.RightOperand) is long right ? Arithmetic(binary.OperatorKind, left, right) : null,
                _ => null,
            };
            if (value is long result && operation.Type is { } type && IsInteger(type) && !Fits(type, result))
            {
                integerOverflow ??= $"'{Whitespace.Replace(operation.Syntax.ToString(), " ")}' is {Format(result)}, which does not fit '{type.ToDisplayString()}' (C# would wrap it around)";
                return null;
            }

            return value;
        }

        /// <summary>The arithmetic of two known integers; null for a division by zero or a result that does not fit a long.</summary>
        private static long? Arithmetic(BinaryOperatorKind kind, long left, long right)
        {
            try
            {
                return kind switch
                {
                    BinaryOperatorKind.Add => checked(left + right),
                    BinaryOperatorKind.Subtract => checked(left - right),
                    BinaryOperatorKind.Multiply => checked(left * right),
                    BinaryOperatorKind.Divide when right != 0 => checked(left / right),
                    BinaryOperatorKind.Remainder when right != 0 && right != -1 => left % right,
                    BinaryOperatorKind.Remainder when right == -1 => 0,
                    _ => null,
                };
            }
            catch (OverflowException)
            {
                return null;
            }
        }

        /// <summary>Why an integer expression has no known value: the overflow found while reading it, or <paramref name="otherwise"/>.</summary>
        private string NotConstant(string otherwise)
        {
            string why = integerOverflow ?? otherwise;
            integerOverflow = null;
            return why;
        }

        /// <summary>True when <paramref name="value"/> is a value of the integer type <paramref name="type"/>.</summary>
        private static bool Fits(ITypeSymbol type, decimal value) => type.SpecialType switch
        {
            SpecialType.System_Int32 => value is >= int.MinValue and <= int.MaxValue,
            SpecialType.System_Int64 => value is >= long.MinValue and <= long.MaxValue,
            SpecialType.System_Int16 => value is >= short.MinValue and <= short.MaxValue,
            SpecialType.System_Byte => value is >= byte.MinValue and <= byte.MaxValue,
            SpecialType.System_SByte => value is >= sbyte.MinValue and <= sbyte.MaxValue,
            SpecialType.System_UInt16 => value is >= ushort.MinValue and <= ushort.MaxValue,
            SpecialType.System_UInt32 => value is >= uint.MinValue and <= uint.MaxValue,
            _ => true,
        };

        private static string Format(decimal value) => value.ToString(CultureInfo.InvariantCulture);

        private static bool IsInteger(ITypeSymbol? type) => type?.SpecialType is SpecialType.System_Int32 or SpecialType.System_Int64
            or SpecialType.System_Int16 or SpecialType.System_Byte or SpecialType.System_SByte or SpecialType.System_UInt16 or SpecialType.System_UInt32;

        private static string? OperatorName(BinaryOperatorKind kind) => kind switch
        {
            BinaryOperatorKind.Add => Ops.Add,
            BinaryOperatorKind.Subtract => Ops.Subtract,
            BinaryOperatorKind.Multiply => Ops.Multiply,
            BinaryOperatorKind.Divide => Ops.Divide,
            _ => null,
        };

        /// <summary><c>x[t]</c> on a tensor: the position must be known at compile time.</summary>
        private int ReadIndexer(IPropertyReferenceOperation indexer)
        {
            var position = indexer.Arguments.Length == 1 ? indexer.Arguments[0].Value : null;
            if (position is not null && symbolicLoops.Count > 0 && Integer(position) is null)
            {
                // A position that moves with the loop: a × t + b is (a × STEP) × iteration + (a × START + b).
                var loop = symbolicLoops[symbolicLoops.Count - 1].Loop;
                if (Affine(position) is not (long a, long b) || a == 0)
                {
                    return -1;
                }

                long coefficient, offset;
                try
                {
                    coefficient = checked(a * loop.Stride);
                    offset = checked((a * loop.Start) + b);
                }
                catch (OverflowException)
                {
                    return -1;
                }

                if (coefficient is < int.MinValue or > int.MaxValue || offset is < int.MinValue or > int.MaxValue)
                {
                    return -1;
                }

                int instance = Read(indexer.Instance!);
                if (instance < 0)
                {
                    return -1;
                }

                int moving = Add(ExprKind.StepPosition, string.Empty, offset, (int)coefficient, Array.Empty<int>(), position.Syntax);
                return Add(ExprKind.Operation, Ops.IndexAt, 0, 0, new[] { instance, moving }, indexer.Syntax);
            }

            if (position is null || Integer(position) is null)
            {
                owner.Report(DiagnosticDescriptors.InvalidIndexPosition, indexer.Syntax.GetLocation(), Whitespace.Replace(indexer.Syntax.ToString(), " "),
                    NotConstant("the position must be a compile-time constant: a literal, a const, or the variable of an unrolled for loop"));
                return -1;
            }

            return Operation(Ops.IndexAt, indexer.Syntax, indexer.Instance!, position);
        }

        private int Read(IOperation operation)
        {
            owner.cancellationToken.ThrowIfCancellationRequested();
            if (operation.ConstantValue.HasValue && IsNumeric(operation.ConstantValue.Value))
            {
                return Add(ExprKind.Constant, string.Empty, Convert.ToDouble(operation.ConstantValue.Value, CultureInfo.InvariantCulture), 0, Array.Empty<int>(), operation.Syntax);
            }

            if (StepCountArgument(operation) is { } count)
            {
                owner.Report(DiagnosticDescriptors.InvalidStepCount, operation.Syntax.GetLocation(), count.Name, method.Name, $"'{count.Name}' is a run-time step count ([MaxSteps]), which can only bound a loop: for (int t = 0; t < {count.Name}; t++)");
                return -1;
            }

            if (IsInteger(operation.Type))
            {
                if (Integer(operation) is long integer)
                {
                    return Add(ExprKind.Constant, string.Empty, integer, 0, Array.Empty<int>(), operation.Syntax);
                }

                if (integerOverflow is not null)
                {
                    return Unsupported(operation.Syntax, NotConstant(string.Empty));
                }
            }

            switch (operation)
            {
                case IConversionOperation conversion when conversion.IsImplicit || conversion.Operand.Type?.ToDisplayString() == KnownNames.Tensor:
                    return Read(conversion.Operand);
                case IParenthesizedOperation parenthesized:
                    return Read(parenthesized.Operand);
                case IParameterReferenceOperation parameter when SymbolEqualityComparer.Default.Equals(parameter.Parameter.ContainingSymbol, method):
                    return Add(ExprKind.Input, parameter.Parameter.Name, 0, parameter.Parameter.Ordinal, Array.Empty<int>(), operation.Syntax);
                case ILocalReferenceOperation local when locals.TryGetValue(local.Local, out int index):
                    return index;
                case IPropertyReferenceOperation property when IsModelParameter(property):
                    return Add(ExprKind.Parameter, property.Property.Name, 0, 0, Array.Empty<int>(), operation.Syntax);
                case IPropertyReferenceOperation { Property.IsIndexer: true, Instance: not null } indexer when IsTensorMember(indexer.Property):
                    return ReadIndexer(indexer);
                case IPropertyReferenceOperation { Property.Name: "T", Instance: { } instance } property when IsTensorMember(property.Property):
                    return Operation(Ops.Transpose, operation.Syntax, instance);
                case IBinaryOperation binary when binary.OperatorMethod is not null && IsTensorMember(binary.OperatorMethod):
                    string? name = OperatorName(binary.OperatorKind);
                    return name is null
                        ? Unsupported(operation.Syntax, $"the operator '{binary.OperatorKind}' is not defined on tensors")
                        : Operation(name, operation.Syntax, binary.LeftOperand, binary.RightOperand);
                case IUnaryOperation { OperatorKind: UnaryOperatorKind.Minus } unary when unary.OperatorMethod is not null && IsTensorMember(unary.OperatorMethod):
                    return Operation(Ops.Negate, operation.Syntax, unary.Operand);
                case IInvocationOperation invocation:
                    return ReadInvocation(invocation);
                default:
                    return Unsupported(operation.Syntax, "only tensor operations (Graph.Ops and Tensor members), the model's parameters, the method's arguments, local tensors and numeric constants can be compiled");
            }
        }

        private int ReadInvocation(IInvocationOperation invocation)
        {
            var target = invocation.TargetMethod;
            string container = target.ContainingType.ToDisplayString();
            if (container == KnownNames.Ops || (container == KnownNames.Tensor && !target.IsStatic))
            {
                string name = target.Name == "MatMul" ? Ops.Dot : target.Name;
                var operands = new List<IOperation>();
                if (invocation.Instance is not null)
                {
                    operands.Add(invocation.Instance);
                }

                // A params array (Reshape's dimensions) contributes its elements, each read as a constant.
                operands.AddRange(invocation.Arguments.OrderBy(a => a.Parameter?.Ordinal ?? 0).SelectMany<IArgumentOperation, IOperation>(a =>
                    a.ArgumentKind == ArgumentKind.ParamArray && a.Value is IArrayCreationOperation { Initializer: { } elements }
                        ? elements.ElementValues
                        : new[] { a.Value }));
                return Operation(name, invocation.Syntax, operands.ToArray());
            }

            if (SymbolEqualityComparer.Default.Equals(target.ContainingType, owner.model) && !target.IsStatic)
            {
                if (owner.reading.Contains(target, SymbolEqualityComparer.Default))
                {
                    owner.Report(DiagnosticDescriptors.RecursiveCall, invocation.Syntax.GetLocation(), target.Name, string.Join(" -> ", owner.reading.Concat(new[] { target }).Select(m => m.Name)));
                    return -1;
                }

                bool attributed = ModelDiscoverer.FindAttribute(target, KnownNames.ForwardAttribute) is not null
                    || ModelDiscoverer.FindAttribute(target, KnownNames.LossAttribute) is not null;
                var callee = owner.Read(target, attributed ? (ModelDiscoverer.FindAttribute(target, KnownNames.LossAttribute) is null ? FunctionRole.Forward : FunctionRole.Loss) : FunctionRole.Helper);
                if (callee is null)
                {
                    return -1;
                }

                var arguments = new List<int>();
                foreach (var argument in invocation.Arguments.OrderBy(a => a.Parameter?.Ordinal ?? 0))
                {
                    int value = Read(argument.Value);
                    if (value < 0)
                    {
                        return -1;
                    }

                    arguments.Add(value);
                }

                return Add(ExprKind.Call, callee.Name, 0, 0, arguments.ToArray(), invocation.Syntax);
            }

            return Unsupported(invocation.Syntax, $"'{target.ContainingType.Name}.{target.Name}' is not a tensor operation; use the operations of Graph.Ops and Tensor, or another method of this model");
        }

        private int Operation(string name, SyntaxNode syntax, params IOperation[] operands)
        {
            var arguments = new int[operands.Length];
            for (int i = 0; i < operands.Length; i++)
            {
                arguments[i] = Read(operands[i]);
                if (arguments[i] < 0)
                {
                    return -1;
                }
            }

            return Add(ExprKind.Operation, name, 0, 0, arguments, syntax);
        }

        private bool IsModelParameter(IPropertyReferenceOperation property) =>
            SymbolEqualityComparer.Default.Equals(property.Property.ContainingType, owner.model)
            && ModelDiscoverer.FindAttribute(property.Property, KnownNames.ParamAttribute) is not null
            && property.Instance is IInstanceReferenceOperation;

        private static bool IsTensorMember(ISymbol symbol) => symbol.ContainingType?.ToDisplayString() == KnownNames.Tensor;

        private static bool IsNumeric(object? value) => value is double or float or int or long or short or byte or decimal or uint or ulong or sbyte or ushort;

        private int Add(ExprKind kind, string name, double value, int index, int[] arguments, SyntaxNode syntax) =>
            Add(kind, name, value, index, arguments, syntax, Whitespace.Replace(syntax.ToString(), " "));

        private int Add(ExprKind kind, string name, double value, int index, int[] arguments, SyntaxNode syntax, string text)
        {
            int id = Expressions.Count;
            if (iterationLabels.Count > 0)
            {
                text += " [" + string.Join(", ", iterationLabels) + "]";
            }

            Expressions.Add(new ExprSpec(kind, name, value, index, arguments.ToEquatableArray(), text));
            Operations += kind switch
            {
                // A loop's markers are no operation once it is unrolled.
                ExprKind.Loop or ExprKind.Carried or ExprKind.EndLoop or ExprKind.LoopResult => 0,
                ExprKind.Call when owner.inlinedOperations.TryGetValue(name, out long called) => called,
                _ => 1,
            };
            owner.Record(LocationKeys.Expression(specName, id), syntax.GetLocation());
            return id;
        }

        private int Unsupported(SyntaxNode syntax, string why)
        {
            string text = Whitespace.Replace(syntax.ToString(), " ");
            if (text.Length > 60)
            {
                text = text.Substring(0, 57) + "...";
            }

            owner.Report(DiagnosticDescriptors.UnsupportedConstruct, syntax.GetLocation(), text, method.Name, why);
            return -1;
        }
    }
}
