using Graph;
using Graph.Runtime;
using static Graph.Ops;

namespace Graph.Tests.Loops;

// Each model twice, in double: with its sums over a loop's steps in the unrolled order (ExactLoopSums = true; a long
// loop may stay a for loop in the generated code) and with UnrollLoops = true (every loop written out step by step);
// the LSTM and the bAbI recurrence a third time as the compiler compiles them by default (a sum of products over the
// steps as one product after the loop). The declarations differ only in those attributes and their name; the
// interface above them is what the tests call.

/// <summary>What the tests call of a character LSTM twin.</summary>
public interface ICharacterLstmTwin
{
    int Vocab { get; }

    int Hidden { get; }

    ParameterSet<double> Parameters { get; }

    double Loss(ReadOnlySpan<int> chars, ReadOnlySpan<int> targets, ReadOnlySpan<double> h0, ReadOnlySpan<double> c0, int batch = 1);

    double Backward(ReadOnlySpan<int> chars, ReadOnlySpan<int> targets, ReadOnlySpan<double> h0, ReadOnlySpan<double> c0, int batch = 1);

    double TrainStep(ReadOnlySpan<int> chars, ReadOnlySpan<int> targets, ReadOnlySpan<double> h0, ReadOnlySpan<double> c0, double learningRate, int batch = 1);

    void FinalState(ReadOnlySpan<int> chars, ReadOnlySpan<double> h0, ReadOnlySpan<double> c0, Span<double> output, int batch = 1);
}

/// <summary>
/// The chapter 14 character LSTM (<c>samples/Chapters/Chapter14/ShakespeareLstm.cs</c>) at a small scale: an embedded
/// character, four gates with biases, the state as inputs h0 and c0, the summed per-step cross-entropy and the final state.
/// </summary>
[Model(typeof(double), ExactLoopSums = true), Size("Vocab", 7), Size("Hidden", 5)]
public partial class CharacterLstmLoop : ICharacterLstmTwin
{
    public const int Steps = 8;

    [Param("Vocab", "Hidden"), InitZeros] public partial Tensor Embed { get; }
    [Param("Hidden", "Hidden"), InitZeros] public partial Tensor ForgetInput { get; }
    [Param("Hidden"), InitZeros] public partial Tensor ForgetBias { get; }
    [Param("Hidden", "Hidden"), InitZeros] public partial Tensor InGateInput { get; }
    [Param("Hidden"), InitZeros] public partial Tensor InGateBias { get; }
    [Param("Hidden", "Hidden"), InitZeros] public partial Tensor OutGateInput { get; }
    [Param("Hidden"), InitZeros] public partial Tensor OutGateBias { get; }
    [Param("Hidden", "Hidden"), InitZeros] public partial Tensor CandidateInput { get; }
    [Param("Hidden"), InitZeros] public partial Tensor CandidateBias { get; }
    [Param("Hidden", "Hidden"), InitZeros] public partial Tensor ForgetHidden { get; }
    [Param("Hidden", "Hidden"), InitZeros] public partial Tensor InGateHidden { get; }
    [Param("Hidden", "Hidden"), InitZeros] public partial Tensor OutGateHidden { get; }
    [Param("Hidden", "Hidden"), InitZeros] public partial Tensor CandidateHidden { get; }
    [Param("Hidden", "Vocab"), InitZeros] public partial Tensor Output { get; }

    [Loss]
    public Tensor Loss([Indices(Steps)] Tensor chars, [Indices(Steps)] Tensor targets, [Shape(1, "Hidden")] Tensor h0, [Shape(1, "Hidden")] Tensor c0)
    {
        Tensor h = h0;
        Tensor c = c0;
        Tensor loss = 0;
        for (int t = 0; t < Steps; t++)
        {
            Tensor x = EmbeddingSum(Embed, chars[t]);
            Tensor next = NextCell(x, h, c);
            h = NextHidden(x, h, next);
            c = next;
            loss += SoftmaxCrossEntropy(h[0].Dot(Output), targets[t]);
        }

        return loss;
    }

