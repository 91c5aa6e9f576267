using System.Numerics;
using Graph.Samples.Chapter04;
using Graph.Samples.Chapter05;
using Graph.Samples.Chapter06;
using Graph.Samples.Chapter08;
using Graph.Samples.Chapter09;
using Graph.Samples.Chapter10;
using Graph.Samples.Chapter11;
using Graph.Runtime;
using Xunit;

namespace Graph.Tests.Performance;

/// <summary>
/// A training step allocates nothing once its buffers exist: 100 steps of every sample model, after warm-up steps
/// of the same batch size, leave the thread's allocation counter where it was (in at least one of a few windows,
/// since the counter itself is sometimes noisy; an allocating step moves it in every window).
/// </summary>
public sealed class ZeroAllocationTests
{
    /// <summary>How many windows of steps are measured before a model is said to allocate.</summary>
    private const int MeasuredWindows = 4;

    public delegate void Step();

    public static TheoryData<string, int> Models()
    {
        var data = new TheoryData<string, int>();
        foreach (string model in new[] { "SingleWeight", "MultiInputLearner", "FrozenWeightLearner", "MultiOutputLearner", "MultiInMultiOutLearner", "WalkStop", "Streetlights", "MnistRelu", "MnistReluBookDelta", "MnistDropout", "MnistDropoutBookDelta", "MnistTanhSoftmax", "MnistConvolution", "MnistConvolutionBookDelta" })
        {
            data.Add(model, 1);
            data.Add(model, 16);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void TrainStepAllocatesNothingInFloat(string model, int batch) => AssertNoAllocation(Create<float>(model, batch));

    [Theory]
    [MemberData(nameof(Models))]
    public void TrainStepAllocatesNothingInDouble(string model, int batch) => AssertNoAllocation(Create<double>(model, batch));

    private static readonly Dictionary<string, Optimizer> Optimizers = new()
    {
        ["nesterov"] = Optimizer.SgdWithMomentum(0.001, 0.9, nesterov: true),
        ["adam clipped, cosine"] = Optimizer.Adam(1e-4).ClipGradientNorm(1).WithSchedule(LearningRateSchedule.Cosine(1000)),
        ["adamw, step decay"] = Optimizer.AdamW(1e-4).WithSchedule(LearningRateSchedule.StepDecay(0.99, every: 7)),
    };

    public static TheoryData<string, string> OptimizerModels()
    {
        var data = new TheoryData<string, string>();
        foreach (string model in new[] { "FrozenWeightLearner", "MnistRelu", "MnistConvolution", "Sentiment" })
        {
            foreach (string optimizer in Optimizers.Keys)
            {
                data.Add(model, optimizer);
            }
        }

        return data;
    }

    /// <summary>
    /// A step by an optimizer: its state is allocated on the first step, then every step (the fused, the stored and the
    /// clipped paths, row-sparse rows stepped after the pass, the schedules) allocates nothing.
    /// </summary>
    [Theory]
    [MemberData(nameof(OptimizerModels))]
    public void TrainStepWithAnOptimizerAllocatesNothing(string model, string optimizer)
    {
        var settings = Optimizers[optimizer];
        const int batch = 16;
        if (model == "Sentiment")
        {
            var network = new SentimentNetwork<float>(1, vocab: 2000);
            var random = new Graph.Runtime.NumpyRandom(5);
            var reviews = Enumerable.Range(0, 37).Select(i => Enumerable.Range(0, 6 + (i % 50)).Select(_ => (int)random.RandInt(2000)).ToArray()).ToArray();
            float[][] labels = [[0f], [1f]];
            int next = 0;
            AssertNoAllocation(() =>
            {
                network.TrainStep(reviews[next % reviews.Length], labels[next % 2], settings);
                next++;
            });
            return;
        }

        AssertNoAllocation(model switch
        {
            "FrozenWeightLearner" => Bind(new FrozenWeightLearner<float>(), 3, 1, batch, settings, (m, x, y, o, b) => m.TrainStep(x, y, o, b)),
            "MnistRelu" => Bind(new MnistReluNetwork<float>(1), 784, 10, batch, settings, (m, x, y, o, b) => m.TrainStep(x, y, o, b)),
            "MnistConvolution" => Bind(new MnistConvolutionNetwork<float>(1), 729, 10, batch, settings, (m, x, y, o, b) => m.TrainStep(x, y, o, b)),
            _ => throw new ArgumentException($"No model {model}.", nameof(model)),
        });
    }

    /// <summary>The overloads that hand back a step's predictions copy them into the caller's span and allocate nothing either.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TrainStepWithPredictionsAllocatesNothing(bool adam)
    {
        const int batch = 16;
        var network = new MnistDropoutNetwork<float>(1);
        var images = new float[batch * 784];
        var labels = new float[batch * 10];
        var predictions = new float[batch * 10];
        for (int i = 0; i < images.Length; i++)
        {
            images[i] = (i % 7) / 7f;
        }

        for (int s = 0; s < batch; s++)
        {
            labels[(s * 10) + (s % 10)] = 1;
        }

        var optimizer = Optimizer.Adam(1e-4);
        AssertNoAllocation(adam
            ? () => network.TrainStep(images, labels, optimizer, predictions, batch)
            : () => network.TrainStep(images, labels, 0.001f, predictions, batch));
    }

    /// <summary>The chapter 11 models, which take one review (or one blank) per call.</summary>
    public static TheoryData<string> IndexModels() => new("Sentiment", "SentimentBookDelta", "FillBlank", "FillBlankBookDelta");

    [Theory]
    [MemberData(nameof(IndexModels))]
    public void IndexTrainStepAllocatesNothingInFloat(string model) => AssertNoAllocation(CreateIndexModel<float>(model));

    [Theory]
    [MemberData(nameof(IndexModels))]
    public void IndexTrainStepAllocatesNothingInDouble(string model) => AssertNoAllocation(CreateIndexModel<double>(model));

    /// <summary>
    /// A recurrent network unrolled over 3 steps, one word per step picked into an index buffer, over sentences
    /// with and without padding.
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(16)]
    public void RecurrentTrainStepAllocatesNothing(int batch)
    {
        var model = new Graph.Tests.Snapshots.Models.RecurrentSnapshotNetwork(1);
        var random = new Graph.Runtime.NumpyRandom(3);
        var sentences = Enumerable.Range(0, 5).Select(i => Enumerable.Range(0, 3 * batch)
            .Select(position => position % 3 >= 3 - (i % 3) ? -1 : (int)random.RandInt(9)).ToArray()).ToArray();
        int next = 0;
        AssertNoAllocation(() =>
        {
            model.TrainStep(sentences[next % sentences.Length], 0.01, batch);
            next++;
        });
    }

    /// <summary>Steps over reviews of different lengths and words, so that the row lists see new rows after warm-up.</summary>
    private static Step CreateIndexModel<T>(string model)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T rate = T.CreateTruncating(0.01);
        var random = new Graph.Runtime.NumpyRandom(5);
        var reviews = Enumerable.Range(0, 37).Select(i => Enumerable.Range(0, 6 + (i % 50)).Select(_ => (int)random.RandInt(2000)).ToArray()).ToArray();
        int next = 0;
        ISentimentNetwork<T>? sentiment = model switch
        {
            "Sentiment" => new SentimentNetwork<T>(1, vocab: 2000),
            "SentimentBookDelta" => new SentimentBookDeltaNetwork<T>(1, vocab: 2000),
            _ => null,
        };
        IFillBlankNetwork<T>? fill = model switch
        {
            "FillBlank" => new FillBlankNetwork<T>(1, vocab: 2000),
            "FillBlankBookDelta" => new FillBlankBookDeltaNetwork<T>(1, vocab: 2000),
            _ => null,
        };
        switch (sentiment, fill)
        {
            case ({ } sentimentNetwork, null):
                T[][] labels = [[T.Zero], [T.One]];
                return () =>
                {
                    sentimentNetwork.TrainStep(reviews[next % reviews.Length], labels[next % 2], rate);
                    next++;
                };
            case (null, { } fillNetwork):
                T[] target = [T.One, T.Zero, T.Zero, T.Zero, T.Zero, T.Zero];
                return () =>
                {
                    var review = reviews[next % reviews.Length];
                    fillNetwork.TrainStep(review.AsSpan(0, 4), review.AsSpan(review.Length - 6), target, rate);
                    next++;
                };
            default:
                throw new ArgumentException($"No model {model}.", nameof(model));
        }
    }

