using System.Globalization;
using Graph.Runtime;
using Xunit;

namespace Graph.Tests.Runtime;

/// <summary>
/// Checks <see cref="NumpyRandom"/>, <see cref="PythonRandom"/> and <see cref="MersenneTwister"/> against the
/// vectors that numpy and CPython printed into shared/reference/numpy-mt19937-vectors.txt, bit for bit.
/// </summary>
/// <remarks>
/// The file is a list of blocks: a <c>## title</c> line naming the Python calls, then rows of
/// <c>index value</c> for integers or <c>index repr float.hex</c> for doubles. Each title below maps to the
/// C# calls that should reproduce the block; each block is its own test case.
/// </remarks>
public sealed class NumpyRandomTests
{
    private const string VectorsFile = "numpy-mt19937-vectors.txt";

    /// <summary>Block title (as written in the file) to the calls that reproduce the block.</summary>
    private static readonly Dictionary<string, Func<Draws>> Reproductions = new()
    {
        ["np.random.seed(1); np.random.random(10)"] = () => Uniform(seed: 1, count: 10),
        ["np.random.seed(1); np.random.randn(10)"] = () => Normal(seed: 1, count: 10),
        ["np.random.seed(0); np.random.random(10)"] = () => Uniform(seed: 0, count: 10),
        ["np.random.seed(0); np.random.randn(10)"] = () => Normal(seed: 0, count: 10),
        ["np.random.seed(12345); np.random.random(10)"] = () => Uniform(seed: 12345, count: 10),
        ["np.random.seed(12345); np.random.randn(10)"] = () => Normal(seed: 12345, count: 10),

        ["np.random.seed(1); raw genrand_int32 outputs (np.random.randint(0, 2**32, size=10, dtype=np.uint64))"] = () =>
        {
            var random = new NumpyRandom(1);
            return Draws.Of(Repeat(10, () => random.RandInt(0, 1L << 32)));
        },
        ["np.random.seed(0); raw genrand_int32 outputs"] = () =>
        {
            var random = new NumpyRandom(0);
            return Draws.Of(Repeat(10, () => (long)random.NextUInt32()));
        },

        ["np.random.seed(1); np.random.rand(2,3), row-major (same stream as random(6))"] = () => Uniform(seed: 1, count: 2 * 3),

        ["np.random.seed(1); randn(3) then randn(2): the cached gauss carries across calls (= randn(5))"] = () =>
        {
            var random = new NumpyRandom(1);
            var values = new double[5];
            random.StandardNormal(values.AsSpan(0, 3));
            random.StandardNormal(values.AsSpan(3, 2));
            return Draws.Of(values);
        },
        ["np.random.seed(1); randn(3); np.random.seed(1); randn(1): seed() clears the gauss cache"] = () =>
        {
            var random = new NumpyRandom(1);
            random.StandardNormal(stackalloc double[3]);
            random.Seed(1);
            return Draws.Of([random.StandardNormal()]);
        },

        ["np.random.seed(0); np.random.randint(0,100000, size=10)  (ch13 Tensor ids; mask 0x1FFFF, reject > 99999)"] = () =>
            Integers(seed: 0, count: 10, low: 0, high: 100000),
        ["np.random.seed(0); 10 scalar calls np.random.randint(0,100000) (same stream as size=10)"] = () =>
            Integers(seed: 0, count: 10, low: 0, high: 100000),
        ["np.random.seed(0); np.random.randint(0,1000000000, size=10)  (ch14/15 Tensor ids; mask 0x3FFFFFFF)"] = () =>
            Integers(seed: 0, count: 10, low: 0, high: 1000000000),
        ["np.random.seed(1); np.random.randint(2, size=20)  (ch8-10 dropout masks; one 32-bit draw each, & 1)"] = () =>
        {
            var random = new NumpyRandom(1);
            return Draws.Of(Repeat(20, () => random.RandInt(2)));
        },

        ["ch13 Part 7 start: seed(0); randint(0,100000) x2 (data, target Tensor ids); then rand(2,3)"] = () =>
        {
            var random = new NumpyRandom(0);
            random.RandInt(0, 100000);
            random.RandInt(0, 100000);
            var values = new double[2 * 3];
            random.RandomSample(values);
            return Draws.Of(values);
        },

        ["Python: random.seed(5); random.random() x5  (init_by_array([5]); notes ch6 demo)"] = () => PythonUniform(seed: 5, count: 5),
        ["Python: random.seed(1); random.random() x5  (init_by_array([1]); ch11 uses random.seed(1))"] = () => PythonUniform(seed: 1, count: 5),
    };

    /// <summary>One test case per block title that has a reproduction.</summary>
    public static TheoryData<string> BlockTitles => [.. Reproductions.Keys];

