using System.Globalization;

namespace Dockyard.Bench.Control;

/// <summary>Percentiles (nearest rank) and the raw-sample files every control pass writes next to its summary line.</summary>
internal static class Figures
{
    public static double Percentile(IReadOnlyList<double> sorted, double q) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Count) - 1, 0, sorted.Count - 1)];

    public static string F(double value, string format = "F2") => value.ToString(format, CultureInfo.InvariantCulture);

    /// <summary>"name_n=… name_p50=… name_p99=… name_max=…" for a summary line (milliseconds unless the caller says otherwise).</summary>
    public static string Summary(string name, IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0)
        {
            return $"{name}_n=0";
        }

        return $"{name}_n={sorted.Length} {name}_min={F(sorted[0])} {name}_p50={F(Percentile(sorted, 0.50))} " +
               $"{name}_p90={F(Percentile(sorted, 0.90))} {name}_p99={F(Percentile(sorted, 0.99))} {name}_max={F(sorted[^1])}";
    }

    /// <summary>One value per line, in the order measured.</summary>
    public static void WriteRaw(string path, IEnumerable<double> values)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllLines(path, values.Select(v => F(v, "F3")));
    }
}
