using Graph.Bench.Data;
using Graph.Bench.Models;
using Graph.Bench.Torch;

namespace Graph.Bench.Checks;

/// <summary>
/// Before the character LSTM is timed: one training step of Graph's <see cref="CharacterLstm"/> and of TorchSharp's
/// nn.LSTM from the same weights on the same batch must give the same loss and the same update of the output layer and
/// of the forget gate's recurrent weights (which every step's gradient reaches), within float tolerance, so that the
/// timings compare the same computation.
/// </summary>
public static class LstmEquivalenceCheck
{
    /// <summary>Samples in the checked batch (the weights, not the batch, are most of the step's shapes).</summary>
    private const int Batch = 4;

    /// <summary>Runs the check; prints one line and returns whether it passed (true where TorchSharp is skipped).</summary>
    public static bool Run(TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (!TorchRuntime.IsAvailable)
        {
            output.WriteLine($"Check against TorchSharp skipped: {TorchRuntime.Status}");
            return true;
        }

        var data = new LstmData(Batch, count: 1, seed: 11);
        var graph = new CharacterLstm(seed: 3);
        LstmWeights before = LstmWeights.From(graph.Parameters);
        using var torch = new TorchLstmTrainer(before, data);
        float torchLoss = torch.Step();
        float graphLoss = graph.TrainStep(data.Chars[0], data.Targets[0], data.H0, data.C0, LstmData.LearningRate, Batch);
        LstmWeights after = LstmWeights.From(graph.Parameters);

        double lossDifference = Math.Abs(torchLoss - graphLoss);
        bool ok = lossDifference <= EquivalenceCheck.LossTolerance * Math.Max(1, Math.Abs(graphLoss));
        string line = $"Check: one step of batch {Batch} from the same weights: loss Graph {graphLoss:G7}, TorchSharp {torchLoss:G7}, |Δloss| {lossDifference:0.0e0}";
        foreach (var (name, was, graphNow, torchNow) in new[]
        {
            ("Output", before.Output, after.Output, torch.Model.OutputWeights()),
            ("ForgetHidden", before.ForgetHidden, after.ForgetHidden, torch.Model.ForgetHiddenWeights()),
        })
        {
            double scale = was.Zip(graphNow, (b, a) => Math.Abs((double)a - b)).Max();
            double difference = Enumerable.Range(0, was.Length).Max(i => Math.Abs(((double)torchNow[i] - was[i]) - ((double)graphNow[i] - was[i])));
            bool same = scale > 0 && difference <= EquivalenceCheck.UpdateTolerance * scale;
            ok &= same;
            line += $"; {name} max|Δupdate| {difference / scale:0.0e0}×max";
        }

        output.WriteLine($"{line} — {(ok ? "same step" : "MISMATCH: the timings below do not compare the same computation")}");
        output.WriteLine($"(pass: |Δloss| <= {EquivalenceCheck.LossTolerance:0e0} × max(1, |loss|), each update within {EquivalenceCheck.UpdateTolerance:0e0} × the largest of Graph's, which is not zero)");
        return ok;
    }
}
