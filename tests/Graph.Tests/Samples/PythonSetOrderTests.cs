using Graph.Datasets;
using Graph.Samples.Chapter14;
using Graph.Tests.Datasets;
using Xunit;

namespace Graph.Tests.Samples;

/// <summary>
/// <see cref="PythonSetOrder"/> against CPython 3.11 (Debian's /usr/bin/python3 3.11.2). Every expected value below is
/// CPython's output, pasted: <c>PYTHONHASHSEED=S python3 -c "print(','.join(str(ord(c)) for c in set(raw)))"</c> with
/// <c>raw</c> the text named, and <c>print(hash('a'), hash('\u0101'))</c>.
/// </summary>
public sealed class PythonSetOrderTests
{
    /// <summary>
    /// 101 characters (printable ASCII, a newline, two Latin-1 letters, and 'ā', 'Ω' and '€', which CPython stores in
    /// two bytes), each once in the order <c>chars[(k·37) % 101]</c>, then all again reversed: 101 keys take the table
    /// through three resizes, to 512 slots.
    /// </summary>
    private static string MixedText()
    {
        var chars = Enumerable.Range(32, 95).Select(c => (char)c).Concat(['\n', 'é', 'ß', 'ā', 'Ω', '€']).ToArray();
        Assert.Equal(101, chars.Length);
        string once = new(Enumerable.Range(0, chars.Length).Select(k => chars[k * 37 % chars.Length]).ToArray());
        return once + new string(once.Reverse().ToArray());
    }

    [Theory]
    [InlineData(0u, "32,35,85,57,59,77,89,53,97,126,111,87,95,223,60,102,48,52,112,10,64,50,70,96,34,73,38,63,49,47,99,101,83,65,66,67,125,71,103,107,58,124,8364,36,100,88,69,98,54,42,92,233,115,937,104,105,123,122,114,45,76,106,93,37,94,41,78,82,91,121,74,109,51,40,90,113,117,44,119,108,80,75,81,43,56,46,118,55,120,62,68,79,257,110,72,33,84,39,116,61,86")]
    [InlineData(7u, "100,69,40,97,90,76,82,64,102,70,92,71,111,86,114,93,46,85,105,121,58,95,117,62,45,43,122,101,126,32,75,112,937,84,37,78,66,83,55,10,124,61,96,41,108,113,63,119,49,233,38,36,125,48,103,81,34,80,107,74,59,39,116,109,120,88,79,72,115,91,94,50,65,257,8364,60,77,35,42,47,44,223,110,53,89,33,99,51,67,118,68,73,54,57,104,52,98,87,56,123,106")]
    public void TheOrderOfACharacterSetIsCPythons(uint seed, string expected) =>
        Assert.Equal(Codes(expected), PythonSetOrder.Of(MixedText(), seed).Select(c => (int)c));

    [Theory]
    [InlineData(0u, 4644417185603328019L, 5473066677718280640L)]
    [InlineData(7u, 6412522626967419924L, 2373538920421787562L)]
    public void AOneCharacterStringHashesAsInCPython(uint seed, long a, long aMacron)
    {
        Assert.Equal(a, PythonSetOrder.Hash('a', seed));
        Assert.Equal(aMacron, PythonSetOrder.Hash('ā', seed));
    }

    [SharedShakespeareFact]
    public void TheBooksVocabularyIsCPythonsForEachSeed()
    {
        var locator = new DataLocator(new DataLocatorOptions { EnvironmentDirectory = Path.GetDirectoryName(SharedShakespeareFactAttribute.Directory) });
        string raw = Shakespeare.ReadText(locator);
        var expected = new Dictionary<uint, string>
        {
            [0] = "32,83,65,114,59,75,85,122,81,77,45,46,66,76,97,89,118,111,87,106,67,102,120,71,103,107,78,58,68,82,112,79,100,121,74,10,88,110,69,72,98,33,70,109,73,84,63,90,39,113,117,115,104,44,116,105,99,86,101,119,108,80",
            [1] = "86,116,77,59,46,107,98,76,121,69,75,82,45,111,113,10,100,103,78,80,63,88,122,90,101,39,81,68,84,106,83,112,73,117,65,58,89,114,67,70,110,44,120,108,66,32,119,33,71,115,109,118,85,72,97,79,104,87,99,102,105,74",
            [2] = "104,73,107,74,69,109,71,79,58,86,112,102,89,72,88,108,98,59,116,45,118,46,122,105,97,85,82,70,63,115,33,119,111,121,101,87,77,83,100,66,65,117,39,103,110,84,113,75,67,32,44,106,99,68,76,80,81,90,114,78,10,120",
        };
        foreach (var (seed, order) in expected)
        {
            var text = new CharacterText(raw, seed);
            Assert.Equal(Codes(order), text.Vocabulary.Select(c => (int)c));
            Assert.Equal(text.Vocabulary.ToList().IndexOf(raw[100]), text.Indices[100]);
        }
    }

    [Fact]
    public void ACharacterBeyondTheBasicPlaneIsRefused()
    {
        var error = Assert.Throws<ArgumentException>(() => PythonSetOrder.Of("ab\U0001F600", 1));
        Assert.Contains("U+D83D", error.Message, StringComparison.Ordinal);
    }

    private static IEnumerable<int> Codes(string list) => list.Split(',').Select(int.Parse);
}
