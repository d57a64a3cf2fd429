using System.Globalization;
using Dockyard.Server.Errors;

namespace Dockyard.Server.Policies;

/// <summary>Durations in policies as people write them: a whole number and a unit, <c>90m</c>, <c>12h</c>, <c>30d</c>, <c>2w</c>.</summary>
internal static class DurationText
{
    public static TimeSpan Parse(string field, string text)
    {
        var unit = text.Length > 1 ? text[^1] : '\0';
        if (!long.TryParse(text.AsSpan(0, Math.Max(0, text.Length - 1)), NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count <= 0 || count > 100_000)
        {
            unit = '\0';
        }

        return unit switch
        {
            'm' => TimeSpan.FromMinutes(count),
            'h' => TimeSpan.FromHours(count),
            'd' => TimeSpan.FromDays(count),
            'w' => TimeSpan.FromDays(count * 7),
            _ => throw DomainException.Invalid(field, $"'{text}' is not a duration: a positive whole number followed by m, h, d or w (e.g. 12h, 30d)."),
        };
    }

    /// <summary>The shortest exact form: <c>14d</c> rather than <c>2w</c> only when weeks do not divide it.</summary>
    public static string Format(TimeSpan duration) => duration switch
    {
        _ when duration.Ticks % TimeSpan.TicksPerDay == 0 && duration.Days % 7 == 0 => $"{duration.Days / 7}w",
        _ when duration.Ticks % TimeSpan.TicksPerDay == 0 => $"{duration.Days}d",
        _ when duration.Ticks % TimeSpan.TicksPerHour == 0 => $"{(long)duration.TotalHours}h",
        _ => $"{(long)duration.TotalMinutes}m",
    };
}
