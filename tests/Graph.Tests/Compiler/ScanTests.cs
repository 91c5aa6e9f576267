using Graph.Generator;
using Graph.Generator.IR;
using Graph.Generator.IR.Ops;
using Graph.Generator.Lowering;
using Graph.Generator.Optimization;
using Graph.Generator.Spec;
using Graph.Tests.Generator;
using Xunit;

namespace Graph.Tests.Compiler;

/// <summary>
/// Loops kept as loops: Discovery reads a <c>for</c> loop's body once and Lowering builds one <see cref="Scan"/>
/// holding it, so the lowered graph does not grow with the step count; the unrolled graph is what reading the loop
/// step by step gave (the sample models' generated files, in <c>Snapshots/Approved</c>, are unchanged by it).
/// </summary>
public sealed class ScanTests
{
    internal const string Usings = "using Graph;\nusing static Graph.Ops;\n\n";

    internal const string Lstm = """
        [Model(typeof(double)), Size("Vocab", 5), Size("Hidden", 3)]
        public partial class Lstm
        {
            public const int Steps = STEPS;

            [Param("Vocab", "Hidden"), InitUniform(-0.5, 0.5)] public partial Tensor Embed { get; }
            [Param("Hidden", "Hidden"), InitUniform(-0.5, 0.5)] public partial Tensor ForgetInput { get; }
            [Param("Hidden", "Hidden"), InitUniform(-0.5, 0.5)] public partial Tensor ForgetHidden { get; }
            [Param("Hidden", "Hidden"), InitUniform(-0.5, 0.5)] public partial Tensor CandidateInput { get; }
            [Param("Hidden", "Hidden"), InitUniform(-0.5, 0.5)] public partial Tensor CandidateHidden { get; }
            [Param("Hidden", "Vocab"), InitUniform(-0.5, 0.5)] public partial Tensor Output { get; }

            [Loss]
            public Tensor Loss([Indices(Steps)] Tensor chars, [Indices(Steps)] Tensor targets, [Shape(1, "Hidden")] Tensor h0, [Shape(1, "Hidden")] Tensor c0)
            {
                Tensor h = h0;
                Tensor c = c0;
                Tensor loss = 0;
                for (int t = 0; t < Steps; t++)
                {
                    Tensor x = EmbeddingSum(Embed, chars[t]);
                    Tensor f = Sigmoid(x.Dot(ForgetInput) + h.Dot(ForgetHidden));
                    c = f * c + (1 - f) * Tanh(x.Dot(CandidateInput) + h.Dot(CandidateHidden));
                    h = Tanh(c);
                    loss += SoftmaxCrossEntropy(h[0].Dot(Output), targets[t]);
                }

                return loss;
            }
        }
        """;

    [Fact]
    public void TheLoweredLoopDoesNotGrowWithItsSteps()
    {
        var (short_, shortScan) = Lowered(Lstm.Replace("STEPS", "25"));
        var (long_, longScan) = Lowered(Lstm.Replace("STEPS", "100"));

        Assert.Equal(short_.Count, long_.Count);
        Assert.Equal(25, shortScan.Loop.Steps);
        Assert.Equal(100, longScan.Loop.Steps);
        Assert.Equal(shortScan.Body.Nodes.Count, longScan.Body.Nodes.Count);
        Assert.Equal(3, shortScan.Body.Carried.Count);

        // The running loss starts at the constant 0 broadcast to a value per sample, the type a step gives it: every
        // step, the first too, runs the one body.
        Assert.Null(shortScan.First);
        Assert.Contains(short_, n => n.Op is Broadcast { Batched: true } && n.Inputs[0].Op is Constant { Value: 0 });
        Assert.Contains(shortScan.Body.Nodes, n => n.Op is StepSlice);
    }

    [Fact]
    public void UnrollingCopiesTheBodyOncePerStep()
    {
        var (nodes25, scan25) = Lowered(Lstm.Replace("STEPS", "25"));
        var (nodes26, _) = Lowered(Lstm.Replace("STEPS", "26"));
        int unrolled25 = Unrolled(nodes25).Count;
        int unrolled26 = Unrolled(nodes26).Count;

        // One more step is one more copy of the body, less its leaves (carried, captured, parameters read once), and
        // the step's carried values kept as it ends (StepBoundary, one per carried value that is not a leaf).
        int copied = scan25.Body.Nodes.Count(n => n.Op is not (ScanCarry or ScanCapture or Parameter))
            + scan25.Body.Next.Count(n => n.Inputs.Count > 0);
        Assert.Equal(copied, unrolled26 - unrolled25);
        Assert.DoesNotContain(Unrolled(nodes25), n => n.Op is LoopOp and not StepBoundary || n.Origin.Contains('\u27E8'));
        Assert.Contains(Unrolled(nodes25), n => n.Origin == "chars[t] [t = 24]");
    }

