namespace Graph.Generator.Shapes;

/// <summary>The height and width of a convolution or pooling window, in image elements.</summary>
internal sealed record Window(int Height, int Width)
{
    public override string ToString() => $"{Height}x{Width}";
}