    [Forward]
    public Tensor FinalState([Indices(Steps)] Tensor chars, [Shape(1, "Hidden")] Tensor h0, [Shape(1, "Hidden")] Tensor c0)
    {
        Tensor h = h0;
        Tensor c = c0;
        for (int t = 0; t < Steps; t++)
        {
            Tensor x = EmbeddingSum(Embed, chars[t]);
            Tensor next = NextCell(x, h, c);
            h = NextHidden(x, h, next);
            c = next;
        }

        return Concat(h, c);
    }

    private Tensor NextCell(Tensor x, Tensor h, Tensor c)
    {
        Tensor f = Sigmoid(x.Dot(ForgetInput) + ForgetBias + h.Dot(ForgetHidden));
        Tensor i = Sigmoid(x.Dot(InGateInput) + InGateBias + h.Dot(InGateHidden));
        Tensor g = Tanh(x.Dot(CandidateInput) + CandidateBias + h.Dot(CandidateHidden));
        return f * c + i * g;
    }

    private Tensor NextHidden(Tensor x, Tensor h, Tensor c) =>
        Sigmoid(x.Dot(OutGateInput) + OutGateBias + h.Dot(OutGateHidden)) * Tanh(c);
}

/// <summary><see cref="CharacterLstmLoop"/> with every loop written out step by step.</summary>
[Model(typeof(double), UnrollLoops = true), Size("Vocab", 7), Size("Hidden", 5)]
public partial class CharacterLstmUnrolled : ICharacterLstmTwin
{
    public const int Steps = 8;

    [Param("Vocab", "Hidden"), InitZeros] public partial Tensor Embed { get; }
    [Param("Hidden", "Hidden"), InitZeros] public partial Tensor ForgetInput { get; }
    [Param("Hidden"), InitZeros] public partial Tensor ForgetBias { get; }
    [Param("Hidden", "Hidden"), InitZeros] public partial Tensor InGateInput { get; }
    [Param("Hidden"), InitZeros] public partial Tensor InGateBias { get; }
    [Param("Hidden", "Hidden"), InitZeros] public partial Tensor OutGateInput { get; }
    [Param("Hidden"), InitZeros] public partial Tensor OutGateBias { get; }
    [Param("Hidden", "Hidden"), InitZeros] public partial Tensor CandidateInput { get; }
    [Param("Hidden"), InitZeros] public partial Tensor CandidateBias { get; }
    [Param("Hidden", "Hidden"), InitZeros] public partial Tensor ForgetHidden { get; }
    [Param("Hidden", "Hidden"), InitZeros] public partial Tensor InGateHidden { get; }
    [Param("Hidden", "Hidden"), InitZeros] public partial Tensor OutGateHidden { get; }
    [Param("Hidden", "Hidden"), InitZeros] public partial Tensor CandidateHidden { get; }
    [Param("Hidden", "Vocab"), InitZeros] public partial Tensor Output { get; }

    [Loss]
    public Tensor Loss([Indices(Steps)] Tensor chars, [Indices(Steps)] Tensor targets, [Shape(1, "Hidden")] Tensor h0, [Shape(1, "Hidden")] Tensor c0)
    {
        Tensor h = h0;
        Tensor c = c0;
        Tensor loss = 0;
        for (int t = 0; t < Steps; t++)
        {
            Tensor x = EmbeddingSum(Embed, chars[t]);
            Tensor next = NextCell(x, h, c);
            h = NextHidden(x, h, next);
            c = next;
            loss += SoftmaxCrossEntropy(h[0].Dot(Output), targets[t]);
        }

        return loss;
    }