    [Fact]
    public void AVariableUsedAsANumberIsUnrolledWhenRead()
    {
        var (nodes, _) = Lowered("""
            [Model(typeof(double))]
            public partial class Scaled
            {
                [Param(2, 2), InitUniform(-1, 1)] public partial Tensor W { get; }

                [Forward]
                public Tensor Predict([Shape(2)] Tensor x)
                {
                    Tensor h = x;
                    for (int t = 0; t < 3; t++)
                    {
                        h = h.Dot(W) * t;
                    }

                    return h;
                }
            }
            """, expectScan: false);
        Assert.DoesNotContain(nodes, n => n.Op is Scan);
        Assert.Contains(nodes, n => n.Origin == "h.Dot(W) * t [t = 2]");
    }

    [Fact]
    public void ANestedLoopIsAScanInTheBody()
    {
        var (_, scan) = Lowered("""
            [Model(typeof(double))]
            public partial class Nested
            {
                [Param(2, 2), InitUniform(-1, 1)] public partial Tensor W { get; }

                [Forward]
                public Tensor Predict([Shape(4, 2)] Tensor x)
                {
                    Tensor h = x[0];
                    for (int t = 0; t < 4; t++)
                    {
                        for (int k = 0; k < 2; k++)
                        {
                            h = Tanh(h.Dot(W));
                        }

                        h = h + x[t];
                    }

                    return h;
                }
            }
            """);
        var inner = Assert.Single(scan.Body.Nodes, n => n.Op is Scan);
        Assert.Equal(2, ((Scan)inner.Op).Loop.Steps);
        var slice = (StepSlice)Assert.Single(scan.Body.Nodes, n => n.Op is StepSlice).Op;
        Assert.Equal((1, 0), (slice.Coefficient, slice.Offset));
    }

    [Fact]
    public void APositionThatMovesWithTheLoopIsAffineInTheStepThroughAnIntegerLocal()
    {
        var (_, scan) = Lowered("""
            [Model(typeof(double))]
            public partial class Backwards
            {
                public const int Steps = 4;

                [Param(2, 2), InitUniform(-1, 1)] public partial Tensor W { get; }

                [Forward]
                public Tensor Predict([Shape(Steps, 2)] Tensor x)
                {
                    Tensor h = x[Steps - 1];
                    for (int t = 1; t < Steps; t += 1)
                    {
                        int back = Steps - 1 - t;
                        h = Tanh(h.Dot(W) + x[back]);
                    }

                    return h;
                }
            }
            """);
        var slice = (StepSlice)Assert.Single(scan.Body.Nodes, n => n.Op is StepSlice).Op;

        // t = 1 + step, so Steps - 1 - t = 2 - step.
        Assert.Equal((-1, 2), (slice.Coefficient, slice.Offset));
        Assert.Equal(3, scan.Loop.Steps);
    }

    /// <summary>The sample models' loops are all kept as loops: no lowered node is one iteration's copy.</summary>
    [Theory]
    [InlineData("Chapter12/BabiRecurrentNetwork.cs")]
    [InlineData("Chapter13/RnnCellNetwork.cs")]
    [InlineData("Chapter14/ShakespeareLstm.cs")]
    [InlineData("Chapter14/ShakespeareRnn.cs")]
    [InlineData("Chapter14/BookGradientLstm.cs")]
    public void EverySampleLoopIsAScan(string file)
    {
        string source = File.ReadAllText(Path.Combine(TestData.RepositoryRoot, "samples", "Chapters", file));
        var model = Spec(source);
        int scans = 0;
        foreach (var function in model.Functions.Where(f => f.Role != FunctionRole.Helper))
        {
            var builder = new GraphBuilder();
            new FunctionLowering(model, builder, training: function.Role == FunctionRole.Loss).LowerEntry(function);
            Assert.DoesNotContain(builder.Nodes, n => System.Text.RegularExpressions.Regex.IsMatch(n.Origin, @"\[t = \d"));
            scans += builder.Nodes.Count(n => n.Op is Scan);
        }

        Assert.True(scans > 0, file);
    }

    private static (IReadOnlyList<Node> Nodes, Scan Scan) Lowered(string source, bool expectScan = true)
    {
        var model = Spec(Usings + source);
        var function = model.Functions.Single(f => f.Role != FunctionRole.Helper);
        var builder = new GraphBuilder();
        new FunctionLowering(model, builder, training: function.Role == FunctionRole.Loss).LowerEntry(function);
        var scans = builder.Nodes.Where(n => n.Op is Scan).ToList();
        return (builder.Nodes, expectScan ? (Scan)Assert.Single(scans).Op : null!);
    }

    private static IReadOnlyList<Node> Unrolled(IReadOnlyList<Node> nodes)
    {
        var builder = new GraphBuilder();
        var map = new Dictionary<Node, Node>();
        foreach (var node in nodes)
        {
            // Rebuild the lowered graph in a builder of its own, then unroll that.
            map[node] = builder.Apply(node.Op, node.Origin, node.Inputs.Select(i => map[i]).ToList());
        }

        return LoopUnrolling.Run(builder, map[nodes[nodes.Count - 1]]).Builder.Nodes;
    }

    internal static ModelSpec Spec(string source)
    {
        var driver = GeneratorHarness.CreateDriver().RunGenerators(GeneratorHarness.Compile(source));
        var steps = driver.GetRunResult().Results.Single().TrackedSteps[GraphGenerator.Steps.Spec];
        return steps.SelectMany(s => s.Outputs).Select(o => o.Value).OfType<ModelSpec>().Single();
    }
}