    internal static void AssertNoAllocation(Step step)
    {
        // Warm-up: the first step grows the buffers for this batch size; the rest let the JIT finish compiling.
        for (int i = 0; i < 200; i++)
        {
            step();
        }

        // The thread's allocation counter occasionally moves by a few kilobytes without the measured code
        // allocating (the runtime's own tests of this counter tolerate the same). A step that allocates does so in
        // every window, so the model passes when one window of 100 steps is clean and fails when none is.
        var windows = new List<long>();
        for (int attempt = 0; attempt < MeasuredWindows; attempt++)
        {
            long allocated = AllocatedBy(step, 100);
            if (allocated == 0)
            {
                return;
            }

            windows.Add(allocated);
        }

        Assert.Fail($"Every window of 100 training steps allocated: {string.Join(", ", windows)} bytes.");
    }

    private static long AllocatedBy(Step step, int steps)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < steps; i++)
        {
            step();
        }

        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    private static Step Create<T>(string model, int batch)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T rate = T.CreateTruncating(0.001);
        return model switch
        {
            "SingleWeight" => Bind(new SingleWeightNetwork<T>(), 1, 1, batch, rate, (m, x, y, r, b) => m.TrainStep(x, y, r, b)),
            "MultiInputLearner" => Bind(new MultiInputLearner<T>(), 3, 1, batch, rate, (m, x, y, r, b) => m.TrainStep(x, y, r, b)),
            "FrozenWeightLearner" => Bind(new FrozenWeightLearner<T>(), 3, 1, batch, rate, (m, x, y, r, b) => m.TrainStep(x, y, r, b)),
            "MultiOutputLearner" => Bind(new MultiOutputLearner<T>(), 1, 3, batch, rate, (m, x, y, r, b) => m.TrainStep(x, y, r, b)),
            "MultiInMultiOutLearner" => Bind(new MultiInMultiOutLearner<T>(), 3, 3, batch, rate, (m, x, y, r, b) => m.TrainStep(x, y, r, b)),
            "WalkStop" => Bind(new WalkStopNetwork<T>(), 3, 1, batch, rate, (m, x, y, r, b) => m.TrainStep(x, y, r, b)),
            "Streetlights" => Bind(new StreetlightsNetwork<T>(1), 3, 1, batch, rate, (m, x, y, r, b) => m.TrainStep(x, y, r, b)),
            "MnistRelu" => Bind(new MnistReluNetwork<T>(1), 784, 10, batch, rate, (m, x, y, r, b) => m.TrainStep(x, y, r, b)),
            "MnistReluBookDelta" => Bind(new MnistReluBookDeltaNetwork<T>(1), 784, 10, batch, rate, (m, x, y, r, b) => m.TrainStep(x, y, r, b)),
            "MnistDropout" => Bind(new MnistDropoutNetwork<T>(1), 784, 10, batch, rate, (m, x, y, r, b) => m.TrainStep(x, y, r, b)),
            "MnistDropoutBookDelta" => Bind(new MnistDropoutBookDeltaNetwork<T>(1), 784, 10, batch, rate, (m, x, y, r, b) => m.TrainStep(x, y, r, b)),
            "MnistTanhSoftmax" => Bind(new MnistTanhSoftmaxNetwork<T>(1), 784, 10, batch, rate, (m, x, y, r, b) => m.TrainStep(x, y, r, b)),
            "MnistConvolution" => Bind(new MnistConvolutionNetwork<T>(1), 729, 10, batch, rate, (m, x, y, r, b) => m.TrainStep(x, y, r, b)),
            "MnistConvolutionBookDelta" => Bind(new MnistConvolutionBookDeltaNetwork<T>(1), 729, 10, batch, rate, (m, x, y, r, b) => m.TrainStep(x, y, r, b)),
            _ => throw new ArgumentException($"No model {model}.", nameof(model)),
        };
    }

    private delegate T TrainStep<TModel, T, TRate>(TModel model, ReadOnlySpan<T> x, ReadOnlySpan<T> y, TRate rate, int batch);

    private static Step Bind<TModel, T>(TModel model, int inputSize, int targetSize, int batch, T rate, TrainStep<TModel, T, T> step)
        where T : unmanaged, IFloatingPointIeee754<T> => Bind<TModel, T, T>(model, inputSize, targetSize, batch, rate, step);

    /// <summary>A float model stepped by an optimizer.</summary>
    private static Step Bind<TModel>(TModel model, int inputSize, int targetSize, int batch, Optimizer optimizer, TrainStep<TModel, float, Optimizer> step) =>
        Bind<TModel, float, Optimizer>(model, inputSize, targetSize, batch, optimizer, step);

    private static Step Bind<TModel, T, TRate>(TModel model, int inputSize, int targetSize, int batch, TRate rate, TrainStep<TModel, T, TRate> step)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new Graph.Runtime.NumpyRandom(3);
        var x = Enumerable.Range(0, inputSize * batch).Select(_ => T.CreateTruncating(random.RandomSample())).ToArray();

        // One-hot rows, so the cross-entropy targets are distributions.
        var y = new T[targetSize * batch];
        for (int s = 0; s < batch; s++)
        {
            y[(s * targetSize) + (s % targetSize)] = T.One;
        }

        return () => step(model, x, y, rate, batch);
    }
}