    [Forward]
    public Tensor FinalState([Indices(Steps)] Tensor chars, [Shape(1, "Hidden")] Tensor h0, [Shape(1, "Hidden")] Tensor c0)
    {
        Tensor h = h0;
        Tensor c = c0;
        for (int t = 0; t < Steps; t++)
        {
            Tensor x = EmbeddingSum(Embed, chars[t]);
            Tensor next = NextCell(x, h, c);
            h = NextHidden(x, h, next);
            c = next;
        }

        return Concat(h, c);
    }

    private Tensor NextCell(Tensor x, Tensor h, Tensor c)
    {
        Tensor f = Sigmoid(x.Dot(ForgetInput) + ForgetBias + h.Dot(ForgetHidden));
        Tensor i = Sigmoid(x.Dot(InGateInput) + InGateBias + h.Dot(InGateHidden));
        Tensor g = Tanh(x.Dot(CandidateInput) + CandidateBias + h.Dot(CandidateHidden));
        return f * c + i * g;
    }

    private Tensor NextHidden(Tensor x, Tensor h, Tensor c) =>
        Sigmoid(x.Dot(OutGateInput) + OutGateBias + h.Dot(OutGateHidden)) * Tanh(c);
}

/// <summary><see cref="CharacterLstmLoop"/> with the sums over its loop's steps in the compiler's order (ExactLoopSums off).</summary>
[Model(typeof(double)), Size("Vocab", 7), Size("Hidden", 5)]
public partial class CharacterLstmSummed : ICharacterLstmTwin
{
    public const int Steps = 8;

    [Param("Vocab", "Hidden"), InitZeros] public partial Tensor Embed { get; }
    [Param("Hidden", "Hidden"), InitZeros] public partial Tensor ForgetInput { get; }
    [Param("Hidden"), InitZeros] public partial Tensor ForgetBias { get; }
    [Param("Hidden", "Hidden"), InitZeros] public partial Tensor InGateInput { get; }
    [Param("Hidden"), InitZeros] public partial Tensor InGateBias { get; }
    [Param("Hidden", "Hidden"), InitZeros] public partial Tensor OutGateInput { get; }
    [Param("Hidden"), InitZeros] public partial Tensor OutGateBias { get; }
    [Param("Hidden", "Hidden"), InitZeros] public partial Tensor CandidateInput { get; }
    [Param("Hidden"), InitZeros] public partial Tensor CandidateBias { get; }
    [Param("Hidden", "Hidden"), InitZeros] public partial Tensor ForgetHidden { get; }
    [Param("Hidden", "Hidden"), InitZeros] public partial Tensor InGateHidden { get; }
    [Param("Hidden", "Hidden"), InitZeros] public partial Tensor OutGateHidden { get; }
    [Param("Hidden", "Hidden"), InitZeros] public partial Tensor CandidateHidden { get; }
    [Param("Hidden", "Vocab"), InitZeros] public partial Tensor Output { get; }

    [Loss]
    public Tensor Loss([Indices(Steps)] Tensor chars, [Indices(Steps)] Tensor targets, [Shape(1, "Hidden")] Tensor h0, [Shape(1, "Hidden")] Tensor c0)
    {
        Tensor h = h0;
        Tensor c = c0;
        Tensor loss = 0;
        for (int t = 0; t < Steps; t++)
        {
            Tensor x = EmbeddingSum(Embed, chars[t]);
            Tensor next = NextCell(x, h, c);
            h = NextHidden(x, h, next);
            c = next;
            loss += SoftmaxCrossEntropy(h[0].Dot(Output), targets[t]);
        }

        return loss;
    }

    [Forward]
    public Tensor FinalState([Indices(Steps)] Tensor chars, [Shape(1, "Hidden")] Tensor h0, [Shape(1, "Hidden")] Tensor c0)
    {
        Tensor h = h0;
        Tensor c = c0;
        for (int t = 0; t < Steps; t++)
        {
            Tensor x = EmbeddingSum(Embed, chars[t]);
            Tensor next = NextCell(x, h, c);
            h = NextHidden(x, h, next);
            c = next;
        }

        return Concat(h, c);
    }

