using System.Numerics;
using Graph.Runtime;

namespace Graph.Samples.Chapter14
{
    /// <summary>
    /// What the LSTM's training and text generation need of a compiled network: its training step on a batch, the state
    /// a batch ends in, and one step of generation.
    /// </summary>
    public interface ICharacterLstm<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int Vocab { get; }

        int Hidden { get; }

        ParameterSet<T> Parameters { get; }

        OptimizerState<T> OptimizerState { get; }

        T TrainStep(ReadOnlySpan<int> chars, ReadOnlySpan<int> targets, ReadOnlySpan<T> h0, ReadOnlySpan<T> c0, T learningRate, Span<T> predictions, int batch = 1);

        T TrainStep(ReadOnlySpan<int> chars, ReadOnlySpan<int> targets, ReadOnlySpan<T> h0, ReadOnlySpan<T> c0, Optimizer optimizer, Span<T> predictions, int batch = 1);

        void Save(string path);

        void Load(string path);

        void FinalState(ReadOnlySpan<int> chars, ReadOnlySpan<T> h0, ReadOnlySpan<T> c0, Span<T> output, int batch = 1);

        void StepState(ReadOnlySpan<int> chars, ReadOnlySpan<T> h0, ReadOnlySpan<T> c0, Span<T> output, int batch = 1);

        void StepLogits(ReadOnlySpan<T> h, Span<T> output, int batch = 1);
    }

    // The generated members implement the interface; the binding is kept out of the model files, which compile alone.
    public partial class ShakespeareLstm<T> : ICharacterLstm<T>
        where T : unmanaged, IFloatingPointIeee754<T>;

    public partial class BookGradientLstm<T> : ICharacterLstm<T>
        where T : unmanaged, IFloatingPointIeee754<T>;
}
