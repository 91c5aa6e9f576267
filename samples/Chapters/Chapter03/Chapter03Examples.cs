using System.Numerics;
using Graph.Samples.Examples;
using Graph.Samples.Formatting;

namespace Graph.Samples.Chapter03;

/// <summary>Chapter 3, forward propagation: fixed weights, one prediction each.</summary>
public static class Chapter03Examples
{
    public const string ChapterId = "ch03";

    public const string ChapterTitle = "Introduction to neural prediction: forward propagation";

    /// <summary>The chapter's examples in the book's order.</summary>
    public static IReadOnlyList<IExample> All { get; } =
    [
        new SingleInput(),
        new MultiInput(),
        new MultiOutput(),
        new MultiInMultiOut(),
        new Stacked(),
        new StackedNumpy(),
    ];

    /// <summary>The first game of the book's data: toes, win/loss record, fans.</summary>
    private static readonly double[] FirstGame = [8.5, 0.65, 1.2];

    /// <summary>E3.1: <c>pred = input * weight</c> with 8.5 toes and weight 0.1.</summary>
    private sealed class SingleInput() : NetworkExample(ChapterId, "single-input", "E3.1",
        "one input, one weight: number_of_toes[0] = 8.5 times weight 0.1", ExampleKnobs.None)
    {
        public override string Title(ExampleOptions options) => "one input (8.5 toes), one weight 0.1" + PrecisionSuffix(options);

        protected override void Execute<T>(ExampleOptions options, TextWriter output)
        {
            var network = new SingleInputNetwork<T>();
            output.WriteLine(Str(network.Predict(Values<T>(8.5))));
        }
    }

    /// <summary>E3.2 and E3.3: the weighted sum of three inputs; the pure-Python and numpy blocks print the same number.</summary>
    private sealed class MultiInput() : NetworkExample(ChapterId, "multi-input", "E3.2/E3.3",
        "three inputs, one output: w_sum([8.5, 0.65, 1.2], [0.1, 0.2, 0]) (numpy: input.dot(weights))", ExampleKnobs.None)
    {
        public override string Title(ExampleOptions options) => "three inputs, weighted sum with weights [0.1, 0.2, 0]" + PrecisionSuffix(options);

        protected override void Execute<T>(ExampleOptions options, TextWriter output)
        {
            var network = new MultiInputNetwork<T>();
            output.WriteLine(Str(network.Predict(Values<T>(FirstGame))));
        }
    }

    /// <summary>E3.4: one input (win/loss record 0.65) scaled by three weights.</summary>
    private sealed class MultiOutput() : NetworkExample(ChapterId, "multi-output", "E3.4",
        "one input, three outputs: ele_mul(0.65, [0.3, 0.2, 0.9])", ExampleKnobs.None)
    {
        public override string Title(ExampleOptions options) => "one input (0.65), three outputs, weights [0.3, 0.2, 0.9]" + PrecisionSuffix(options);

        protected override void Execute<T>(ExampleOptions options, TextWriter output)
        {
            var network = new MultiOutputNetwork<T>();
            var prediction = new T[3];
            network.Predict(Values<T>(0.65), prediction);
            output.WriteLine(StrList<T>(prediction));
        }
    }

    /// <summary>E3.5: three inputs, three outputs, <c>vect_mat_mul</c>.</summary>
    private sealed class MultiInMultiOut() : NetworkExample(ChapterId, "multi-in-multi-out", "E3.5",
        "three inputs, three outputs: vect_mat_mul([8.5, 0.65, 1.2], 3x3 weights)", ExampleKnobs.None)
    {
        public override string Title(ExampleOptions options) => "three inputs, three outputs (hurt, win, sad), 3x3 weights" + PrecisionSuffix(options);

        protected override void Execute<T>(ExampleOptions options, TextWriter output)
        {
            var network = new MultiInMultiOutNetwork<T>();
            var prediction = new T[3];
            network.Predict(Values<T>(FirstGame), prediction);
            output.WriteLine(StrList<T>(prediction));
        }
    }

    /// <summary>E3.6: two stacked <c>vect_mat_mul</c> layers, printed as a Python list.</summary>
    private sealed class Stacked() : NetworkExample(ChapterId, "stacked", "E3.6",
        "predicting on predictions: 3-3-3 network, two vect_mat_mul layers, printed as a Python list", ExampleKnobs.None)
    {
        public override string Title(ExampleOptions options) => "3-3-3 stacked network, pure Python" + PrecisionSuffix(options);

        protected override void Execute<T>(ExampleOptions options, TextWriter output)
        {
            var network = new StackedNetwork<T>();
            var prediction = new T[3];
            network.Predict(Values<T>(FirstGame), prediction);
            output.WriteLine(StrList<T>(prediction));
        }
    }

    /// <summary>E3.7: the same network with numpy (<c>.T</c> weights, <c>dot</c>), printed as a numpy array.</summary>
    private sealed class StackedNumpy() : NetworkExample(ChapterId, "stacked-numpy", "E3.7",
        "predicting on predictions with numpy: input.dot(ih_wgt.T).dot(hp_wgt.T), printed as a numpy array", ExampleKnobs.None)
    {
        public override string Title(ExampleOptions options) => "3-3-3 stacked network, numpy" + PrecisionSuffix(options);

        protected override void Execute<T>(ExampleOptions options, TextWriter output)
        {
            var network = new StackedNumpyNetwork<T>();
            var prediction = new T[3];
            network.Predict(Values<T>(FirstGame), prediction);
            output.WriteLine(PythonFormat.NumpyArray<T>(prediction));
        }
    }
}
