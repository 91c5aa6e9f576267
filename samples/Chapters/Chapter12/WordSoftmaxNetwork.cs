using Graph;
using static Graph.Ops;

namespace Graph.Samples.Chapter12;

/// <summary>
/// E12.3, forward propagation in Python: the sentence "red socks defeat" embedded with identity steps between its
/// words, then a softmax over the nine words of the vocabulary. The book's word vectors are all zero, so every word
/// gets 1/9 whatever <c>sent2output</c> holds.
/// </summary>
[Model(typeof(double))]
public partial class WordSoftmaxNetwork
{
    /// <summary>The book's transition matrix <c>identity = np.eye(3)</c>.</summary>
    [Param(3, 3), InitIdentity]
    public partial Tensor Identity { get; }

    /// <summary>The book's <c>sent2output = np.random.rand(3, len(word_vects))</c>.</summary>
    [Param(3, 9), InitUniform(0, 1)]
    public partial Tensor SentToOutput { get; }

    /// <summary>
    /// <c>softmax(((first·I + second)·I + third)·sent2output)</c> as a 1×9 matrix, the shape of the book's
    /// <c>np.atleast_2d</c> softmax.
    /// </summary>
    [Forward]
    public Tensor Predict([Shape(3)] Tensor first, [Shape(3)] Tensor second, [Shape(3)] Tensor third)
    {
        Tensor layer1 = first.Dot(Identity) + second;
        Tensor layer2 = layer1.Dot(Identity) + third;
        return Reshape(Softmax(layer2.Dot(SentToOutput)), 1, 9);
    }
}
