using System.Globalization;
using Graph.Runtime;
using Graph.Samples.Chapter14;
using Graph.Samples.Formatting;
using Xunit;

namespace Graph.Tests.Samples;

/// <summary>
/// Chapter 14's character models against the book's own framework: <c>Oracles/ch14_book_framework.py</c> runs the
/// book's chapter 14 Tensor, LSTMCell and RNNCell (copied unchanged) in numpy on small networks, and the compiled
/// models must give its gradients and its training losses in double. The book's autograd drops most of the LSTM's
/// recurrent gradient, so the LSTM compared here is <see cref="BookGradientLstm{T}"/> (<c>ch14 lstm --book-gradient</c>).
/// </summary>
public sealed class Chapter14BookFrameworkTests
{
    /// <summary>
    /// The oracle's output, pasted: <c>/usr/bin/python3 tests/Graph.Tests/Samples/Oracles/ch14_book_framework.py</c>
    /// with Debian's python3-numpy 1.24.2. Each gradient line is a parameter's name and its gradient, row-major; each
    /// training line is the iteration, the batch (from 1), the book's <c>exp(total_loss / (batch_i + 1))</c> and, at
    /// each iteration's first batch, the 70-character argmax sample from 'T'.
    /// </summary>
    private const string Oracle =
        """
        lstm-gradient
        loss 40.41038049071127
        Embed -0.029593145224608326 -0.04099198663378029 0.062348736546416594 -1.7559597140905455e-06 -1.6886996208855047e-06 2.0523216790215335e-06 6.293518708313942e-05 5.1883410560561335e-05 -8.457245092961887e-05 0.036125531279849056 0.03526041706504757 -0.036726081745781194 -1.8264558502443486e-06 -1.8141439378822178e-06 2.617563720840967e-06
        ForgetInput -0.006224576994596423 0.005529955093290425 -0.0015719532858288034 -0.0007996741301415749 -0.0020985311512010645 0.001059459369405425 0.002236161336496151 0.003810149950105175 -0.0020394130819352384
        ForgetBias 0.015499722469870997 -0.0217956749842614 0.0075183218720977964
        InGateInput -0.0060316599039192224 0.005747671597641423 -0.0020379995217069224 0.00028241761712024594 -0.0019343943233880204 0.0011948126763250315 -2.065921075163261e-05 0.0034508828452005785 -0.0022745069953499673
        InGateBias 0.018040221488684192 -0.021948759774369834 0.009236606280091297
        OutGateInput -0.016924401166311262 0.014091433346710983 -0.0027817909263257385 -0.0005311330078804209 -0.0033749807781089333 0.0019883254058306976 0.002681522607477875 0.005624840400136605 -0.0038451589175971953
        OutGateBias 0.04683790902408812 -0.04990404035662833 0.013628903806161245
        CandidateInput 0.031035778954764 0.020173752646018114 0.011613635698763548 0.02924274491011568 -0.007998998218288797 -0.0073724502310048 -0.06343135776817203 0.014606683528224315 0.014114674122679003
        CandidateBias -0.0051229544132809154 -0.08049357389801973 -0.054245959799338134
        ForgetHidden -0.0015493814568994131 0.0005429041835438467 -9.878536485080877e-06 0.002513804432656719 -0.003972994166994783 0.0014205780152372776 -0.001958729187990989 0.0032910037192513688 -0.0011972480358390127
        InGateHidden -0.0011748972639162999 0.0006386488235548857 -4.6753103315478234e-05 0.003093197679156071 -0.00397799616778713 0.001741600426170402 -0.0024825267489247253 0.0032870394648067303 -0.00146661859986123
        OutGateHidden -0.00370399127373648 0.0019539896298230632 3.3328191171179435e-05 0.007857104189529385 -0.008917030361881927 0.0025910622915939095 -0.006234802469196196 0.007318240366985889 -0.0021887665865737258
        CandidateHidden 0.014803866522208987 0.0018890839241552174 0.00013675751242216204 0.0028754170689502287 -0.014703645637463313 -0.01025391230450351 -0.0038898801792618177 0.012193125558110647 0.008644526824174074
        Output 0.3651809976038076 -0.10653079490852031 -0.22477075658783938 -0.3234176720377747 0.2895382259303268 -0.002707385683530905 -0.21929889732200591 0.10562468934228791 -0.03622926927521075 0.15261086293845955 0.05208671882884358 0.13066537704050205 -0.07704265589803654 0.06328411599211958 -0.1689935559634287
        rnn-gradient
        loss 1.886836504573004
        Embed -0.012223485729811247 0.004234416373046313 0.020692318475903863 -1.9381633449445124e-06 4.006550445257544e-06 9.951264235459602e-06 -0.017550746520872226 -0.003963947563837336 0.009622851393197556 -0.001580940989843823 -0.0018738573711665762 -0.0021667737524893294 3.877673894489373e-06 -1.266107625262582e-06 -6.409889145014536e-06
        InputWeight -0.039762991466278576 -0.041960879578876974 -0.025882545845812382 0.0079509119319152 0.008597420915819103 -0.020020700100761724 0.054603700679717634 0.05371267172451551 -0.004823118472316266
        InputBias 0.13632543828055366 0.1444522871277031 0.01674813070014473
        HiddenWeight 0.057396945995226746 0.06070156978275825 0.00532993492062971 0.07167689068896711 0.07592736702083679 0.007175347280005322 0.061593443244546464 0.06519559860170666 0.005482001295542754
        HiddenBias 0.13632543828055363 0.1444522871277031 0.01674813070014473
        OutputWeight -0.3397437919184795 0.2160184328388197 -0.26938828199169795 0.11778716220102042 0.2753264788703372 -0.42817384571541495 0.24404817956492647 -0.259997301040581 0.133076401501099 0.31104656568997036 -0.36442761393999373 0.22144817031906194 -0.2600154495474226 0.12074984932543414 0.2822450438429201
        OutputBias -0.7955140653149673 0.4779698135779067 -0.5522728706511381 0.2606254709999003 0.6091916513882982
        lstm-training hidden 4 batch 2 alpha 0.5 iterations 2
        0 1 34.00000000000002 'eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee'
        0 2 33.989577559875435
        0 3 33.96277280367385
        0 4 33.92980182789701
        0 5 33.903039923560186
        0 6 33.879965242183175
        0 7 33.787566349399555
        1 1 32.24426323990858 '                                                                      '
        1 2 31.756572114584753
        1 3 31.630719387692036
        1 4 31.263596977900672
        1 5 30.54622600235891
        1 6 29.923801342221125
        1 7 28.670717648848495
        rnn-training hidden 4 batch 2 alpha 0.5 iterations 2
        0 1 31.005649904458473
        0 2 50.75007539477819
        0 3 44.05526174242886
        0 4 45.44183819324774
        0 5 44.582773615466266
        0 6 41.291108856552704
        0 7 41.55914482203089
        0 8 33.97920422691713
        0 9 35.533484165907026
        0 10 34.722190685826234
        0 11 35.4085805517569
        1 1 18.016616126995086
        1 2 19.029943412802307
        1 3 22.967789610482185
        1 4 22.420464153252063
        1 5 21.984798921294928
        1 6 17.890244077509646
        1 7 19.960319206855825
        1 8 16.593676760365756
        1 9 18.64157827561868
        1 10 18.418644715002227
        1 11 19.656634441107062
        """;

