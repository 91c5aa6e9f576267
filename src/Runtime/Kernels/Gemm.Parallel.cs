using System.Numerics;

namespace Graph.Runtime;

/// <summary>Where the bands of a split begin (<see cref="GemmParts{T, TVec, TOps}"/>, and the depth halves of
/// <see cref="GemmKernel.SplitDepth"/>, which meet where two threads' row bands do).</summary>
internal static class GemmBands
{
    /// <summary>The rows of a row band's unit: a narrow tile of the direct kernel, two panels of the packed one.</summary>
    public const int RowUnit = 12;

    /// <summary>The first unit of band <paramref name="part"/> of <paramref name="parts"/> over <paramref name="units"/>
    /// units: the units spread evenly, so that bands differ by one unit at most.</summary>
    public static int Start(int units, int part, int parts) => (int)((long)units * part / parts);

    /// <summary>The rows first … end − 1 of band <paramref name="part"/> of <paramref name="parts"/> over
    /// <paramref name="rows"/> rows: whole <see cref="RowUnit"/>s spread evenly, the last band taking the rest.</summary>
    public static (int First, int End) Rows(int rows, int part, int parts)
    {
        int units = rows / RowUnit;
        int first = Start(units, part, parts) * RowUnit;
        int end = part == parts - 1 ? rows : Start(units, part + 1, parts) * RowUnit;
        return (first, end);
    }
}

/// <summary>
/// A GEMM split across threads: C cut into bands of rows or of columns, one band per thread, each band computed by
/// the same kernel as the whole (<see cref="GemmCore.RunKernel{T, TVec, TOps}"/>), so the split changes no element.
/// </summary>
/// <remarks>
/// Bands are whole multiples of a unit (12 rows: a narrow tile, two packed panels; or two vectors of columns: a wide
/// strip), the last band taking the remainder, so that every band is tiled as the whole would be. Products below
/// <see cref="MinimumWork"/> multiply-adds stay on the calling thread: waking a worker costs more than they take.
/// A B stored transposed, which the direct tiles read as op(B)'s rows, is copied so by the bands themselves where C is
/// cut into bands of columns, each band the rows of B it reads (the copy of N5's 10,000×10 weights took about 70 µs
/// on the calling thread before the split); otherwise whole, before the split.
/// </remarks>
/// <typeparam name="T">The element type.</typeparam>
/// <typeparam name="TVec">The vector type.</typeparam>
/// <typeparam name="TOps">The vector operations.</typeparam>
internal unsafe struct GemmParts<T, TVec, TOps> : IParallelWork
    where T : unmanaged, IFloatingPointIeee754<T>
    where TVec : struct
    where TOps : IGemmVector<T, TVec>
{
    /// <summary>The fewest multiply-adds (m·n·k) worth splitting.</summary>
    public const long MinimumWork = 1 << 16;

    private GemmProblem<T> _problem;
    private GemmKernel _kernel;
    private bool _byRows;
    private int _unit;
    private int _units;
    private int _parts;

    /// <summary>B as stored (transposed) when each band copies its own columns of op(B) to <c>_problem.B</c>; else null.</summary>
    private T* _transposedB;

    /// <summary>The leading dimension of <see cref="_transposedB"/>.</summary>
    private nint _transposedLdb;

    /// <summary>Runs <paramref name="kernel"/> on <paramref name="problem"/>, split across threads when it pays.</summary>
    public static void Run(in GemmProblem<T> problem, GemmKernel kernel) => Run(in problem, kernel, null, 0);

    /// <summary>
    /// <see cref="Run(in GemmProblem{T}, GemmKernel)"/> with op(B) still to copy to <c>problem.B</c> (k×n, rows n apart)
    /// from <paramref name="transposedB"/>, B stored n×k with leading dimension <paramref name="transposedLdb"/> (null:
    /// nothing to copy).
    /// </summary>
    public static void Run(in GemmProblem<T> problem, GemmKernel kernel, T* transposedB, nint transposedLdb)
    {
        int threads = Parallelism.CurrentThreads;
        int rowUnits = problem.M / GemmBands.RowUnit;
        int columnUnit = 2 * TOps.Count;
        int columnUnits = problem.N / columnUnit;
        bool byRows = kernel != GemmKernel.RowByRow && (kernel == GemmKernel.ColumnByColumn || rowUnits >= columnUnits);
        int units = byRows ? rowUnits : columnUnits;
        int parts = Math.Min(threads, units);
        bool split = parts > 1 && (long)problem.M * problem.N * problem.K >= MinimumWork;
        if (transposedB is not null && (!split || byRows))
        {
            // Every band reads every column of op(B).
            Kernels.TransposeBlocks(transposedB, transposedLdb, problem.B, problem.N, problem.K);
            transposedB = null;
        }

        if (!split)
        {
            GemmCore.RunKernel<T, TVec, TOps>(in problem, kernel, GemmRange.All(problem.M, problem.N));
            return;
        }

        var work = new GemmParts<T, TVec, TOps>
        {
            _problem = problem,
            _kernel = kernel,
            _byRows = byRows,
            _unit = byRows ? GemmBands.RowUnit : columnUnit,
            _units = units,
            _parts = parts,
            _transposedB = transposedB,
            _transposedLdb = transposedLdb,
        };
        WorkerPool.Run(ref work, parts);
    }

    /// <summary>Computes band <paramref name="part"/>: units spread evenly, the last band reaching the edge of C.</summary>
    public readonly void Run(int part)
    {
        int first = GemmBands.Start(_units, part, _parts) * _unit;
        int extent = _byRows ? _problem.M : _problem.N;
        int end = part == _parts - 1 ? extent : GemmBands.Start(_units, part + 1, _parts) * _unit;
        GemmRange range = _byRows
            ? new GemmRange(first, end, 0, _problem.N)
            : new GemmRange(0, _problem.M, first, end);
        if (_transposedB is not null)
        {
            // op(B)'s columns first … end − 1 are B's rows first … end − 1: this band's part of the copy.
            Kernels.TransposeBlocks(_transposedB + (first * _transposedLdb), _transposedLdb, _problem.B + first, _problem.N, end - first, _problem.K);
        }

        GemmCore.RunKernel<T, TVec, TOps>(in _problem, _kernel, range);
    }
}
