using System.Globalization;

namespace Dockyard.Server.Ui.Components;

/// <summary>How the UI writes sizes, times and digests: one place, so every page says it the same way.</summary>
internal static class Format
{
    private static readonly string[] Units = ["B", "KB", "MB", "GB", "TB", "PB"];

    /// <summary>Bytes in binary units with one decimal (<c>1.5 MB</c>); exact below 1 KB.</summary>
    public static string Size(long bytes)
    {
        double value = bytes;
        var unit = 0;
        while (value >= 1024 && unit < Units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        return unit == 0 ? $"{bytes} B" : string.Create(CultureInfo.InvariantCulture, $"{value:0.0} {Units[unit]}");
    }

    /// <summary>ISO-like UTC time for <c>title</c> and <c>datetime</c> attributes.</summary>
    public static string Timestamp(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    public static string MachineTime(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    /// <summary>"3 minutes ago", relative to <paramref name="now"/>.</summary>
    public static string Ago(DateTimeOffset time, DateTimeOffset now)
    {
        var elapsed = now - time;
        if (elapsed < TimeSpan.FromMinutes(1))
        {
            return "just now";
        }

        return elapsed switch
        {
            { TotalHours: < 1 } => Plural((int)elapsed.TotalMinutes, "minute"),
            { TotalDays: < 1 } => Plural((int)elapsed.TotalHours, "hour"),
            { TotalDays: < 60 } => Plural((int)elapsed.TotalDays, "day"),
            _ => time.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        };
    }

    /// <summary><c>sha256:0123456789ab</c>: the algorithm and the first 12 hex digits.</summary>
    public static string ShortDigest(string digest) =>
        digest.IndexOf(':', StringComparison.Ordinal) is var colon and > 0 && digest.Length > colon + 13 ? digest[..(colon + 13)] : digest;

    public static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>A description's first line as plain text, at most 160 characters (lists do not render Markdown).</summary>
    public static string? FirstLine(string? description)
    {
        var line = description?.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).FirstOrDefault()?.TrimStart('#', ' ');
        return string.IsNullOrEmpty(line) ? null : line.Length > 160 ? line[..160] + "…" : line;
    }

    private static string Plural(int value, string unit) => value == 1 ? $"1 {unit} ago" : $"{value} {unit}s ago";
}
