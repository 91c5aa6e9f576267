using System.Runtime.CompilerServices;

namespace Graph.Runtime;

/// <summary>How the direct kernel reads op(A): element (row r of the tile, column p) from a pointer to column p.</summary>
internal interface IGemmOperandA
{
    /// <summary>The pointer to op(A)[i, 0].</summary>
    static abstract unsafe T* Start<T>(T* a, nint lda, int i)
        where T : unmanaged;

    /// <summary>Element <paramref name="row"/> of the column <paramref name="column"/> points to.</summary>
    static abstract unsafe T At<T>(T* column, nint lda, int row)
        where T : unmanaged;

    /// <summary>The pointer to the next column.</summary>
    static abstract unsafe T* Next<T>(T* column, nint lda)
        where T : unmanaged;

    /// <summary>The pointer to column <paramref name="p"/> from the pointer to column 0.</summary>
    static abstract unsafe T* Column<T>(T* first, nint lda, nint p)
        where T : unmanaged;
}

/// <summary>A stored plainly: op(A)[i, p] = a[i·lda + p].</summary>
internal readonly struct PlainA : IGemmOperandA
{
    public static unsafe T* Start<T>(T* a, nint lda, int i)
        where T : unmanaged => a + (i * lda);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe T At<T>(T* column, nint lda, int row)
        where T : unmanaged => column[row * lda];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe T* Next<T>(T* column, nint lda)
        where T : unmanaged => column + 1;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe T* Column<T>(T* first, nint lda, nint p)
        where T : unmanaged => first + p;
}

/// <summary>A stored transposed: op(A)[i, p] = a[p·lda + i], so a tile's column is consecutive.</summary>
internal readonly struct TransposedA : IGemmOperandA
{
    public static unsafe T* Start<T>(T* a, nint lda, int i)
        where T : unmanaged => a + i;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe T At<T>(T* column, nint lda, int row)
        where T : unmanaged => column[row];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe T* Next<T>(T* column, nint lda)
        where T : unmanaged => column + lda;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe T* Column<T>(T* first, nint lda, nint p)
        where T : unmanaged => first + (p * lda);
}