    private Tensor NextCell(Tensor x, Tensor h, Tensor c)
    {
        Tensor f = Sigmoid(x.Dot(ForgetInput) + ForgetBias + h.Dot(ForgetHidden));
        Tensor i = Sigmoid(x.Dot(InGateInput) + InGateBias + h.Dot(InGateHidden));
        Tensor g = Tanh(x.Dot(CandidateInput) + CandidateBias + h.Dot(CandidateHidden));
        return f * c + i * g;
    }

    private Tensor NextHidden(Tensor x, Tensor h, Tensor c) =>
        Sigmoid(x.Dot(OutGateInput) + OutGateBias + h.Dot(OutGateHidden)) * Tanh(c);
}

/// <summary>What the tests call of a bAbI RNN twin.</summary>
public interface IBabiRnnTwin
{
    int Vocab { get; }

    ParameterSet<double> Parameters { get; }

    double Loss(ReadOnlySpan<int> words, int batch = 1);

    double Backward(ReadOnlySpan<int> words, int batch = 1);

    double TrainStep(ReadOnlySpan<int> words, double learningRate, int batch = 1);

    void Predict(ReadOnlySpan<int> words, Span<double> output, int batch = 1);
}

/// <summary>
/// The chapter 12 bAbI recurrence (<c>samples/Chapters/Chapter12/BabiRecurrentNetwork.cs</c>) at a small scale: padded
/// sentences, the summed cross-entropy of predicting each word, and the logits of every step appended row by row.
/// </summary>
[Model(typeof(double), ExactLoopSums = true), Size("Vocab", 9)]
public partial class BabiRnnLoop : IBabiRnnTwin
{
    public const int Steps = 8;
    public const int Embedding = 4;

    [Param("Vocab", Embedding), InitZeros] public partial Tensor Embed { get; }
    [Param(Embedding, Embedding), InitZeros] public partial Tensor Recurrent { get; }
    [Param(Embedding), InitZeros] public partial Tensor Start { get; }
    [Param(Embedding, "Vocab"), InitZeros] public partial Tensor Decoder { get; }

    [Loss(Reduction = Reduction.Sum)]
    public Tensor Loss([Indices(Steps, Padded = true)] Tensor words)
    {
        Tensor hidden = Start;
        Tensor loss = 0;
        for (int t = 0; t < Steps; t++)
        {
            loss += SoftmaxCrossEntropy(hidden.Dot(Decoder), words[t]);
            hidden = hidden.Dot(Recurrent) + EmbeddingSum(Embed, words[t]);
        }

        return loss;
    }

    [Forward]
    public Tensor Predict([Indices(Steps, Padded = true)] Tensor words)
    {
        Tensor hidden = Start;
        Tensor logits = Reshape(hidden, 1, Embedding).Dot(Decoder);
        for (int t = 1; t < Steps; t++)
        {
            hidden = hidden.Dot(Recurrent) + EmbeddingSum(Embed, words[t - 1]);
            logits = Concat(logits, Reshape(hidden, 1, Embedding).Dot(Decoder));
        }

        return logits;
    }
}

/// <summary><see cref="BabiRnnLoop"/> with every loop written out step by step.</summary>
[Model(typeof(double), UnrollLoops = true), Size("Vocab", 9)]
public partial class BabiRnnUnrolled : IBabiRnnTwin
{
    public const int Steps = 8;
    public const int Embedding = 4;

    [Param("Vocab", Embedding), InitZeros] public partial Tensor Embed { get; }
    [Param(Embedding, Embedding), InitZeros] public partial Tensor Recurrent { get; }
    [Param(Embedding), InitZeros] public partial Tensor Start { get; }
    [Param(Embedding, "Vocab"), InitZeros] public partial Tensor Decoder { get; }

