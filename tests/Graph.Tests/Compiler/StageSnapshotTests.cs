using System.Text;
using Graph.Generator;
using Graph.Generator.IR;
using Graph.Generator.Lowering;
using Graph.Generator.Pipeline;
using Graph.Generator.Schedule;
using Graph.Generator.Spec;
using Graph.Tests.Generator;
using Graph.Tests.Snapshots;
using Xunit;

namespace Graph.Tests.Compiler;

/// <summary>
/// One small model per feature through the compiler's stages, each stage as text beside the others: the loss
/// method as lowered (IR before differentiation), every compiled method's optimised IR, and the schedule the
/// printers print. A change in one stage shows as a small readable diff in <c>Snapshots/Stages</c>, next to the
/// whole generated files of the sample models.
/// </summary>
public sealed class StageSnapshotTests
{
    internal const string Usings = "using Graph;\nusing static Graph.Ops;\n\n";

    internal static readonly Dictionary<string, string> Models = new()
    {
        ["MatMul"] = """
            [Model(typeof(double))]
            public partial class Linear
            {
                [Param(3, 2), InitUniform(-1, 1)] public partial Tensor W { get; }
                [Forward] public Tensor Predict([Shape(3)] Tensor x) => x.Dot(W);
                [Loss] public Tensor Loss([Shape(3)] Tensor x, [Shape(2)] Tensor y) => L2Loss(Predict(x) - y);
            }
            """,
        ["Broadcasting"] = """
            [Model(typeof(double))]
            public partial class Affine
            {
                [Param(4), InitUniform(-1, 1)] public partial Tensor B { get; }
                [Param(1), InitValues(2)] public partial Tensor Scale { get; }
                [Loss] public Tensor Loss([Shape(2, 4)] Tensor x, [Shape(4)] Tensor y) => Mean((x + B) * Scale - y);
            }
            """,
        ["Dropout"] = """
            [Model(typeof(double))]
            public partial class Dropped
            {
                [Param(3, 4), InitUniform(-1, 1)] public partial Tensor W { get; }
                [Forward] public Tensor Hidden([Shape(3)] Tensor x) => Dropout(Relu(x.Dot(W)), 0.5);
                [Loss] public Tensor Loss([Shape(3)] Tensor x, [Shape(4)] Tensor r) => Sum(Hidden(x) * r);
            }
            """,
        ["PackedDropout"] = """
            [Model(typeof(double))]
            public partial class WideDropped
            {
                [Param(8192), InitUniform(-1, 1)] public partial Tensor W { get; }
                [Loss] public Tensor Loss([Shape(8192)] Tensor x, [Shape(8192)] Tensor r) => Sum(Dropout(Relu(x * W), 0.5) * r);
            }
            """,
        ["Convolution"] = """
            [Model(typeof(double))]
            public partial class Convolution
            {
                [Param(2, 2, 2), InitUniform(-1, 1)] public partial Tensor Kernels { get; }
                [Loss] public Tensor Loss([Shape(4, 4)] Tensor image, [Shape(2)] Tensor r) => Sum(Flatten(SumPool2d(Tanh(Conv2d(image, Kernels)), 3)) * r);
            }
            """,
        ["Embedding"] = """
            [Model(typeof(double)), Size("Vocab", 10)]
            public partial class Bag
            {
                [Param("Vocab", 3), InitUniform(-1, 1)] public partial Tensor Embed { get; }
                [Param(3, 1), InitUniform(-1, 1)] public partial Tensor W { get; }
                [Loss] public Tensor Loss([Indices] Tensor words, [Shape(1)] Tensor label) => SigmoidCrossEntropy(EmbeddingMean(Embed, words).Dot(W), label);
            }
            """,
        ["LoopsAndPadding"] = """
            [Model(typeof(double)), Size("Vocab", 5)]
            public partial class Recurrent
            {
                public const int Steps = 2;

                [Param("Vocab", 2), InitUniform(-1, 1)] public partial Tensor Embed { get; }
                [Param(2, 2), InitIdentity] public partial Tensor Transition { get; }
                [Param(2), InitZeros] public partial Tensor Start { get; }
                [Param(2, "Vocab"), InitUniform(-1, 1)] public partial Tensor Decoder { get; }

                [Loss(Reduction = Reduction.Sum)]
                public Tensor Loss([Indices(Steps, Padded = true)] Tensor words)
                {
                    Tensor hidden = Start;
                    Tensor loss = 0;
                    for (int t = 0; t < Steps; t++)
                    {
                        loss += SoftmaxCrossEntropy(hidden.Dot(Decoder), words[t]);
                        hidden = hidden.Dot(Transition) + EmbeddingSum(Embed, words[t]);
                    }

                    return loss;
                }
            }
            """,
        ["Concat"] = """
            [Model(typeof(double))]
            public partial class Joined
            {
                [Param(2), InitUniform(-1, 1)] public partial Tensor Extra { get; }
                [Param(5, 1), InitUniform(-1, 1)] public partial Tensor W { get; }
                [Loss] public Tensor Loss([Shape(3)] Tensor x, [Shape(1)] Tensor y) => MeanSquaredError(Concat(x, Extra).Dot(W), y);
            }
            """,
        ["FusedSgd"] = """
            [Model(typeof(double))]
            public partial class TwoLayers
            {
                [Param(3, 4), InitUniform(-1, 1)] public partial Tensor W1 { get; }
                [Param(4, 2), InitUniform(-1, 1), Frozen(0)] public partial Tensor W2 { get; }
                [Loss] public Tensor Loss([Shape(3)] Tensor x, [Shape(2)] Tensor y) => SoftmaxCrossEntropy(Relu(x.Dot(W1)).Dot(W2), y);
            }
            """,
    };

    public static TheoryData<string> Features() => new(Models.Keys);

    [Theory]
    [MemberData(nameof(Features))]
    public void EachStageMatchesItsSnapshot(string feature)
    {
        var model = Spec(Usings + Models[feature]);
        var text = new StringBuilder();
        var loss = model.Functions.Single(f => f.Role == FunctionRole.Loss);
        var builder = new GraphBuilder();
        var perSample = new FunctionLowering(model, builder, training: true).LowerEntry(loss);
        text.Append($"== {loss.Name} lowered for training\n");
        text.Append(GraphListing.Print(builder.Nodes, [new GraphOutput(OutputKind.Result, 0, perSample)]));

        var diagnostics = new List<DiagnosticInfo>();
        var entries = ModelCompiler.Entries(model, diagnostics);
        Assert.Empty(diagnostics);
        foreach (var entry in entries)
        {
            text.Append($"\n== {entry.Kind} {entry.Function.Name} optimised\n");
            text.Append(GraphListing.Print(entry.Graph));
        }

        text.Append("\n== schedule\n");
        text.Append(ScheduleListing.Print(Scheduler.Run(model, entries)));
        Snapshot.Verify(feature, text.ToString(), "txt", "Stages");
    }

    /// <summary>The spec Discovery reads from the model's source, as the generator's Spec step holds it.</summary>
    private static ModelSpec Spec(string source)
    {
        var driver = GeneratorHarness.CreateDriver().RunGenerators(GeneratorHarness.Compile(source));
        var steps = driver.GetRunResult().Results.Single().TrackedSteps[GraphGenerator.Steps.Spec];
        return steps.SelectMany(s => s.Outputs).Select(o => o.Value).OfType<ModelSpec>().Single();
    }
}
