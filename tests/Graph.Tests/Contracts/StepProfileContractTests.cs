using System.Numerics;
using Graph.Runtime;
using Graph.Samples.Chapter08;
using Graph.Samples.Chapter09;
using Graph.Tests.Performance;
using Xunit;

namespace Graph.Tests.Contracts;

/// <summary>
/// A generated model's <c>Profile</c>: with a <see cref="StepProfile"/> set, each method records every step it runs,
/// under the layout the generator wrote, and computes exactly what it computes without one.
/// </summary>
public sealed class StepProfileContractTests
{
    private const int Batch = 8;

    private static (T[] Images, T[] Labels) Records<T>()
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new Random(3);
        var images = new T[Batch * 784];
        var labels = new T[Batch * 10];
        for (int i = 0; i < images.Length; i++)
        {
            images[i] = random.Next(3) == 0 ? T.Zero : T.CreateTruncating(random.NextDouble());
        }

        for (int s = 0; s < Batch; s++)
        {
            labels[(s * 10) + random.Next(10)] = T.One;
        }

        return (images, labels);
    }

    [Fact]
    public void ProfiledStepsComputeTheSameValuesInFloat() => ProfiledStepsComputeTheSameValues<float>();

    [Fact]
    public void ProfiledStepsComputeTheSameValuesInDouble() => ProfiledStepsComputeTheSameValues<double>();

    private static void ProfiledStepsComputeTheSameValues<T>()
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (images, labels) = Records<T>();
        var plain = new MnistTanhSoftmaxNetwork<T>(seed: 1, hidden: 20);
        var profiled = new MnistTanhSoftmaxNetwork<T>(seed: 1, hidden: 20) { Profile = new StepProfile() };
        T rate = T.CreateTruncating(0.01);
        for (int step = 0; step < 5; step++)
        {
            Assert.Equal(plain.TrainStep(images, labels, rate, Batch), profiled.TrainStep(images, labels, rate, Batch));
        }

        for (int p = 0; p < plain.Parameters.Count; p++)
        {
            Assert.True(plain.Parameters[p].Value.SequenceEqual(profiled.Parameters[p].Value), plain.Parameters[p].Name);
        }

        var expected = new T[Batch * 10];
        var actual = new T[Batch * 10];
        plain.Predict(images, expected, Batch);
        profiled.Predict(images, actual, Batch);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void EachMethodRecordsEveryStepEachTimeItRuns()
    {
        var (images, labels) = Records<float>();
        var profile = new StepProfile();
        var network = new MnistTanhSoftmaxNetwork<float>(seed: 1, hidden: 20) { Profile = profile };
        for (int step = 0; step < 5; step++)
        {
            network.TrainStep(images, labels, 0.01f, Batch);
        }

        network.Predict(images, new float[Batch * 10], Batch);
        network.Predict(images, new float[Batch * 10], Batch);

        var layout = Assert.IsType<StepLayout>(profile.Layout);
        Assert.Equal("MnistTanhSoftmaxNetwork", layout.Model);
        Assert.Equal(["Predict", "Loss", "Backward"], layout.Methods.Select(m => m.Name));
        var steps = profile.Steps;
        Assert.Equal(layout.Methods.Sum(m => m.Steps.Count), steps.Count);
        Assert.All(steps, s => Assert.StartsWith("%", s.Name, StringComparison.Ordinal));
        Assert.All(steps.Where(s => s.Method == "Backward"), s => Assert.Equal(5, s.Calls));
        Assert.All(steps.Where(s => s.Method == "Predict"), s => Assert.Equal(2, s.Calls));
        Assert.All(steps.Where(s => s.Method == "Loss"), s => Assert.Equal(0, s.Calls));
        Assert.Contains(steps, s => s.Method == "Backward" && s.Name.StartsWith("%", StringComparison.Ordinal) && s.Name.Contains("Tanh(image.Dot(Weights01))", StringComparison.Ordinal));
        Assert.Equal(1, steps.Where(s => s.Method == "Backward").Sum(s => s.Share), 9);

        network.Loss(images, labels, Batch);
        Assert.All(profile.Steps.Where(s => s.Method == "Loss"), s => Assert.Equal(1, s.Calls));

        network.Profile = null;
        network.TrainStep(images, labels, 0.01f, Batch);
        Assert.All(profile.Steps.Where(s => s.Method == "Backward"), s => Assert.Equal(5, s.Calls));
    }

    [Fact]
    public void AProfileTimesOneModelClass()
    {
        var profile = new StepProfile();
        _ = new MnistTanhSoftmaxNetwork<float>(seed: 1, hidden: 20) { Profile = profile };
        var other = new MnistDropoutNetwork<float>(seed: 1, hidden: 20);
        var error = Assert.Throws<InvalidOperationException>(() => other.Profile = profile);
        Assert.Contains("MnistTanhSoftmaxNetwork", error.Message, StringComparison.Ordinal);
        Assert.Null(other.Profile);
        var second = new MnistTanhSoftmaxNetwork<float>(seed: 2, hidden: 20) { Profile = profile };
        Assert.Same(profile, second.Profile);
    }

    [Fact]
    public void AProfiledStepAllocatesNothing()
    {
        var (images, labels) = Records<float>();
        var network = new MnistTanhSoftmaxNetwork<float>(seed: 1, hidden: 20) { Profile = new StepProfile() };
        ZeroAllocationTests.AssertNoAllocation(() => network.TrainStep(images, labels, 1e-6f, Batch));
    }
}
