using System.Globalization;

namespace Dockyard.Control.Engines;

/// <summary>Times as the engine's query parameters take them (<c>since</c>, <c>until</c>): unix seconds with nanoseconds.</summary>
internal static class EngineTimestamps
{
    /// <summary><c>1700000000.123456700</c>: seconds since the epoch, a dot, nine digits of nanoseconds.</summary>
    public static string ToQuery(DateTimeOffset time)
    {
        var ticks = time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        var seconds = Math.DivRem(ticks, TimeSpan.TicksPerSecond, out var remainder);
        if (remainder < 0)
        {
            seconds--;
            remainder += TimeSpan.TicksPerSecond;
        }

        return string.Create(CultureInfo.InvariantCulture, $"{seconds}.{remainder * 100:D9}");
    }

    /// <summary>The time of a <c>timeNano</c> value (nanoseconds since the epoch), truncated to 100 ns.</summary>
    public static DateTimeOffset FromUnixNanoseconds(long nanoseconds) =>
        DateTimeOffset.UnixEpoch.AddTicks(nanoseconds / 100);
}
