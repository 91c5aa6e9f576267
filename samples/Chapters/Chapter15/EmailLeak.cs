using System.Numerics;
using Graph.Datasets;

namespace Graph.Samples.Chapter15;

/// <summary>
/// E15.3: why federated learning alone does not keep an e-mail private. Training a zero model on one e-mail changes
/// exactly the weights of that e-mail's words, so whoever sees the model before and after reads the words off.
/// </summary>
public static class EmailLeak
{
    /// <summary>The book's e-mail.</summary>
    public static IReadOnlyList<string> BobsEmail { get; } = ["my", "computer", "password", "is", "pizza"];

    /// <summary>
    /// Trains a copy of a zero model on <paramref name="email"/> with target 0 (ham) in one batch of one, writes the
    /// loss line and then each word whose weight changed, in vocabulary order, and returns those words.
    /// </summary>
    /// <remarks>
    /// The model reads 500 word indices per e-mail, so the e-mail is padded with the padding word, whose weight the
    /// step changes too; as the book's training does before every batch and its test before scoring, the padding
    /// weight is set back to zero, so it is not reported as one of the e-mail's words.
    /// </remarks>
    public static IReadOnlyList<string> Run<T>(Vocabulary vocabulary, int unknownIndex, IReadOnlyList<string> email, TextWriter output)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(vocabulary);
        ArgumentNullException.ThrowIfNull(email);
        ArgumentNullException.ThrowIfNull(output);
        if (email.Count >= SpamDataset.BookLength)
        {
            throw new ArgumentException($"The e-mail has {email.Count} words; the model reads fewer than {SpamDataset.BookLength}.", nameof(email));
        }

        var training = new SpamTraining<T>(vocabulary.Count, unknownIndex, batchSize: 1);
        var model = training.NewModel();
        var input = new int[SpamDataset.BookLength];
        Array.Fill(input, unknownIndex);
        for (int i = 0; i < email.Count; i++)
        {
            input[i] = vocabulary.IndexOf(email[i]);
        }

        var bobsModel = training.NewModel(model.Parameters[0].Value);
        training.TrainPass(bobsModel, [input], [0], output);
        var after = bobsModel.Parameters[0].Value;
        after[unknownIndex] = T.Zero;
        var before = model.Parameters[0].Value;
        var changed = new List<string>();
        for (int i = 0; i < after.Length; i++)
        {
            if (after[i] - before[i] != T.Zero)
            {
                changed.Add(vocabulary[i]);
                output.WriteLine(vocabulary[i]);
            }
        }

        return changed;
    }
}
