using System.Numerics;
using Graph.Samples.Chapter13;

namespace Graph.Samples.Chapter14;

/// <summary>
/// Fills chapter 14's networks with the values the book's framework draws after <c>np.random.seed(seed)</c>, in its
/// order: the embedding <c>(rand(vocab, dim) - 0.5) / dim</c>, then each <c>Linear</c>'s
/// <c>randn(n_in, n_out) · sqrt(2 / n_in)</c> and, where it has one, its zero bias. Every <c>Tensor</c> the framework
/// makes draws its id with <c>randint(0, 1000000000)</c> from the same generator, so one draw follows each weight and
/// each bias.
/// </summary>
public static class BookInitialisation
{
    /// <summary>
    /// The LSTM's draws: <c>Embedding(vocab, hidden)</c>, then <c>LSTMCell</c>'s xf, xi, xo, xc (with a zero bias), hf,
    /// hi, ho, hc and w_ho (without). The output layer then stays zero, the book's <c>model.w_ho.weight.data *= 0</c>.
    /// </summary>
    public static void Apply<T>(ICharacterLstm<T> network, int seed)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        var book = new BookFrameworkRandom(seed, BookFrameworkRandom.LaterIdLimit);
        int hidden = network.Hidden;
        BookFrameworkRandom.Load(network.Parameters["Embed"], book.Embedding(network.Vocab, hidden));
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
        book.LinearWeight(hidden, network.Vocab);
        network.Parameters["Output"].Value.AsSpan().Clear();
    }

    /// <summary>The RNN's draws: <c>Embedding(vocab, hidden)</c>, then <c>RNNCell</c>'s w_ih, w_hh and w_ho, each with its zero bias.</summary>
    public static void Apply<T>(ShakespeareRnn<T> network, int seed)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        var book = new BookFrameworkRandom(seed, BookFrameworkRandom.LaterIdLimit);
        int hidden = network.Hidden;
        BookFrameworkRandom.Load(network.Parameters["Embed"], book.Embedding(network.Vocab, hidden));
        foreach (var (name, outputs) in (ReadOnlySpan<(string, int)>)[("Input", hidden), ("Hidden", hidden), ("Output", network.Vocab)])
        {
            var (weight, bias) = book.Linear(hidden, outputs);
            BookFrameworkRandom.Load(network.Parameters[name + "Weight"], weight);
            BookFrameworkRandom.Load(network.Parameters[name + "Bias"], bias);
        }
    }
}