    [Theory]
    [MemberData(nameof(BlockTitles))]
    public void Block_matches_the_reference_bit_for_bit(string title)
    {
        ReferenceBlock block = ReadBlocks().SingleOrDefault(b => b.Title == title)
            ?? throw new Xunit.Sdk.XunitException($"The block \"## {title}\" is not in {VectorsFile}.");
        Draws actual = Reproductions[title]();

        Assert.Equal(block.Rows.Count, actual.Count);
        for (int i = 0; i < block.Rows.Count; i++)
        {
            ReferenceRow row = block.Rows[i];
            Assert.Equal(i, row.Index);
            if (row.Bits is long expectedBits)
            {
                double value = actual.Doubles?[i] ?? throw new Xunit.Sdk.XunitException(
                    $"Block \"{title}\" holds doubles, but its reproduction made integers.");
                Assert.True(BitConverter.DoubleToInt64Bits(value) == expectedBits,
                    $"Row {i}: expected {row.Text} ({BitConverter.Int64BitsToDouble(expectedBits):R}), got {value:R}.");
            }
            else
            {
                long value = actual.Integers?[i] ?? throw new Xunit.Sdk.XunitException(
                    $"Block \"{title}\" holds integers, but its reproduction made doubles.");
                Assert.True(long.Parse(row.Text, CultureInfo.InvariantCulture) == value,
                    $"Row {i}: expected {row.Text}, got {value}.");
            }
        }
    }

    [Fact]
    public void Every_block_in_the_reference_file_has_a_reproduction()
    {
        List<ReferenceBlock> blocks = ReadBlocks();

        Assert.NotEmpty(blocks);
        Assert.All(blocks, block => Assert.True(Reproductions.ContainsKey(block.Title),
            $"No reproduction for the block \"## {block.Title}\"; add one to {nameof(Reproductions)}."));
        Assert.Equal(blocks.Count, blocks.Select(b => b.Title).Distinct().Count());
    }

    [Fact]
    public void The_block_count_matches_the_files_own_tally()
    {
        // The generator script ends the file with "# <n> blocks cross-checked ...".
        string tally = File.ReadLines(TestData.Reference(VectorsFile))
            .Last(line => line.StartsWith("# ", StringComparison.Ordinal) && line.Contains(" blocks", StringComparison.Ordinal));
        int expected = int.Parse(tally.Split(' ')[1], CultureInfo.InvariantCulture);

        Assert.Equal(expected, ReadBlocks().Count);
    }

    [Fact]
    public void The_repr_and_hex_columns_of_the_reference_file_agree()
    {
        foreach (ReferenceRow row in ReadBlocks().SelectMany(b => b.Rows).Where(r => r.Bits is not null))
        {
            double fromRepr = double.Parse(row.Text, NumberStyles.Float, CultureInfo.InvariantCulture);
            Assert.Equal(row.Bits, BitConverter.DoubleToInt64Bits(fromRepr));
        }
    }

