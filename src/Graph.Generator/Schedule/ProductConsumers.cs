namespace Graph.Generator.Schedule;

/// <summary>
/// Hands a product to the loop reading it instead of storing it, where that is cheaper: a product over a short depth (at
/// most <see cref="Planning.ConsumedProducts.MaxDepth"/>) writes an element for every few multiply-adds, so storing it
/// and loading it back in the loop costs more than computing it (the CNN's dH = dY·W12ᵀ, depth 10, is 5 MB at batch
/// 128). The buffer planner pairs such a product with its loop (<see cref="Planning.ConsumedProducts"/>, which also
/// checks the depth and that A is untransposed); where the loop's step can take the product element for element, the
/// two become one <see cref="ConsumedProductStep"/> at the product's place.
/// </summary>
internal static class ProductConsumers
{
    /// <summary>
    /// The operand of <paramref name="loop"/> that is the result of <paramref name="product"/>, a product the planner
    /// paired with it, where the loop can take the product element by element: a product for the whole batch with C
    /// dense; a single vectorised loop over its elements, not a reduction, that reads it once, contiguously, and writes a
    /// buffer apart from both factors (it writes while they are read); else null.
    /// </summary>
    public static int? Operand(Gemm product, LoopStep loop)
    {
        var c = product.C.Storage;
        if (product.PerSample || product.AddsToC || product.AccumulateOverSamples || !product.Ldc.Equals(product.N) || c.Step is not null)
        {
            return null;
        }

        if (loop.Trips.Count != 1 || loop.Reduce || loop.ClearCount is not null || !loop.Vectorised || !loop.Trips[0].Equals(product.M * product.N)
            || !loop.Target.Strides[0].IsOne || loop.Target.Storage.Step is not null
            || loop.Target.Storage == product.A.Storage || loop.Target.Storage == product.B.Storage
            || loop.Operands.Any(o => o.Storage.Step is not null))
        {
            return null;
        }

        var reading = Enumerable.Range(0, loop.Operands.Count).Where(i => loop.Operands[i].Storage == c).ToList();
        return reading.Count == 1 && loop.Operands[reading[0]] is { VectorLoad: true } operand && operand.Strides[0].IsOne
            ? reading[0]
            : null;
    }
}
