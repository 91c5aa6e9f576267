using System.Globalization;

namespace Graph.Bench.Report;

/// <summary>Number formatting for the tables (invariant culture).</summary>
public static class Format
{
    /// <summary>A time in µs with three significant digits.</summary>
    public static string Micro(double microseconds) => microseconds switch
    {
        double.NaN => "—",
        < 10 => microseconds.ToString("0.000", CultureInfo.InvariantCulture),
        < 100 => microseconds.ToString("0.00", CultureInfo.InvariantCulture),
        < 1000 => microseconds.ToString("0.0", CultureInfo.InvariantCulture),
        _ => microseconds.ToString("#,0", CultureInfo.InvariantCulture),
    };

    /// <summary>A ratio such as 12.3×.</summary>
    public static string Ratio(double ratio) => double.IsNaN(ratio) ? "—" : ratio.ToString(ratio < 10 ? "0.00" : "0.0", CultureInfo.InvariantCulture) + "×";

    /// <summary>A fraction as a whole percentage, such as 77%.</summary>
    public static string Percent(double fraction) => double.IsNaN(fraction) ? "—" : (100 * fraction).ToString("0", CultureInfo.InvariantCulture) + "%";
}
