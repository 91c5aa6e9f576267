using System.Numerics;
using Graph.Distributed.Mpi;
using Graph.Runtime.Datasets;

namespace Graph.Samples.Chapter15;

/// <summary>
/// How the model owner combines the three trained models of a federated round, and the lines that round prints
/// around the training: plain averaging (E15.2) or Paillier-encrypted aggregation (E15.5).
/// </summary>
public abstract class FederatedAggregation<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Writes the lines that open a round.</summary>
    public abstract void StartRound(TextWriter output);

    /// <summary>Writes the combining step's lines and returns the new model's weights.</summary>
    public abstract T[] Combine(T[] bob, T[] alice, T[] sue, TextWriter output);

    /// <summary>
    /// The same combining step across the ranks of an MPI job, one party per rank (<see cref="FederatedRanks"/>):
    /// <paramref name="mine"/> is this rank's trained model; every rank calls this together and gets the new
    /// model's weights. Writes the same lines as <see cref="Combine"/>.
    /// </summary>
    public abstract T[] Combine(Communicator ranks, T[] mine, TextWriter output);

    /// <summary>Writes the lines that close a round, after its test line.</summary>
    public virtual void EndRound(TextWriter output)
    {
    }
}

/// <summary>
/// The book's federated learning on the spam data: Bob holds the first 1,000 training e-mails, Alice the next
/// 1,000 and Sue the rest. Each round sends a copy of the model to each, trains it there for one pass, and combines
/// the three trained models into the next model, which is then tested.
/// </summary>
public static class FederatedLearning
{
    /// <summary>The training e-mails each of Bob and Alice holds.</summary>
    public const int PartySize = 1000;

    /// <summary>Runs <paramref name="rounds"/> rounds and returns the last test percentage.</summary>
    public static double Run<T>(SpamDataset data, SpamTraining<T> training, int rounds, FederatedAggregation<T> aggregation, TextWriter output)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(training);
        ArgumentNullException.ThrowIfNull(aggregation);
        ArgumentNullException.ThrowIfNull(output);
        if (data.TrainInputs.Count <= 2 * PartySize)
        {
            throw new ArgumentException($"Federated learning needs more than {2 * PartySize} training e-mails (Bob's and Alice's {PartySize} each, then Sue's), not {data.TrainInputs.Count}.", nameof(data));
        }

        var parties = Parties(data.TrainInputs.Count);
        var model = training.NewModel();
        double percent = double.NaN;
        for (int round = 0; round < rounds; round++)
        {
            aggregation.StartRound(output);
            var trained = new T[parties.Length][];
            for (int p = 0; p < parties.Length; p++)
            {
                var (step, start, end) = parties[p];
                output.WriteLine(step);
                var copy = training.NewModel(model.Parameters[0].Value);
                training.TrainPass(copy, Slice(data.TrainInputs, start, end), Slice(data.TrainTargets, start, end), output);
                trained[p] = copy.Parameters[0].Value;
            }

            model = training.NewModel(aggregation.Combine(trained[0], trained[1], trained[2], output));
            percent = training.TestPercent(model, data.TestInputs, data.TestTargets);
            output.WriteLine("\t" + SpamTraining<T>.CorrectLine(percent));
            aggregation.EndRound(output);
        }

        return percent;
    }

    /// <summary>
    /// Bob, Alice and Sue: the line that opens each one's training and the training e-mails each holds, Bob the
    /// first <see cref="PartySize"/>, Alice the next, Sue the rest of <paramref name="trainCount"/>.
    /// </summary>
    public static (string Step, int Start, int End)[] Parties(int trainCount) =>
    [
        ("\tStep 1: send the model to Bob", 0, PartySize),
        ("\n\tStep 2: send the model to Alice", PartySize, 2 * PartySize),
        ("\n\tStep 3: Send the model to Sue", 2 * PartySize, trainCount),
    ];

    private static TItem[] Slice<TItem>(IReadOnlyList<TItem> items, int start, int end) => items.Skip(start).Take(end - start).ToArray();
}

/// <summary>E15.2's combining step: the mean of the three weight vectors.</summary>
public sealed class Averaging<T> : FederatedAggregation<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public override void StartRound(TextWriter output) => output.WriteLine("Starting Training Round...");

    public override T[] Combine(T[] bob, T[] alice, T[] sue, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        output.WriteLine(AverageLine);
        var three = T.CreateChecked(3);
        var mean = new T[sue.Length];
        for (int i = 0; i < mean.Length; i++)
        {
            mean[i] = (bob[i] + alice[i] + sue[i]) / three;
        }

        return mean;
    }

    /// <summary>
    /// The mean over the ranks, added in rank order as <see cref="Combine(T[], T[], T[], TextWriter)"/> adds Bob,
    /// Alice and Sue, so the new model has the same bits as in one process.
    /// </summary>
    public override T[] Combine(Communicator ranks, T[] mine, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(mine);
        ArgumentNullException.ThrowIfNull(output);
        output.WriteLine(AverageLine);
        var mean = (T[])mine.Clone();
        Graph.Distributed.Federated.FederatedAveraging.Average<T>(ranks, mean, Summation.RankOrder);
        return mean;
    }

    public override void EndRound(TextWriter output) => output.WriteLine("\nRepeat!!\n");

    private const string AverageLine = "\n\tAverage Everyone's New Models";
}
