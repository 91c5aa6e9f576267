using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Graph.Runtime;

/// <summary>
/// Per-thread scratch buffers of the GEMM kernels: pinned, 64-byte aligned, grown when a call needs more and then
/// kept, so steady-state calls allocate nothing. Each thread has its own, so concurrent GEMMs never share one.
/// </summary>
/// <remarks>The pointers stay valid while the thread runs no other GEMM: the arrays are pinned, and the thread-static
/// fields keep them alive.</remarks>
/// <typeparam name="T">The element type.</typeparam>
internal static unsafe class GemmScratch<T>
    where T : unmanaged
{
    /// <summary>The alignment of every buffer, in bytes: a cache line, and one AVX-512 vector.</summary>
    private const int Alignment = 64;

    [ThreadStatic]
    private static T[]? t_packedA;

    [ThreadStatic]
    private static T[]? t_packedB;

    [ThreadStatic]
    private static T[]? t_vector;

    [ThreadStatic]
    private static T[]? t_result;

    [ThreadStatic]
    private static T[]? t_product;

    [ThreadStatic]
    private static T[]? t_transposedB;

    [ThreadStatic]
    private static T[]? t_partials;

    [ThreadStatic]
    private static T[]? t_transposedTail;

    [ThreadStatic]
    private static ulong[]? t_nonZeroMasks;

    [ThreadStatic]
    private static ulong[]? t_nonZeroSteps;

    /// <summary>The buffer for packed blocks of A.</summary>
    public static T* PackedA(int length) => Rent(ref t_packedA, length);

    /// <summary>The buffer for packed blocks of B.</summary>
    public static T* PackedB(int length) => Rent(ref t_packedB, length);

    /// <summary>The buffer for a gathered strided input vector.</summary>
    public static T* Vector(int length) => Rent(ref t_vector, length);

    /// <summary>The buffer for a gathered strided output vector.</summary>
    public static T* Result(int length) => Rent(ref t_result, length);

    /// <summary>The buffer for a whole product that an update then applies.</summary>
    public static T* Product(int length) => Rent(ref t_product, length);

    /// <summary>The buffer for op(B) = Bᵀ copied untransposed, read by every thread of a split product.</summary>
    public static T* TransposedB(int length) => Rent(ref t_transposedB, length);

    /// <summary>The buffer for the partial products of a product split along its depth.</summary>
    public static T* Partials(int length) => Rent(ref t_partials, length);

    /// <summary>The buffer for the last columns of a product computed as their transpose.</summary>
    public static T* TransposedTail(int length) => Rent(ref t_transposedTail, length);

    /// <summary>The buffer for the bits of the nonzero elements of rows of op(A).</summary>
    public static ulong* NonZeroMasks(int length) => GemmScratch<ulong>.Rent(ref t_nonZeroMasks, length);

    /// <summary>The buffer for the bits of the depth steps that a tile of the direct kernel computes.</summary>
    public static ulong* NonZeroSteps(int length) => GemmScratch<ulong>.Rent(ref t_nonZeroSteps, length);

    /// <summary>An aligned pointer to at least <paramref name="length"/> elements of the cached array, which is
    /// replaced by a larger one first when too short.</summary>
    internal static T* Rent(ref T[]? cache, int length)
    {
        int padded = length + (Alignment / sizeof(T));
        if (cache is null || cache.Length < padded)
        {
            cache = GC.AllocateUninitializedArray<T>(padded, pinned: true);
        }

        nint address = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(cache));
        return (T*)((address + (Alignment - 1)) & ~(nint)(Alignment - 1));
    }
}
