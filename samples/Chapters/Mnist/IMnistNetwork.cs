using System.Numerics;
using Graph.Runtime;
using Graph.Samples.Mnist;

namespace Graph.Samples.Mnist
{
    /// <summary>
    /// What the MNIST examples need of a compiled network: its generated training step (which hands back the
    /// predictions of its forward pass, the loss's <c>Prediction</c>) and batched prediction, and for training across
    /// ranks its Backward, ApplyGradients, parameters and random stream (the dropout masks).
    /// </summary>
    public interface IMnistNetwork<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ParameterSet<T> Parameters { get; }

        NumpyRandom Random { get; }

        T TrainStep(ReadOnlySpan<T> image, ReadOnlySpan<T> label, T learningRate, int batch = 1);

        T TrainStep(ReadOnlySpan<T> image, ReadOnlySpan<T> label, T learningRate, Span<T> predictions, int batch = 1);

        T Backward(ReadOnlySpan<T> image, ReadOnlySpan<T> label, int batch = 1);

        T Backward(ReadOnlySpan<T> image, ReadOnlySpan<T> label, Span<T> predictions, int batch = 1);

        void ApplyGradients(T learningRate);

        void Predict(ReadOnlySpan<T> image, Span<T> output, int batch = 1);

        void Save(string path);

        void Load(string path);
    }
}

// The generated members implement the interface; the binding is kept out of the model files, which compile alone.
namespace Graph.Samples.Chapter08
{
    public partial class MnistReluNetwork<T> : IMnistNetwork<T>
        where T : unmanaged, IFloatingPointIeee754<T>;

    public partial class MnistReluBookDeltaNetwork<T> : IMnistNetwork<T>
        where T : unmanaged, IFloatingPointIeee754<T>;

    public partial class MnistDropoutNetwork<T> : IMnistNetwork<T>
        where T : unmanaged, IFloatingPointIeee754<T>;

    public partial class MnistDropoutBookDeltaNetwork<T> : IMnistNetwork<T>
        where T : unmanaged, IFloatingPointIeee754<T>;
}

namespace Graph.Samples.Chapter09
{
    public partial class MnistTanhSoftmaxNetwork<T> : IMnistNetwork<T>
        where T : unmanaged, IFloatingPointIeee754<T>;
}

namespace Graph.Samples.Chapter10
{
    public partial class MnistConvolutionNetwork<T> : IMnistNetwork<T>
        where T : unmanaged, IFloatingPointIeee754<T>;

    public partial class MnistConvolutionBookDeltaNetwork<T> : IMnistNetwork<T>
        where T : unmanaged, IFloatingPointIeee754<T>;
}
