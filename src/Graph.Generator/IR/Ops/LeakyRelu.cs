using System.Globalization;
using Graph.Generator.Diagnostics;

namespace Graph.Generator.IR.Ops;

/// <summary>x where x is positive, <see cref="Slope"/> · x elsewhere, elementwise.</summary>
internal sealed record LeakyRelu(double Slope) : UnaryElementwise
{
    public override string Attributes => Slope.ToString("R", CultureInfo.InvariantCulture);

    public override Scalar Compute(Scalar x) => Scalar.IfPositive(x, x, Slope * x);

    public override Node? Gradient(Site d, Node y, Node g) => d.Multiply(g, d.Apply(new LeakyStep(Slope), y.Inputs[0]));
}

/// <summary>1 where x is positive, <see cref="Slope"/> elsewhere: the derivative of <see cref="LeakyRelu"/>.</summary>
internal sealed record LeakyStep(double Slope) : UnaryElementwise
{
    public override string Attributes => Slope.ToString("R", CultureInfo.InvariantCulture);

    public override Scalar Compute(Scalar x) => Scalar.IfPositive(x, 1, Slope);

    // Piecewise constant: its derivative is zero wherever it exists.
    public override Node? Gradient(Site d, Node y, Node g) => null;
}

/// <summary><c>LeakyRelu(x, slope)</c>: the slope must be a finite constant.</summary>
internal sealed class LeakyReluFunction : DslFunction
{
    public override string Name => "LeakyRelu";

    public override Node Lower(DslCall call)
    {
        if (call.Constant(1) is not double slope || double.IsNaN(slope) || double.IsInfinity(slope))
        {
            throw new ArgumentError(DiagnosticDescriptors.OperationShapeError.Id, "apply LeakyRelu to", call[0].Shape.ToString(), "the slope must be a finite constant");
        }

        return call.At.Apply(new LeakyRelu(slope), call[0]);
    }
}
