using System.Globalization;
using Dockyard.Server.Errors;

namespace Dockyard.Server.Control.Logs;

/// <summary>
/// What a caller asked of a container's log (<c>tail, since, until, timestamps, stdout, stderr, follow, download</c>),
/// checked and bounded. A view gets at most <see cref="MaxTail"/> existing lines (default <see cref="DefaultTail"/>);
/// a download gets the whole log unless it names a tail.
/// </summary>
/// <param name="Tail">Existing lines to start with; null for all of them (downloads only).</param>
/// <param name="Since">Only lines written at or after this time.</param>
/// <param name="Until">Only lines written before this time.</param>
/// <param name="Timestamps">Give each line the engine's timestamp.</param>
/// <param name="Stdout">Include standard output.</param>
/// <param name="Stderr">Include standard error.</param>
/// <param name="Follow">Keep the stream open for new lines until the container stops or the client leaves.</param>
/// <param name="Download">The whole log as a file (text/plain with Content-Disposition).</param>
internal sealed record ContainerLogQuery(
    int? Tail, DateTimeOffset? Since, DateTimeOffset? Until, bool Timestamps, bool Stdout, bool Stderr, bool Follow, bool Download)
{
    /// <summary>Existing lines a view starts with when the caller names no tail.</summary>
    public const int DefaultTail = 500;

    /// <summary>The most existing lines a view may ask for; a larger tail is reduced to this (download the whole log instead).</summary>
    public const int MaxTail = 10_000;

    /// <summary>
    /// Reads the query string. Times are RFC 3339, unix seconds (fractions allowed) or an age such as <c>90s</c>,
    /// <c>15m</c>, <c>2h</c> before now; <c>tail</c> is a count or <c>all</c> (downloads only). Bad values are a 400.
    /// </summary>
    public static ContainerLogQuery Parse(IQueryCollection query, TimeProvider time)
    {
        var download = Flag(query, "download", false);
        var tail = ParseTail(query["tail"].ToString(), download);
        var since = ParseTime(query, "since", time);
        var until = ParseTime(query, "until", time);
        var stdout = Flag(query, "stdout", true);
        var stderr = Flag(query, "stderr", true);
        if (!stdout && !stderr)
        {
            throw DomainException.Invalid("stdout", "Ask for stdout, stderr or both.");
        }

        if (since is { } from && until is { } to && to <= from)
        {
            throw DomainException.Invalid("until", "until must be after since.");
        }

        return new ContainerLogQuery(tail, since, until, Flag(query, "timestamps", false), stdout, stderr, Flag(query, "follow", false), download);
    }

    private static int? ParseTail(string value, bool download)
    {
        if (value.Length == 0)
        {
            return download ? null : DefaultTail;
        }

        if (value == "all")
        {
            return download ? null : throw DomainException.Invalid("tail", $"tail=all is for downloads (download=true); a view shows at most {MaxTail} lines.");
        }

        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var tail))
        {
            throw DomainException.Invalid("tail", "tail: a number of lines, or all with download=true.");
        }

        return download ? tail : Math.Min(tail, MaxTail);
    }

    private static DateTimeOffset? ParseTime(IQueryCollection query, string name, TimeProvider time)
    {
        var value = query[name].ToString();
        if (value.Length == 0)
        {
            return null;
        }

        if (value.Length >= 2 && char.IsAsciiDigit(value[0]) && value[^1] is 's' or 'm' or 'h'
            && int.TryParse(value.AsSpan(0, value.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var amount))
        {
            var age = value[^1] switch { 's' => TimeSpan.FromSeconds(amount), 'm' => TimeSpan.FromMinutes(amount), _ => TimeSpan.FromHours(amount) };
            return time.GetUtcNow() - age;
        }

        if (decimal.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds) && seconds < 100_000_000_000m)
        {
            return DateTimeOffset.UnixEpoch.AddTicks((long)(seconds * TimeSpan.TicksPerSecond));
        }

        if (value.Contains('T', StringComparison.OrdinalIgnoreCase)
            && DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
        {
            return parsed;
        }

        throw DomainException.Invalid(name, $"{name}: an RFC 3339 time (2026-01-02T15:04:05Z), unix seconds, or an age such as 15m.");
    }

    private static bool Flag(IQueryCollection query, string name, bool missing)
    {
        var value = query[name].ToString();
        return value switch
        {
            "" => missing,
            "1" or "true" => true,
            "0" or "false" => false,
            _ => throw DomainException.Invalid(name, $"{name}: true or false."),
        };
    }
}
