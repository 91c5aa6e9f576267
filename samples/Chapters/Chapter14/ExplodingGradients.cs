using Graph.Samples.Formatting;

namespace Graph.Samples.Chapter14;

/// <summary>
/// E14.4, the book's toy of vanishing and exploding gradients: ten steps of <c>sigmoid(activation · W)</c> from
/// <c>sigmoid([1, 0.01])</c> with <c>W = [[1, 4], [4, 1]]</c>, the gradient carried back through them from ones, then
/// the same with relu.
/// </summary>
/// <remarks>
/// Every activation is a compiled forward step, and every gradient line is the compiled <c>Backward</c> of one step
/// (<see cref="SigmoidChain.Path"/>, <see cref="ReluChain.Path"/>) with the step's starting activation as its parameter
/// and the previous line as the gradient arriving at its result: the gradient with respect to the activation each step
/// starts from, walking back from the last step. No weight is changed. As in the book, the relu steps start from the
/// first sigmoid activation, which is where the gradient loop's <c>for activation in reversed(activations)</c> leaves
/// the variable <c>activation</c>.
/// </remarks>
public static class ExplodingGradients
{
    /// <summary>The steps of each recurrence.</summary>
    public const int Steps = 10;

    /// <summary>Writes the book's four blocks: Activations, Gradients, Relu Activations, Relu Gradients.</summary>
    public static void Run(TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var sigmoid = new SigmoidChain();
        var start = new double[2];
        sigmoid.Squash([1, 0.01], start);

        output.WriteLine("Activations");
        List<double[]> activations = Forward(start, (a, next) => sigmoid.Step(a, next), output);
        output.WriteLine();
        output.WriteLine("Gradients");
        Backward(start, activations, sigmoid.Parameters["Activation"], upstream => sigmoid.Backward(upstream), output);

        var relu = new ReluChain();
        double[] reluStart = activations[0];
        output.WriteLine("Relu Activations");
        List<double[]> reluActivations = Forward(reluStart, (a, next) => relu.Step(a, next), output);
        output.WriteLine();
        output.WriteLine("Relu Gradients");
        Backward(reluStart, reluActivations, relu.Parameters["Activation"], upstream => relu.Backward(upstream), output);
    }

    /// <summary>The <see cref="Steps"/> activations after <paramref name="start"/>, each printed.</summary>
    private static List<double[]> Forward(double[] start, Action<double[], double[]> step, TextWriter output)
    {
        var activations = new List<double[]>();
        double[] activation = start;
        for (int i = 0; i < Steps; i++)
        {
            var next = new double[2];
            step(activation, next);
            activations.Add(next);
            activation = next;
            output.WriteLine(PythonFormat.NumpyArray<double>(next));
        }

        return activations;
    }

    /// <summary>
    /// From the last step back to the first: sets the step's starting activation, runs the compiled backward pass with
    /// the gradient so far arriving at the step's result, and prints the gradient it leaves at the start.
    /// </summary>
    private static void Backward(double[] start, List<double[]> activations, Runtime.Parameter<double> activation, Action<double[]> backward, TextWriter output)
    {
        double[] gradient = [1, 1];
        for (int i = activations.Count - 1; i >= 0; i--)
        {
            activation.CopyFrom(i > 0 ? activations[i - 1] : start);
            backward(gradient);
            gradient = activation.Gradient.ToArray();
            output.WriteLine(PythonFormat.NumpyArray<double>(gradient));
        }
    }
}
