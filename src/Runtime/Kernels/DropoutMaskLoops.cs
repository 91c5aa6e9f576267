using System.Numerics;
using System.Runtime.CompilerServices;

namespace Graph.Runtime;

/// <summary>Dropout masks handed, as they are drawn, to the loop that applies them.</summary>
public static partial class Kernels
{
    /// <summary>
    /// The mask <see cref="DropoutMask{T}(Span{T}, double, NumpyRandom)"/> draws, each stretch of it handed to
    /// <paramref name="loop"/> as soon as it is drawn: the loop's item c is elements c · <paramref name="chunk"/> … of
    /// the mask (the last item the rest), and runs once, on the thread that drew those elements, after they are all in
    /// the mask. A loop that applies the mask (<c>x · mask</c>) then reads it from the cache, not in a pass of its own
    /// over the whole mask once the kernel has written it.
    /// </summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <typeparam name="TLoop">The loop: its items chunks of the mask's elements, each computed on its own.</typeparam>
    /// <exception cref="ArgumentOutOfRangeException">The rate is not strictly between 0 and 1, or the chunk is not a
    /// positive multiple of 16.</exception>
    public static void DropoutMask<T, TLoop>(Span<T> mask, double rate, NumpyRandom random, scoped ref TLoop loop, int chunk)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TLoop : IParallelLoop, allows ref struct =>
        NumpyMask(mask, rate, random, bits: false, MaskHandOff.To(ref loop, chunk));

    /// <summary>
    /// The mask <see cref="DropoutMaskPacked{T}(Span{T}, double, NumpyRandom)"/> keeps, handed to
    /// <paramref name="loop"/> as it is drawn (see <see cref="DropoutMask{T, TLoop}(Span{T}, double, NumpyRandom, ref TLoop, int)"/>).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The rate is not strictly between 0 and 1, or the chunk is not a
    /// positive multiple of 16.</exception>
    public static void DropoutMaskPacked<T, TLoop>(Span<T> mask, double rate, NumpyRandom random, scoped ref TLoop loop, int chunk)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TLoop : IParallelLoop, allows ref struct =>
        NumpyMask(mask, rate, random, bits: PacksMasks<T>(), MaskHandOff.To(ref loop, chunk));

    /// <summary>
    /// The mask <see cref="DropoutMask{T}(Span{T}, double, Philox4x32)"/> draws, handed to <paramref name="loop"/> as
    /// it is drawn (see <see cref="DropoutMask{T, TLoop}(Span{T}, double, NumpyRandom, ref TLoop, int)"/>).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The rate is not strictly between 0 and 1, or the chunk is not a
    /// positive multiple of 16.</exception>
    public static void DropoutMask<T, TLoop>(Span<T> mask, double rate, Philox4x32 random, scoped ref TLoop loop, int chunk)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TLoop : IParallelLoop, allows ref struct =>
        PhiloxMask(mask, rate, random, bits: false, MaskHandOff.To(ref loop, chunk));

    /// <summary>
    /// The mask <see cref="DropoutMaskPacked{T}(Span{T}, double, Philox4x32)"/> keeps, handed to <paramref name="loop"/>
    /// as it is drawn (see <see cref="DropoutMask{T, TLoop}(Span{T}, double, NumpyRandom, ref TLoop, int)"/>).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The rate is not strictly between 0 and 1, or the chunk is not a
    /// positive multiple of 16.</exception>
    public static void DropoutMaskPacked<T, TLoop>(Span<T> mask, double rate, Philox4x32 random, scoped ref TLoop loop, int chunk)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TLoop : IParallelLoop, allows ref struct =>
        PhiloxMask(mask, rate, random, bits: PacksMasks<T>(), MaskHandOff.To(ref loop, chunk));
}

/// <summary>
/// The loop a dropout mask hands its elements to as it draws them (<c>default</c>: none): its items are chunks of
/// <see cref="Chunk"/> elements, and the mask's parts start on whole items, so that every item is drawn by one thread,
/// which runs it once its last element is in the mask.
/// </summary>
internal readonly unsafe struct MaskHandOff
{
    private readonly delegate*<void*, int, int, void> _run;

    private readonly void* _loop;

    private MaskHandOff(delegate*<void*, int, int, void> run, void* loop, int chunk)
    {
        _run = run;
        _loop = loop;
        Chunk = chunk;
    }

    /// <summary>The mask elements of one of the loop's items; 0 for no loop.</summary>
    public int Chunk { get; }

    /// <summary>
    /// The hand-off to <paramref name="loop"/>, a local of the kernel's caller, which waits until the mask is drawn:
    /// its address is stable meanwhile.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The chunk is not a positive multiple of 16.</exception>
    public static MaskHandOff To<TLoop>(scoped ref TLoop loop, int chunk)
        where TLoop : IParallelLoop, allows ref struct
    {
        // Every part of a mask starts on a multiple of the split's alignment, which the bits need (whole bytes).
        if (chunk <= 0 || chunk % Kernels.SplitMaskAlignment != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(chunk), chunk, $"A mask's loop takes its elements in chunks of a positive multiple of {Kernels.SplitMaskAlignment}.");
        }

        return new MaskHandOff(&RunItems<TLoop>, Unsafe.AsPointer(ref loop), chunk);
    }

    /// <summary><paramref name="alignment"/> with no loop, else the smallest multiple of the loop's items at least that large.</summary>
    public int Aligned(int alignment) => Chunk == 0 ? alignment : (alignment + Chunk - 1) / Chunk * Chunk;

    /// <summary>The first item of a part that starts at element <paramref name="start"/> (a whole item's first element).</summary>
    public int FirstItem(int start) => Chunk == 0 ? 0 : start / Chunk;

    /// <summary>
    /// Runs the items from <paramref name="item"/> whose elements are all drawn once elements up to
    /// <paramref name="drawn"/> are (the last item when the mask's <paramref name="length"/> is reached), and returns
    /// the next item to run.
    /// </summary>
    public int RunDrawn(int item, int drawn, int length)
    {
        if (Chunk == 0)
        {
            return item;
        }

        int done = drawn >= length ? (int)(((long)length + Chunk - 1) / Chunk) : drawn / Chunk;
        if (done <= item)
        {
            return item;
        }

        _run(_loop, item, done);
        return done;
    }

    private static void RunItems<TLoop>(void* loop, int start, int end)
        where TLoop : IParallelLoop, allows ref struct =>
        Unsafe.AsRef<TLoop>(loop).Run(start, end);
}
