using System.Numerics;

namespace Graph.Samples.Mnist;

/// <summary>
/// How an MNIST example trains and scores its network: in this process (<see cref="LocalMnistTrainer{T}"/>), or
/// with each batch sharded over the ranks of an MPI job (<see cref="DataParallelMnistTrainer{T}"/>).
/// </summary>
public interface IMnistTrainer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>
    /// One pass over the first <paramref name="count"/> training images (all by default) in batches of
    /// <paramref name="batch"/>: each batch is trained with one step and scored on the predictions of that step's
    /// forward pass (under its dropout masks, before its update), as the book scores it; a last batch smaller than
    /// <paramref name="batch"/> is trained as it is.
    /// </summary>
    MnistScore<T> TrainEpoch(int batch, T learningRate, int? count = null);

    /// <summary>The network's score on the test images.</summary>
    MnistScore<T> Test();
}
