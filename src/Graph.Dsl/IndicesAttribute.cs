namespace Graph;

/// <summary>
/// Declares a tensor argument of a [Forward] or [Loss] method as an index input: it holds row indices (such as
/// word indices), not values, and the compiled method takes it as a <c>ReadOnlySpan&lt;int&gt;</c>. It can only be
/// used to pick rows of a table with <see cref="Ops.Gather"/>, <see cref="Ops.EmbeddingSum"/> or
/// <see cref="Ops.EmbeddingMean"/>; anywhere else it is a compile-time error (GRAPH021).
/// </summary>
/// <remarks>
/// <c>[Indices]</c> takes any number of indices per call (a review of any length): the compiled methods then take
/// one sample per call and have no batch argument. <c>[Indices(6)]</c> takes exactly 6 per sample, batched like a
/// dense input. Every index must name a row of the table it is used with, or the call throws.
/// <c>[Indices(6, Padded = true)]</c> also accepts -1, which marks padding (a sequence shorter than 6): Gather and
/// EmbeddingSum read a zero row for it, EmbeddingMean averages only the other rows, and SoftmaxCrossEntropy with a
/// padding class index adds nothing to the loss or the gradient. <c>words[t]</c> picks position t of each sample's
/// indices (see the Tensor indexer).
/// </remarks>
[AttributeUsage(AttributeTargets.Parameter, Inherited = false)]
public sealed class IndicesAttribute : Attribute
{
    /// <summary>Any number of indices per call (at least one).</summary>
    public IndicesAttribute() => Length = 0;

    /// <summary>Exactly <paramref name="length"/> indices per sample.</summary>
    public IndicesAttribute(int length) => Length = length;

    /// <summary>The number of indices per sample, or 0 for any number.</summary>
    public int Length { get; }

    /// <summary>Whether -1 marks padding: an index that reads a zero row and contributes no loss or gradient.</summary>
    public bool Padded { get; set; }
}
