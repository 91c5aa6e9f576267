using System.Runtime.Intrinsics;
using Graph.Runtime;
using Xunit;

namespace Graph.Tests.Runtime;

/// <summary>
/// The vectorised MT19937 (twist and tempering a vector of words at a time, bulk draws, the dropout mask) against a
/// plain scalar transcription of the reference algorithm, over millions of draws, and with bulk and single draws of
/// every kind mixed in one stream.
/// </summary>
public sealed class MersenneTwisterBulkTests
{
    [Fact]
    public void Bulk_words_match_the_scalar_reference_over_three_million_draws()
    {
        var reference = new ScalarMersenneTwister(20240611);
        var generator = new MersenneTwister(20240611);
        var words = new uint[3_000_017];

        // Ragged bulk lengths, so that draws start and end everywhere within the 624-word blocks.
        int at = 0;
        for (int length = 1; at < words.Length; length = (length * 7 % 1500) + 1)
        {
            int count = Math.Min(length, words.Length - at);
            generator.NextUInt32(words.AsSpan(at, count));
            at += count;
        }

        for (int i = 0; i < words.Length; i++)
        {
            uint expected = reference.Next();
            if (words[i] != expected)
            {
                Assert.Fail($"Word {i}: expected {expected}, got {words[i]}.");
            }
        }
    }

    /// <summary>The vector widths this machine accelerates: the twist and tempering run the widest first.</summary>
    public static TheoryData<int> AcceleratedWidths()
    {
        var widths = new TheoryData<int>();
        foreach ((int bits, bool accelerated) in new[] { (512, Vector512.IsHardwareAccelerated), (256, Vector256.IsHardwareAccelerated), (128, Vector128.IsHardwareAccelerated) })
        {
            if (accelerated)
            {
                widths.Add(bits);
            }
        }

        return widths;
    }

    [Theory]
    [MemberData(nameof(AcceleratedWidths))]
    public void Each_vector_width_alone_twists_and_tempers_as_the_scalar_reference(int width)
    {
        // Five blocks twisted and tempered by one width's vectors, the words a whole vector does not reach one by one
        // as the reference does: every word the reference's.
        var reference = new ScalarMersenneTwister(31337);
        var state = new uint[MersenneTwister.StateLength];
        new MersenneTwister(31337).SaveState(state);
        var words = new uint[MersenneTwister.StateLength];
        for (int block = 0; block < 5; block++)
        {
            TwistRange(width, state, 0, 227, 397);
            TwistRange(width, state, 227, 623, -227);
            TwistRange(width, state, 623, 624, -227);
            int i = width switch
            {
                512 => MersenneTwister.TemperVectors<WordLanes512, Vector512<uint>>(state, words, 0),
                256 => MersenneTwister.TemperVectors<WordLanes256, Vector256<uint>>(state, words, 0),
                _ => MersenneTwister.TemperVectors<WordLanes128, Vector128<uint>>(state, words, 0),
            };
            Assert.True(i > MersenneTwister.StateLength - (width / 32), $"The {width}-bit tempering stopped at word {i}.");
            for (; i < words.Length; i++)
            {
                uint z = state[i];
                z ^= z >> 11;
                z ^= (z << 7) & 0x9D2C5680u;
                z ^= (z << 15) & 0xEFC60000u;
                words[i] = z ^ (z >> 18);
            }

            for (int k = 0; k < words.Length; k++)
            {
                Assert.True(reference.Next() == words[k], $"Block {block}, word {k} differs at {width} bits.");
            }
        }
    }

