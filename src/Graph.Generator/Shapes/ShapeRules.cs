using Graph.Generator.Diagnostics;

namespace Graph.Generator.Shapes;

/// <summary>
/// The shape rules that operations share (broadcasting, matrix products, images and windows, joins). Each op's own
/// rule (its <c>Infer</c>) calls them. Shapes are per sample; a value is either batched (one per sample) or shared by
/// the whole batch. A rule that fails throws <see cref="ShapeError"/> with the diagnostic to report.
/// </summary>
internal static class ShapeRules
{
    /// <summary>numpy broadcasting of two per-sample shapes (dimensions aligned from the right; 1 stretches).</summary>
    public static Shape Broadcast(string operation, Shape left, Shape right)
    {
        int rank = Math.Max(left.Rank, right.Rank);
        var dims = new Size[rank];
        for (int i = 0; i < rank; i++)
        {
            var l = AxisFromRight(left, rank - 1 - i);
            var r = AxisFromRight(right, rank - 1 - i);
            if (!l.Equals(r) && !l.IsOne && !r.IsOne)
            {
                throw new ShapeError(
                    DiagnosticDescriptors.ElementwiseShapeMismatch.Id,
                    operation,
                    left.ToString(),
                    right.ToString(),
                    $"axis {i}: {Dim(l)} vs {Dim(r)}");
            }

            dims[i] = l.IsOne ? r : l;
        }

        return new Shape(dims);
    }

