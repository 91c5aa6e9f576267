using System.Numerics;
using Graph.Runtime;

namespace Graph.Samples.Chapter13;

/// <summary>
/// The random draws the book's chapter 13 framework makes while it builds a network, in its order, so that the
/// compiled models start from the book's initial weights.
/// </summary>
/// <remarks>
/// <para>Every book <c>Tensor</c> created without an explicit id runs <c>self.id = np.random.randint(0,100000)</c> in
/// its constructor, on numpy's global generator, the one that also draws the weights. So the data and target
/// tensors created after <c>np.random.seed(0)</c> each take one draw before any weight is drawn, and each weight
/// tensor takes one more draw after its values (<c>Tensor(np.random.rand(2,3))</c> evaluates <c>rand</c> first).
/// Leaving these draws out (giving ids from a counter) turns the first loss of the book's autograd network from
/// <c>[0.58128304]</c> into <c>[5.06643999]</c>. Only the draws made before the last weight matter: the tensors
/// created while training draw ids too, but nothing random is drawn after them.</para>
/// <para><c>randint(0,100000)</c> masks 32-bit outputs with 2^17 - 1 and rejects values above 99999; <c>randn</c>
/// keeps its second normal deviate across those draws (see <see cref="NumpyRandom.StandardNormal()"/>).</para>
/// </remarks>
public sealed class BookFrameworkRandom
{
    /// <summary>Chapter 13's Tensor ids are drawn from [0, IdLimit).</summary>
    public const long IdLimit = 100000;

    /// <summary>The copies of the framework in chapters 14 and 15 draw their ids from [0, LaterIdLimit).</summary>
    public const long LaterIdLimit = 1000000000;

    private readonly NumpyRandom random;

    private readonly long idLimit;

    /// <summary>After <c>np.random.seed(seed)</c>, with ids drawn from [0, <paramref name="idLimit"/>).</summary>
    public BookFrameworkRandom(int seed, long idLimit = IdLimit)
    {
        random = NumpyRandom.FromSeed(seed);
        this.idLimit = idLimit;
    }

    /// <summary>A book <c>Tensor</c> made without an id (data, targets, zero biases): its id's draw.</summary>
    public void Tensor() => random.RandInt(0, idLimit);

    /// <summary><c>np.random.rand(rows, columns)</c> as a plain numpy array (no Tensor, no id), row-major.</summary>
    public double[] Rand(int rows, int columns)
    {
        var values = new double[rows * columns];
        random.RandomSample(values);
        return values;
    }

    /// <summary><c>Tensor(np.random.rand(rows, columns), autograd=True)</c>: the values (row-major), then the id.</summary>
    public double[] RandTensor(int rows, int columns)
    {
        var values = Rand(rows, columns);
        Tensor();
        return values;
    }

    /// <summary>
    /// The book's <c>Linear(inputs, outputs)</c>: <c>weight = Tensor(np.random.randn(inputs, outputs) *
    /// np.sqrt(2.0/inputs))</c>, then <c>bias = Tensor(np.zeros(outputs))</c>, each tensor drawing its id.
    /// </summary>
    public (double[] Weight, double[] Bias) Linear(int inputs, int outputs)
    {
        var weight = LinearWeight(inputs, outputs);
        var bias = new double[outputs];
        Tensor();
        return (weight, bias);
    }

    /// <summary>The weight of a <c>Linear(inputs, outputs, bias=False)</c>: <c>randn(inputs, outputs) · sqrt(2/inputs)</c> and its id.</summary>
    public double[] LinearWeight(int inputs, int outputs)
    {
        var weight = new double[inputs * outputs];
        random.StandardNormal(weight);
        double scale = Math.Sqrt(2.0 / inputs);
        for (int i = 0; i < weight.Length; i++)
        {
            weight[i] *= scale;
        }

        Tensor();
        return weight;
    }

    /// <summary>The book's <c>Embedding(vocab, dim)</c>: <c>Tensor((np.random.rand(vocab, dim) - 0.5) / dim)</c> and its id.</summary>
    public double[] Embedding(int vocab, int dim)
    {
        var weight = Rand(vocab, dim);
        for (int i = 0; i < weight.Length; i++)
        {
            weight[i] = (weight[i] - 0.5) / dim;
        }

        Tensor();
        return weight;
    }

    /// <summary>Copies initial values drawn here into a compiled model's parameter, in its element type.</summary>
    public static void Load<T>(Parameter<T> parameter, double[] values)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(parameter);
        ArgumentNullException.ThrowIfNull(values);
        parameter.CopyFrom(values.Select(T.CreateChecked).ToArray());
    }
}
