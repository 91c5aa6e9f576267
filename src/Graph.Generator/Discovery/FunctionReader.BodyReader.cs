using System.Globalization;
using Graph.Generator.Common;
using Graph.Generator.Diagnostics;
using Graph.Generator.Spec;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace Graph.Generator.Discovery;

/// <content>The reader of one method body: its statements, assignments and expressions.</content>
internal sealed partial class FunctionReader
{
    /// <summary>Reads one method body into single-assignment expressions.</summary>
    private sealed partial class BodyReader
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
