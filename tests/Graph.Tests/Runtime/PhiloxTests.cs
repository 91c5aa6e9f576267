using Graph.Runtime;
using Xunit;

namespace Graph.Tests.Runtime;

/// <summary>
/// <see cref="Philox4x32"/> against the known-answer vectors of the Random123 library (its <c>kat_vectors</c> file,
/// the three <c>philox4x32 10</c> lines: counter, key, expected output), the vectorised draws against the block
/// function, and the Philox dropout mask.
/// </summary>
public sealed class PhiloxTests
{
    public static TheoryData<uint[], uint[], uint[]> KnownAnswers => new()
    {
        { [0x00000000, 0x00000000, 0x00000000, 0x00000000], [0x00000000, 0x00000000], [0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8] },
        { [0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff], [0xffffffff, 0xffffffff], [0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd] },
        { [0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344], [0xa4093822, 0x299f31d0], [0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1] },
    };

    [Theory]
    [MemberData(nameof(KnownAnswers))]
    public void Block_matches_the_Random123_known_answers(uint[] counter, uint[] key, uint[] expected)
    {
        var output = new uint[4];
        Philox4x32.Block(counter, key, output);
        Assert.Equal(expected, output);
    }

    [Fact]
    public void A_draw_is_block_after_block_and_word_after_word()
    {
        // The third known answer as a stream: key a4093822 299f31d0, stream 13198a2e 03707344, block 85a308d3243f6a88.
        var random = new Philox4x32(0x299f31d0a4093822, 0x0370734413198a2e) { Position = 0x85a308d3243f6a88 };
        var words = new uint[4];
        random.NextUInt32(words);
        Assert.Equal([0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1], words);
        Assert.Equal(0x85a308d3243f6a89UL, random.Position);
    }

    [Theory]
    [InlineData(0UL, 1)]
    [InlineData(5UL, 3)]
    [InlineData(0xFFFFFFF0UL, 1003)]
    [InlineData(ulong.MaxValue - 20, 401)]
    [InlineData(123456789UL, 4096)]
    public void Vectorised_draws_equal_the_block_function(ulong position, int length)
    {
        ulong seed = 0xDEADBEEF12345678;
        ulong stream = 0x0000000700000009;
        var random = new Philox4x32(seed, stream) { Position = position };
        var words = new uint[length];
        random.NextUInt32(words);

        var block = new uint[4];
        for (int i = 0; i < length; i++)
        {
            ulong counter = position + (ulong)(i / 4);
            Philox4x32.Block([(uint)counter, (uint)(counter >> 32), (uint)stream, (uint)(stream >> 32)], [(uint)seed, (uint)(seed >> 32)], block);
            Assert.Equal(block[i % 4], words[i]);
        }

        Assert.Equal(position + (ulong)((length + 3) / 4), random.Position);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Dropout_mask_is_the_same_for_every_thread_count(int threads)
    {
        const int length = (3 * 64 * 1024) + 4099;
        var single = new float[length];
        var several = new float[length];
        var first = new Philox4x32(42) { Position = 17 };
        var second = new Philox4x32(42) { Position = 17 };
        using (Parallelism.Use(1))
        {
            Kernels.DropoutMask<float>(single, 0.5, first);
        }

        using (Parallelism.Use(threads))
        {
            Kernels.DropoutMask<float>(several, 0.5, second);
        }

        Assert.Equal(single, several);
        Assert.Equal(first.Position, second.Position);
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(0.1)]
    [InlineData(0.9)]
    public void Dropout_mask_keeps_words_below_the_threshold(double rate)
    {
        var random = new Philox4x32(9);
        var mask = new double[100_003];
        Kernels.DropoutMask<double>(mask, rate, random);

        var words = new uint[mask.Length];
        new Philox4x32(9).NextUInt32(words);
        double threshold = Math.Round((1 - rate) * 4294967296.0);
        for (int i = 0; i < mask.Length; i++)
        {
            Assert.Equal(words[i] < threshold ? 1 / (1 - rate) : 0.0, mask[i]);
        }

        // About 1 - rate of them kept: the binomial standard deviation is under 160 here, so 5 of them is 800.
        double kept = mask.Count(m => m != 0);
        Assert.InRange(kept, ((1 - rate) * mask.Length) - 800, ((1 - rate) * mask.Length) + 800);
    }

    [Fact]
    public void Consecutive_masks_use_consecutive_blocks()
    {
        var random = new Philox4x32(1);
        var first = new float[10];
        var second = new float[10];
        Kernels.DropoutMask<float>(first, 0.5, random);
        Kernels.DropoutMask<float>(second, 0.5, random);
        Assert.Equal(6UL, random.Position);

        var words = new uint[24];
        new Philox4x32(1).NextUInt32(words);
        for (int i = 0; i < 10; i++)
        {
            Assert.Equal(words[i] < 2147483648u ? 2f : 0f, first[i]);
            Assert.Equal(words[12 + i] < 2147483648u ? 2f : 0f, second[i]);
        }
    }
}
