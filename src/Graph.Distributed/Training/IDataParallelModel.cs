using System.Numerics;
using Graph.Runtime;

namespace Graph.Distributed.Training;

/// <summary>
/// What <see cref="DataParallelTrainer{T}"/> needs of a compiled model bound to its training data: the generated
/// <c>Backward</c> over a run of samples, the parameters it fills and the generated <c>ApplyGradients</c>.
/// </summary>
public interface IDataParallelModel<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The model's parameters: values, the gradients <see cref="Backward"/> stores, the touched rows of row-sparse ones.</summary>
    ParameterSet<T> Parameters { get; }

    /// <summary>
    /// The generated <c>Backward</c> over training samples <paramref name="first"/> to <paramref name="first"/> +
    /// <paramref name="count"/> - 1: returns their loss (the mean or the sum, as the model's <c>[Loss]</c> declares) and
    /// stores its gradient in <see cref="Parameters"/>.
    /// </summary>
    T Backward(int first, int count);

    /// <summary>The generated <c>ApplyGradients</c>: every trainable value minus the learning rate times its stored gradient.</summary>
    void ApplyGradients(T learningRate);

    /// <summary>
    /// Moves the model's random stream past what <see cref="Backward"/> would draw for <paramref name="samples"/>
    /// samples (dropout masks), so that each rank draws the masks of its own samples, as one process training the
    /// whole batch would. Models that draw nothing while training keep the default, which does nothing.
    /// </summary>
    void SkipRandomDraws(int samples)
    {
    }
}
