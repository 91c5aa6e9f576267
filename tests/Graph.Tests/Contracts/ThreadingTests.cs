using System.Reflection;
using Graph.Runtime;
using Graph.Samples.Chapter08;
using Xunit;

namespace Graph.Tests.Contracts;

/// <summary>
/// A compiled model instance is for one thread at a time: instances trained on two threads at once end bit for bit
/// where the same runs end one after the other, and a second thread entering an instance in use is refused before it
/// reads or writes anything.
/// </summary>
public sealed class ThreadingTests
{
    private const int Steps = 40;
    private const int Batch = 8;

    [Fact]
    public void InstancesTrainedOnTwoThreadsEqualSequentialRuns()
    {
        var sequential = new[] { Train(new MnistDropoutNetwork<float>(1)), Train(new MnistDropoutNetwork<float>(2)) };

        var models = new[] { new MnistDropoutNetwork<float>(1), new MnistDropoutNetwork<float>(2) };
        using var start = new Barrier(2);
        var threads = models.Select(model => new Thread(() =>
        {
            start.SignalAndWait();
            Train(model);
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());

        for (int m = 0; m < models.Length; m++)
        {
            for (int p = 0; p < models[m].Parameters.Count; p++)
            {
                Assert.Equal(sequential[m].Parameters[p].Value, models[m].Parameters[p].Value);
            }
        }
    }

    [Fact]
    public void ASecondThreadInsideAnInstanceIsRefused()
    {
        var model = new MnistDropoutNetwork<float>(3);
        var use = (ExclusiveUse)typeof(MnistDropoutNetwork<float>).GetField("exclusiveUse", BindingFlags.NonPublic | BindingFlags.Instance)!.GetValue(model)!;
        var weights = model.Parameters[0].Value.ToArray();
        float[] images = new float[784];
        float[] labels = new float[10];
        labels[3] = 1;

        using var inside = new ManualResetEventSlim();
        using var leave = new ManualResetEventSlim();
        var holder = new Thread(() =>
        {
            using var lease = use.Enter();
            inside.Set();
            leave.Wait();
        });
        holder.Start();
        inside.Wait();
        try
        {
            var error = Assert.Throws<InvalidOperationException>(() => model.TrainStep(images, labels, 0.1f));
            Assert.Contains("This MnistDropoutNetwork is in use by another thread", error.Message, StringComparison.Ordinal);
            Assert.Throws<InvalidOperationException>(() => model.Predict(images, new float[10]));
            Assert.Throws<InvalidOperationException>(() => model.Save(Path.Combine(Path.GetTempPath(), "never-written.safetensors")));
            Assert.Equal(weights, model.Parameters[0].Value);
        }
        finally
        {
            leave.Set();
            holder.Join();
        }

        // Once the other thread has left, this one may use the instance, and re-enter it (one method calling another).
        model.TrainStep(images, labels, 0.1f);
        using (use.Enter())
        {
            model.Predict(images, new float[10]);
        }
    }

    private static MnistDropoutNetwork<float> Train(MnistDropoutNetwork<float> model)
    {
        var random = new NumpyRandom(11);
        var images = new float[Batch * 784];
        var labels = new float[Batch * 10];
        for (int i = 0; i < images.Length; i++)
        {
            images[i] = (float)random.RandomSample();
        }

        for (int s = 0; s < Batch; s++)
        {
            labels[(s * 10) + (s % 10)] = 1;
        }

        var adam = Optimizer.Adam(1e-3);
        for (int step = 0; step < Steps; step++)
        {
            model.TrainStep(images, labels, adam, Batch);
        }

        return model;
    }
}