    /// <summary>True when <paramref name="from"/> broadcasts to exactly <paramref name="to"/>.</summary>
    public static bool BroadcastsTo(Shape from, Shape to)
    {
        if (from.Rank > to.Rank)
        {
            return false;
        }

        for (int i = 0; i < from.Rank; i++)
        {
            var f = from[from.Rank - 1 - i];
            if (!f.IsOne && !f.Equals(to[to.Rank - 1 - i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The per-sample product op(A)·op(B) of two matrices.</summary>
    public static Shape MatMul(Shape a, Shape b, bool transposeA, bool transposeB)
    {
        if (a.Rank != 2 || b.Rank != 2)
        {
            throw new ShapeError(DiagnosticDescriptors.OperationShapeError.Id, "multiply matrices", $"{a} and {b}", "both operands must be matrices");
        }

        var m = transposeA ? a[1] : a[0];
        var ka = transposeA ? a[0] : a[1];
        var kb = transposeB ? b[1] : b[0];
        var n = transposeB ? b[0] : b[1];
        if (!ka.Equals(kb))
        {
            throw new ShapeError(DiagnosticDescriptors.DotShapeMismatch.Id, a.ToString(), b.ToString(), $"inner dimensions {Dim(ka)} and {Dim(kb)} differ");
        }

        return Shape.Of(m, n);
    }

    /// <summary>
    /// numpy's <c>dot</c> on vectors and matrices: how each operand is viewed as a matrix and the result's shape.
    /// </summary>
    public static DotPlan Dot(Shape a, Shape b)
    {
        if (a.Rank is 0 or > 2 || b.Rank is 0 or > 2)
        {
            throw new ShapeError(
                DiagnosticDescriptors.DotShapeMismatch.Id,
                a.ToString(),
                b.ToString(),
                "Dot takes vectors and matrices (rank 1 or 2); use * to scale by a scalar");
        }

        // A vector on the left is a row, on the right a column; the unit axis is dropped from the result.
        var left = a.Rank == 1 ? Shape.Of(Size.One, a[0]) : a;
        var right = b.Rank == 1 ? Shape.Of(b[0], Size.One) : b;
        if (!left[1].Equals(right[0]))
        {
            throw new ShapeError(DiagnosticDescriptors.DotShapeMismatch.Id, a.ToString(), b.ToString(), $"inner dimensions {Dim(left[1])} and {Dim(right[0])} differ");
        }

        var dims = new List<Size>();
        if (a.Rank == 2)
        {
            dims.Add(a[0]);
        }

        if (b.Rank == 2)
        {
            dims.Add(b[1]);
        }

        return new DotPlan(left, right, new Shape(dims));
    }

    /// <summary>The transpose of a matrix; as in numpy, transposing a vector or scalar leaves it unchanged.</summary>
    public static Shape Transpose(Shape a)
    {
        if (a.Rank > 2)
        {
            throw new ShapeError(DiagnosticDescriptors.OperationShapeError.Id, "transpose", a.ToString(), "only matrices (rank 2) can be transposed");
        }

        return a.Rank == 2 ? Shape.Of(a[1], a[0]) : a;
    }

    /// <summary>Checks a reduction of <paramref name="input"/> down to <paramref name="target"/>.</summary>
    public static void ReduceSum(Shape input, bool inputBatched, Shape target, bool targetBatched)
    {
        if (!BroadcastsTo(target, input) || (targetBatched && !inputBatched))
        {
            throw new ShapeError(DiagnosticDescriptors.OperationShapeError.Id, "sum", $"{input} down to {target}", "the target shape must broadcast back to the input");
        }
    }

    /// <summary>Checks a broadcast of <paramref name="input"/> up to <paramref name="target"/>.</summary>
    public static void Broadcast(Shape input, bool inputBatched, Shape target, bool targetBatched)
    {
        if (!BroadcastsTo(input, target) || (inputBatched && !targetBatched))
        {
            throw new ShapeError(DiagnosticDescriptors.OperationShapeError.Id, "broadcast", $"{input} to {target}", "the input must broadcast to the target shape");
        }
    }

    /// <summary>Checks that a reshape keeps the number of elements.</summary>
    public static void Reshape(Shape input, Shape target)
    {
        if (!input.Size.Equals(target.Size))
        {
            throw new ShapeError(DiagnosticDescriptors.OperationShapeError.Id, "reshape", $"{input} to {target}", $"{input.Size} elements cannot become {target.Size}");
        }
    }

    /// <summary>Checks a reshape the user asked for (Reshape, Flatten): the element count must stay the same.</summary>
    public static void UserReshape(Shape input, Shape target)
    {
        if (!input.Size.Equals(target.Size))
        {
            throw new ShapeError(DiagnosticDescriptors.ReshapeCountMismatch.Id, input.ToString(), target.ToString(), $"{input} holds {input.Size} elements per sample and {target} holds {target.Size}");
        }
    }

    /// <summary>
    /// Two values joined along their first axis: [m, ...] and [k, ...] give [m + k, ...]; every other axis must agree.
    /// </summary>
    public static Shape Concat(Shape first, Shape second)
    {
        if (first.Rank == 0 || second.Rank == 0)
        {
            throw new ShapeError(
                DiagnosticDescriptors.ConcatShapeMismatch.Id,
                first.ToString(),
                second.ToString(),
                "both must be vectors or higher (a scalar has no first axis to join along); Reshape a scalar to [1] first");
        }

        var rest = new Shape(first.Dims.Skip(1));
        var secondRest = new Shape(second.Dims.Skip(1));
        if (!rest.Equals(secondRest))
        {
            string expected = "[" + string.Join(",", new[] { "k" }.Concat(rest.Dims.Select(Dim))) + "]";
            throw new ShapeError(
                DiagnosticDescriptors.ConcatShapeMismatch.Id,
                first.ToString(),
                second.ToString(),
                $"every axis after the first must agree, so the second must be {expected} for some k, not {second}");
        }

        var joined = Size.Sum(first[0], second[0]) ?? throw new ShapeError(
            DiagnosticDescriptors.ConcatShapeMismatch.Id,
            first.ToString(),
            second.ToString(),
            $"the first axes {first[0]} and {second[0]} do not add up to one size known when the model is constructed (numbers, or multiples of the same named size, do)");
        return new Shape(new[] { joined }.Concat(rest.Dims));
    }

    /// <summary>Checks that <paramref name="shape"/>'s elements from <paramref name="offset"/> lie inside a sample of <paramref name="input"/>.</summary>
    public static void Slice(Shape input, Size offset, Shape shape)
    {
        bool inside = !offset.IsConstant || !input.Size.IsConstant || !shape.Size.IsConstant
            || (offset.Value >= 0 && offset.Value + shape.Size.Value <= input.Size.Value);
        if (!inside)
        {
            throw new ShapeError(DiagnosticDescriptors.OperationShapeError.Id, "slice", $"{shape} from element {offset} of {input}", "the part must lie inside the value");
        }
    }

    /// <summary>
    /// The convolution of an image [h, w] with kernels [kh, kw, count], or of an image [h, w, c] with kernels
    /// [kh, kw, c, count]: valid positions only, stride 1.
    /// </summary>
    public static ConvolutionPlan Convolution(Shape image, Shape kernels)
    {
        const string operation = "convolve";
        var (h, w, c) = Image(operation, image);
        int expectedRank = image.Rank + 1;
        if (kernels.Rank != expectedRank)
        {
            throw new ShapeError(
                DiagnosticDescriptors.WindowShapeError.Id,
                operation,
                $"{image} with kernels {kernels}",
                image.Rank == 2
                    ? "an image [height, width] takes kernels [kernelHeight, kernelWidth, count]"
                    : "an image [height, width, channels] takes kernels [kernelHeight, kernelWidth, channels, count]");
        }

        var dims = kernels.Dims.Select(d => Constant(operation, kernels, d)).ToArray();
        var window = new Window(dims[0], dims[1]);
        if (image.Rank == 3 && dims[2] != c)
        {
            throw new ShapeError(DiagnosticDescriptors.WindowShapeError.Id, operation, $"{image} with kernels {kernels}", $"the image has {c} channels but the kernels take {dims[2]}");
        }

        if (window.Height > h || window.Width > w)
        {
            throw new ShapeError(DiagnosticDescriptors.WindowShapeError.Id, operation, $"{image} with kernels {kernels}", $"the {window} kernel is larger than the {h}x{w} image");
        }

        return new ConvolutionPlan(window, h - window.Height + 1, w - window.Width + 1, window.Height * window.Width * c, dims[dims.Length - 1]);
    }

    /// <summary>The rows of the sliding windows of an image (see Im2Col).</summary>
    public static Shape Im2Col(Shape image, Window window)
    {
        var (h, w, c) = Image("take the windows of", image);
        if (window.Height < 1 || window.Width < 1 || window.Height > h || window.Width > w)
        {
            throw new ShapeError(DiagnosticDescriptors.WindowShapeError.Id, "take the windows of", image.ToString(), $"a {window} window does not fit the {h}x{w} image");
        }

        return Shape.Of((h - window.Height + 1) * (w - window.Width + 1), window.Height * window.Width * c);
    }

    /// <summary>Checks that <paramref name="columns"/> are the windows of an image of shape <paramref name="image"/>.</summary>
    public static void Col2Im(Shape columns, Shape image, Window window)
    {
        if (!Im2Col(image, window).Equals(columns))
        {
            throw new ShapeError(DiagnosticDescriptors.WindowShapeError.Id, "add back the windows", $"{columns} onto {image}", $"they are not the {window} windows of {image}");
        }
    }

    /// <summary>The sums of the non-overlapping windows of an image; the window must divide the image.</summary>
    public static Shape SumPool2d(Shape image, Window window)
    {
        const string operation = "pool";
        var (h, w, c) = Image(operation, image);
        if (window.Height < 1 || window.Width < 1 || h % window.Height != 0 || w % window.Width != 0)
        {
            throw new ShapeError(DiagnosticDescriptors.WindowShapeError.Id, operation, image.ToString(), $"a {window} window must divide the {h}x{w} image into whole windows");
        }

        var dims = new List<Size> { Size.Of(h / window.Height), Size.Of(w / window.Width) };
        if (image.Rank == 3)
        {
            dims.Add(Size.Of(c));
        }

        return new Shape(dims);
    }

    /// <summary>Checks that <paramref name="pooled"/> is the <see cref="SumPool2d"/> of an image of shape <paramref name="image"/>.</summary>
    public static void Upsample2d(Shape pooled, Shape image, Window window)
    {
        if (!SumPool2d(image, window).Equals(pooled))
        {
            throw new ShapeError(DiagnosticDescriptors.WindowShapeError.Id, "spread", $"{pooled} over {image}", $"it is not the {window} pooling of {image}");
        }
    }

    /// <summary>An image's height, width and channel count: [h, w] (one channel) or [h, w, c], all constant.</summary>
    public static (int Height, int Width, int Channels) Image(string operation, Shape image)
    {
        if (image.Rank is not (2 or 3))
        {
            throw new ShapeError(DiagnosticDescriptors.WindowShapeError.Id, operation, image.ToString(), "an image is [height, width] or [height, width, channels]");
        }

        return (Constant(operation, image, image[0]), Constant(operation, image, image[1]), image.Rank == 3 ? Constant(operation, image, image[2]) : 1);
    }

    private static int Constant(string operation, Shape shape, Size size) => size.IsConstant
        ? size.Value
        : throw new ShapeError(DiagnosticDescriptors.WindowShapeError.Id, operation, shape.ToString(), $"its dimensions must be numbers, not the named size {size}");

    /// <summary>Checks an operation that works along the last axis of a vector or matrix (softmax, argmax).</summary>
    public static void AlongLastAxis(string operation, Shape input)
    {
        if (input.Rank == 0)
        {
            throw new ShapeError(DiagnosticDescriptors.OperationShapeError.Id, operation, input.ToString(), "it works along the last axis of a vector or matrix, not on a scalar");
        }
    }

    /// <summary>The target of a softmax cross-entropy: a distribution of the logits' shape, or one class index.</summary>
    public static bool TargetIsClassIndex(Shape logits, Shape target)
    {
        AlongLastAxis("take the softmax cross-entropy of", logits);
        if (target.Equals(logits))
        {
            return false;
        }

        if (logits.Rank == 1 && target.Size.IsOne)
        {
            return true;
        }

        throw new ShapeError(
            DiagnosticDescriptors.ElementwiseShapeMismatch.Id,
            "SoftmaxCrossEntropy",
            logits.ToString(),
            target.ToString(),
            $"the target must be a distribution of shape {logits} or, for a vector of logits, one class index of shape [1]");
    }

    /// <summary>The per-sample count of an [Indices] input that takes any number per call: a symbol no model size can name.</summary>
    public static Size VariableCount(string input) => Size.Named("@" + input);

    /// <summary>True for a count known only when the method is called (<see cref="VariableCount"/>).</summary>
    public static bool IsVariableCount(Size size) => size.Symbols.Any(s => s.StartsWith("@", StringComparison.Ordinal) && s != Size.BatchSymbol);

    /// <summary>Checks the gradient a ScatterAdd adds into a table: one row per index, or one bag row.</summary>
    public static void ScatterAdd(Shape gradient, Shape indices, Shape table)
    {
        bool rows = gradient.Rank == 2 && gradient[0].Equals(indices[0]) && gradient[1].Equals(table[1]);
        bool bag = gradient.Rank == 1 && gradient[0].Equals(table[1]);
        if (table.Rank != 2 || indices.Rank != 1 || !(rows || bag))
        {
            throw new ShapeError(DiagnosticDescriptors.OperationShapeError.Id, "add row gradients", $"{gradient} at {indices} indices into a table {table}", "the gradient must be one row per index or one row for all of them");
        }
    }

    /// <summary>Checks that <paramref name="row"/> is row <paramref name="position"/> of a value of shape <paramref name="shape"/>.</summary>
    public static void InsertRow(Shape row, Shape shape, int position)
    {
        if (shape.Rank == 0 || !shape[0].IsConstant || position < 0 || position >= shape[0].Value || !new Shape(shape.Dims.Skip(1).ToArray()).Equals(row))
        {
            throw new ShapeError(DiagnosticDescriptors.OperationShapeError.Id, "insert a row into", $"{shape} at {position}", $"{row} is not one of its rows");
        }
    }

    private static Size AxisFromRight(Shape shape, int fromRight) => fromRight < shape.Rank ? shape[shape.Rank - 1 - fromRight] : Size.One;

    private static string Dim(Size value) => value.ToString();
}

/// <summary>
/// How a convolution is computed: the <see cref="Window"/>, the output positions (<see cref="OutputHeight"/> ×
/// <see cref="OutputWidth"/>), the elements of one window (<see cref="WindowSize"/> = kh·kw·c) and the kernel count.
/// </summary>
internal sealed record ConvolutionPlan(Window Window, int OutputHeight, int OutputWidth, int WindowSize, int Count);

/// <summary>How <c>Dot</c> views its operands as matrices, and the shape it returns.</summary>
internal sealed record DotPlan(Shape Left, Shape Right, Shape Result);
