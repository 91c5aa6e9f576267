using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Graph.Runtime;

/// <summary>
/// A valid, stride-1 convolution computed from the images in place, without the im2col copy of every window: the
/// forward product (<see cref="Convolve{T}"/>) and the kernels' gradient (<see cref="ConvolutionKernelGradient{T}"/>).
/// Each computes what im2col followed by the GEMM computes, bit for bit: every element is the same sequence of
/// multiply-adds (the GEMM's numerical contract, <see cref="GemmNumerics"/>), summed over the window in (row, column,
/// channel) order, or over the positions in the chunks the GEMM cuts that depth into.
/// </summary>
public static partial class Kernels
{
    /// <summary>The output positions one tile of <see cref="Convolve{T}"/> computes in registers.</summary>
    private const int ConvolutionTileRows = 12;

    /// <summary>The widest image whose rows the kernels mark pixel by pixel in a 64-bit word to skip empty windows.</summary>
    private const int ConvolutionMaskedWidth = 64;

    /// <summary>The tallest image the kernels mark (a word per row, on the stack); a taller one is computed whole.</summary>
    private const int ConvolutionMaskedHeight = 1024;

    /// <summary>
    /// The convolution of each of <paramref name="count"/> images [height, width, channels] with
    /// <paramref name="kernelCount"/> kernels [kernelHeight, kernelWidth, channels], stored as one
    /// [kernelHeight·kernelWidth·channels, kernelCount] matrix: output [count, height − kernelHeight + 1,
    /// width − kernelWidth + 1, kernelCount]. The same values as <see cref="Im2Col{T}"/> followed by a GEMM of its
    /// rows with the kernels' matrix. Windows whose pixels are all zero are written as zeros without multiplying.
    /// </summary>
    public static void Convolve<T>(ReadOnlySpan<T> images, ReadOnlySpan<T> kernels, Span<T> output, int count, int height, int width, int channels, int kernelHeight, int kernelWidth, int kernelCount)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Convolve(images, kernels, output, count, height, width, channels, kernelHeight, kernelWidth, kernelCount, GemmWidth.Auto);

    /// <summary>
    /// <c>tanh</c> of <see cref="Convolve{T}"/>'s output in the convolution's own call: in float each image's taken as
    /// soon as it is convolved, while its output is still in the cache, in double each thread's images' after it has
    /// convolved them. The same values as <see cref="Convolve{T}"/> followed by <see cref="Tanh{T}"/> over the output.
    /// </summary>
    public static void ConvolveTanh<T>(ReadOnlySpan<T> images, ReadOnlySpan<T> kernels, Span<T> output, int count, int height, int width, int channels, int kernelHeight, int kernelWidth, int kernelCount)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Convolve(images, kernels, output, count, height, width, channels, kernelHeight, kernelWidth, kernelCount, GemmWidth.Auto, thenTanh: true);

    /// <summary>
    /// The kernels' gradient of <see cref="Convolve{T}"/>: for each tap of the window and each kernel, the sum over
    /// every image and position of the pixel under that tap times <paramref name="gradient"/> (the output's
    /// gradient, [count, positions, kernelCount]), written to <paramref name="kernelGradient"/>
    /// [kernelHeight·kernelWidth·channels, kernelCount]. The same values as the GEMM of im2col's rows, transposed,
    /// with the gradient: the positions summed in the GEMM's order (in the chunks of the depth its kernel for this
    /// shape cuts, the chunks' sums then added in order). Positions whose window is all zeros add nothing and are skipped,
    /// as the GEMM skips zero rows: a non-finite gradient at such a position does not reach the result.
    /// </summary>
    public static void ConvolutionKernelGradient<T>(ReadOnlySpan<T> images, ReadOnlySpan<T> gradient, Span<T> kernelGradient, int count, int height, int width, int channels, int kernelHeight, int kernelWidth, int kernelCount)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        ConvolutionKernelGradient(images, gradient, kernelGradient, count, height, width, channels, kernelHeight, kernelWidth, kernelCount, GemmWidth.Auto);

