using Graph.Samples.Chapter13;

namespace Graph.Samples.Chapter14;

/// <summary>
/// Fills a <see cref="ShakespeareLstm"/> with the values the book's chapter 14 framework draws after
/// <c>np.random.seed(seed)</c>, in its order: the embedding <c>(rand(vocab, dim) - 0.5) / dim</c>, then each
/// <c>Linear</c>'s <c>randn(n_in, n_out) · sqrt(2 / n_in)</c> (xf, xi, xo, xc with a zero bias; hf, hi, ho, hc and w_ho
/// without). Every <c>Tensor</c> the framework makes draws its id with <c>randint(0, 1000000000)</c> from the same
/// generator, so one draw follows each weight and each bias. The output layer then stays zero, the book's
/// <c>model.w_ho.weight.data *= 0</c>.
/// </summary>
public static class BookInitialisation
{
    /// <summary>Overwrites every parameter of <paramref name="network"/> with the book's draws from <paramref name="seed"/>.</summary>
    public static void Apply(ShakespeareLstm network, int seed)
    {
        ArgumentNullException.ThrowIfNull(network);
        var book = new BookFrameworkRandom(seed, BookFrameworkRandom.LaterIdLimit);
        int hidden = network.Hidden;
        var embed = network.Parameters["Embed"];
        int vocab = embed.Value.Length / hidden;
        BookFrameworkRandom.Load(embed, book.Embedding(vocab, hidden));
        foreach (string gate in (string[])["ForgetInput", "InGateInput", "OutGateInput", "CandidateInput"])
        {
            var (weight, bias) = book.Linear(hidden, hidden);
            BookFrameworkRandom.Load(network.Parameters[gate], weight);
            BookFrameworkRandom.Load(network.Parameters[gate.Replace("Input", "Bias", StringComparison.Ordinal)], bias);
        }

        foreach (string gate in (string[])["ForgetHidden", "InGateHidden", "OutGateHidden", "CandidateHidden"])
        {
            BookFrameworkRandom.Load(network.Parameters[gate], book.LinearWeight(hidden, hidden));
        }

        // The output layer's draws still move the generator; its weights then start at zero.
        book.LinearWeight(hidden, vocab);
        network.Parameters["Output"].Value.AsSpan().Clear();
    }
}
