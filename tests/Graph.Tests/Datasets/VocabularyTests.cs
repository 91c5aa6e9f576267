using Graph.Datasets;
using Xunit;

namespace Graph.Tests.Datasets;

public sealed class VocabularyTests
{
    [Fact]
    public void NumbersWordsInFirstOccurrenceOrder()
    {
        Vocabulary vocabulary = Vocabulary.Build([["the", "cat", "sat"], ["the", "dog", "", "cat"]]);

        Assert.Equal(["the", "cat", "sat", "dog", ""], vocabulary.Words);
        Assert.Equal(3, vocabulary.IndexOf("dog"));
        Assert.Equal("sat", vocabulary[2]);
    }

    [Fact]
    public void KeepsOnlyTheWordsTheFilterAccepts()
    {
        Vocabulary vocabulary = Vocabulary.Build([["", "good", "", "film"]], word => word.Length > 0);

        Assert.Equal(["good", "film"], vocabulary.Words);
        Assert.False(vocabulary.Contains(""));
    }

    [Fact]
    public void TheSameCorpusGivesTheSameIndices()
    {
        string[][] corpus = [["b", "a", "c"], ["c", "d", "a"]];

        Assert.Equal(Vocabulary.Build(corpus).Words, Vocabulary.Build(corpus).Words);
    }

    [Fact]
    public void AnUnknownWordIsNamedInTheError()
    {
        Vocabulary vocabulary = Vocabulary.Build([["good"]]);

        var error = Assert.Throws<KeyNotFoundException>(() => vocabulary.IndexOf("bad"));

        Assert.Contains("'bad'", error.Message, StringComparison.Ordinal);
        Assert.False(vocabulary.TryGetIndex("bad", out _));
        Assert.True(vocabulary.TryGetIndex("good", out int index));
        Assert.Equal(0, index);
    }
}
