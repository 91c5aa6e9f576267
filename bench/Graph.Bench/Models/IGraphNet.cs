using Graph.Runtime;

namespace Graph.Bench.Models;

/// <summary>What the bench needs of a compiled model outside the timed loops (the checks and the breakdown).</summary>
public interface IGraphNet
{
    /// <summary>The model's parameters: Weights01 [inputs, hidden] and Weights12 [hidden, outputs], row-major.</summary>
    ParameterSet<float> Parameters { get; }

    /// <summary>The generated loss and gradients (the training step without the update).</summary>
    float Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> y, int batch);

    /// <summary>The generated update from the gradients that <see cref="Backward"/> stored.</summary>
    void ApplyGradients(float learningRate);

    /// <summary>The generated training step.</summary>
    float TrainStep(ReadOnlySpan<float> x, ReadOnlySpan<float> y, float learningRate, int batch);

    /// <summary>The generated step profile: set, it times each step of the model's methods where it runs.</summary>
    StepProfile? Profile { get; set; }
}