    [Loss(Reduction = Reduction.Sum)]
    public Tensor Loss([Indices(Steps, Padded = true)] Tensor words)
    {
        Tensor hidden = Start;
        Tensor loss = 0;
        for (int t = 0; t < Steps; t++)
        {
            loss += SoftmaxCrossEntropy(hidden.Dot(Decoder), words[t]);
            hidden = hidden.Dot(Recurrent) + EmbeddingSum(Embed, words[t]);
        }

        return loss;
    }

    [Forward]
    public Tensor Predict([Indices(Steps, Padded = true)] Tensor words)
    {
        Tensor hidden = Start;
        Tensor logits = Reshape(hidden, 1, Embedding).Dot(Decoder);
        for (int t = 1; t < Steps; t++)
        {
            hidden = hidden.Dot(Recurrent) + EmbeddingSum(Embed, words[t - 1]);
            logits = Concat(logits, Reshape(hidden, 1, Embedding).Dot(Decoder));
        }

        return logits;
    }
}

/// <summary><see cref="BabiRnnLoop"/> with the sums over its loop's steps in the compiler's order (ExactLoopSums off).</summary>
[Model(typeof(double)), Size("Vocab", 9)]
public partial class BabiRnnSummed : IBabiRnnTwin
{
    public const int Steps = 8;
    public const int Embedding = 4;

    [Param("Vocab", Embedding), InitZeros] public partial Tensor Embed { get; }
    [Param(Embedding, Embedding), InitZeros] public partial Tensor Recurrent { get; }
    [Param(Embedding), InitZeros] public partial Tensor Start { get; }
    [Param(Embedding, "Vocab"), InitZeros] public partial Tensor Decoder { get; }

    [Loss(Reduction = Reduction.Sum)]
    public Tensor Loss([Indices(Steps, Padded = true)] Tensor words)
    {
        Tensor hidden = Start;
        Tensor loss = 0;
        for (int t = 0; t < Steps; t++)
        {
            loss += SoftmaxCrossEntropy(hidden.Dot(Decoder), words[t]);
            hidden = hidden.Dot(Recurrent) + EmbeddingSum(Embed, words[t]);
        }

        return loss;
    }

    [Forward]
    public Tensor Predict([Indices(Steps, Padded = true)] Tensor words)
    {
        Tensor hidden = Start;
        Tensor logits = Reshape(hidden, 1, Embedding).Dot(Decoder);
        for (int t = 1; t < Steps; t++)
        {
            hidden = hidden.Dot(Recurrent) + EmbeddingSum(Embed, words[t - 1]);
            logits = Concat(logits, Reshape(hidden, 1, Embedding).Dot(Decoder));
        }

        return logits;
    }
}

/// <summary>What the tests call of a twin that reads a dense sequence: an input x of one row per step and a projection r.</summary>
public interface IDenseSequenceTwin
{
    ParameterSet<double> Parameters { get; }

    double Loss(ReadOnlySpan<double> x, ReadOnlySpan<double> r, int batch = 1);

    double Backward(ReadOnlySpan<double> x, ReadOnlySpan<double> r, int batch = 1);

    double TrainStep(ReadOnlySpan<double> x, ReadOnlySpan<double> r, double learningRate, int batch = 1);

    void Encode(ReadOnlySpan<double> x, Span<double> output, int batch = 1);
}

/// <summary>
/// A recurrence over a dense sequence (each step reads its row <c>x[t]</c>) whose states are appended, one row per
/// step, after the first step's state computed before the loop.
/// </summary>
[Model(typeof(double), ExactLoopSums = true)]
public partial class StateRowsLoop : IDenseSequenceTwin
{
    public const int Steps = 6;
    public const int Features = 3;
    public const int Hidden = 4;

