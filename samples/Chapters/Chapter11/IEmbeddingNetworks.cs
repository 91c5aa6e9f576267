using System.Numerics;
using Graph.Runtime;

namespace Graph.Samples.Chapter11
{
    /// <summary>What the sentiment examples need of a compiled network: its training step, prediction and embedding.</summary>
    public interface ISentimentNetwork<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int Hidden { get; }

        ParameterSet<T> Parameters { get; }

        T TrainStep(ReadOnlySpan<int> review, ReadOnlySpan<T> label, T learningRate);

        T Backward(ReadOnlySpan<int> review, ReadOnlySpan<T> label);

        void ApplyGradients(T learningRate);

        T Predict(ReadOnlySpan<int> review);
    }

    /// <summary>What the fill-in-the-blank examples need of a compiled network: its training step and embedding.</summary>
    public interface IFillBlankNetwork<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int Hidden { get; }

        ParameterSet<T> Parameters { get; }

        T TrainStep(ReadOnlySpan<int> context, ReadOnlySpan<int> targets, ReadOnlySpan<T> labels, T learningRate);
    }

    // The generated members implement the interfaces; the binding is kept out of the model files, which compile alone.
    public partial class SentimentNetwork<T> : ISentimentNetwork<T>
        where T : unmanaged, IFloatingPointIeee754<T>;

    public partial class SentimentBookDeltaNetwork<T> : ISentimentNetwork<T>
        where T : unmanaged, IFloatingPointIeee754<T>;

    public partial class FillBlankNetwork<T> : IFillBlankNetwork<T>
        where T : unmanaged, IFloatingPointIeee754<T>;

    public partial class FillBlankBookDeltaNetwork<T> : IFillBlankNetwork<T>
        where T : unmanaged, IFloatingPointIeee754<T>;
}
