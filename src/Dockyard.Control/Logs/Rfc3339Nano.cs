namespace Dockyard.Control.Logs;

/// <summary>
/// Parses the timestamp the engine puts before each log line with <c>timestamps=1</c>:
/// <c>2006-01-02T15:04:05.000000000Z07:00</c> (Go's RFC3339NanoFixed) followed by one space. .NET keeps 100 ns ticks,
/// so digits past the seventh are dropped.
/// </summary>
internal static class Rfc3339Nano
{
    /// <summary>Parses a timestamp and its trailing space at the start of <paramref name="bytes"/>.</summary>
    public static bool TryParsePrefix(ReadOnlySpan<byte> bytes, out DateTimeOffset value, out int consumed)
    {
        value = default;
        consumed = 0;
        // yyyy-MM-ddTHH:mm:ss
        if (bytes.Length < 21 || bytes[4] != '-' || bytes[7] != '-' || bytes[10] != 'T' || bytes[13] != ':' || bytes[16] != ':')
        {
            return false;
        }

        if (!Digits(bytes[0..4], out var year) || !Digits(bytes[5..7], out var month) || !Digits(bytes[8..10], out var day) ||
            !Digits(bytes[11..13], out var hour) || !Digits(bytes[14..16], out var minute) || !Digits(bytes[17..19], out var second))
        {
            return false;
        }

        var i = 19;
        long ticks = 0;
        if (bytes[i] == '.')
        {
            i++;
            var digits = 0;
            while (i < bytes.Length && bytes[i] is >= (byte)'0' and <= (byte)'9')
            {
                if (digits < 7)
                {
                    ticks = (ticks * 10) + (bytes[i] - '0');
                }

                digits++;
                i++;
            }

            if (digits == 0)
            {
                return false;
            }

            for (; digits < 7; digits++)
            {
                ticks *= 10;
            }
        }

        TimeSpan offset;
        if (i < bytes.Length && bytes[i] == 'Z')
        {
            offset = TimeSpan.Zero;
            i++;
        }
        else if (i + 6 <= bytes.Length && bytes[i] is (byte)'+' or (byte)'-' && bytes[i + 3] == ':' &&
                 Digits(bytes.Slice(i + 1, 2), out var offsetHours) && Digits(bytes.Slice(i + 4, 2), out var offsetMinutes))
        {
            offset = new TimeSpan(offsetHours, offsetMinutes, 0);
            if (bytes[i] == '-')
            {
                offset = -offset;
            }

            i += 6;
        }
        else
        {
            return false;
        }

        if (i >= bytes.Length || bytes[i] != ' ')
        {
            return false;
        }

        try
        {
            value = new DateTimeOffset(year, month, day, hour, minute, second, offset).AddTicks(ticks);
        }
        catch (ArgumentOutOfRangeException)
        {
            return false;
        }

        consumed = i + 1;
        return true;
    }

    private static bool Digits(ReadOnlySpan<byte> bytes, out int value)
    {
        value = 0;
        foreach (var b in bytes)
        {
            if (b is < (byte)'0' or > (byte)'9')
            {
                return false;
            }

            value = (value * 10) + (b - '0');
        }

        return true;
    }
}