    [Fact]
    public void A_missing_reference_file_fails_with_a_message_naming_it()
    {
        var error = Assert.Throws<FileNotFoundException>(() => TestData.Reference("no-such-vectors.txt"));
        Assert.Contains("no-such-vectors.txt", error.Message, StringComparison.Ordinal);
        Assert.Contains("missing", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0x1.0000000000000p+0", 1.0)]
    [InlineData("-0x1.8000000000000p+1", -3.0)]
    [InlineData("0x1.0p-2", 0.25)]
    [InlineData("0x0.0p+0", 0.0)]
    [InlineData("0x1.fffffffffffffp+1023", double.MaxValue)]
    [InlineData("0x0.0000000000001p-1022", double.Epsilon)]
    public void Hex_float_parser_reads_python_float_hex(string text, double expected) =>
        Assert.Equal(BitConverter.DoubleToInt64Bits(expected), ParseHexFloatBits(text));

    [Theory]
    [InlineData(0, 0)]
    [InlineData(5, 5)]
    [InlineData(3, -1)]
    [InlineData(long.MaxValue, long.MinValue)]
    public void RandInt_rejects_an_empty_interval(long low, long high)
    {
        var random = new NumpyRandom(0);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => random.RandInt(low, high));
        Assert.Equal("high", error.ParamName);
        Assert.Contains("greater than low", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RandInt_with_a_single_value_returns_it_without_drawing()
    {
        var random = new NumpyRandom(7);
        var untouched = new NumpyRandom(7);

        Assert.Equal(-4, random.RandInt(-4, -3));
        Assert.Equal(untouched.NextUInt32(), random.NextUInt32());
    }

    [Fact]
    public void RandInt_over_a_range_wider_than_32_bits_masks_two_outputs_high_word_first()
    {
        const long low = -5;
        const long high = (1L << 40) + 3; // range = 2^40 + 7, mask = 2^41 - 1
        var random = new NumpyRandom(3);
        var twister = new MersenneTwister(3);

        for (int i = 0; i < 200; i++)
        {
            ulong offset;
            do
            {
                ulong word = ((ulong)twister.NextUInt32() << 32) | twister.NextUInt32();
                offset = word & ((1UL << 41) - 1);
            }
            while (offset > (1UL << 40) + 7);

            long value = random.RandInt(low, high);
            Assert.Equal(low + (long)offset, value);
            Assert.InRange(value, low, high - 1);
        }
    }

    /// <summary>
    /// Over the whole long range every draw lands in range, both signs and the top and bottom quarters of the range
    /// occur (a draw confined to a half or to small magnitudes would not cover the range), and the draws are the
    /// twister's 64-bit words offset by long.MinValue, as numpy's masked rejection gives for a range of 2^64 - 1.
    /// </summary>
    [Fact]
    public void RandInt_covers_the_whole_long_range()
    {
        var random = new NumpyRandom(11);
        var twister = new MersenneTwister(11);
        var draws = new long[200];
        for (int i = 0; i < draws.Length; i++)
        {
            ulong offset;
            do
            {
                offset = ((ulong)twister.NextUInt32() << 32) | twister.NextUInt32();
            }
            while (offset > ulong.MaxValue - 1);

            draws[i] = random.RandInt(long.MinValue, long.MaxValue);
            Assert.Equal(unchecked(long.MinValue + (long)offset), draws[i]);
            Assert.InRange(draws[i], long.MinValue, long.MaxValue - 1);
        }

        Assert.Contains(draws, d => d < long.MinValue / 2);
        Assert.Contains(draws, d => d > long.MaxValue / 2);
        Assert.Contains(draws, d => d < 0);
        Assert.Contains(draws, d => d > 0);
    }

    [Fact]
    public void Float_samples_are_the_double_samples_rounded()
    {
        var doubles = new double[1000];
        var floats = new float[1000];
        new NumpyRandom(42).RandomSample(doubles);
        new NumpyRandom(42).RandomSample(floats);

        for (int i = 0; i < doubles.Length; i++)
        {
            Assert.Equal((float)doubles[i], floats[i]);
        }
    }

    [Fact]
    public void The_cached_normal_survives_an_integer_draw()
    {
        var plain = new NumpyRandom(1);
        double first = plain.StandardNormal();
        double second = plain.StandardNormal();

        var interleaved = new NumpyRandom(1);
        Assert.Equal(first, interleaved.StandardNormal());
        interleaved.RandInt(0, 100000);
        Assert.Equal(second, interleaved.StandardNormal());
    }

    [Fact]
    public void Seeding_again_restarts_the_stream()
    {
        var random = new NumpyRandom(12345);
        double first = random.RandomSample();
        random.RandInt(0, 1000);
        random.StandardNormal();

        random.Seed(12345);
        Assert.Equal(first, random.RandomSample());
    }

    /// <summary>mt19937ar.out, the authors' published check: init_by_array({0x123, 0x234, 0x345, 0x456}).</summary>
    [Fact]
    public void Twister_matches_the_reference_init_by_array_output()
    {
        var twister = MersenneTwister.FromKey([0x123, 0x234, 0x345, 0x456]);
        uint[] expected = [1067595299, 955945823, 477289528, 4107218783, 4228976476];

        Assert.Equal(expected, Repeat(expected.Length, twister.NextUInt32));
    }

    /// <summary>C++ [rand.predef]: the 10000th output of std::mt19937 default-seeded with 5489 is 4123659995.</summary>
    [Fact]
    public void Twister_matches_the_cpp_standard_ten_thousandth_output()
    {
        var twister = new MersenneTwister(5489);
        for (int i = 1; i < 10000; i++)
        {
            twister.NextUInt32();
        }

        Assert.Equal(4123659995u, twister.NextUInt32());
    }

    [Fact]
    public void Twister_rejects_an_empty_key()
    {
        var error = Assert.Throws<ArgumentException>(() => MersenneTwister.FromKey([]));
        Assert.Equal("key", error.ParamName);
    }

    /// <summary>CPython 3: random.seed(0) keys with [0]; random.seed(2**40 + 7) keys with [7, 256], low word first.</summary>
    [Theory]
    [InlineData(0L, "0x1.b0580f98a7dbep-1", "0x1.84129978f9c1ap-1", "0x1.aeaa51052e978p-2")]
    [InlineData((1L << 40) + 7, "0x1.3a3761afd4291p-1", "0x1.a13cb57c0715ap-1", "0x1.e3d88c68edf49p-1")]
    public void Python_seeds_zero_and_multi_word_ints_like_cpython(long seed, string first, string second, string third)
    {
        var random = new PythonRandom(seed);
        foreach (string expected in new[] { first, second, third })
        {
            Assert.Equal(ParseHexFloatBits(expected), BitConverter.DoubleToInt64Bits(random.Random()));
        }
    }

    [Fact]
    public void Python_rejects_a_negative_seed() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new PythonRandom(-1));

    private static Draws Uniform(uint seed, int count)
    {
        var values = new double[count];
        new NumpyRandom(seed).RandomSample(values);
        return Draws.Of(values);
    }

    private static Draws Normal(uint seed, int count)
    {
        var values = new double[count];
        new NumpyRandom(seed).StandardNormal(values);
        return Draws.Of(values);
    }

    private static Draws Integers(uint seed, int count, long low, long high)
    {
        var random = new NumpyRandom(seed);
        return Draws.Of(Repeat(count, () => random.RandInt(low, high)));
    }

    private static Draws PythonUniform(long seed, int count)
    {
        var random = new PythonRandom(seed);
        return Draws.Of(Repeat(count, random.Random));
    }

    private static T[] Repeat<T>(int count, Func<T> draw)
    {
        var values = new T[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = draw();
        }

        return values;
    }

    private static List<ReferenceBlock> ReadBlocks()
    {
        var blocks = new List<ReferenceBlock>();
        ReferenceBlock? current = null;
        foreach (string rawLine in File.ReadLines(TestData.Reference(VectorsFile)))
        {
            string line = rawLine.Trim();
            if (line.StartsWith("## ", StringComparison.Ordinal))
            {
                current = new ReferenceBlock(line[3..].Trim(), []);
                blocks.Add(current);
            }
            else if (line.Length > 0 && !line.StartsWith('#'))
            {
                if (current is null)
                {
                    throw new FormatException($"{VectorsFile}: a row comes before the first \"## title\" line: {line}");
                }

                current.Rows.Add(ParseRow(line));
            }
        }

        return blocks;
    }

    /// <summary>Parses <c>index value</c> (an integer row) or <c>index repr float.hex</c> (a double row).</summary>
    private static ReferenceRow ParseRow(string line)
    {
        string[] columns = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        int index = int.Parse(columns[0], CultureInfo.InvariantCulture);
        return columns.Length switch
        {
            2 => new ReferenceRow(index, columns[1], Bits: null),
            3 => new ReferenceRow(index, columns[1], ParseHexFloatBits(columns[2])),
            _ => throw new FormatException($"{VectorsFile}: expected 'index value' or 'index repr hex', got: {line}"),
        };
    }

    /// <summary>
    /// The IEEE bits of a number written by Python's <c>float.hex()</c>: <c>[-]0xH.HHHHp[+-]E</c>, meaning
    /// the hex mantissa times 2^E. All the digits fit a 64-bit integer, so the scaling is exact.
    /// </summary>
    private static long ParseHexFloatBits(string text)
    {
        bool negative = text.StartsWith('-');
        string body = negative ? text[1..] : text;
        int exponentAt = body.IndexOf('p', StringComparison.Ordinal);
        if (!body.StartsWith("0x", StringComparison.Ordinal) || exponentAt < 0)
        {
            throw new FormatException($"Not a float.hex() value: {text}");
        }

        string[] mantissa = body[2..exponentAt].Split('.');
        string fraction = mantissa.Length > 1 ? mantissa[1] : "";
        string digits = mantissa[0] + fraction;
        if (mantissa.Length > 2 || digits.Length is 0 or > 15)
        {
            throw new FormatException($"Not a float.hex() value: {text}");
        }

        ulong significand = ulong.Parse(digits, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
        int exponent = int.Parse(body[(exponentAt + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        double magnitude = Math.ScaleB(significand, exponent - 4 * fraction.Length);
        return BitConverter.DoubleToInt64Bits(negative ? -magnitude : magnitude);
    }

    private sealed record ReferenceBlock(string Title, List<ReferenceRow> Rows);

    /// <summary>A row: its index, its value column as written, and for a double row the bits from its hex column.</summary>
    private sealed record ReferenceRow(int Index, string Text, long? Bits);

    /// <summary>What a reproduction made: doubles or integers, in order.</summary>
    private sealed record Draws(double[]? Doubles, long[]? Integers)
    {
        public int Count => Doubles?.Length ?? Integers!.Length;

        public static Draws Of(double[] values) => new(values, null);

        public static Draws Of(long[] values) => new(null, values);
    }
}