    [Param(Features, Hidden), InitZeros] public partial Tensor In { get; }
    [Param(Hidden, Hidden), InitZeros] public partial Tensor Recurrent { get; }
    [Param(Hidden), InitZeros] public partial Tensor Bias { get; }

    [Forward]
    public Tensor Encode([Shape(Steps, Features)] Tensor x)
    {
        Tensor h = Tanh(x[0].Dot(In) + Bias);
        Tensor states = Reshape(h, 1, Hidden);
        for (int t = 1; t < Steps; t++)
        {
            h = Tanh(x[t].Dot(In) + h.Dot(Recurrent) + Bias);
            states = Concat(states, Reshape(h, 1, Hidden));
        }

        return states;
    }

    [Loss]
    public Tensor Loss([Shape(Steps, Features)] Tensor x, [Shape(Steps, Hidden)] Tensor r) => Sum(Encode(x) * r);
}

/// <summary><see cref="StateRowsLoop"/> with every loop written out step by step.</summary>
[Model(typeof(double), UnrollLoops = true)]
public partial class StateRowsUnrolled : IDenseSequenceTwin
{
    public const int Steps = 6;
    public const int Features = 3;
    public const int Hidden = 4;

    [Param(Features, Hidden), InitZeros] public partial Tensor In { get; }
    [Param(Hidden, Hidden), InitZeros] public partial Tensor Recurrent { get; }
    [Param(Hidden), InitZeros] public partial Tensor Bias { get; }

    [Forward]
    public Tensor Encode([Shape(Steps, Features)] Tensor x)
    {
        Tensor h = Tanh(x[0].Dot(In) + Bias);
        Tensor states = Reshape(h, 1, Hidden);
        for (int t = 1; t < Steps; t++)
        {
            h = Tanh(x[t].Dot(In) + h.Dot(Recurrent) + Bias);
            states = Concat(states, Reshape(h, 1, Hidden));
        }

        return states;
    }

    [Loss]
    public Tensor Loss([Shape(Steps, Features)] Tensor x, [Shape(Steps, Hidden)] Tensor r) => Sum(Encode(x) * r);
}

/// <summary>
/// A loop whose first step differs from the others: a running sum that starts as the constant 0, shared by the batch,
/// and is a vector per sample after the first step adds the state to it.
/// </summary>
[Model(typeof(double), ExactLoopSums = true)]
public partial class RunningSumLoop : IDenseSequenceTwin
{
    public const int Steps = 6;
    public const int Features = 3;
    public const int Hidden = 4;

    [Param(Features, Hidden), InitZeros] public partial Tensor In { get; }
    [Param(Hidden, Hidden), InitZeros] public partial Tensor Recurrent { get; }
    [Param(Hidden), InitZeros] public partial Tensor Start { get; }

    [Forward]
    public Tensor Encode([Shape(Steps, Features)] Tensor x)
    {
        Tensor h = Start;
        Tensor total = 0;
        for (int t = 0; t < Steps; t++)
        {
            h = Tanh(x[t].Dot(In) + h.Dot(Recurrent));
            total += h * h;
        }

        return total;
    }

    [Loss(Reduction = Reduction.Sum)]
    public Tensor Loss([Shape(Steps, Features)] Tensor x, [Shape(Hidden)] Tensor r) => Sum(Encode(x) * r);
}

/// <summary><see cref="RunningSumLoop"/> with every loop written out step by step.</summary>
[Model(typeof(double), UnrollLoops = true)]
public partial class RunningSumUnrolled : IDenseSequenceTwin
{
    public const int Steps = 6;
    public const int Features = 3;
    public const int Hidden = 4;

    [Param(Features, Hidden), InitZeros] public partial Tensor In { get; }
    [Param(Hidden, Hidden), InitZeros] public partial Tensor Recurrent { get; }
    [Param(Hidden), InitZeros] public partial Tensor Start { get; }

