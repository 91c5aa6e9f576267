using Graph.Generator.Autodiff;
using Graph.Generator.IR;
using Graph.Generator.IR.Ops;
using Graph.Generator.Lowering;
using Graph.Generator.Optimization;
using Graph.Generator.Pipeline;
using Graph.Generator.Shapes;
using Graph.Generator.Spec;
using Xunit;

namespace Graph.Tests.Compiler;

/// <summary>
/// The derivative of a loop kept as a loop: a reverse <see cref="Scan"/> whose bodies do not grow with the steps, and
/// whose unrolled steps are, node for node after simplification, the gradient of the unrolled loop. The same
/// operations on the same operands in the same order compute the same bits, so the reverse loop's gradient is
/// bit-identical to the unrolled one's.
/// </summary>
public sealed class ReverseScanTests
{
    /// <summary>
    /// A recurrence whose first carried value is also captured (the accumulator of <c>bias</c> sums what the first
    /// step's carried value and every step's captured value give, in the unrolled walk's order), with a parameter read
    /// in the body and after the loop and a state read after the loop.
    /// </summary>
    private const string Captures = """
        [Model(typeof(double)), Size("Hidden", 3)]
        public partial class Captures
        {
            [Param(2, "Hidden"), InitUniform(-0.5, 0.5)] public partial Tensor In { get; }
            [Param("Hidden", "Hidden"), InitUniform(-0.5, 0.5)] public partial Tensor Recurrent { get; }
            [Param(1, "Hidden"), InitUniform(-0.5, 0.5)] public partial Tensor Start { get; }

            [Loss]
            public Tensor Loss([Shape(4, 2)] Tensor x, [Shape(1, "Hidden")] Tensor y)
            {
                Tensor bias = Tanh(Start);
                Tensor h = bias;
                for (int t = 0; t < 4; t++)
                {
                    h = Tanh(x[t].Dot(In) + h.Dot(Recurrent) + bias);
                }

                return SumSquares(h - y) + SumSquares(h.Dot(Recurrent));
            }
        }
        """;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(7)]
    public void TheReverseLoopOfTheLstmIsTheUnrolledGradient(int steps) =>
        AssertSameGradients(ScanTests.Lstm.Replace("STEPS", steps.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public void TheReverseLoopSumsACapturedAndCarriedValueInTheUnrolledOrder() => AssertSameGradients(Captures);

    /// <summary>
    /// The sample models' recurrences: every loss, differentiated through its reverse loops, is the unrolled gradient.
    /// (Chapter 12's loss runs a run-time number of steps, which has no unrolled form: <c>Loops/StepCountTests</c>
    /// checks its recurrence against the padded loop, and the stage snapshots hold it at a constant count.)
    /// </summary>
    [Theory]
    [InlineData("Chapter13/RnnCellNetwork.cs")]
    [InlineData("Chapter14/ShakespeareLstm.cs")]
    [InlineData("Chapter14/ShakespeareRnn.cs")]
    [InlineData("Chapter14/BookGradientLstm.cs")]
    public void TheReverseLoopsOfTheSamplesAreTheUnrolledGradient(string file)
    {
        string source = File.ReadAllText(Path.Combine(TestData.RepositoryRoot, "samples", "Chapters", file));
        var model = ScanTests.Spec(source);
        foreach (var function in model.Functions.Where(f => f.Role == FunctionRole.Loss))
        {
            AssertSameGradients(model, function);
        }
    }

    /// <summary>The chapter 12 recurrence of the stage snapshots, its gradient through the reverse loop: <c>Snapshots/Stages/ReverseLoop</c>.</summary>
    [Fact]
    public void TheReverseLoopMatchesItsSnapshot()
    {
        var model = ScanTests.Spec(StageSnapshotTests.Usings + StageSnapshotTests.Models["LoopsAndPadding"]);
        var lowered = new GraphBuilder();
        var loss = BatchLoss(lowered, new FunctionLowering(model, lowered, training: true).LowerEntry(model.Functions.Single(f => f.Role == FunctionRole.Loss)));
        var gradients = ReverseMode.Gradients(lowered, loss, new HashSet<int>(Enumerable.Range(0, model.Parameters.Count)));
        var outputs = gradients.Select(g => new GraphOutput(OutputKind.Gradient, g.Key, g.Value)).Prepend(new GraphOutput(OutputKind.Loss, 0, loss)).ToList();
        Graph.Tests.Snapshots.Snapshot.Verify("ReverseLoop", GraphListing.Print(lowered.Nodes, outputs), "txt", "Stages");
    }

    /// <summary>
    /// The compiler differentiates loops as loops; a model that unrolls its loops unrolls them after, and its
    /// generated file is the one unrolling first gives, byte for byte (the reverse steps' nodes come in the order the
    /// unrolled walk makes them). Kept as loops, the same model's file has `for` loops instead, where a loop is long
    /// enough to keep (the LSTM's 6 steps; the 4 steps of the other, a first step apart and 3 more, are unrolled).
    /// </summary>
    [Fact]
    public void TheUnrolledFileIsTheOneUnrollingFirstGives()
    {
        foreach (var (source, keptAsLoop) in new[] { (ScanTests.Lstm.Replace("STEPS", "6"), true), (Captures, false) })
        {
            var model = ScanTests.Spec(ScanTests.Usings + source);
            var throughLoops = ModelCompiler.Compile(model with { UnrollLoops = true });
            var unrolledFirst = ModelCompiler.Compile(model, unrollBeforeDifferentiation: true);
            var kept = ModelCompiler.Compile(model);
            Assert.Empty(throughLoops.Diagnostics);
            Assert.Empty(kept.Diagnostics);
            Assert.Contains("public double Backward(", throughLoops.Source, StringComparison.Ordinal);
            Assert.Equal(unrolledFirst.Source, throughLoops.Source);
            Assert.DoesNotContain("for (int step = ", throughLoops.Source, StringComparison.Ordinal);
            Assert.Equal(keptAsLoop, kept.Source.Contains("for (int step = ", StringComparison.Ordinal));
            Assert.Equal(keptAsLoop, kept.Source != throughLoops.Source);
        }
    }

    /// <summary>A loop the reverse loop does not take yet (a value appended to in each step) is unrolled before differentiation.</summary>
    [Fact]
    public void ALoopTheReverseLoopDoesNotTakeIsUnrolledFirst()
    {
        const string stacked = """
            [Model(typeof(double))]
            public partial class Stacked
            {
                [Param(2, 2), InitUniform(-1, 1)] public partial Tensor W { get; }

                [Loss]
                public Tensor Loss([Shape(3, 2)] Tensor x)
                {
                    Tensor h = x[0];
                    Tensor rows = h;
                    for (int t = 1; t < 3; t++)
                    {
                        h = Tanh(h.Dot(W) + x[t]);
                        rows = Concat(rows, h);
                    }

                    return Sum(rows);
                }
            }
            """;
        var model = ScanTests.Spec(ScanTests.Usings + stacked);
        var lowered = new GraphBuilder();
        var loss = BatchLoss(lowered, new FunctionLowering(model, lowered, training: true).LowerEntry(model.Functions.Single(f => f.Role == FunctionRole.Loss)));
        var refused = Assert.Throws<LoopNotReversedException>(() => ReverseMode.Gradients(lowered, loss, new HashSet<int> { 0 }));
        Assert.Contains("appended", refused.Message, StringComparison.Ordinal);

        var compiled = ModelCompiler.Compile(model);
        Assert.Empty(compiled.Diagnostics);
        Assert.Equal(ModelCompiler.Compile(model, unrollBeforeDifferentiation: true).Source, compiled.Source);
    }

    [Fact]
    public void TheReverseLoopDoesNotGrowWithItsSteps()
    {
        var short_ = Reverse(ScanTests.Lstm.Replace("STEPS", "25"));
        var long_ = Reverse(ScanTests.Lstm.Replace("STEPS", "100"));

        Assert.Equal(short_.Bodies.Count, long_.Bodies.Count);
        Assert.Equal(short_.Bodies.Sum(b => b.Nodes.Count), long_.Bodies.Sum(b => b.Nodes.Count));

        // The steps before the state's adjoint and the accumulators are all present, one repeated body, the last step.
        Assert.True(short_.Bodies.Count <= 4, $"{short_.Bodies.Count} reverse bodies");
        Assert.Equal(75, long_.Runs.Max(r => r.Steps) - short_.Runs.Max(r => r.Steps));

        // Each step keeps the values its reverse step reads (the gates' activations, the inputs of the products), never a parameter.
        var stored = long_.Stored(long_.Forward.Body);
        Assert.Equal(short_.Stored(short_.Forward.Body).Count, stored.Count);
        Assert.DoesNotContain(stored, n => n.Op is Parameter or ScanCapture or Constant);
        Assert.Contains(stored, n => n.Op is Sigmoid);
        Assert.Contains(stored, n => n.Op is ScanCarry);

        // An accumulator for each of the six parameters; the first carried values (inputs and the constant 0) get none.
        Assert.Equal(6, long_.PresentAfter.Skip(long_.States).Count(p => p));
    }

    /// <summary>The loss and every gradient, differentiated through the reverse loop, then unrolled, equal those of the unrolled loop.</summary>
    private static void AssertSameGradients(string source)
    {
        var diagnostics = Graph.Tests.Generator.GeneratorHarness.Run(ScanTests.Usings + source).Diagnostics;
        Assert.True(diagnostics.IsEmpty, string.Join("\n", diagnostics));
        var model = ScanTests.Spec(ScanTests.Usings + source);
        AssertSameGradients(model, model.Functions.Single(f => f.Role == FunctionRole.Loss));
    }

    private static void AssertSameGradients(ModelSpec model, FunctionSpec function)
    {
        var trainable = new HashSet<int>(Enumerable.Range(0, model.Parameters.Count));

        // The loop kept through differentiation, unrolled after.
        var lowered = new GraphBuilder();
        var loss = BatchLoss(lowered, new FunctionLowering(model, lowered, training: true).LowerEntry(function));
        var gradients = ReverseMode.Gradients(lowered, loss, trainable);
        Assert.Contains(lowered.Nodes, n => n.Op is ReverseScan);
        var (reversed, reversedRoots) = LoopUnrolling.Run(lowered, gradients.Values.Prepend(loss).ToArray());
        Assert.DoesNotContain(reversed.Nodes, n => n.Op is LoopOp and not StepBoundary);
        var throughLoop = Simplified(reversed, reversedRoots);

        // The loop unrolled first, as the compiler does today.
        var builder = new GraphBuilder();
        var (unrolled, roots) = LoopUnrolling.Run(builder, new FunctionLowering(model, builder, training: true).LowerEntry(function));
        var unrolledLoss = BatchLoss(unrolled, roots[0]);
        var unrolledGradients = ReverseMode.Gradients(unrolled, unrolledLoss, trainable);
        var throughSteps = Simplified(unrolled, unrolledGradients.Values.Prepend(unrolledLoss).ToList());

        Assert.Equal(unrolledGradients.Keys, gradients.Keys);
        var numbering = new Numbering();
        var expected = throughSteps.Outputs.Select(o => numbering.Of(o.Node)).ToList();
        var actual = throughLoop.Outputs.Select(o => numbering.Of(o.Node)).ToList();
        Assert.Equal(expected, actual);
        Assert.Equal(throughSteps.Nodes.Count, throughLoop.Nodes.Count);
    }

    private static ReverseScan Reverse(string source)
    {
        var model = ScanTests.Spec(ScanTests.Usings + source);
        var function = model.Functions.Single(f => f.Role == FunctionRole.Loss);
        var lowered = new GraphBuilder();
        var loss = BatchLoss(lowered, new FunctionLowering(model, lowered, training: true).LowerEntry(function));
        ReverseMode.Gradients(lowered, loss, new HashSet<int>(Enumerable.Range(0, model.Parameters.Count)));
        return (ReverseScan)Assert.Single(lowered.Nodes, n => n.Op is ReverseScan).Op;
    }

    private static Node BatchLoss(GraphBuilder builder, Node perSample)
    {
        var at = builder.At("loss over the batch");
        return at.ReduceSum(perSample.Shape.Rank > 0 ? at.Reshape(perSample, Shape.Scalar) : perSample, Shape.Scalar, batched: false);
    }

    private static Computation Simplified(GraphBuilder builder, IReadOnlyList<Node> outputs) =>
        Simplifier.Run(new Computation(builder.Nodes, outputs.Select((n, i) => new GraphOutput(OutputKind.Gradient, i, n)).ToList()));

    /// <summary>A number per distinct computation: two nodes get the same number when they apply the same op to inputs of the same numbers.</summary>
    private sealed class Numbering
    {
        private readonly Dictionary<(Op, string, TensorType), int> numbers = new();
        private readonly Dictionary<Node, int> nodes = new();

        public int Of(Node node)
        {
            if (nodes.TryGetValue(node, out int number))
            {
                return number;
            }

            // Inputs first, without recursion (a long loop's gradient is a deep chain).
            var stack = new Stack<Node>();
            stack.Push(node);
            while (stack.Count > 0)
            {
                var top = stack.Peek();
                var pending = top.Inputs.Where(i => !nodes.ContainsKey(i)).ToList();
                if (pending.Count > 0)
                {
                    pending.ForEach(stack.Push);
                    continue;
                }

                stack.Pop();
                var key = (top.Op, string.Join(",", top.Inputs.Select(i => nodes[i])), top.Type);
                if (!numbers.TryGetValue(key, out number))
                {
                    number = numbers.Count;
                    numbers.Add(key, number);
                }

                nodes[top] = number;
            }

            return nodes[node];
        }
    }
}
