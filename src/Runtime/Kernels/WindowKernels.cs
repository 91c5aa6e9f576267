using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Graph.Runtime;

/// <summary>
/// Kernels over the windows of images stored row-major as [height, width, channels] per sample: im2col and its
/// adjoint col2im (a convolution is im2col followed by one GEMM), and sum pooling and its adjoint.
/// </summary>
public static partial class Kernels
{
    /// <summary>The longest window row that im2col and col2im copy element by element rather than as a span.</summary>
    private const int ShortRun = 16;

    /// <summary>
    /// im2col: for each of <paramref name="count"/> images, one row per window position (row-major over the
    /// (height - kernelHeight + 1) × (width - kernelWidth + 1) positions) holding the window's elements in (row,
    /// column, channel) order. Stride 1, no padding.
    /// </summary>
    public static void Im2Col<T>(ReadOnlySpan<T> image, Span<T> columns, int count, int height, int width, int channels, int kernelHeight, int kernelWidth)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var g = WindowGeometry.Convolution(count, height, width, channels, kernelHeight, kernelWidth);
        CheckLength(image.Length, count, g.ImageSize, nameof(image));
        CheckLength(columns.Length, count, g.ColumnsSize, nameof(columns));
        RunWindows(WindowKernel.Im2Col, image, columns, count, g.ColumnsSize, new WindowShape(g, height, width, channels, kernelHeight, kernelWidth));
    }

    private static void Im2ColSamples<T>(ReadOnlySpan<T> image, Span<T> columns, int start, int end, in WindowShape shape)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int run = shape.WindowWidth * shape.Channels;
        int vectorLength = Vector128.IsHardwareAccelerated && Vector128<T>.IsSupported
            ? (run <= Vector128<T>.Count ? Vector128<T>.Count : Vector256.IsHardwareAccelerated ? Vector256<T>.Count : 0)
            : 0;
        // A vector no longer than a window row and its next pixel reads inside the image, and one no longer than a
        // window and a row writes inside the sample's columns, at every window but the last.
        if (run <= vectorLength && vectorLength <= run + shape.Channels && vectorLength <= (shape.WindowHeight + 1) * run)
        {
            Im2ColShortRows(image, columns, start, end, in shape, vectorLength);
            return;
        }

        var g = shape.Geometry;
        int width = shape.Width, channels = shape.Channels, kernelHeight = shape.WindowHeight;
        nint row = (nint)start * g.ColumnsSize;
        for (int s = start; s < end; s++)
        {
            nint sample = (nint)s * g.ImageSize;
            for (int oy = 0; oy < g.OutputHeight; oy++)
            {
                for (int ox = 0; ox < g.OutputWidth; ox++)
                {
                    // Each window row is kernelWidth · channels contiguous image elements.
                    for (int dy = 0; dy < kernelHeight; dy++)
                    {
                        int from = (int)(sample + ((((oy + dy) * width) + ox) * channels));
                        int to = (int)(row + (dy * run));
                        if (run <= ShortRun)
                        {
                            for (int e = 0; e < run; e++)
                            {
                                columns[to + e] = image[from + e];
                            }
                        }
                        else
                        {
                            image.Slice(from, run).CopyTo(columns.Slice(to, run));
                        }
                    }

                    row += g.WindowSize;
                }
            }
        }
    }

    /// <summary>
    /// im2col where each window row (kernelWidth · channels contiguous image elements: 3 floats for a 3×3 window on one
    /// channel) fits one small vector of <paramref name="vectorLength"/> elements, at most a row and a pixel long and at
    /// most a window and a row, which copies it: its extra elements land on the next ones of this sample's columns,
    /// which later copies overwrite, since they run in increasing order, and it reads inside the image, except at the
    /// sample's last window, which is copied element by element. The lengths were checked against the geometry, so
    /// every index is inside its span.
    /// </summary>
    private static void Im2ColShortRows<T>(ReadOnlySpan<T> image, Span<T> columns, int start, int end, in WindowShape shape, int vectorLength)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var g = shape.Geometry;
        int channels = shape.Channels, kernelHeight = shape.WindowHeight;
        int run = shape.WindowWidth * channels;
        nint rowLength = (nint)shape.Width * channels;
        ref T imageStart = ref MemoryMarshal.GetReference(image);
        ref T columnsStart = ref MemoryMarshal.GetReference(columns);
        for (int s = start; s < end; s++)
        {
            ref T sample = ref Unsafe.Add(ref imageStart, (nint)s * g.ImageSize);
            ref T window = ref Unsafe.Add(ref columnsStart, (nint)s * g.ColumnsSize);
            for (int oy = 0; oy < g.OutputHeight; oy++)
            {
                ref T imageRow = ref Unsafe.Add(ref sample, oy * rowLength);
                int vectors = oy == g.OutputHeight - 1 ? g.OutputWidth - 1 : g.OutputWidth;
                for (int ox = 0; ox < vectors; ox++)
                {
                    ref T from = ref Unsafe.Add(ref imageRow, (nint)ox * channels);
                    for (int dy = 0; dy < kernelHeight; dy++)
                    {
                        CopySmallVector(ref Unsafe.Add(ref from, dy * rowLength), ref Unsafe.Add(ref window, dy * run), vectorLength);
                    }

                    window = ref Unsafe.Add(ref window, g.WindowSize);
                }
            }

            ref T last = ref Unsafe.Add(ref sample, ((g.OutputHeight - 1) * rowLength) + ((nint)(g.OutputWidth - 1) * channels));
            for (int dy = 0; dy < kernelHeight; dy++)
            {
                for (int e = 0; e < run; e++)
                {
                    Unsafe.Add(ref window, (dy * run) + e) = Unsafe.Add(ref last, (dy * rowLength) + e);
                }
            }
        }
    }

    /// <summary>Copies one 128- or 256-bit vector of <paramref name="length"/> elements.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CopySmallVector<T>(ref T from, ref T to, int length)
        where T : unmanaged
    {
        if (length == Vector128<T>.Count)
        {
            Vector128.LoadUnsafe(ref from).StoreUnsafe(ref to);
        }
        else
        {
            Vector256.LoadUnsafe(ref from).StoreUnsafe(ref to);
        }
    }

    /// <summary>
    /// col2im, the adjoint of <see cref="Im2Col{T}"/>: each image element is the sum of the column elements that
    /// <see cref="Im2Col{T}"/> copies from it (the image is overwritten).
    /// </summary>
    public static void Col2Im<T>(ReadOnlySpan<T> columns, Span<T> image, int count, int height, int width, int channels, int kernelHeight, int kernelWidth)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var g = WindowGeometry.Convolution(count, height, width, channels, kernelHeight, kernelWidth);
        CheckLength(columns.Length, count, g.ColumnsSize, nameof(columns));
        CheckLength(image.Length, count, g.ImageSize, nameof(image));
        RunWindows(WindowKernel.Col2Im, columns, image, count, g.ColumnsSize, new WindowShape(g, height, width, channels, kernelHeight, kernelWidth));
    }

    private static void Col2ImSamples<T>(ReadOnlySpan<T> columns, Span<T> image, int start, int end, in WindowShape shape)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var g = shape.Geometry;
        int width = shape.Width, channels = shape.Channels, kernelHeight = shape.WindowHeight;
        image.Slice(start * g.ImageSize, (end - start) * g.ImageSize).Clear();
        int run = shape.WindowWidth * channels;
        nint row = (nint)start * g.ColumnsSize;
        ref T imageStart = ref MemoryMarshal.GetReference(image);
        ref T columnsStart = ref MemoryMarshal.GetReference(columns);
        for (int s = start; s < end; s++)
        {
            nint sample = (nint)s * g.ImageSize;
            for (int oy = 0; oy < g.OutputHeight; oy++)
            {
                for (int ox = 0; ox < g.OutputWidth; ox++)
                {
                    for (int dy = 0; dy < kernelHeight; dy++)
                    {
                        nint to = sample + ((((oy + dy) * width) + ox) * channels);
                        nint from = row + (dy * run);
                        if (run <= ShortRun)
                        {
                            for (int e = 0; e < run; e++)
                            {
                                Unsafe.Add(ref imageStart, to + e) += Unsafe.Add(ref columnsStart, from + e);
                            }
                        }
                        else
                        {
                            var into = image.Slice((int)to, run);
                            TensorPrimitives.Add(into, columns.Slice((int)from, run), into);
                        }
                    }

                    row += g.WindowSize;
                }
            }
        }
    }

    /// <summary>
    /// Sum pooling: for each of <paramref name="count"/> images, the sum of each non-overlapping window of
    /// <paramref name="windowHeight"/> × <paramref name="windowWidth"/>, per channel, as a [height / windowHeight,
    /// width / windowWidth, channels] image. The window must divide the image.
    /// </summary>
    public static void SumPool2d<T>(ReadOnlySpan<T> image, Span<T> pooled, int count, int height, int width, int channels, int windowHeight, int windowWidth)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var g = WindowGeometry.Pooling(count, height, width, channels, windowHeight, windowWidth);
        CheckLength(image.Length, count, g.ImageSize, nameof(image));
        CheckLength(pooled.Length, count, g.PooledSize, nameof(pooled));
        RunWindows(WindowKernel.SumPool2d, image, pooled, count, g.ImageSize, new WindowShape(g, height, width, channels, windowHeight, windowWidth));
    }

    private static void SumPool2dSamples<T>(ReadOnlySpan<T> image, Span<T> pooled, int start, int end, in WindowShape shape)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var g = shape.Geometry;
        int height = shape.Height, width = shape.Width, channels = shape.Channels;
        int windowHeight = shape.WindowHeight, windowWidth = shape.WindowWidth;
        for (int s = start; s < end; s++)
        {
            var input = image.Slice(s * g.ImageSize, g.ImageSize);
            var output = pooled.Slice(s * g.PooledSize, g.PooledSize);
            output.Clear();
            for (int y = 0; y < height; y++)
            {
                var line = input.Slice(y * width * channels, width * channels);
                var into = output.Slice(y / windowHeight * g.PooledWidth * channels, g.PooledWidth * channels);
                for (int x = 0; x < width; x++)
                {
                    int to = x / windowWidth * channels;
                    for (int c = 0; c < channels; c++)
                    {
                        into[to + c] += line[(x * channels) + c];
                    }
                }
            }
        }
    }

    /// <summary>The adjoint of <see cref="SumPool2d{T}"/>: every image element is its window's pooled value.</summary>
    public static void Upsample2d<T>(ReadOnlySpan<T> pooled, Span<T> image, int count, int height, int width, int channels, int windowHeight, int windowWidth)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var g = WindowGeometry.Pooling(count, height, width, channels, windowHeight, windowWidth);
        CheckLength(pooled.Length, count, g.PooledSize, nameof(pooled));
        CheckLength(image.Length, count, g.ImageSize, nameof(image));
        RunWindows(WindowKernel.Upsample2d, pooled, image, count, g.ImageSize, new WindowShape(g, height, width, channels, windowHeight, windowWidth));
    }

    private static void Upsample2dSamples<T>(ReadOnlySpan<T> pooled, Span<T> image, int start, int end, in WindowShape shape)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var g = shape.Geometry;
        int height = shape.Height, width = shape.Width, channels = shape.Channels;
        int windowHeight = shape.WindowHeight, windowWidth = shape.WindowWidth;
        for (int s = start; s < end; s++)
        {
            var input = pooled.Slice(s * g.PooledSize, g.PooledSize);
            var output = image.Slice(s * g.ImageSize, g.ImageSize);
            for (int y = 0; y < height; y++)
            {
                var from = input.Slice(y / windowHeight * g.PooledWidth * channels, g.PooledWidth * channels);
                var line = output.Slice(y * width * channels, width * channels);
                for (int x = 0; x < width; x++)
                {
                    int at = x / windowWidth * channels;
                    for (int c = 0; c < channels; c++)
                    {
                        line[(x * channels) + c] = from[at + c];
                    }
                }
            }
        }
    }

    /// <summary>
    /// Runs a window kernel over its samples, split across threads by samples (each sample's output is its own, so
    /// the split changes nothing) when <paramref name="count"/> · <paramref name="sampleCost"/> elements are worth it.
    /// </summary>
    private static unsafe void RunWindows<T>(WindowKernel kernel, ReadOnlySpan<T> from, Span<T> to, int count, int sampleCost, in WindowShape shape)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        fixed (T* input = from, output = to)
        {
            var work = new WindowWork<T> { Kernel = kernel, From = input, FromLength = from.Length, To = output, ToLength = to.Length, Shape = shape };
            ParallelRange.Run(ref work, count, sampleCost);
        }
    }

    private static void CheckLength(int length, int count, int perImage, string name)
    {
        if (length < (long)count * perImage)
        {
            throw new ArgumentException($"'{name}' holds {length} values, fewer than {count} images × {perImage}.", name);
        }
    }

    /// <summary>The sizes of one image and of its windows, checked once for every window kernel.</summary>
    private readonly record struct WindowGeometry(int ImageSize, int OutputHeight, int OutputWidth, int WindowSize, int ColumnsSize, int PooledWidth, int PooledSize)
    {
        public static WindowGeometry Convolution(int count, int height, int width, int channels, int kernelHeight, int kernelWidth)
        {
            Check(count, height, width, channels, kernelHeight, kernelWidth);
            if (kernelHeight > height || kernelWidth > width)
            {
                throw new ArgumentException($"A {kernelHeight}x{kernelWidth} kernel does not fit a {height}x{width} image.", nameof(kernelHeight));
            }

            int outputHeight = height - kernelHeight + 1;
            int outputWidth = width - kernelWidth + 1;
            int windowSize = checked(kernelHeight * kernelWidth * channels);
            return new WindowGeometry(checked(height * width * channels), outputHeight, outputWidth, windowSize, checked(outputHeight * outputWidth * windowSize), 0, 0);
        }

        public static WindowGeometry Pooling(int count, int height, int width, int channels, int windowHeight, int windowWidth)
        {
            Check(count, height, width, channels, windowHeight, windowWidth);
            if (height % windowHeight != 0 || width % windowWidth != 0)
            {
                throw new ArgumentException($"A {windowHeight}x{windowWidth} window does not divide a {height}x{width} image.", nameof(windowHeight));
            }

            int pooledWidth = width / windowWidth;
            return new WindowGeometry(checked(height * width * channels), 0, 0, windowHeight * windowWidth, 0, pooledWidth, checked(height / windowHeight * pooledWidth * channels));
        }

        private static void Check(int count, int height, int width, int channels, int windowHeight, int windowWidth)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(count);
            ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
            ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
            ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
            ArgumentOutOfRangeException.ThrowIfLessThan(windowHeight, 1);
            ArgumentOutOfRangeException.ThrowIfLessThan(windowWidth, 1);
        }
    }

    /// <summary>The window kernel a <see cref="WindowWork{T}"/> runs.</summary>
    private enum WindowKernel
    {
        Im2Col,
        Col2Im,
        SumPool2d,
        Upsample2d,
    }

    /// <summary>An image size and window, with its checked geometry, as the per-sample loops need them.</summary>
    private readonly record struct WindowShape(WindowGeometry Geometry, int Height, int Width, int Channels, int WindowHeight, int WindowWidth);

    /// <summary>The samples start … end − 1 of one window kernel, on pinned spans.</summary>
    private unsafe struct WindowWork<T> : IRangeWork
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public WindowKernel Kernel;
        public T* From;
        public int FromLength;
        public T* To;
        public int ToLength;
        public WindowShape Shape;

        /// <inheritdoc/>
        public readonly void Run(int start, int end)
        {
            var from = new ReadOnlySpan<T>(From, FromLength);
            var to = new Span<T>(To, ToLength);
            switch (Kernel)
            {
                case WindowKernel.Im2Col:
                    Im2ColSamples(from, to, start, end, in Shape);
                    break;
                case WindowKernel.Col2Im:
                    Col2ImSamples(from, to, start, end, in Shape);
                    break;
                case WindowKernel.SumPool2d:
                    SumPool2dSamples(from, to, start, end, in Shape);
                    break;
                default:
                    Upsample2dSamples(from, to, start, end, in Shape);
                    break;
            }
        }
    }
}
