using System.Numerics;
using Graph.Runtime;

namespace Graph.Samples.Chapter05;

/// <summary>
/// What the three-input learners of E5.1 and E5.2 share; each compiled model implements it with its generated
/// methods, so one loop prints both.
/// </summary>
public interface IThreeInputLearner<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    ParameterSet<T> Parameters { get; }

    T Predict(ReadOnlySpan<T> input);

    T Error(ReadOnlySpan<T> input, ReadOnlySpan<T> goal);

    T Delta(ReadOnlySpan<T> input, ReadOnlySpan<T> goal);

    T Backward(ReadOnlySpan<T> input, ReadOnlySpan<T> goal, int batch = 1);

    void ApplyGradients(T learningRate);
}

// The compiled models implement the interface with their generated members. The binding lives here, not in the
// model files, so that each model file compiles on its own (the generator snapshot tests compile one file).
public partial class MultiInputLearner<T> : IThreeInputLearner<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
}

public partial class FrozenWeightLearner<T> : IThreeInputLearner<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
}
