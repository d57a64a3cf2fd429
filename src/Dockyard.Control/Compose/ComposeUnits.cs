using System.Globalization;
using System.Numerics;
using System.Text.RegularExpressions;

namespace Dockyard.Control.Compose;

/// <summary>The value syntaxes Compose borrows from Go and docker: durations, byte sizes, CPU counts and YAML integers.</summary>
internal static partial class ComposeUnits
{
    /// <summary>A Go duration (<c>10s</c>, <c>1m30s</c>, <c>500ms</c>, <c>1.5h</c>, <c>0</c>); null when malformed.</summary>
    public static TimeSpan? ParseDuration(string text)
    {
        if (text == "0")
        {
            return TimeSpan.Zero;
        }

        var match = DurationPattern().Match(text);
        if (!match.Success || text.Length == 0)
        {
            return null;
        }

        decimal nanoseconds = 0;
        foreach (Capture part in match.Groups["part"].Captures)
        {
            var m = DurationPart().Match(part.Value);
            var number = decimal.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            nanoseconds += number * m.Groups[2].Value switch
            {
                "ns" => 1m,
                "us" or "µs" or "μs" => 1_000m,
                "ms" => 1_000_000m,
                "s" => 1_000_000_000m,
                "m" => 60_000_000_000m,
                _ => 3_600_000_000_000m,
            };
        }

        var sign = match.Groups["sign"].Value == "-" ? -1 : 1;
        return nanoseconds / 100 > TimeSpan.MaxValue.Ticks ? null : TimeSpan.FromTicks(sign * (long)(nanoseconds / 100));
    }

    /// <summary>Nanoseconds as the Engine API's durations are (whole 100 ns ticks, as <see cref="TimeSpan"/> keeps them).</summary>
    public static long Nanoseconds(TimeSpan value) => value.Ticks * 100;

    /// <summary>A size like docker's RAMInBytes: <c>512M</c>, <c>1g</c>, <c>1.5GB</c>, <c>64kib</c> (binary units); null when malformed.</summary>
    public static long? ParseBytes(string text)
    {
        var match = SizePattern().Match(text);
        if (!match.Success)
        {
            return null;
        }

        var number = decimal.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        var multiplier = match.Groups[2].Value.ToUpperInvariant() switch
        {
            "K" => 1L << 10,
            "M" => 1L << 20,
            "G" => 1L << 30,
            "T" => 1L << 40,
            "P" => 1L << 50,
            _ => 1L,
        };
        var bytes = number * multiplier;
        return bytes > long.MaxValue ? null : (long)bytes;
    }

    /// <summary><c>cpus: "0.5"</c> in billionths of a CPU, as docker's ParseCPUs (refused when finer than 1e-9).</summary>
    public static long? ParseNanoCpus(string text)
    {
        if (!decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var cpus))
        {
            return null;
        }

        var nanos = cpus * 1_000_000_000m;
        return nanos != decimal.Truncate(nanos) || nanos > long.MaxValue ? null : (long)nanos;
    }

    /// <summary>A YAML integer as Go's yaml reads one: decimal, <c>0x1F</c>, <c>0o440</c> or a leading-zero octal <c>0440</c>.</summary>
    public static long? ParseInteger(string text)
    {
        var t = text.Replace("_", "", StringComparison.Ordinal);
        var negative = t.StartsWith('-');
        if (negative || t.StartsWith('+'))
        {
            t = t[1..];
        }

        BigInteger value;
        try
        {
            if (t.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
            {
                value = BigInteger.Parse("0" + t[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
            }
            else if (t.StartsWith("0o", StringComparison.OrdinalIgnoreCase) || (t.Length > 1 && t[0] == '0'))
            {
                var digits = t.StartsWith("0o", StringComparison.OrdinalIgnoreCase) ? t[2..] : t[1..];
                if (digits.Length == 0 || digits.Any(c => c is < '0' or > '7'))
                {
                    return null;
                }

                value = digits.Aggregate(BigInteger.Zero, (acc, c) => (acc * 8) + (c - '0'));
            }
            else if (t.Length > 0 && t.All(char.IsAsciiDigit))
            {
                value = BigInteger.Parse(t, CultureInfo.InvariantCulture);
            }
            else
            {
                return null;
            }
        }
        catch (FormatException)
        {
            return null;
        }

        if (negative)
        {
            value = -value;
        }

        return value > long.MaxValue || value < long.MinValue ? null : (long)value;
    }

    [GeneratedRegex(@"^(?<sign>[-+]?)(?<part>[0-9]*\.?[0-9]+(?:ns|us|µs|μs|ms|s|m|h))+$")]
    private static partial Regex DurationPattern();

    [GeneratedRegex(@"^([0-9]*\.?[0-9]+)(ns|us|µs|μs|ms|s|m|h)$")]
    private static partial Regex DurationPart();

    [GeneratedRegex(@"^([0-9]+(?:\.[0-9]+)?) ?([kKmMgGtTpP])?[iI]?[bB]?$")]
    private static partial Regex SizePattern();
}
