namespace Graph.Runtime;

/// <summary>The shape of a tile of the direct kernel, as compile-time constants.</summary>
internal interface IGemmTile
{
    /// <summary>The rows.</summary>
    static abstract int Rows { get; }

    /// <summary>The vectors across (1, 2 or 3).</summary>
    static abstract int Vectors { get; }
}

/// <summary>1 row × 1 vector.</summary>
internal readonly struct Tile1x1 : IGemmTile
{
    public static int Rows => 1;

    public static int Vectors => 1;
}

/// <summary>2 rows × 1 vector.</summary>
internal readonly struct Tile2x1 : IGemmTile
{
    public static int Rows => 2;

    public static int Vectors => 1;
}

/// <summary>3 rows × 1 vector.</summary>
internal readonly struct Tile3x1 : IGemmTile
{
    public static int Rows => 3;

    public static int Vectors => 1;
}

/// <summary>4 rows × 1 vector.</summary>
internal readonly struct Tile4x1 : IGemmTile
{
    public static int Rows => 4;

    public static int Vectors => 1;
}

/// <summary>5 rows × 1 vector.</summary>
internal readonly struct Tile5x1 : IGemmTile
{
    public static int Rows => 5;

    public static int Vectors => 1;
}

/// <summary>6 rows × 1 vector.</summary>
internal readonly struct Tile6x1 : IGemmTile
{
    public static int Rows => 6;

    public static int Vectors => 1;
}

/// <summary>7 rows × 1 vector.</summary>
internal readonly struct Tile7x1 : IGemmTile
{
    public static int Rows => 7;

    public static int Vectors => 1;
}

/// <summary>8 rows × 1 vector.</summary>
internal readonly struct Tile8x1 : IGemmTile
{
    public static int Rows => 8;

    public static int Vectors => 1;
}

/// <summary>9 rows × 1 vector.</summary>
internal readonly struct Tile9x1 : IGemmTile
{
    public static int Rows => 9;

    public static int Vectors => 1;
}

/// <summary>10 rows × 1 vector.</summary>
internal readonly struct Tile10x1 : IGemmTile
{
    public static int Rows => 10;

    public static int Vectors => 1;
}

/// <summary>11 rows × 1 vector.</summary>
internal readonly struct Tile11x1 : IGemmTile
{
    public static int Rows => 11;

    public static int Vectors => 1;
}

/// <summary>12 rows × 1 vector.</summary>
internal readonly struct Tile12x1 : IGemmTile
{
    public static int Rows => 12;

    public static int Vectors => 1;
}

/// <summary>1 row × 2 vectors.</summary>
internal readonly struct Tile1x2 : IGemmTile
{
    public static int Rows => 1;

    public static int Vectors => 2;
}

/// <summary>2 rows × 2 vectors.</summary>
internal readonly struct Tile2x2 : IGemmTile
{
    public static int Rows => 2;

    public static int Vectors => 2;
}

/// <summary>3 rows × 2 vectors.</summary>
internal readonly struct Tile3x2 : IGemmTile
{
    public static int Rows => 3;

    public static int Vectors => 2;
}

/// <summary>4 rows × 2 vectors.</summary>
internal readonly struct Tile4x2 : IGemmTile
{
    public static int Rows => 4;

    public static int Vectors => 2;
}

/// <summary>5 rows × 2 vectors.</summary>
internal readonly struct Tile5x2 : IGemmTile
{
    public static int Rows => 5;

    public static int Vectors => 2;
}

/// <summary>6 rows × 2 vectors.</summary>
internal readonly struct Tile6x2 : IGemmTile
{
    public static int Rows => 6;

    public static int Vectors => 2;
}

/// <summary>7 rows × 2 vectors.</summary>
internal readonly struct Tile7x2 : IGemmTile
{
    public static int Rows => 7;

    public static int Vectors => 2;
}

/// <summary>8 rows × 2 vectors.</summary>
internal readonly struct Tile8x2 : IGemmTile
{
    public static int Rows => 8;

    public static int Vectors => 2;
}

/// <summary>1 row × 3 vectors.</summary>
internal readonly struct Tile1x3 : IGemmTile
{
    public static int Rows => 1;

    public static int Vectors => 3;
}

/// <summary>2 rows × 3 vectors.</summary>
internal readonly struct Tile2x3 : IGemmTile
{
    public static int Rows => 2;

    public static int Vectors => 3;
}

/// <summary>3 rows × 3 vectors.</summary>
internal readonly struct Tile3x3 : IGemmTile
{
    public static int Rows => 3;

    public static int Vectors => 3;
}

/// <summary>4 rows × 3 vectors.</summary>
internal readonly struct Tile4x3 : IGemmTile
{
    public static int Rows => 4;

    public static int Vectors => 3;
}

/// <summary>5 rows × 3 vectors.</summary>
internal readonly struct Tile5x3 : IGemmTile
{
    public static int Rows => 5;

    public static int Vectors => 3;
}

/// <summary>6 rows × 3 vectors.</summary>
internal readonly struct Tile6x3 : IGemmTile
{
    public static int Rows => 6;

    public static int Vectors => 3;
}

/// <summary>7 rows × 3 vectors.</summary>
internal readonly struct Tile7x3 : IGemmTile
{
    public static int Rows => 7;

    public static int Vectors => 3;
}

/// <summary>8 rows × 3 vectors.</summary>
internal readonly struct Tile8x3 : IGemmTile
{
    public static int Rows => 8;

    public static int Vectors => 3;
}