    /// <summary>The oracle's text, the same characters as its <c>TEXT</c>.</summary>
    private const string Text =
        "That, my lord, is the tale I told thee.\n" +
        "Tell me now: what light through yonder window breaks?\n" +
        "It is the east, and the sun rises; arise, fair sun!\n" +
        "To be, or not to be, that is the question we ask.\n" +
        "Speak the speech, I pray you, as I pronounced it to you,\n" +
        "trippingly on the tongue; but if you mouth it, as many of\n" +
        "our players do, I had as lief the town-crier spoke my lines.\n";

    /// <summary>Agreement to rounding: the compiled kernels sum in other orders than numpy.</summary>
    private const double Tolerance = 1e-12;

    private const int Vocab = 5;

    private const int Hidden = 3;

    private const int Batch = 2;

    [Fact]
    public void TheBookGradientLstmStepsOnTheBookFrameworksGradient()
    {
        var model = new BookGradientLstm<double>(vocab: Vocab, hidden: Hidden);
        SetFixed(model.Parameters);
        int steps = BookGradientLstm<double>.Steps;
        double loss = model.Backward(FixedChars(steps, 3, 2, 1), FixedChars(steps, 2, 7, 0), FixedState(0), FixedState(1), Batch);
        AssertBookGradients("lstm-gradient", loss, model.Parameters);
    }

    /// <summary>The oracle tells the two gradients apart: the true gradient of the batch sum is far from the book's.</summary>
    [Fact]
    public void TheTrueGradientIsNotTheBooks()
    {
        var model = new ShakespeareLstm<double>(vocab: Vocab, hidden: Hidden);
        SetFixed(model.Parameters);
        int steps = ShakespeareLstm<double>.Steps;
        model.Backward(FixedChars(steps, 3, 2, 1), FixedChars(steps, 2, 7, 0), FixedState(0), FixedState(1), Batch);

        var (_, bookGradients) = Gradients("lstm-gradient");
        foreach (string name in (string[])["Embed", "ForgetHidden", "CandidateInput"])
        {
            double[] book = bookGradients[name];
            double[] sum = model.Parameters[name].Gradient.Select(g => g * Batch).ToArray();
            Assert.True(RelativeDifference(book, sum) > 0.05, $"{name}: the true gradient is within 5 % of the book's");
        }

        // The output layer's gradient is exact in the book too.
        AssertClose(bookGradients["Output"], model.Parameters["Output"].Gradient.Select(g => g * Batch).ToArray(), "Output");
    }

