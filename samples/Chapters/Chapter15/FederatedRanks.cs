using System.Numerics;
using System.Text;
using Graph.Distributed.Mpi;
using Graph.Distributed.Training;
using Graph.Runtime.Datasets;

namespace Graph.Samples.Chapter15;

/// <summary>
/// The book's federated learning (<see cref="FederatedLearning"/>) with Bob, Alice and Sue as the three ranks of an
/// MPI job. Rank 0 reads the e-mails and sends each party only its own; each rank trains its copy of the model,
/// the models are combined across the ranks (<see cref="FederatedAggregation{T}.Combine(Communicator, T[], TextWriter)"/>),
/// and rank 0, which also holds the test e-mails, tests the new model and prints every party's lines in the
/// order one process prints them.
/// </summary>
public static class FederatedRanks
{
    /// <summary>The parties, one per rank.</summary>
    public const int Parties = 3;

    /// <summary>Runs <paramref name="rounds"/> rounds and returns the last test percentage (NaN on the ranks other than 0).</summary>
    /// <param name="load">Reads the e-mails; called on rank 0 only.</param>
    /// <exception cref="InvalidOperationException">The job does not have exactly three ranks.</exception>
    public static double Run<T>(Communicator ranks, Func<SpamDataset> load, int rounds, FederatedAggregation<T> aggregation, TextWriter output)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(ranks);
        ArgumentNullException.ThrowIfNull(load);
        ArgumentNullException.ThrowIfNull(aggregation);
        ArgumentNullException.ThrowIfNull(output);
        if (ranks.Size != Parties)
        {
            throw new InvalidOperationException($"Bob, Alice and Sue are one rank each: start the job with mpirun -np {Parties}, not {ranks.Size}.");
        }

        var data = ranks.IsRoot ? load() : null;
        var (training, step, inputs, targets) = Distribute<T>(ranks, data);
        var model = training.NewModel();
        ModelFingerprint.Verify(ranks, ModelFingerprint.Describe(model.Parameters,
            $"{rounds} rounds, batch {training.BatchSize}, alpha {training.Alpha}, {aggregation.GetType().Name}"));

        double percent = double.NaN;
        for (int round = 0; round < rounds; round++)
        {
            aggregation.StartRound(output);
            var copy = training.NewModel(model.Parameters[0].Value);
            using var log = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
            log.WriteLine(step);
            training.TrainPass(copy, inputs, targets, log);
            WriteInRankOrder(ranks, log.ToString(), output);

            model = training.NewModel(aggregation.Combine(ranks, copy.Parameters[0].Value, output));
            if (data is not null)
            {
                percent = training.TestPercent(model, data.TestInputs, data.TestTargets);
                output.WriteLine("\t" + SpamTraining<T>.CorrectLine(percent));
            }

            aggregation.EndRound(output);
        }

        return percent;
    }

    /// <summary>
    /// Rank 0's vocabulary size and padding index on every rank, and each party's e-mails (<see cref="FederatedLearning.Parties"/>)
    /// on its own rank only, with the line that opens its training.
    /// </summary>
    private static (SpamTraining<T> Training, string Step, int[][] Inputs, int[] Targets) Distribute<T>(Communicator ranks, SpamDataset? data)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int[] header = data is null ? new int[4] : [data.Vocabulary.Count, data.UnknownIndex, data.Length, data.TrainInputs.Count];
        ranks.Broadcast<int>(header);
        int length = header[2];
        if (header[3] <= 2 * FederatedLearning.PartySize)
        {
            throw new InvalidOperationException($"Federated learning needs more than {2 * FederatedLearning.PartySize} training e-mails (Bob's and Alice's {FederatedLearning.PartySize} each, then Sue's), not {header[3]}.");
        }

        var parties = FederatedLearning.Parties(header[3]);
        int[] emails = parties.Select(p => p.End - p.Start).ToArray();
        var mine = (parties[ranks.Rank].Start, Count: emails[ranks.Rank]);
        var targets = new int[mine.Count];
        var words = new int[mine.Count * length];
        ranks.ScatterVariable<int>(data?.TrainTargets.ToArray() ?? [], emails, targets);
        ranks.ScatterVariable<int>(data?.TrainInputs.SelectMany(e => e).ToArray() ?? [], emails.Select(n => n * length).ToArray(), words);
        var inputs = new int[mine.Count][];
        for (int i = 0; i < inputs.Length; i++)
        {
            inputs[i] = words[(i * length)..((i + 1) * length)];
        }

        return (new SpamTraining<T>(header[0], header[1]), parties[ranks.Rank].Step, inputs, targets);
    }

    /// <summary>Every rank's text, gathered on rank 0 and written there in rank order.</summary>
    private static void WriteInRankOrder(Communicator ranks, string text, TextWriter output)
    {
        byte[] mine = Encoding.UTF8.GetBytes(text);
        int[] lengths = ranks.AllgatherCounts(mine.Length);
        var all = new byte[ranks.IsRoot ? lengths.Sum() : 0];
        ranks.GatherVariable<byte>(mine, all, lengths);
        output.Write(Encoding.UTF8.GetString(all));
    }
}
