using Graph.Datasets;
using Graph.Samples.Formatting;

namespace Graph.Samples.Chapter12;

/// <summary>The book's settings of the bAbI network (E12.5); each can be changed on the command line.</summary>
public sealed record BabiSettings(int Seed, double Alpha, int Iterations)
{
    /// <summary>How often the perplexity is printed, in iterations.</summary>
    public const int ReportEvery = 1000;

    /// <summary>The sentence whose predictions are printed after training (<c>sent_index = 4</c>).</summary>
    public const int SentenceIndex = 4;
}

/// <summary>
/// E12.5: one training step per sentence, <c>tokens[iter % 1000][1:]</c>, with each update divided by the sentence's
/// length (the book's <c>alpha / float(len(sent))</c>); the perplexity <c>exp(loss / len(sent))</c> of the sentence
/// before its step every 1000 iterations; then the network's predictions along sentence 4.
/// </summary>
public static class BabiTraining
{
    /// <summary>Trains as the book does, writing its lines to <paramref name="output"/>; returns the trained network.</summary>
    public static BabiRecurrentNetwork Run(IReadOnlyList<string[]> tokens, BabiSettings s, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        ArgumentNullException.ThrowIfNull(output);

        // The book's vocabulary holds every token of the lines read; numbered here in first-occurrence order.
        var vocabulary = Vocabulary.Build(tokens);
        var sentences = tokens.Select(line => Indices(vocabulary, line[1..])).ToArray();
        int empty = Array.FindIndex(sentences, sentence => Length(sentence) == 0);
        if (empty >= 0)
        {
            throw new ArgumentException($"Line {empty} has no words after its first ('{string.Join(' ', tokens[empty])}'), so it has no length to divide its step by.", nameof(tokens));
        }

        var network = new BabiRecurrentNetwork(s.Seed, vocabulary.Count);
        for (int iteration = 0; iteration < s.Iterations; iteration++)
        {
            int[] sentence = sentences[iteration % sentences.Length];
            int length = Length(sentence);
            double loss = network.TrainStep(sentence, length, learningRate: s.Alpha / length);
            if (iteration % BabiSettings.ReportEvery == 0)
            {
                output.WriteLine("Perplexity:" + PythonFormat.Repr(Math.Exp(loss / length)));
            }
        }

        WritePredictions(network, vocabulary, tokens[BabiSettings.SentenceIndex], output);
        return network;
    }

    /// <summary>
    /// The book's closing cell: the sentence's tokens, then for each word but the last the word, the word after it,
    /// and the prediction <c>layers[i + 1]['pred']</c>, spaced as the book spaces them.
    /// </summary>
    private static void WritePredictions(BabiRecurrentNetwork network, Vocabulary vocabulary, string[] words, TextWriter output)
    {
        output.WriteLine(PythonFormat.StringList(words));
        var logits = new double[BabiRecurrentNetwork.Steps * vocabulary.Count];
        network.Predict(Indices(vocabulary, words), logits);
        for (int i = 0; i < words.Length - 1; i++)
        {
            // layers[i + 1]['pred'] is the step that reads words[0 .. i - 1]; the book prints it beside words[i].
            string predicted = vocabulary[Argmax(logits.AsSpan(i * vocabulary.Count, vocabulary.Count))];
            string input = words[i];
            string truth = words[i + 1];
            output.WriteLine("Prev Input:" + input + new string(' ', Math.Max(0, 12 - input.Length)) +
                "True:" + truth + new string(' ', Math.Max(0, 15 - truth.Length)) + "Pred:" + predicted);
        }
    }

    /// <summary>numpy's <c>argmax</c>: the index of the largest value, the first on ties.</summary>
    private static int Argmax(ReadOnlySpan<double> values)
    {
        int best = 0;
        for (int i = 1; i < values.Length; i++)
        {
            best = values[i] > values[best] ? i : best;
        }

        return best;
    }

    /// <summary>The words' indices, padded with -1 to <see cref="BabiRecurrentNetwork.Steps"/>.</summary>
    private static int[] Indices(Vocabulary vocabulary, IReadOnlyList<string> words)
    {
        if (words.Count > BabiRecurrentNetwork.Steps)
        {
            throw new ArgumentException(
                $"A sentence of {words.Count} words does not fit the network's {BabiRecurrentNetwork.Steps} steps: '{string.Join(' ', words)}'.",
                nameof(words));
        }

        var indices = Enumerable.Repeat(-1, BabiRecurrentNetwork.Steps).ToArray();
        for (int i = 0; i < words.Count; i++)
        {
            indices[i] = vocabulary.IndexOf(words[i]);
        }

        return indices;
    }

    /// <summary>The number of words before the padding.</summary>
    private static int Length(int[] sentence)
    {
        int padding = Array.IndexOf(sentence, -1);
        return padding < 0 ? sentence.Length : padding;
    }
}