    [Fact]
    public void TheRnnStepsOnTheBookFrameworksGradient()
    {
        var model = new ShakespeareRnn<double>(vocab: Vocab, hidden: Hidden);
        SetFixed(model.Parameters);
        int steps = ShakespeareRnn<double>.Steps;
        double loss = model.Backward(FixedChars(steps, 3, 2, 1), FixedChars(steps, 2, 7, 0), FixedState(0), Batch);
        AssertBookGradients("rnn-gradient", loss, model.Parameters);
    }

    /// <summary>
    /// The book's <c>train()</c> with its initial draws (seed 0, <c>w_ho</c> zeroed), state carried from batch to batch
    /// and alpha decayed: every line the trainer writes has the book's loss at that batch, and each iteration's first
    /// line the book's argmax sample.
    /// </summary>
    [Fact]
    public void BookGradientTrainingFollowsTheBookFramework()
    {
        var output = new StringWriter(CultureInfo.InvariantCulture);
        LstmTraining.Run<double>(new CharacterText(Text), new LstmSettings(0, 0.5, 2, 4, Batch, BookGradient: true), output);

        var book = Training("lstm-training");
        var lines = SampleRun.SplitLines(output.ToString());
        Assert.Equal(2, lines.Count(l => l.Contains(" - Batch 1/7 - ", StringComparison.Ordinal)));
        Assert.Equal(2, lines.Count(l => l.Contains(" - Batch 7/7 - ", StringComparison.Ordinal)));
        foreach (string line in lines)
        {
            var (iteration, batch) = (Field(line, "Iter:", " "), Field(line, "Batch ", "/"));
            var (loss, sample) = book[(iteration, batch)];
            string printed = line[(line.IndexOf(" - Loss:", StringComparison.Ordinal) + 8)..];
            AssertClose(loss, double.Parse(printed.Split(' ')[0], CultureInfo.InvariantCulture), line);
            if (sample is not null)
            {
                Assert.EndsWith(" - " + sample, line, StringComparison.Ordinal);
            }
        }
    }

    /// <summary>The book's <c>train()</c> of the RNN: each iteration's line shows the losses the book logs at batches 1 and 11.</summary>
    [Fact]
    public void RnnTrainingFollowsTheBookFramework()
    {
        var output = new StringWriter(CultureInfo.InvariantCulture);
        RnnTraining.Run<double>(new CharacterText(Text), new RnnSettings(0, 0.5, 2, 4, Batch), output);

        var book = Training("rnn-training");
        var lines = SampleRun.SplitLines(output.ToString());
        Assert.Equal(2, lines.Length);
        for (int iteration = 0; iteration < 2; iteration++)
        {
            // The batch-11 log covers the start of the longer batch-1 log, whose loss shows through after it.
            string prefix = $" Iter:{iteration} - Batch 11/11 - Loss:";
            Assert.StartsWith(prefix, lines[iteration], StringComparison.Ordinal);
            string last = PythonFormat.Repr(book[(iteration, 11)].Loss);
            AssertClose(book[(iteration, 11)].Loss, double.Parse(lines[iteration].Substring(prefix.Length, last.Length), CultureInfo.InvariantCulture), lines[iteration]);
        }
    }

    [Fact]
    public void AnOverwrittenLineShowsTheEndOfALongerWriteBeforeIt()
    {
        var line = new OverwrittenLine();
        line.Write(" Iter:0 - Loss:61.99 - tttt");
        line.Write(" Iter:0 - Loss:9.95");
        Assert.Equal(" Iter:0 - Loss:9.959 - tttt", line.ToString());
        line.Write(" Iter:0 - Loss:9.95 - and more than before");
        Assert.Equal(" Iter:0 - Loss:9.95 - and more than before", line.ToString());
        Assert.Throws<ArgumentException>(() => line.Write("two\rwrites"));
    }

    /// <summary>
    /// The loss and every gradient of a backward pass equal the oracle's section. The model's loss is the batch sum;
    /// the book's <c>loss.data</c> adds each step's batch mean.
    /// </summary>
    private static void AssertBookGradients(string section, double loss, ParameterSet<double> parameters)
    {
        var (bookLoss, bookGradients) = Gradients(section);
        AssertClose(bookLoss, loss / Batch, "loss");
        Assert.Equal(bookGradients.Keys, parameters.Select(p => p.Name));
        foreach (var parameter in parameters)
        {
            AssertClose(bookGradients[parameter.Name], parameter.Gradient, parameter.Name);
        }
    }

