using Graph.Runtime;

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
    /// <summary>The upper bound of the framework's Tensor ids.</summary>
    private const long IdBound = 1000000000;

    /// <summary>Overwrites every parameter of <paramref name="network"/> with the book's draws from <paramref name="seed"/>.</summary>
    public static void Apply(ShakespeareLstm network, int seed)
    {
        ArgumentNullException.ThrowIfNull(network);
        var random = NumpyRandom.FromSeed(seed);
        double[] embed = network.Parameters["Embed"].Value;
        random.RandomSample(embed);
        for (int i = 0; i < embed.Length; i++)
        {
            embed[i] = (embed[i] - 0.5) / network.Hidden;
        }

        random.RandInt(0, IdBound);
        foreach (string gate in (string[])["ForgetInput", "InGateInput", "OutGateInput", "CandidateInput"])
        {
            Linear(random, network.Parameters[gate].Value, network.Hidden);
            random.RandInt(0, IdBound);
            network.Parameters[gate.Replace("Input", "Bias", StringComparison.Ordinal)].Value.AsSpan().Clear();
        }

        foreach (string gate in (string[])["ForgetHidden", "InGateHidden", "OutGateHidden", "CandidateHidden", "Output"])
        {
            Linear(random, network.Parameters[gate].Value, network.Hidden);
        }

        network.Parameters["Output"].Value.AsSpan().Clear();
    }

    /// <summary>A <c>Linear</c>'s weight, <c>randn(n_in, n_out) · sqrt(2 / n_in)</c>, and its Tensor's id draw.</summary>
    private static void Linear(NumpyRandom random, double[] weight, int inputs)
    {
        random.StandardNormal(weight);
        double scale = Math.Sqrt(2.0 / inputs);
        for (int i = 0; i < weight.Length; i++)
        {
            weight[i] *= scale;
        }

        random.RandInt(0, IdBound);
    }
}
