using System.Globalization;

namespace Graph.Runtime;

/// <summary>One checked element of a parameter: the compiled gradient against central finite differences.</summary>
/// <param name="Parameter">The parameter's name.</param>
/// <param name="Index">The element's index in the parameter (row-major).</param>
/// <param name="Analytic">The gradient the compiled Backward gave.</param>
/// <param name="Numeric">The central difference <c>(L(θ + h) - L(θ - h)) / 2h</c>.</param>
/// <param name="RelativeError"><c>|Analytic - Numeric| / max(|Analytic|, |Numeric|, NoiseFloor)</c>.</param>
/// <param name="NoiseFloor">
/// The finite difference's own uncertainty divided by the tolerance: below it, a difference is noise, not an error
/// (see <see cref="GradientChecker"/>). Zero for a frozen element, whose gradient must be exactly zero.
/// </param>
/// <param name="Frozen">Whether the element is frozen: its gradient must be exactly zero.</param>
public sealed record GradientCheckElement(string Parameter, int Index, double Analytic, double Numeric, double RelativeError, double NoiseFloor, bool Frozen)
{
    /// <summary>For example <c>W[3]: Backward 0.25, central differences 0.2500000001, relative error 4e-10 (noise floor 1.2e-3)</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Parameter}[{Index}]: Backward {Analytic:R}, central differences {Numeric:R}, relative error {RelativeError:G3} (noise floor {NoiseFloor:G3}){(Frozen ? ", frozen" : "")}");
}
