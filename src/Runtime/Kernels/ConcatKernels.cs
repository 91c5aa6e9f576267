using System.Numerics;

namespace Graph.Runtime;

/// <summary>
/// Kernels of <c>Concat</c>, which joins two values per sample along their first axis, and of its gradient, which
/// takes each operand's part back out (<see cref="Slice{T}"/>). Each sample's elements are contiguous, so joining
/// along the first axis is copying one block after the other.
/// </summary>
public static partial class Kernels
{
    /// <summary>
    /// For each of <paramref name="samples"/> samples, its <paramref name="firstLength"/> elements of
    /// <paramref name="first"/> followed by its <paramref name="secondLength"/> elements of <paramref name="second"/>. An
    /// operand marked shared holds one block that every sample repeats.
    /// </summary>
    public static void Concat<T>(
        ReadOnlySpan<T> first,
        int firstLength,
        bool firstShared,
        ReadOnlySpan<T> second,
        int secondLength,
        bool secondShared,
        Span<T> destination,
        int samples)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentOutOfRangeException.ThrowIfNegative(samples);
        int length = firstLength + secondLength;
        CheckRows(first.Length, firstShared ? 1 : samples, firstLength, nameof(first));
        CheckRows(second.Length, secondShared ? 1 : samples, secondLength, nameof(second));
        CheckRows(destination.Length, samples, length, nameof(destination));
        for (int s = 0; s < samples; s++)
        {
            var joined = destination.Slice(s * length, length);
            first.Slice(firstShared ? 0 : s * firstLength, firstLength).CopyTo(joined);
            second.Slice(secondShared ? 0 : s * secondLength, secondLength).CopyTo(joined.Slice(firstLength));
        }
    }

    /// <summary>
    /// For each of <paramref name="samples"/> samples of <paramref name="sourceLength"/> elements, the
    /// <paramref name="length"/> elements from <paramref name="offset"/>, one block per sample in
    /// <paramref name="destination"/>.
    /// </summary>
    public static void Slice<T>(ReadOnlySpan<T> source, int sourceLength, int offset, Span<T> destination, int length, int samples)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentOutOfRangeException.ThrowIfNegative(samples);
        if (offset < 0 || length < 1 || (long)offset + length > sourceLength)
        {
            throw new ArgumentOutOfRangeException(nameof(offset), $"Elements {offset} to {(long)offset + length - 1} are not inside a sample of {sourceLength} elements.");
        }

        CheckRows(source.Length, samples, sourceLength, nameof(source));
        CheckRows(destination.Length, samples, length, nameof(destination));
        for (int s = 0; s < samples; s++)
        {
            source.Slice((s * sourceLength) + offset, length).CopyTo(destination.Slice(s * length, length));
        }
    }
}
