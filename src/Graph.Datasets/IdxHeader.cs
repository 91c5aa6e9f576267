using System.Collections.Immutable;

namespace Graph.Datasets;

/// <summary>
/// The header of an IDX file of unsigned bytes: the dimensions, outermost first. The first dimension counts the items
/// (images or labels); the others give each item's shape, for example 28 and 28 for MNIST images.
/// </summary>
public sealed class IdxHeader
{
    /// <summary>The magic number of an IDX file of unsigned-byte labels (one dimension).</summary>
    public const int LabelsMagic = 0x00000801;

    /// <summary>The magic number of an IDX file of unsigned-byte images (three dimensions: count, rows, columns).</summary>
    public const int ImagesMagic = 0x00000803;

    /// <summary>Creates a header from its dimensions.</summary>
    /// <param name="dimensions">The dimensions, outermost (the item count) first; none negative.</param>
    /// <exception cref="OverflowException">The data the dimensions describe has more than <see cref="long.MaxValue"/> bytes.</exception>
    public IdxHeader(ImmutableArray<int> dimensions)
    {
        if (dimensions.IsDefaultOrEmpty || dimensions.Any(d => d < 0))
        {
            throw new ArgumentException("An IDX header has at least one dimension and none is negative.", nameof(dimensions));
        }

        Dimensions = dimensions;
        long itemLength = 1;
        foreach (int dimension in dimensions.AsSpan()[1..])
        {
            itemLength = checked(itemLength * dimension);
        }

        ItemLength = itemLength;
        DataLength = checked(Count * itemLength);
    }

    /// <summary>The dimensions, outermost (the item count) first.</summary>
    public ImmutableArray<int> Dimensions { get; }

    /// <summary>The number of items (images or labels) the file holds.</summary>
    public int Count => Dimensions[0];

    /// <summary>The number of bytes in one item: the product of all dimensions but the first (1 for labels).</summary>
    public long ItemLength { get; }

    /// <summary>The number of data bytes that follow the header.</summary>
    public long DataLength { get; }

    /// <summary>The magic number of this header: 0x00000800 plus the number of dimensions.</summary>
    public int Magic => 0x0800 | Dimensions.Length;

    /// <summary>The length of the header in bytes: the magic number and one 32-bit integer per dimension.</summary>
    public int Length => sizeof(int) * (1 + Dimensions.Length);
}