    /// <summary><see cref="Convolve{T}"/> at a given vector width, with <paramref name="thenTanh"/> as
    /// <see cref="ConvolveTanh{T}"/>.</summary>
    internal static unsafe void Convolve<T>(ReadOnlySpan<T> images, ReadOnlySpan<T> kernels, Span<T> output, int count, int height, int width, int channels, int kernelHeight, int kernelWidth, int kernelCount, GemmWidth vectors, bool thenTanh = false)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var shape = new ConvolutionShape(count, height, width, channels, kernelHeight, kernelWidth, kernelCount);
        var g = shape.Geometry;
        CheckLength(images.Length, shape.Count, g.ImageSize, nameof(images));
        CheckKernelMatrix(kernels.Length, g.WindowSize, kernelCount, nameof(kernels));
        CheckLength(output.Length, shape.Count, shape.OutputSize, nameof(output));
        CheckApart(output[..(shape.Count * shape.OutputSize)], images[..(shape.Count * g.ImageSize)], nameof(output), nameof(images));
        CheckApart(output[..(shape.Count * shape.OutputSize)], kernels[..(g.WindowSize * kernelCount)], nameof(output), nameof(kernels));
        fixed (T* imagesPointer = images, kernelsPointer = kernels, outputPointer = output)
        {
            var work = new ConvolutionWork<T> { Images = imagesPointer, Kernels = kernelsPointer, Output = outputPointer, Shape = shape, Width = FittingWidth<T>(GemmCore.ResolveWidth<T>(vectors), kernelCount), ThenTanh = thenTanh };
            ParallelRange.Run(ref work, shape.Count, (long)shape.OutputSize * g.WindowSize);
        }
    }

    /// <summary><see cref="ConvolutionKernelGradient{T}"/> at a given vector width.</summary>
    internal static unsafe void ConvolutionKernelGradient<T>(ReadOnlySpan<T> images, ReadOnlySpan<T> gradient, Span<T> kernelGradient, int count, int height, int width, int channels, int kernelHeight, int kernelWidth, int kernelCount, GemmWidth vectors)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var shape = new ConvolutionShape(count, height, width, channels, kernelHeight, kernelWidth, kernelCount);
        var g = shape.Geometry;
        CheckLength(images.Length, shape.Count, g.ImageSize, nameof(images));
        CheckLength(gradient.Length, shape.Count, shape.OutputSize, nameof(gradient));
        CheckKernelMatrix(kernelGradient.Length, g.WindowSize, kernelCount, nameof(kernelGradient));
        CheckApart(kernelGradient[..(g.WindowSize * kernelCount)], images[..(shape.Count * g.ImageSize)], nameof(kernelGradient), nameof(images));
        CheckApart(kernelGradient[..(g.WindowSize * kernelCount)], gradient[..(shape.Count * shape.OutputSize)], nameof(kernelGradient), nameof(gradient));
        int taps = g.WindowSize, n = shape.KernelCount;
        int depth = checked(shape.Count * shape.Positions);
        if (depth == 0)
        {
            kernelGradient.Slice(0, taps * n).Clear();
            return;
        }

        // The chunks are the GEMM's at the width it would run at; the sums themselves take vectors no wider than a row of kernels.
        var resolved = GemmCore.ResolveWidth<T>(vectors);
        var kernel = GemmCore.ChooseKernel<T>(true, false, taps, n, depth, GemmCore.VectorCount<T>(resolved), GemmCore.HalvesWideMultiplyAdds);
        resolved = FittingWidth<T>(resolved, n);
        int vectorCount = GemmCore.VectorCount<T>(resolved);
        int chunks = kernel == GemmKernel.SplitDepth && GemmNumerics.IsRelaxed<T>() ? GemmCore.SplitDepthChunks(depth) : 1;
        fixed (T* imagesPointer = images, gradientPointer = gradient, resultPointer = kernelGradient)
        {
            // One chunk sums straight into the result; several each into their own partial, added in chunk order after.
            T* sums = chunks == 1 ? resultPointer : GemmScratch<T>.Partials(chunks * taps * n);
            int bands = (taps + ConvolutionTileRows - 1) / ConvolutionTileRows;
            int columnParts = (n / vectorCount) + (n % vectorCount == 0 ? 0 : 1);
            var work = new KernelGradientWork<T>
            {
                Images = imagesPointer,
                Gradient = gradientPointer,
                Sums = sums,
                Shape = shape,
                Width = resolved,
                Chunks = chunks,
                Depth = depth,
                Bands = bands,
                ColumnParts = columnParts,
            };
            WorkerPool.Run(ref work, chunks * bands * columnParts);
            if (chunks > 1)
            {
                AddChunkSums(sums, resultPointer, chunks, taps * n);
            }
        }
    }

    /// <summary>The widest width up to <paramref name="width"/> whose vector holds no more than <paramref name="n"/> elements:
    /// the kernels of one position fill whole vectors, and only a narrower remainder is computed one by one.</summary>
    private static GemmWidth FittingWidth<T>(GemmWidth width, int n)
    {
        while (width != GemmWidth.Scalar && GemmCore.VectorCount<T>(width) > n)
        {
            width = width switch
            {
                GemmWidth.Vector512 => GemmWidth.Vector256,
                GemmWidth.Vector256 => GemmWidth.Vector128,
                _ => GemmWidth.Scalar,
            };
        }

        return width;
    }

    /// <summary>Throws where the result a kernel writes overlaps an operand it reads while writing.</summary>
    private static void CheckApart<T>(Span<T> written, ReadOnlySpan<T> read, string writtenName, string readName)
    {
        if (written.Overlaps(read))
        {
            throw new ArgumentException($"'{writtenName}' must not overlap '{readName}'.", writtenName);
        }
    }

    /// <summary>Throws where a span is shorter than a [taps, kernelCount] matrix.</summary>
    private static void CheckKernelMatrix(int length, int taps, int kernelCount, string name)
    {
        if (length < (long)taps * kernelCount)
        {
            throw new ArgumentException($"'{name}' holds {length} values, fewer than the {taps}×{kernelCount} matrix of {kernelCount} kernels of {taps} taps.", name);
        }
    }

    /// <summary>Each of <paramref name="length"/> results, the sum of its <paramref name="chunks"/> partials taken in
    /// chunk order (as the GEMM adds the chunks of a depth it splits).</summary>
    private static unsafe void AddChunkSums<T>(T* partials, T* result, int chunks, int length)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int e = 0; e < length; e++)
        {
            T sum = partials[e];
            for (int chunk = 1; chunk < chunks; chunk++)
            {
                sum += partials[((long)chunk * length) + e];
            }

            result[e] = sum;
        }
    }

    /// <summary>The images [start, end) of <see cref="Convolve{T}"/>, at one width: each output row in tiles of up to
    /// <see cref="ConvolutionTileRows"/> positions of near-equal widths.</summary>
    private static unsafe void ConvolveImages<T, TVec, TOps>(T* images, T* kernels, T* output, int start, int end, in ConvolutionShape shape)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVec : struct
        where TOps : IGemmVector<T, TVec>
    {
        var g = shape.Geometry;
        int taps = g.WindowSize, n = shape.KernelCount, outputWidth = g.OutputWidth;
        int* offsets = stackalloc int[taps];
        shape.TapOffsets(offsets);
        ulong* windows = stackalloc ulong[shape.Marked ? g.OutputHeight : 1];
        int tiles = (outputWidth + ConvolutionTileRows - 1) / ConvolutionTileRows;
        var tile = new ConvolutionTile<T> { Offsets = offsets, Taps = taps, Kernels = kernels, KernelCount = n, Step = shape.Image.Channels };
        for (int s = start; s < end; s++)
        {
            T* image = images + ((nint)s * g.ImageSize);
            bool masked = shape.MarkWindows(image, windows);
            for (int y = 0; y < g.OutputHeight; y++)
            {
                T* row = image + ((nint)y * shape.Image.Width * shape.Image.Channels);
                T* result = output + ((nint)s * shape.OutputSize) + ((nint)y * outputWidth * n);
                for (int i = 0, x = 0; i < tiles; i++)
                {
                    int width = ((i + 1) * outputWidth / tiles) - x;
                    tile.Window = row + ((nint)x * shape.Image.Channels);
                    tile.C = result + ((nint)x * n);
                    if (masked && (windows[y] >> x & ((1UL << width) - 1)) == 0)
                    {
                        // Every window of the tile is zeros: each sum of zero products is +0, as the GEMM leaves it.
                        new Span<T>(tile.C, width * n).Clear();
                    }
                    else
                    {
                        ConvolveTile<T, TVec, TOps>(in tile, width);
                    }

                    x += width;
                }
            }
        }
    }

    /// <summary>The tile of <paramref name="rows"/> positions, as a constant of its instantiation.</summary>
    private static unsafe void ConvolveTile<T, TVec, TOps>(in ConvolutionTile<T> tile, int rows)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVec : struct
        where TOps : IGemmVector<T, TVec>
    {
        switch (rows)
        {
            case 1: ConvolveTile<T, TVec, TOps, Tile1x1>(in tile); break;
            case 2: ConvolveTile<T, TVec, TOps, Tile2x1>(in tile); break;
            case 3: ConvolveTile<T, TVec, TOps, Tile3x1>(in tile); break;
            case 4: ConvolveTile<T, TVec, TOps, Tile4x1>(in tile); break;
            case 5: ConvolveTile<T, TVec, TOps, Tile5x1>(in tile); break;
            case 6: ConvolveTile<T, TVec, TOps, Tile6x1>(in tile); break;
            case 7: ConvolveTile<T, TVec, TOps, Tile7x1>(in tile); break;
            case 8: ConvolveTile<T, TVec, TOps, Tile8x1>(in tile); break;
            case 9: ConvolveTile<T, TVec, TOps, Tile9x1>(in tile); break;
            case 10: ConvolveTile<T, TVec, TOps, Tile10x1>(in tile); break;
            case 11: ConvolveTile<T, TVec, TOps, Tile11x1>(in tile); break;
            default: ConvolveTile<T, TVec, TOps, Tile12x1>(in tile); break;
        }
    }

    /// <summary>
    /// <c>TTile.Rows</c> consecutive positions of one output row (windows <see cref="ConvolutionTile{T}.Step"/>
    /// elements apart) times the kernels' matrix, one vector of kernels at a time in registers, then the last kernels
    /// one by one: each sum over the window's taps in order, from zero.
    /// </summary>
    private static unsafe void ConvolveTile<T, TVec, TOps, TTile>(in ConvolutionTile<T> tile)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVec : struct
        where TOps : IGemmVector<T, TVec>
        where TTile : IGemmTile
    {
        int width = TOps.Count, n = tile.KernelCount, taps = tile.Taps;
        nint step = tile.Step;
        int* offsets = tile.Offsets;
        T* window = tile.Window;
        T* c = tile.C;
        int j = 0;
        for (; j <= n - width; j += width)
        {
            TVec s0 = TOps.Zero, s1 = TOps.Zero, s2 = TOps.Zero, s3 = TOps.Zero, s4 = TOps.Zero, s5 = TOps.Zero;
            TVec s6 = TOps.Zero, s7 = TOps.Zero, s8 = TOps.Zero, s9 = TOps.Zero, s10 = TOps.Zero, s11 = TOps.Zero;
            T* row = tile.Kernels + j;
            for (int t = 0; t < taps; t++, row += n)
            {
                TVec b = TOps.Load(row);
                T* a = window + offsets[t];
                if (step == 1)
                {
                    // One channel: the tile's pixels under this tap are consecutive.
                    s0 = TOps.MultiplyAdd(s0, TOps.Broadcast(a[0]), b);
                    if (TTile.Rows > 1) { s1 = TOps.MultiplyAdd(s1, TOps.Broadcast(a[1]), b); }
                    if (TTile.Rows > 2) { s2 = TOps.MultiplyAdd(s2, TOps.Broadcast(a[2]), b); }
                    if (TTile.Rows > 3) { s3 = TOps.MultiplyAdd(s3, TOps.Broadcast(a[3]), b); }
                    if (TTile.Rows > 4) { s4 = TOps.MultiplyAdd(s4, TOps.Broadcast(a[4]), b); }
                    if (TTile.Rows > 5) { s5 = TOps.MultiplyAdd(s5, TOps.Broadcast(a[5]), b); }
                    if (TTile.Rows > 6) { s6 = TOps.MultiplyAdd(s6, TOps.Broadcast(a[6]), b); }
                    if (TTile.Rows > 7) { s7 = TOps.MultiplyAdd(s7, TOps.Broadcast(a[7]), b); }
                    if (TTile.Rows > 8) { s8 = TOps.MultiplyAdd(s8, TOps.Broadcast(a[8]), b); }
                    if (TTile.Rows > 9) { s9 = TOps.MultiplyAdd(s9, TOps.Broadcast(a[9]), b); }
                    if (TTile.Rows > 10) { s10 = TOps.MultiplyAdd(s10, TOps.Broadcast(a[10]), b); }
                    if (TTile.Rows > 11) { s11 = TOps.MultiplyAdd(s11, TOps.Broadcast(a[11]), b); }
                }
                else
                {
                    s0 = TOps.MultiplyAdd(s0, TOps.Broadcast(a[0]), b);
                    if (TTile.Rows > 1) { s1 = TOps.MultiplyAdd(s1, TOps.Broadcast((a += step)[0]), b); }
                    if (TTile.Rows > 2) { s2 = TOps.MultiplyAdd(s2, TOps.Broadcast((a += step)[0]), b); }
                    if (TTile.Rows > 3) { s3 = TOps.MultiplyAdd(s3, TOps.Broadcast((a += step)[0]), b); }
                    if (TTile.Rows > 4) { s4 = TOps.MultiplyAdd(s4, TOps.Broadcast((a += step)[0]), b); }
                    if (TTile.Rows > 5) { s5 = TOps.MultiplyAdd(s5, TOps.Broadcast((a += step)[0]), b); }
                    if (TTile.Rows > 6) { s6 = TOps.MultiplyAdd(s6, TOps.Broadcast((a += step)[0]), b); }
                    if (TTile.Rows > 7) { s7 = TOps.MultiplyAdd(s7, TOps.Broadcast((a += step)[0]), b); }
                    if (TTile.Rows > 8) { s8 = TOps.MultiplyAdd(s8, TOps.Broadcast((a += step)[0]), b); }
                    if (TTile.Rows > 9) { s9 = TOps.MultiplyAdd(s9, TOps.Broadcast((a += step)[0]), b); }
                    if (TTile.Rows > 10) { s10 = TOps.MultiplyAdd(s10, TOps.Broadcast((a += step)[0]), b); }
                    if (TTile.Rows > 11) { s11 = TOps.MultiplyAdd(s11, TOps.Broadcast((a += step)[0]), b); }
                }
            }

            TOps.Store(c + j, s0);
            if (TTile.Rows > 1) { TOps.Store(c + n + j, s1); }
            if (TTile.Rows > 2) { TOps.Store(c + (2 * n) + j, s2); }
            if (TTile.Rows > 3) { TOps.Store(c + (3 * n) + j, s3); }
            if (TTile.Rows > 4) { TOps.Store(c + (4 * n) + j, s4); }
            if (TTile.Rows > 5) { TOps.Store(c + (5 * n) + j, s5); }
            if (TTile.Rows > 6) { TOps.Store(c + (6 * n) + j, s6); }
            if (TTile.Rows > 7) { TOps.Store(c + (7 * n) + j, s7); }
            if (TTile.Rows > 8) { TOps.Store(c + (8 * n) + j, s8); }
            if (TTile.Rows > 9) { TOps.Store(c + (9 * n) + j, s9); }
            if (TTile.Rows > 10) { TOps.Store(c + (10 * n) + j, s10); }
            if (TTile.Rows > 11) { TOps.Store(c + (11 * n) + j, s11); }
        }

        for (; j < n; j++)
        {
            for (int r = 0; r < TTile.Rows; r++)
            {
                T* a = window + (r * step);
                T sum = T.Zero;
                for (int t = 0; t < taps; t++)
                {
                    sum = GemmScalar<T>.MultiplyAdd(sum, a[offsets[t]], tile.Kernels[((nint)t * n) + j]);
                }

                c[((nint)r * n) + j] = sum;
            }
        }
    }

    /// <summary>
    /// One part of <see cref="ConvolutionKernelGradient{T}"/>: for the positions of one chunk of the depth, the sums of
    /// one band of taps (up to <see cref="ConvolutionTileRows"/>) and one vector of kernels, or the last kernels that
    /// fill no vector one by one.
    /// </summary>
    private static unsafe void KernelGradientPart<T, TVec, TOps>(in KernelGradientWork<T> work, int chunk, int band, int columnPart)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVec : struct
        where TOps : IGemmVector<T, TVec>
    {
        var shape = work.Shape;
        var g = shape.Geometry;
        int taps = g.WindowSize, n = shape.KernelCount;
        int first = work.Chunks == 1 ? 0 : GemmCore.SplitDepthChunkStart(work.Depth, chunk);
        int end = work.Chunks == 1 ? work.Depth : GemmCore.SplitDepthChunkStart(work.Depth, chunk + 1);
        int tap0 = band * ConvolutionTileRows, tapCount = Math.Min(ConvolutionTileRows, taps - tap0);
        int j = columnPart * TOps.Count;
        int columns = Math.Min(TOps.Count, n - j);
        int* offsets = stackalloc int[taps];
        shape.TapOffsets(offsets);
        ulong* windows = stackalloc ulong[shape.Marked ? g.OutputHeight : 1];
        T* sums = work.Sums + ((nint)chunk * taps * n) + ((nint)tap0 * n) + j;
        var part = new GradientBand<T>
        {
            Offsets = offsets + tap0,
            Gradient = work.Gradient + j,
            Stride = n,
            Sums = sums,
            First = first,
            End = end,
            Images = work.Images,
            Windows = windows,
        };
        if (columns < TOps.Count)
        {
            KernelGradientScalar(in part, in shape, tapCount, columns);
            return;
        }

        switch (tapCount)
        {
            case 1: KernelGradientBand<T, TVec, TOps, Tile1x1>(in part, in shape); break;
            case 2: KernelGradientBand<T, TVec, TOps, Tile2x1>(in part, in shape); break;
            case 3: KernelGradientBand<T, TVec, TOps, Tile3x1>(in part, in shape); break;
            case 4: KernelGradientBand<T, TVec, TOps, Tile4x1>(in part, in shape); break;
            case 5: KernelGradientBand<T, TVec, TOps, Tile5x1>(in part, in shape); break;
            case 6: KernelGradientBand<T, TVec, TOps, Tile6x1>(in part, in shape); break;
            case 7: KernelGradientBand<T, TVec, TOps, Tile7x1>(in part, in shape); break;
            case 8: KernelGradientBand<T, TVec, TOps, Tile8x1>(in part, in shape); break;
            case 9: KernelGradientBand<T, TVec, TOps, Tile9x1>(in part, in shape); break;
            case 10: KernelGradientBand<T, TVec, TOps, Tile10x1>(in part, in shape); break;
            case 11: KernelGradientBand<T, TVec, TOps, Tile11x1>(in part, in shape); break;
            default: KernelGradientBand<T, TVec, TOps, Tile12x1>(in part, in shape); break;
        }
    }

    /// <summary>The runs of positions <see cref="KernelGradientBand{T, TVec, TOps, TTile}"/> gathers before summing them.</summary>
    private const int GradientRunsPerBatch = 64;

    /// <summary>
    /// The sums of <c>TTile.Rows</c> taps × one vector of kernels over the positions of one chunk, in position order
    /// from zero: each position's pixel under each tap times the position's vector of the gradient. The positions are
    /// gathered in batches of runs first, so that the loop that sums them calls nothing and keeps its sums in registers.
    /// </summary>
    private static unsafe void KernelGradientBand<T, TVec, TOps, TTile>(in GradientBand<T> part, in ConvolutionShape shape)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVec : struct
        where TOps : IGemmVector<T, TVec>
        where TTile : IGemmTile
    {
        for (int r = 0; r < TTile.Rows; r++)
        {
            TOps.Store(part.Sums + (r * part.Stride), TOps.Zero);
        }

        var runs = stackalloc PositionRun<T>[GradientRunsPerBatch];
        var segments = new RowSegments<T>(in shape, part.Images, part.Gradient, part.Stride, part.First, part.End, part.Windows);
        for (int count; (count = segments.Gather(runs, GradientRunsPerBatch)) > 0;)
        {
            SumRuns<T, TVec, TOps, TTile>(in part, shape.Image.Channels, runs, count);
        }
    }

    /// <summary>Adds <paramref name="count"/> runs of positions to the band's sums (read from and written back to its results).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static unsafe void SumRuns<T, TVec, TOps, TTile>(in GradientBand<T> part, nint step, PositionRun<T>* runs, int count)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVec : struct
        where TOps : IGemmVector<T, TVec>
        where TTile : IGemmTile
    {
        nint stride = part.Stride;
        T* sums = part.Sums;
        int* offsets = part.Offsets;
        TVec s0 = default, s1 = default, s2 = default, s3 = default, s4 = default, s5 = default;
        TVec s6 = default, s7 = default, s8 = default, s9 = default, s10 = default, s11 = default;
        int o0 = 0, o1 = 0, o2 = 0, o3 = 0, o4 = 0, o5 = 0, o6 = 0, o7 = 0, o8 = 0, o9 = 0, o10 = 0, o11 = 0;
        (s0, o0) = (TOps.Load(sums + (0 * stride)), offsets[0]);
        if (TTile.Rows > 1) { (s1, o1) = (TOps.Load(sums + (1 * stride)), offsets[1]); }
        if (TTile.Rows > 2) { (s2, o2) = (TOps.Load(sums + (2 * stride)), offsets[2]); }
        if (TTile.Rows > 3) { (s3, o3) = (TOps.Load(sums + (3 * stride)), offsets[3]); }
        if (TTile.Rows > 4) { (s4, o4) = (TOps.Load(sums + (4 * stride)), offsets[4]); }
        if (TTile.Rows > 5) { (s5, o5) = (TOps.Load(sums + (5 * stride)), offsets[5]); }
        if (TTile.Rows > 6) { (s6, o6) = (TOps.Load(sums + (6 * stride)), offsets[6]); }
        if (TTile.Rows > 7) { (s7, o7) = (TOps.Load(sums + (7 * stride)), offsets[7]); }
        if (TTile.Rows > 8) { (s8, o8) = (TOps.Load(sums + (8 * stride)), offsets[8]); }
        if (TTile.Rows > 9) { (s9, o9) = (TOps.Load(sums + (9 * stride)), offsets[9]); }
        if (TTile.Rows > 10) { (s10, o10) = (TOps.Load(sums + (10 * stride)), offsets[10]); }
        if (TTile.Rows > 11) { (s11, o11) = (TOps.Load(sums + (11 * stride)), offsets[11]); }

        for (int i = 0; i < count; i++)
        {
            T* pixels = runs[i].Pixels, gradient = runs[i].Gradient;
            ulong positions = runs[i].Positions;
            while (positions != 0)
            {
                int x = BitOperations.TrailingZeroCount(positions);
                positions &= positions - 1;
                T* w = pixels + (x * step);
                TVec d = TOps.Load(gradient + (x * stride));
                s0 = TOps.MultiplyAdd(s0, TOps.Broadcast(w[o0]), d);
                if (TTile.Rows > 1) { s1 = TOps.MultiplyAdd(s1, TOps.Broadcast(w[o1]), d); }
                if (TTile.Rows > 2) { s2 = TOps.MultiplyAdd(s2, TOps.Broadcast(w[o2]), d); }
                if (TTile.Rows > 3) { s3 = TOps.MultiplyAdd(s3, TOps.Broadcast(w[o3]), d); }
                if (TTile.Rows > 4) { s4 = TOps.MultiplyAdd(s4, TOps.Broadcast(w[o4]), d); }
                if (TTile.Rows > 5) { s5 = TOps.MultiplyAdd(s5, TOps.Broadcast(w[o5]), d); }
                if (TTile.Rows > 6) { s6 = TOps.MultiplyAdd(s6, TOps.Broadcast(w[o6]), d); }
                if (TTile.Rows > 7) { s7 = TOps.MultiplyAdd(s7, TOps.Broadcast(w[o7]), d); }
                if (TTile.Rows > 8) { s8 = TOps.MultiplyAdd(s8, TOps.Broadcast(w[o8]), d); }
                if (TTile.Rows > 9) { s9 = TOps.MultiplyAdd(s9, TOps.Broadcast(w[o9]), d); }
                if (TTile.Rows > 10) { s10 = TOps.MultiplyAdd(s10, TOps.Broadcast(w[o10]), d); }
                if (TTile.Rows > 11) { s11 = TOps.MultiplyAdd(s11, TOps.Broadcast(w[o11]), d); }
            }
        }

        TOps.Store(sums + (0 * stride), s0);
        if (TTile.Rows > 1) { TOps.Store(sums + (1 * stride), s1); }
        if (TTile.Rows > 2) { TOps.Store(sums + (2 * stride), s2); }
        if (TTile.Rows > 3) { TOps.Store(sums + (3 * stride), s3); }
        if (TTile.Rows > 4) { TOps.Store(sums + (4 * stride), s4); }
        if (TTile.Rows > 5) { TOps.Store(sums + (5 * stride), s5); }
        if (TTile.Rows > 6) { TOps.Store(sums + (6 * stride), s6); }
        if (TTile.Rows > 7) { TOps.Store(sums + (7 * stride), s7); }
        if (TTile.Rows > 8) { TOps.Store(sums + (8 * stride), s8); }
        if (TTile.Rows > 9) { TOps.Store(sums + (9 * stride), s9); }
        if (TTile.Rows > 10) { TOps.Store(sums + (10 * stride), s10); }
        if (TTile.Rows > 11) { TOps.Store(sums + (11 * stride), s11); }
    }

    /// <summary>The sums of a band of taps for the last <paramref name="columns"/> kernels (fewer than a vector), one
    /// element at a time, each in position order from zero.</summary>
    private static unsafe void KernelGradientScalar<T>(in GradientBand<T> part, in ConvolutionShape shape, int taps, int columns)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int t = 0; t < taps; t++)
        {
            for (int j = 0; j < columns; j++)
            {
                part.Sums[((nint)t * part.Stride) + j] = T.Zero;
            }
        }

        var runs = stackalloc PositionRun<T>[GradientRunsPerBatch];
        var segments = new RowSegments<T>(in shape, part.Images, part.Gradient, part.Stride, part.First, part.End, part.Windows);
        for (int count; (count = segments.Gather(runs, GradientRunsPerBatch)) > 0;)
        {
            for (int t = 0; t < taps; t++)
            {
                int o = part.Offsets[t];
                for (int j = 0; j < columns; j++)
                {
                    T* sum = part.Sums + ((nint)t * part.Stride) + j;
                    for (int i = 0; i < count; i++)
                    {
                        for (ulong positions = runs[i].Positions; positions != 0; positions &= positions - 1)
                        {
                            int x = BitOperations.TrailingZeroCount(positions);
                            *sum = GemmScalar<T>.MultiplyAdd(*sum, runs[i].Pixels[(x * shape.Image.Channels) + o], runs[i].Gradient[(x * part.Stride) + j]);
                        }
                    }
                }
            }
        }
    }

    /// <summary>The sizes of one convolution: the images, the window and the number of kernels.</summary>
    private readonly record struct ConvolutionShape
    {
        public ConvolutionShape(int count, int height, int width, int channels, int kernelHeight, int kernelWidth, int kernelCount)
        {
            var geometry = WindowGeometry.Convolution(count, height, width, channels, kernelHeight, kernelWidth);
            ArgumentOutOfRangeException.ThrowIfLessThan(kernelCount, 1);
            Image = new WindowShape(geometry, height, width, channels, kernelHeight, kernelWidth);
            (Count, KernelCount) = (count, kernelCount);
            Positions = geometry.OutputHeight * geometry.OutputWidth;
            OutputSize = checked(Positions * kernelCount);
        }

        /// <summary>One image and the window, as the other window kernels take them.</summary>
        public WindowShape Image { get; }

        public WindowGeometry Geometry => Image.Geometry;

        public int Count { get; }

        public int KernelCount { get; }

        /// <summary>The window positions of one image.</summary>
        public int Positions { get; }

        /// <summary>The output elements of one image.</summary>
        public int OutputSize { get; }

        /// <summary>Whether the image is small enough for <see cref="MarkWindows{T}"/> to mark its rows.</summary>
        public bool Marked => Image.Width <= ConvolutionMaskedWidth && Image.Height <= ConvolutionMaskedHeight;

        /// <summary>Each tap's offset from its window's first pixel, in (row, column, channel) order: im2col's column order.</summary>
        public unsafe void TapOffsets(int* offsets)
        {
            int t = 0;
            for (int dy = 0; dy < Image.WindowHeight; dy++)
            {
                for (int dx = 0; dx < Image.WindowWidth; dx++)
                {
                    for (int c = 0; c < Image.Channels; c++)
                    {
                        offsets[t++] = (((dy * Image.Width) + dx) * Image.Channels) + c;
                    }
                }
            }
        }

        /// <summary>
        /// Marks, for each output row y, bit x where the window at (y, x) holds a nonzero pixel (NaN included); false,
        /// with nothing marked, where the image is too wide for a row's bits to fit a word or too tall (<see cref="Marked"/>).
        /// </summary>
        public unsafe bool MarkWindows<T>(T* image, ulong* windows)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            if (!Marked)
            {
                return false;
            }

            var g = Geometry;
            ulong* pixels = stackalloc ulong[Image.Height];
            int row = Image.Width * Image.Channels;
            for (int y = 0; y < Image.Height; y++)
            {
                T* line = image + ((nint)y * row);
                ulong bits = 0;
                if (Image.Channels == 1)
                {
                    bits = FactorMask.NonZero(line, Image.Width);
                }
                else
                {
                    for (int e = 0; e < row; e++)
                    {
                        bits |= line[e] != T.Zero ? 1UL << (e / Image.Channels) : 0;
                    }
                }

                pixels[y] = bits;
            }

            ulong positions = g.OutputWidth == 64 ? ulong.MaxValue : (1UL << g.OutputWidth) - 1;
            for (int y = 0; y < g.OutputHeight; y++)
            {
                ulong rows = 0;
                for (int dy = 0; dy < Image.WindowHeight; dy++)
                {
                    rows |= pixels[y + dy];
                }

                ulong any = 0;
                for (int dx = 0; dx < Image.WindowWidth; dx++)
                {
                    any |= rows >> dx;
                }

                windows[y] = any & positions;
            }

            return true;
        }
    }

    /// <summary>
    /// The positions [first, end) of the depth of <see cref="ConvolutionKernelGradient{T}"/> (image after image, row
    /// after row) in runs of at most 64 along an output row: each run's first window and gradient row, and the bits
    /// of its positions whose window holds a nonzero pixel (every position where the image is too wide to mark).
    /// </summary>
    private unsafe struct RowSegments<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        private readonly ConvolutionShape _shape;
        private readonly T* _images;
        private readonly T* _gradient;
        private readonly nint _stride;
        private readonly int _end;
        private readonly ulong* _windows;
        private int _position;
        private int _markedImage;
        private bool _masked;

        /// <param name="windows">Room for one word per output row, where the marks of the current image are kept.</param>
        public RowSegments(in ConvolutionShape shape, T* images, T* gradient, nint stride, int first, int end, ulong* windows)
        {
            _shape = shape;
            _images = images;
            _gradient = gradient;
            _stride = stride;
            _position = first;
            _end = end;
            _windows = windows;
            _markedImage = -1;
        }

        /// <summary>Up to <paramref name="capacity"/> of the next runs into <paramref name="runs"/>; their count, 0 past the end.</summary>
        public int Gather(PositionRun<T>* runs, int capacity)
        {
            int count = 0;
            var g = _shape.Geometry;
            while (count < capacity && _position < _end)
            {
                int image = _position / _shape.Positions, within = _position % _shape.Positions;
                int row = within / g.OutputWidth, x = within % g.OutputWidth;
                int length = Math.Min(Math.Min(64, g.OutputWidth - x), _end - _position);
                if (image != _markedImage)
                {
                    _masked = _shape.MarkWindows(_images + ((nint)image * g.ImageSize), _windows);
                    _markedImage = image;
                }

                ulong run = length == 64 ? ulong.MaxValue : (1UL << length) - 1;
                ulong positions = _masked ? _windows[row] >> x & run : run;
                if (positions != 0)
                {
                    runs[count++] = new PositionRun<T>
                    {
                        Pixels = _images + ((nint)image * g.ImageSize) + ((((nint)row * _shape.Image.Width) + x) * _shape.Image.Channels),
                        Gradient = _gradient + ((nint)_position * _stride),
                        Positions = positions,
                    };
                }

                _position += length;
            }

            return count;
        }
    }

    /// <summary>Up to 64 consecutive positions of one output row: the first's window and gradient row, and the bits of those to sum.</summary>
    private unsafe struct PositionRun<T>
        where T : unmanaged
    {
        public T* Pixels;
        public T* Gradient;
        public ulong Positions;
    }

    /// <summary>One tile of <see cref="Convolve{T}"/>: its first window, the taps, the kernels and where its results go.</summary>
    private unsafe struct ConvolutionTile<T>
        where T : unmanaged
    {
        public T* Window;
        public nint Step;
        public int* Offsets;
        public int Taps;
        public T* Kernels;
        public int KernelCount;
        public T* C;
    }

    /// <summary>The sums of one band of <see cref="ConvolutionKernelGradient{T}"/>: where its taps, gradient and results lie.</summary>
    private unsafe struct GradientBand<T>
        where T : unmanaged
    {
        public int* Offsets;
        public T* Gradient;
        public nint Stride;
        public T* Sums;
        public int First;
        public int End;
        public T* Images;
        public ulong* Windows;
    }

    /// <summary>The images start … end − 1 of <see cref="Convolve{T}"/>, on pinned spans.</summary>
    private unsafe struct ConvolutionWork<T> : IRangeWork
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public T* Images;
        public T* Kernels;
        public T* Output;
        public ConvolutionShape Shape;
        public GemmWidth Width;

        /// <summary>Whether the output is then replaced by its tanh (<see cref="ConvolveTanh{T}"/>).</summary>
        public bool ThenTanh;

        /// <inheritdoc/>
        public readonly void Run(int start, int end)
        {
            if (!ThenTanh)
            {
                Convolve(start, end);
                return;
            }

            // The tanh is the buffer kernel's code, whose values do not depend on where a buffer is cut. Float takes each
            // image's while its output is still in the cache; double takes the part's after its convolutions, as
            // Tanh over the buffer would: in the chapter 10 step on two threads, per image in double was 2% slower
            // (the bench's cnn command), where float gained 3%.
            int size = Shape.OutputSize;
            int images = typeof(T) == typeof(float) ? 1 : end - start;
            for (int s = start; s < end; s += images)
            {
                int stop = Math.Min(s + images, end);
                Convolve(s, stop);
                var values = new Span<T>(Output + ((nint)s * size), (stop - s) * size);
                Apply(Activation.Tanh, values, values, 0, values.Length);
            }
        }

        /// <summary>The convolution of images <paramref name="start"/> … <paramref name="end"/> − 1.</summary>
        private readonly void Convolve(int start, int end)
        {
            switch (Width)
            {
                case GemmWidth.Vector512:
                    ConvolveImages<T, Vector512<T>, GemmVector512<T>>(Images, Kernels, Output, start, end, in Shape);
                    break;
                case GemmWidth.Vector256:
                    ConvolveImages<T, Vector256<T>, GemmVector256<T>>(Images, Kernels, Output, start, end, in Shape);
                    break;
                case GemmWidth.Vector128:
                    ConvolveImages<T, Vector128<T>, GemmVector128<T>>(Images, Kernels, Output, start, end, in Shape);
                    break;
                default:
                    ConvolveImages<T, T, GemmScalar<T>>(Images, Kernels, Output, start, end, in Shape);
                    break;
            }
        }
    }

    /// <summary>The parts of <see cref="ConvolutionKernelGradient{T}"/>: each chunk of the depth × band of taps × vector of kernels.</summary>
    private unsafe struct KernelGradientWork<T> : IParallelWork
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public T* Images;
        public T* Gradient;
        public T* Sums;
        public ConvolutionShape Shape;
        public GemmWidth Width;
        public int Chunks;
        public int Depth;
        public int Bands;
        public int ColumnParts;

        /// <inheritdoc/>
        public readonly void Run(int part)
        {
            int chunk = part / (Bands * ColumnParts), band = part / ColumnParts % Bands, column = part % ColumnParts;
            switch (Width)
            {
                case GemmWidth.Vector512:
                    KernelGradientPart<T, Vector512<T>, GemmVector512<T>>(in this, chunk, band, column);
                    break;
                case GemmWidth.Vector256:
                    KernelGradientPart<T, Vector256<T>, GemmVector256<T>>(in this, chunk, band, column);
                    break;
                case GemmWidth.Vector128:
                    KernelGradientPart<T, Vector128<T>, GemmVector128<T>>(in this, chunk, band, column);
                    break;
                default:
                    KernelGradientPart<T, T, GemmScalar<T>>(in this, chunk, band, column);
                    break;
            }
        }
    }
}