    [Forward]
    public Tensor Encode([Shape(Steps, Features)] Tensor x)
    {
        Tensor h = Start;
        Tensor total = 0;
        for (int t = 0; t < Steps; t++)
        {
            h = Tanh(x[t].Dot(In) + h.Dot(Recurrent));
            total += h * h;
        }

        return total;
    }

    [Loss(Reduction = Reduction.Sum)]
    public Tensor Loss([Shape(Steps, Features)] Tensor x, [Shape(Hidden)] Tensor r) => Sum(Encode(x) * r);
}

// A recurrence that reads each step's word from a table and multiplies the rows it read by weights, three times in
// double: with its loop sums in the unrolled order (ExactLoopSums = true), with every loop written out (UnrollLoops =
// true), and as the compiler compiles it by default, where each product of rows read from Embed becomes rows read from
// a table product Embed·W before the loop (Optimization/TableProducts; Vocab 9 is at most 4 rows per step of 8). The
// word's row is read as a sum (EmbeddingSum) and as a gathered [1, Embedding] row, both multiplied by Input (one table
// product serves both), the gathered row by Gate too, and the summed row is read once more outside any product. The
// state starts at the parameter Start, shared by the batch, so each loop's first step has a body of its own, and both
// bodies read the tables. The sentences are padded (-1), as the bAbI twins'; the declarations differ only in those
// attributes and their name.

/// <summary>The recurrence with its loop sums in the unrolled order: no table products.</summary>
[Model(typeof(double), ExactLoopSums = true), Size("Vocab", 9)]
public partial class TableRnnLoop : IBabiRnnTwin
{
    public const int Steps = 8;
    public const int Embedding = 4;

    [Param("Vocab", Embedding), InitZeros] public partial Tensor Embed { get; }
    [Param(Embedding, Embedding), InitZeros] public partial Tensor Input { get; }
    [Param(Embedding, Embedding), InitZeros] public partial Tensor Gate { get; }
    [Param(Embedding, Embedding), InitZeros] public partial Tensor Recurrent { get; }
    [Param(Embedding), InitZeros] public partial Tensor Start { get; }
    [Param(Embedding, "Vocab"), InitZeros] public partial Tensor Decoder { get; }

    [Loss(Reduction = Reduction.Sum)]
    public Tensor Loss([Indices(Steps, Padded = true)] Tensor words)
    {
        Tensor hidden = Start;
        Tensor loss = 0;
        for (int t = 0; t < Steps; t++)
        {
            loss += SoftmaxCrossEntropy(hidden.Dot(Decoder), words[t]);
            hidden = Next(hidden, EmbeddingSum(Embed, words[t]), Gather(Embed, words[t]));
        }

        return loss;
    }

    [Forward]
    public Tensor Predict([Indices(Steps, Padded = true)] Tensor words)
    {
        Tensor hidden = Start;
        Tensor logits = Reshape(hidden, 1, Embedding).Dot(Decoder);
        for (int t = 1; t < Steps; t++)
        {
            hidden = Next(hidden, EmbeddingSum(Embed, words[t - 1]), Gather(Embed, words[t - 1]));
            logits = Concat(logits, Reshape(hidden, 1, Embedding).Dot(Decoder));
        }

        return logits;
    }

    private Tensor Next(Tensor hidden, Tensor x, Tensor rows) =>
        (Tanh(x.Dot(Input) + hidden.Dot(Recurrent)) * Sigmoid(rows.Dot(Gate))[0]) + (x * rows.Dot(Input)[0]);
}

/// <summary><see cref="TableRnnLoop"/> with every loop written out step by step.</summary>
[Model(typeof(double), UnrollLoops = true), Size("Vocab", 9)]
public partial class TableRnnUnrolled : IBabiRnnTwin
{
    public const int Steps = 8;
    public const int Embedding = 4;

