using System.Globalization;
using Graph.Generator.Diagnostics;
using Graph.Generator.Spec;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace Graph.Generator.Discovery;

/// <content>
/// How a method body's <c>for</c> loops are read (kept as loops, read symbolically, or unrolled) and the compile-time
/// integer arithmetic of their bounds and positions.
/// </content>
internal sealed partial class FunctionReader
{
    private sealed partial class BodyReader
    {
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
    }
}
