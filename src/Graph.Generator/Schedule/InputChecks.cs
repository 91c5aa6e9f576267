using Graph.Generator.Planning;
using Graph.Generator.Shapes;

namespace Graph.Generator.Schedule;

/// <summary>
/// How a method checks that an input holds no NaN and no infinity: by scanning it before the first step, or through
/// the product its first step computes from it. A matrix product that multiplies each value of an input into every
/// element of its row (the input as A of A·B, whole rows) turns a NaN or an infinity into NaN or infinite elements, so
/// where the product's elements are all finite, so is the input: the method scans the product, and the input only
/// where that fails, to name the value. The product is the method's first step, so nothing the caller sees (a
/// parameter, the random stream, an output) has changed when the check throws.
/// </summary>
internal static class InputChecks
{
    /// <summary>
    /// The position of the input that the first of <paramref name="steps"/> checks through its product, or null:
    /// where that step is a product for the whole batch (not a fused update, nor one added to its result) with the
    /// input, untransposed and whole, as A, and its result in a buffer of the model, contiguous.
    /// </summary>
    public static int? CheckedByFirstProduct(IReadOnlyList<Step> steps, IReadOnlyList<InputLayout> inputs)
    {
        if (steps.Count == 0 || steps[0] is not GemmStep { UpdatedParameter: null, Product: var product }
            || product.PerSample || product.AddsToC || product.TransposeA
            || product.A.Storage is not { Kind: StorageKind.Input, Step: null } a
            || product.C.Storage is not { Kind: StorageKind.BatchBuffer or StorageKind.SharedBuffer, Step: null }
            || !product.Lda.Equals(product.K) || !product.Ldc.Equals(product.N))
        {
            return null;
        }

        var input = inputs[a.Index];
        return !input.Indices && input.StepCount is null && (product.M * product.K).Equals(Size.Batch * input.Shape.Size) ? a.Index : null;
    }
}