    [Param("Vocab", Embedding), InitZeros] public partial Tensor Embed { get; }
    [Param(Embedding, Embedding), InitZeros] public partial Tensor Input { get; }
    [Param(Embedding, Embedding), InitZeros] public partial Tensor Gate { get; }
    [Param(Embedding, Embedding), InitZeros] public partial Tensor Recurrent { get; }
    [Param(Embedding), InitZeros] public partial Tensor Start { get; }
    [Param(Embedding, "Vocab"), InitZeros] public partial Tensor Decoder { get; }

    [Loss(Reduction = Reduction.Sum)]
    public Tensor Loss([Indices(Steps, Padded = true)] Tensor words)
    {
        Tensor hidden = Start;
        Tensor loss = 0;
        for (int t = 0; t < Steps; t++)
        {
            loss += SoftmaxCrossEntropy(hidden.Dot(Decoder), words[t]);
            hidden = Next(hidden, EmbeddingSum(Embed, words[t]), Gather(Embed, words[t]));
        }

        return loss;
    }

    [Forward]
    public Tensor Predict([Indices(Steps, Padded = true)] Tensor words)
    {
        Tensor hidden = Start;
        Tensor logits = Reshape(hidden, 1, Embedding).Dot(Decoder);
        for (int t = 1; t < Steps; t++)
        {
            hidden = Next(hidden, EmbeddingSum(Embed, words[t - 1]), Gather(Embed, words[t - 1]));
            logits = Concat(logits, Reshape(hidden, 1, Embedding).Dot(Decoder));
        }

        return logits;
    }

    private Tensor Next(Tensor hidden, Tensor x, Tensor rows) =>
        (Tanh(x.Dot(Input) + hidden.Dot(Recurrent)) * Sigmoid(rows.Dot(Gate))[0]) + (x * rows.Dot(Input)[0]);
}

/// <summary><see cref="TableRnnLoop"/> as the compiler compiles it by default: its products of Embed's rows read from table products.</summary>
[Model(typeof(double)), Size("Vocab", 9)]
public partial class TableRnnSummed : IBabiRnnTwin
{
    public const int Steps = 8;
    public const int Embedding = 4;

    [Param("Vocab", Embedding), InitZeros] public partial Tensor Embed { get; }
    [Param(Embedding, Embedding), InitZeros] public partial Tensor Input { get; }
    [Param(Embedding, Embedding), InitZeros] public partial Tensor Gate { get; }
    [Param(Embedding, Embedding), InitZeros] public partial Tensor Recurrent { get; }
    [Param(Embedding), InitZeros] public partial Tensor Start { get; }
    [Param(Embedding, "Vocab"), InitZeros] public partial Tensor Decoder { get; }

    [Loss(Reduction = Reduction.Sum)]
    public Tensor Loss([Indices(Steps, Padded = true)] Tensor words)
    {
        Tensor hidden = Start;
        Tensor loss = 0;
        for (int t = 0; t < Steps; t++)
        {
            loss += SoftmaxCrossEntropy(hidden.Dot(Decoder), words[t]);
            hidden = Next(hidden, EmbeddingSum(Embed, words[t]), Gather(Embed, words[t]));
        }

        return loss;
    }

    [Forward]
    public Tensor Predict([Indices(Steps, Padded = true)] Tensor words)
    {
        Tensor hidden = Start;
        Tensor logits = Reshape(hidden, 1, Embedding).Dot(Decoder);
        for (int t = 1; t < Steps; t++)
        {
            hidden = Next(hidden, EmbeddingSum(Embed, words[t - 1]), Gather(Embed, words[t - 1]));
            logits = Concat(logits, Reshape(hidden, 1, Embedding).Dot(Decoder));
        }

        return logits;
    }

    private Tensor Next(Tensor hidden, Tensor x, Tensor rows) =>
        (Tanh(x.Dot(Input) + hidden.Dot(Recurrent)) * Sigmoid(rows.Dot(Gate))[0]) + (x * rows.Dot(Input)[0]);
}
