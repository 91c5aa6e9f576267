using Graph;

namespace Graph.Samples.Chapter12;

/// <summary>
/// E12.2, matrices that change absolutely nothing: a vector times the identity matrix is the vector, so a sentence
/// vector built as <c>(this·I + movie)·I + rocks</c> is the plain sum of its word vectors.
/// </summary>
[Model(typeof(double))]
public partial class IdentityNetwork
{
    /// <summary>The book's <c>identity = np.eye(3)</c>.</summary>
    [Param(3, 3), InitIdentity]
    public partial Tensor Identity { get; }

    /// <summary><c>vector.dot(identity)</c>.</summary>
    [Forward]
    public Tensor Product([Shape(3)] Tensor vector) => vector.Dot(Identity);

    /// <summary><c>this + movie + rocks</c>: the sentence as the sum of its word vectors.</summary>
    [Forward]
    public Tensor WordSum([Shape(3)] Tensor first, [Shape(3)] Tensor second, [Shape(3)] Tensor third) => first + second + third;

    /// <summary><c>(this.dot(identity) + movie).dot(identity) + rocks</c>: the same sum with an identity step between words.</summary>
    [Forward]
    public Tensor SentenceVector([Shape(3)] Tensor first, [Shape(3)] Tensor second, [Shape(3)] Tensor third) =>
        (first.Dot(Identity) + second).Dot(Identity) + third;
}
