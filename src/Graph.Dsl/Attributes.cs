namespace Graph;

/// <summary>
/// Marks a partial class as a model. Graph's source generator compiles its [Forward] and [Loss]
/// methods into batched inference, backward and training-step code in the same class.
/// </summary>
/// <remarks>The element type is <see cref="float"/> unless another is given: <c>[Model(typeof(double))]</c>.</remarks>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class ModelAttribute : Attribute
{
    public ModelAttribute() => ElementType = typeof(float);

    public ModelAttribute(Type elementType) => ElementType = elementType;

    /// <summary>The element type of every parameter, input and buffer: float or double.</summary>
    public Type ElementType { get; }

    /// <summary>
    /// The generator the model's dropout masks are drawn from: numpy's stream by default (the book's masks),
    /// <c>[Model(DropoutRandom = DropoutRandom.Philox)]</c> for the counter-based Philox4x32-10.
    /// </summary>
    public DropoutRandom DropoutRandom { get; set; }

    /// <summary>
    /// Whether the generated code writes every loop out step by step, as a loop written by hand would be
    /// (<c>[Model(UnrollLoops = true)]</c>), instead of keeping a long loop a <c>for</c> loop. Both compute the same
    /// numbers; an unrolled loop's code grows with its steps.
    /// </summary>
    public bool UnrollLoops { get; set; }

    /// <summary>
    /// Whether every sum a kept loop forms over its steps adds the steps' terms one step at a time, as the unrolled
    /// loop adds them (<c>[Model(ExactLoopSums = true)]</c>), so the loop computes its unrolled form's numbers bit for
    /// bit. By default a weight's gradient summed over a loop's steps is one matrix product over the rows of every
    /// step, after the loop, which adds the same terms in another order (the results agree to rounding).
    /// </summary>
    public bool ExactLoopSums { get; set; }
}

/// <summary>The generator a model's dropout masks are drawn from (<see cref="ModelAttribute.DropoutRandom"/>).</summary>
public enum DropoutRandom
{
    /// <summary>
    /// numpy's legacy MT19937 stream, the model's <c>Random</c> (one <c>randint(2)</c> per element at rate 0.5, as the
    /// book draws its masks): runs reproduce the book's, and the mask is drawn on one thread.
    /// </summary>
    Numpy,

    /// <summary>
    /// Philox4x32-10, the counter-based generator JAX and PyTorch use, as the model's <c>DropoutGenerator</c>: its key is
    /// drawn from the model's numpy generator after the initial values (which stay the book's), and any stretch of its
    /// stream can be computed on its own, so the mask splits across threads with the same bits for any thread count.
    /// The masks differ from the book's.
    /// </summary>
    Philox,
}

/// <summary>
/// Declares a partial <see cref="Tensor"/> property as a trainable parameter with a fixed shape. A dimension is a
/// positive integer or the name of a size the model declares with <see cref="SizeAttribute"/>:
/// <c>[Param(784, "Hidden")]</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
public sealed class ParamAttribute : Attribute
{
    /// <summary>A parameter whose shape is missing (reported by the generator as GRAPH002).</summary>
    public ParamAttribute() => Shape = [];

    public ParamAttribute(params int[] shape) => Shape = shape.Cast<object>().ToArray();

    public ParamAttribute(params object[] shape) => Shape = shape;

    /// <summary>The dimensions: integers, or names of sizes.</summary>
    public object[] Shape { get; }
}

/// <summary>
/// Declares a named size, such as a hidden layer's width, with its default. Shapes may use the name in place of a
/// number; the generated constructors take the size as an argument (<c>new Net(seed, hidden: 100)</c>), so it is
/// fixed for the life of each model object while every shape is still checked when the model is compiled.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false, AllowMultiple = true)]
public sealed class SizeAttribute : Attribute
{
    public SizeAttribute(string name, int defaultValue)
    {
        Name = name;
        DefaultValue = defaultValue;
    }

    /// <summary>The size's name, a C# identifier; the model gets a property of that name.</summary>
    public string Name { get; }

    /// <summary>The size when the constructor is not given one.</summary>
    public int DefaultValue { get; }
}

/// <summary>
/// Initialises a parameter with <c>(high - low) * r + low</c> for each element, where r is the model's
/// numpy-compatible generator's next <c>random_sample()</c> (row-major order). <c>InitUniform(-1, 1)</c>
/// reproduces numpy's <c>2 * np.random.random(shape) - 1</c> bit for bit.
/// </summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
public sealed class InitUniformAttribute : Attribute
{
    public InitUniformAttribute(double low, double high)
    {
        Low = low;
        High = high;
    }

    public double Low { get; }

    public double High { get; }
}

/// <summary>Initialises a parameter with the given values, row-major; the count must equal the parameter's size.</summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
public sealed class InitValuesAttribute : Attribute
{
    public InitValuesAttribute(params double[] values) => Values = values;

    public double[] Values { get; }
}

/// <summary>Initialises every element of a parameter to zero.</summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
public sealed class InitZerosAttribute : Attribute
{
}

/// <summary>
/// Initialises a square matrix parameter <c>[n, n]</c> to the identity matrix, numpy's <c>np.eye(n)</c>: ones on the
/// diagonal, zeros elsewhere. It draws no random numbers. On any other shape it is the compile error GRAPH030.
/// </summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
public sealed class InitIdentityAttribute : Attribute
{
}

/// <summary>
/// Excludes a parameter, or some of its elements, from training. With no arguments the whole parameter is
/// frozen; otherwise the listed row-major element indices are. Frozen elements get a zero gradient and are
/// never changed by a training step.
/// </summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
public sealed class FrozenAttribute : Attribute
{
    public FrozenAttribute(params int[] elements) => Elements = elements;

    /// <summary>Row-major indices of the frozen elements; empty means every element.</summary>
    public int[] Elements { get; }
}

/// <summary>
/// Marks a method whose body the generator compiles into a batched inference method of the same name
/// (<c>Predict(ReadOnlySpan&lt;T&gt; input, Span&lt;T&gt; output, int batch = 1)</c>). A model may have several.
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class ForwardAttribute : Attribute
{
}

/// <summary>How a per-sample loss is combined over a batch.</summary>
public enum Reduction
{
    /// <summary>The batch loss is the mean of the per-sample losses.</summary>
    Mean,

    /// <summary>The batch loss is the sum of the per-sample losses.</summary>
    Sum,
}

/// <summary>
/// Marks the method that computes the per-sample loss (a scalar). The generator differentiates it and emits
/// <c>Backward</c> and <c>TrainStep</c>; the batch loss is the mean of the per-sample losses unless
/// <see cref="Reduction"/> says otherwise.
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class LossAttribute : Attribute
{
    public Reduction Reduction { get; set; } = Reduction.Mean;
}

/// <summary>
/// Gives the per-sample shape of a tensor argument of a [Forward] or [Loss] method; a dimension is a positive
/// integer or the name of a size the model declares.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter, Inherited = false)]
public sealed class ShapeAttribute : Attribute
{
    /// <summary>A scalar per sample.</summary>
    public ShapeAttribute() => Dims = [];

    public ShapeAttribute(params int[] dims) => Dims = dims.Cast<object>().ToArray();

    public ShapeAttribute(params object[] dims) => Dims = dims;

    /// <summary>The dimensions: integers, or names of sizes.</summary>
    public object[] Dims { get; }
}
