using BenchmarkDotNet.Attributes;
using Graph.Bench.Data;
using Graph.Bench.Models;
using Graph.Bench.Naive;
using Graph.Bench.Torch;
using Graph.Runtime;

namespace Graph.Bench.Benchmarks;

/// <summary>
/// One training step of a network three ways: the Graph-generated <c>TrainStep</c> (each derived class calls its
/// concrete model directly, the baseline), TorchSharp autograd and the naive loops. All three start from the same
/// weights (Graph's initialisation) and step through the same records.
/// </summary>
public abstract class NetworkBenchmark
{
    /// <summary>A fresh instance of each of the four networks' benchmarks, N1 to N4, not yet set up.</summary>
    public static NetworkBenchmark[] All() => [new N1Streetlights(), new N2MnistRelu(), new N3MnistDropout(), new N4MnistTanhSoftmax()];

    private NaiveMlp naive = null!;
    private TorchTrainer? torchTrainer;
    private int naiveNext;

    /// <summary>The network.</summary>
    public abstract NetworkSpec Spec { get; }

    /// <summary>The records.</summary>
    protected BenchData Data { get; private set; } = null!;

    /// <summary>How many steps make one pass over <see cref="Data"/>.</summary>
    protected int Steps { get; private set; }

    /// <summary>The Graph model the benchmark times, once set up.</summary>
    public IGraphNet GraphModel { get; private set; } = null!;

    /// <summary>Creates the Graph model, drawing its initial weights from <paramref name="random"/>.</summary>
    public abstract IGraphNet CreateGraph(NumpyRandom random);

    /// <summary>Keeps the model the Graph benchmark times.</summary>
    protected abstract void UseGraph(IGraphNet model);

    /// <summary>
    /// The generated TrainStep, called on the concrete model type (each derived class), the baseline. The breakdown
    /// times this same method, because the step reached through <see cref="IGraphNet"/> instead was measured to run
    /// its update loops slower (see docs/performance.md).
    /// </summary>
    public abstract float GraphStep();

    /// <summary>Builds the three implementations.</summary>
    [GlobalSetup]
    public void Setup()
    {
        Data = BenchData.ForSpec(Spec);
        Steps = Data.Records / Spec.Batch;
        IGraphNet graph = CreateGraph(NumpyRandom.FromSeed(Spec.Seed));
        UseGraph(graph);
        GraphModel = graph;
        float[] weights01 = graph.Parameters[0].Value.ToArray();
        float[] weights12 = graph.Parameters[1].Value.ToArray();

        // The naive network's dropout draws from a generator in the state Graph's is in after initialisation.
        var random = NumpyRandom.FromSeed(Spec.Seed);
        _ = CreateGraph(random);
        naive = new NaiveMlp(Spec, weights01, weights12, random);
        torchTrainer = TorchRuntime.IsAvailable ? new TorchTrainer(Spec, Data, weights01, weights12) : null;
    }

    /// <summary>Releases TorchSharp's tensors.</summary>
    [GlobalCleanup]
    public void Cleanup() => torchTrainer?.Dispose();

    /// <summary>TorchSharp: zero_grad, forward, loss, backward, SGD step, in a dispose scope.</summary>
    [Benchmark(Description = "TorchSharp")]
    public void TorchSharpStep() => torchTrainer!.Step();

    /// <summary>The naive loops.</summary>
    [Benchmark(Description = "naive")]
    public float NaiveStep()
    {
        int first = naiveNext * Spec.Batch;
        naiveNext = naiveNext + 1 == Steps ? 0 : naiveNext + 1;
        return naive.TrainStep(Data.InputBatch(first, Spec.Batch), Data.TargetBatch(first, Spec.Batch));
    }
}

/// <summary>N1: streetlights 3-4-1 relu, batch 1.</summary>
public class N1Streetlights : NetworkBenchmark
{
    private readonly float learningRate = NetworkSpec.N1.LearningRate;
    private StreetlightsNet graph = null!;
    private int next;

    /// <inheritdoc/>
    public override NetworkSpec Spec => NetworkSpec.N1;

    /// <inheritdoc/>
    public override IGraphNet CreateGraph(NumpyRandom random) => new StreetlightsNet(random, Spec.Hidden);

    /// <inheritdoc/>
    protected override void UseGraph(IGraphNet model) => graph = (StreetlightsNet)model;

    /// <inheritdoc/>
    [Benchmark(Baseline = true, Description = "Graph")]
    public override float GraphStep()
    {
        int i = next;
        next = next + 1 == Steps ? 0 : next + 1;
        return graph.TrainStep(Data.InputBatch(i, 1), Data.TargetBatch(i, 1), learningRate, 1);
    }
}

/// <summary>N2: MNIST 784-40-10 relu, batch 1.</summary>
public class N2MnistRelu : NetworkBenchmark
{
    private readonly float learningRate = NetworkSpec.N2.LearningRate;
    private MnistReluNet graph = null!;
    private int next;

    /// <inheritdoc/>
    public override NetworkSpec Spec => NetworkSpec.N2;

    /// <inheritdoc/>
    public override IGraphNet CreateGraph(NumpyRandom random) => new MnistReluNet(random, Spec.Hidden);

    /// <inheritdoc/>
    protected override void UseGraph(IGraphNet model) => graph = (MnistReluNet)model;

    /// <inheritdoc/>
    [Benchmark(Baseline = true, Description = "Graph")]
    public override float GraphStep()
    {
        int i = next;
        next = next + 1 == Steps ? 0 : next + 1;
        return graph.TrainStep(Data.InputBatch(i, 1), Data.TargetBatch(i, 1), learningRate, 1);
    }
}

/// <summary>N3: MNIST 784-100-10 relu + dropout, batch 100.</summary>
public class N3MnistDropout : NetworkBenchmark
{
    private readonly float learningRate = NetworkSpec.N3.LearningRate;
    private MnistDropoutNet graph = null!;

    /// <inheritdoc/>
    public override NetworkSpec Spec => NetworkSpec.N3;

    /// <inheritdoc/>
    public override IGraphNet CreateGraph(NumpyRandom random) => new MnistDropoutNet(random, Spec.Hidden);

    /// <inheritdoc/>
    protected override void UseGraph(IGraphNet model) => graph = (MnistDropoutNet)model;

    /// <inheritdoc/>
    [Benchmark(Baseline = true, Description = "Graph")]
    public override float GraphStep() => graph.TrainStep(Data.InputBatch(0, 100), Data.TargetBatch(0, 100), learningRate, 100);
}

/// <summary>N4: MNIST 784-100-10 tanh + dropout + softmax cross-entropy, batch 100.</summary>
public class N4MnistTanhSoftmax : NetworkBenchmark
{
    private readonly float learningRate = NetworkSpec.N4.LearningRate;
    private MnistTanhSoftmaxNet graph = null!;

    /// <inheritdoc/>
    public override NetworkSpec Spec => NetworkSpec.N4;

    /// <inheritdoc/>
    public override IGraphNet CreateGraph(NumpyRandom random) => new MnistTanhSoftmaxNet(random, Spec.Hidden);

    /// <inheritdoc/>
    protected override void UseGraph(IGraphNet model) => graph = (MnistTanhSoftmaxNet)model;

    /// <inheritdoc/>
    [Benchmark(Baseline = true, Description = "Graph")]
    public override float GraphStep() => graph.TrainStep(Data.InputBatch(0, 100), Data.TargetBatch(0, 100), learningRate, 100);
}
