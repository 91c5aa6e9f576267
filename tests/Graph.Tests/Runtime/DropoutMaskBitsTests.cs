using System.Numerics;
using Graph.Runtime;
using Xunit;

namespace Graph.Tests.Runtime;

/// <summary>
/// Dropout masks kept as bits (<see cref="Kernels.DropoutMaskBits{T}(Span{T}, double, NumpyRandom)"/>) against the
/// masks as values that the same generator draws: every element read back by <see cref="Simd.MaskBit{T}"/> and every
/// vector by <see cref="Simd.MaskBits{T}"/> at every position, the stream left where the values leave it, for both
/// generators, two rates, lengths around a byte and a split across threads; and the packed form a training body keeps
/// (bits for double, values for float).
/// </summary>
public sealed class DropoutMaskBitsTests
{
    public static TheoryData<bool, double, int, int> Draws()
    {
        var data = new TheoryData<bool, double, int, int>();
        foreach (bool philox in new[] { false, true })
        {
            foreach (int length in new[] { 1, 7, 8, 9, 63, 1000, 1025, 200_003 })
            {
                data.Add(philox, 0.5, length, 1);
            }

            data.Add(philox, 0.5, 200_003, 2);
            data.Add(philox, 0.5, 300_017, 3);
            data.Add(philox, 0.3, 1025, 1);
            data.Add(philox, 0.3, 200_003, 2);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Draws))]
    public void Bits_hold_the_mask_the_values_hold(bool philox, double rate, int length, int threads)
    {
        var (values, valuesNext) = Draw<double>(philox, rate, length, threads, bits: false);
        var (bits, bitsNext) = Draw<double>(philox, rate, length, threads, bits: true);
        double scale = 1 / (1 - rate);

        for (int i = 0; i < length; i++)
        {
            Assert.Equal(values[i], Simd.MaskBit<double>(bits, i, scale));
        }

        for (int i = 0; i <= length - Vector<double>.Count; i++)
        {
            Assert.Equal(new Vector<double>(values, i), Simd.MaskBits<double>(bits, i, scale));
        }

        Assert.Equal(valuesNext, bitsNext);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Float_bits_hold_the_float_mask(bool philox)
    {
        const int length = 4099;
        var (values, _) = Draw<float>(philox, 0.5, length, 1, bits: false);
        var (bits, _) = Draw<float>(philox, 0.5, length, 1, bits: true);
        for (int i = 0; i < length; i++)
        {
            Assert.Equal(values[i], Simd.MaskBit<float>(bits, i, 2f));
        }

        for (int i = 0; i <= length - Vector<float>.Count; i++)
        {
            Assert.Equal(new Vector<float>(values, i), Simd.MaskBits<float>(bits, i, 2f));
        }
    }

    [Fact]
    public void Bits_take_the_first_eighth_of_the_bytes_and_leave_the_rest()
    {
        const int length = 1000;
        var mask = new double[length];
        Array.Fill(mask, double.NaN);
        Kernels.DropoutMaskBits<double>(mask, 0.5, NumpyRandom.FromSeed(3));

        // 1000 bits are 125 bytes: 15 doubles and 5 bytes of the 16th; the rest of the memory is as it was.
        Assert.All(mask[16..], m => Assert.True(double.IsNaN(m)));
        Assert.Contains(mask[..15], m => !double.IsNaN(m));
    }

    [Fact]
    public void A_packed_double_mask_is_bits_and_a_packed_float_mask_is_values()
    {
        const int length = 5000;
        var floatValues = new float[length];
        var floatPacked = new float[length];
        Kernels.DropoutMask<float>(floatValues, 0.5, NumpyRandom.FromSeed(11));
        Kernels.DropoutMaskPacked<float>(floatPacked, 0.5, NumpyRandom.FromSeed(11));
        Assert.Equal(floatValues, floatPacked);
        for (int i = 0; i <= length - Vector<float>.Count; i += 3)
        {
            Assert.Equal(new Vector<float>(floatValues, i), Simd.PackedMask<float>(floatPacked, i, 2f));
            Assert.Equal(floatValues[i], Simd.PackedMaskElement<float>(floatPacked, i, 2f));
        }

        var doubleValues = new double[length];
        var doublePacked = new double[length];
        Array.Fill(doublePacked, double.NaN);
        Kernels.DropoutMask<double>(doubleValues, 0.5, new Philox4x32(5));
        Kernels.DropoutMaskPacked<double>(doublePacked, 0.5, new Philox4x32(5));
        Assert.True(double.IsNaN(doublePacked[length / 64 + 1]));
        for (int i = 0; i <= length - Vector<double>.Count; i += 3)
        {
            Assert.Equal(new Vector<double>(doubleValues, i), Simd.PackedMask<double>(doublePacked, i, 2.0));
            Assert.Equal(doubleValues[i], Simd.PackedMaskElement<double>(doublePacked, i, 2.0));
        }
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(-8)]
    [InlineData(488)]
    [InlineData(int.MaxValue)]
    public void A_read_past_the_masks_memory_throws(int index)
    {
        // 8 doubles are 64 bytes: a read takes the 4 bytes from byte index / 8, so indices up to 487 (byte 60) fit.
        var mask = new double[8];
        Assert.Throws<ArgumentOutOfRangeException>(() => Simd.MaskBits<double>(mask, index, 2.0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Simd.MaskBit<double>(mask, index, 2.0));
        Assert.Equal(0.0, Simd.MaskBit<double>(mask, 487, 2.0));
    }

    /// <summary>A mask of <paramref name="length"/> drawn as values or as bits, and the generator's next word after it.</summary>
    private static (T[] Mask, ulong Next) Draw<T>(bool philox, double rate, int length, int threads, bool bits)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var mask = new T[length];
        using var scope = Parallelism.Use(threads);
        if (philox)
        {
            var random = new Philox4x32(77) { Position = 5 };
            if (bits)
            {
                Kernels.DropoutMaskBits<T>(mask, rate, random);
            }
            else
            {
                Kernels.DropoutMask<T>(mask, rate, random);
            }

            return (mask, random.Position);
        }

        var numpy = NumpyRandom.FromSeed(77);
        if (bits)
        {
            Kernels.DropoutMaskBits<T>(mask, rate, numpy);
        }
        else
        {
            Kernels.DropoutMask<T>(mask, rate, numpy);
        }

        return (mask, numpy.NextUInt32());
    }
}
