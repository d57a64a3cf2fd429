using System.Globalization;
using System.Net;

namespace Dockyard.Server.Webhooks;

/// <summary>
/// Reads a URL host as an IP address in every spelling a resolver accepts, so a denied address cannot hide behind
/// an unusual one: IPv6 (with or without brackets), and IPv4 as <c>inet_aton</c> reads it — one to four parts, each
/// decimal, octal (leading <c>0</c>) or hex (<c>0x</c>), the last part filling the remaining bytes
/// (<c>2130706433</c>, <c>0x7f.0.0.1</c>, <c>0177.0.0.1</c>, <c>127.1</c> are all 127.0.0.1).
/// </summary>
internal static class WebhookHostLiteral
{
    /// <summary>The address <paramref name="host"/> spells; false when it is a name.</summary>
    public static bool TryParse(string host, out IPAddress address)
    {
        address = IPAddress.None;
        if (host.Length == 0)
        {
            return false;
        }

        if (host.Contains(':', StringComparison.Ordinal))
        {
            var bare = host.StartsWith('[') && host.EndsWith(']') ? host[1..^1] : host;
            if (IPAddress.TryParse(bare, out var v6))
            {
                address = v6;
                return true;
            }

            return false;
        }

        // A resolver ignores one trailing dot of a numeric host too.
        var parts = host.TrimEnd('.').Split('.');
        if (parts.Length > 4)
        {
            return false;
        }

        var values = new ulong[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!TryParsePart(parts[i], out values[i]))
            {
                return false;
            }
        }

        ulong result = 0;
        for (var i = 0; i < parts.Length - 1; i++)
        {
            if (values[i] > 0xFF)
            {
                return false;
            }

            result |= values[i] << (8 * (3 - i));
        }

        var last = values[^1];
        var lastBits = 8 * (4 - (parts.Length - 1));
        if (lastBits < 64 && last >> lastBits != 0)
        {
            return false;
        }

        result |= last;
        address = new IPAddress([(byte)(result >> 24), (byte)(result >> 16), (byte)(result >> 8), (byte)result]);
        return true;
    }

    private static bool TryParsePart(string part, out ulong value)
    {
        value = 0;
        if (part.Length == 0 || part.Length > 32)
        {
            return false;
        }

        if (part.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            return part.Length > 2 && ulong.TryParse(part.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);
        }

        if (part.Length > 1 && part[0] == '0')
        {
            foreach (var digit in part.AsSpan(1))
            {
                if (digit is < '0' or > '7' || value > (ulong.MaxValue >> 3))
                {
                    return false;
                }

                value = (value << 3) | (uint)(digit - '0');
            }

            return true;
        }

        return part.All(char.IsAsciiDigit) && ulong.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }
}