    /// <summary>Words <paramref name="from"/> … <paramref name="to"/> − 1 twisted by one width's vectors, the rest as
    /// the reference twists them (the last word joins with word 0, already twisted).</summary>
    private static void TwistRange(int width, uint[] state, int from, int to, int partnerOffset)
    {
        int k = width switch
        {
            512 => MersenneTwister.TwistVectors<WordLanes512, Vector512<uint>>(state, from, to, partnerOffset),
            256 => MersenneTwister.TwistVectors<WordLanes256, Vector256<uint>>(state, from, to, partnerOffset),
            _ => MersenneTwister.TwistVectors<WordLanes128, Vector128<uint>>(state, from, to, partnerOffset),
        };
        Assert.True(to - k < width / 32, $"The {width}-bit twist stopped at word {k} of {from} … {to}.");
        for (; k < to; k++)
        {
            uint y = (state[k] & 0x80000000u) | (state[(k + 1) % 624] & 0x7FFFFFFFu);
            state[k] = state[k + partnerOffset] ^ (y >> 1) ^ ((y & 1) != 0 ? 0x9908B0DFu : 0u);
        }
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(0, 624)]
    [InlineData(1, 623)]
    [InlineData(100, 524)]
    [InlineData(623, 1)]
    [InlineData(5, 100_000)]
    [InlineData(624, 1_000_003)]
    public void A_saved_state_skipped_on_draws_the_words_after_the_skipped_ones(int drawnFirst, int skipped)
    {
        // The generator has drawn some words (so the saved state stops anywhere in a block); the copy skips some, and
        // its next words are the reference's after as many.
        var reference = new ScalarMersenneTwister(99);
        var generator = new MersenneTwister(99);
        for (int i = 0; i < drawnFirst; i++)
        {
            Assert.Equal(reference.Next(), generator.NextUInt32());
        }

        var state = new uint[MersenneTwister.StateLength];
        int next = MersenneTwister.Skip(state, generator.SaveState(state), skipped);
        var words = new uint[1300];
        next = MersenneTwister.Draw(state, next, words);
        for (int i = 0; i < skipped; i++)
        {
            reference.Next();
        }

        for (int i = 0; i < words.Length; i++)
        {
            Assert.Equal(reference.Next(), words[i]);
        }

        // The generator itself has not moved; restored from the copy, it goes on after the copy's last word.
        Assert.Equal(new ScalarMersenneTwister(99).Skipped(drawnFirst).Next(), generator.NextUInt32());
        generator.RestoreState(state, next);
        Assert.Equal(reference.Next(), generator.NextUInt32());
    }