    /// <summary>The oracle's <c>fixed(k, shape)</c>: element j of parameter k is ((7 j + 13 k) mod 19 - 9) / 20.</summary>
    private static void SetFixed(ParameterSet<double> parameters)
    {
        int k = 0;
        foreach (var parameter in parameters)
        {
            var values = Enumerable.Range(0, parameter.Size).Select(j => ((((7 * j) + (13 * k)) % 19) - 9) / 20.0).ToArray();
            parameter.CopyFrom(values);
            k++;
        }
    }

    /// <summary>The oracle's <c>fixed_state(k, batch, hidden)</c>: element j is ((5 j + 3 k) mod 11 - 5) / 10.</summary>
    private static double[] FixedState(int k) =>
        Enumerable.Range(0, Batch * Hidden).Select(j => ((((5 * j) + (3 * k)) % 11) - 5) / 10.0).ToArray();

    /// <summary>The oracle's <c>fixed_chars</c>, <c>(a t + b s + c t t) mod vocab</c>, laid out per sample.</summary>
    private static int[] FixedChars(int steps, int a, int b, int c) =>
        Enumerable.Range(0, Batch * steps).Select(i => (i / steps, i % steps)).Select(p => ((a * p.Item2) + (b * p.Item1) + (c * p.Item2 * p.Item2)) % Vocab).ToArray();

    /// <summary>One gradient section of the oracle: its loss and each parameter's gradient, in the oracle's order.</summary>
    private static (double Loss, Dictionary<string, double[]> Gradients) Gradients(string section)
    {
        var gradients = new Dictionary<string, double[]>();
        double loss = double.NaN;
        foreach (string line in Section(section))
        {
            string[] fields = line.Split(' ');
            double[] values = fields[1..].Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
            if (fields[0] == "loss")
            {
                loss = values[0];
            }
            else
            {
                gradients.Add(fields[0], values);
            }
        }

        return (loss, gradients);
    }

    /// <summary>One training section of the oracle: the loss (and sample, where there is one) at each iteration and batch.</summary>
    private static Dictionary<(int Iteration, int Batch), (double Loss, string? Sample)> Training(string section) =>
        Section(section).ToDictionary(
            line => (int.Parse(line.Split(' ')[0], CultureInfo.InvariantCulture), int.Parse(line.Split(' ')[1], CultureInfo.InvariantCulture)),
            line =>
            {
                string[] fields = line.Split(' ', 4);
                return (double.Parse(fields[2], CultureInfo.InvariantCulture), fields.Length > 3 ? fields[3][1..^1] : null);
            });

    /// <summary>
    /// The lines after the header <paramref name="name"/> up to the next header. A header is a lower-case case name
    /// (<c>lstm-training hidden 4 ...</c>); the lines under it start with a parameter's name, <c>loss</c> or a number.
    /// </summary>
    private static IEnumerable<string> Section(string name) =>
        SampleRun.SplitLines(Oracle)
            .SkipWhile(l => l.Split(' ')[0] != name)
            .Skip(1)
            .TakeWhile(l => !(char.IsLower(l[0]) && l.Split(' ')[0] != "loss"));

    /// <summary>The integer in <paramref name="line"/> between <paramref name="before"/> and the next <paramref name="after"/>.</summary>
    private static int Field(string line, string before, string after)
    {
        int start = line.IndexOf(before, StringComparison.Ordinal) + before.Length;
        return int.Parse(line[start..line.IndexOf(after, start, StringComparison.Ordinal)], CultureInfo.InvariantCulture);
    }

    private static void AssertClose(double expected, double actual, string what) =>
        Assert.True(Math.Abs(expected - actual) <= Tolerance * Math.Abs(expected), $"{what}: expected {expected:R}, got {actual:R}");

    /// <summary>Each element within <see cref="Tolerance"/> of the largest element of the book's gradient.</summary>
    private static void AssertClose(double[] expected, IReadOnlyList<double> actual, string what)
    {
        Assert.Equal(expected.Length, actual.Count);
        double scale = expected.Max(Math.Abs);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= Tolerance * scale, $"{what}[{i}]: expected {expected[i]:R}, got {actual[i]:R}");
        }
    }

    private static double RelativeDifference(double[] expected, double[] actual) =>
        Math.Sqrt(expected.Zip(actual, (e, a) => (e - a) * (e - a)).Sum() / expected.Sum(e => e * e));
}