    [Fact]
    public void Mixed_bulk_and_single_calls_follow_the_scalar_stream()
    {
        var reference = new ScalarMersenneTwister(7);
        var expected = new NumpyCalls(reference);
        var random = new NumpyRandom(7);
        var doubles = new double[1000];
        var floats = new float[333];
        var integers = new int[777];
        var mask = new float[1001];
        var normals = new double[5];
        for (int round = 0; round < 300; round++)
        {
            int length = 1 + (round * 37 % 1000);
            random.RandomSample(doubles.AsSpan(0, length));
            for (int i = 0; i < length; i++)
            {
                Assert.Equal(expected.RandomSample(), doubles[i]);
            }

            random.RandomSample(floats.AsSpan(0, length % 333));
            for (int i = 0; i < length % 333; i++)
            {
                Assert.Equal((float)expected.RandomSample(), floats[i]);
            }

            Assert.Equal(expected.RandInt(100000), random.RandInt(0, 100000));
            random.StandardNormal(normals.AsSpan(0, 1 + (round % 5)));
            for (int i = 0; i <= round % 5; i++)
            {
                Assert.Equal(expected.StandardNormal(), normals[i]);
            }

            random.RandInt(integers.AsSpan(0, length % 777), 0, 2);
            for (int i = 0; i < length % 777; i++)
            {
                Assert.Equal(expected.RandInt(2), integers[i]);
            }

            random.RandInt(integers.AsSpan(0, 9), -5, 995);
            for (int i = 0; i < 9; i++)
            {
                Assert.Equal(expected.RandInt(1000) - 5, integers[i]);
            }

            Kernels.DropoutMask<float>(mask.AsSpan(0, length), 0.5, random);
            for (int i = 0; i < length; i++)
            {
                Assert.Equal(expected.RandInt(2) * 2f, mask[i]);
            }

            Assert.Equal(expected.Word(), random.NextUInt32());
        }
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(0.2)]
    public void Double_dropout_mask_follows_the_scalar_stream(double rate)
    {
        var expected = new NumpyCalls(new ScalarMersenneTwister(3));
        var random = new NumpyRandom(3);
        var mask = new double[4099];
        Kernels.DropoutMask<double>(mask, rate, random);
        double scale = 1 / (1 - rate);
        for (int i = 0; i < mask.Length; i++)
        {
            double value = rate == 0.5 ? expected.RandInt(2) * scale : expected.RandomSample() < 1 - rate ? scale : 0;
            Assert.Equal(value, mask[i]);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void A_long_mask_follows_the_scalar_stream_on_any_thread_count(int threads)
    {
        // Long enough that with threads the mask is drawn in one stretch per thread, each from its own copy of the
        // state; 37 elements past a whole number of vectors, and the second mask starts inside a block. Each precision
        // draws its own mask, and the stream goes on after the last stretch.
        const int length = (3 * 65_536) + 37;
        var expected = new NumpyCalls(new ScalarMersenneTwister(11));
        var random = new NumpyRandom(11);
        var single = new float[length];
        var wide = new double[length];
        using (Parallelism.Use(threads))
        {
            Kernels.DropoutMask<float>(single, 0.5, random);
            Kernels.DropoutMask<double>(wide, 0.5, random);
        }

        for (int i = 0; i < length; i++)
        {
            Assert.Equal(expected.RandInt(2) * 2f, single[i]);
        }

        for (int i = 0; i < length; i++)
        {
            Assert.Equal(expected.RandInt(2) * 2.0, wide[i]);
        }

        Assert.Equal(expected.Word(), random.NextUInt32());
    }

    /// <summary>MT19937 as the reference code writes it: one word at a time, indices modulo the state length.</summary>
    private sealed class ScalarMersenneTwister
    {
        private readonly uint[] _state = new uint[624];
        private int _next = 624;

        public ScalarMersenneTwister(uint seed)
        {
            _state[0] = seed;
            for (int i = 1; i < 624; i++)
            {
                _state[i] = (1812433253u * (_state[i - 1] ^ (_state[i - 1] >> 30))) + (uint)i;
            }
        }

        public uint Next()
        {
            if (_next == 624)
            {
                for (int k = 0; k < 624; k++)
                {
                    uint y = (_state[k] & 0x80000000u) | (_state[(k + 1) % 624] & 0x7FFFFFFFu);
                    _state[k] = _state[(k + 397) % 624] ^ (y >> 1) ^ ((y & 1) != 0 ? 0x9908B0DFu : 0u);
                }

                _next = 0;
            }

            uint z = _state[_next++];
            z ^= z >> 11;
            z ^= (z << 7) & 0x9D2C5680u;
            z ^= (z << 15) & 0xEFC60000u;
            return z ^ (z >> 18);
        }

        /// <summary>This generator after <paramref name="count"/> words drawn.</summary>
        public ScalarMersenneTwister Skipped(int count)
        {
            for (int i = 0; i < count; i++)
            {
                Next();
            }

            return this;
        }
    }

    /// <summary>numpy's legacy calls, written out plainly over the scalar reference.</summary>
    private sealed class NumpyCalls(ScalarMersenneTwister generator)
    {
        private double? _cachedGaussian;

        public uint Word() => generator.Next();

        public double RandomSample()
        {
            uint a = generator.Next() >> 5, b = generator.Next() >> 6;
            return ((a * 67108864.0) + b) / 9007199254740992.0;
        }

        public int RandInt(int high)
        {
            uint range = (uint)high - 1, mask = range;
            for (int shift = 1; shift < 32; shift <<= 1)
            {
                mask |= mask >> shift;
            }

            uint value;
            do
            {
                value = generator.Next() & mask;
            }
            while (value > range);
            return (int)value;
        }

        public double StandardNormal()
        {
            if (_cachedGaussian is double cached)
            {
                _cachedGaussian = null;
                return cached;
            }

            double x1, x2, r2;
            do
            {
                x1 = (2.0 * RandomSample()) - 1.0;
                x2 = (2.0 * RandomSample()) - 1.0;
                r2 = (x1 * x1) + (x2 * x2);
            }
            while (r2 >= 1.0 || r2 == 0.0);

            double f = Math.Sqrt(-2.0 * Math.Log(r2) / r2);
            _cachedGaussian = f * x1;
            return f * x2;
        }
    }
}
