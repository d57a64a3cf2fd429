using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Dockyard.Server.Trust.Notary;

/// <summary>
/// Canonical JSON as notary signs it (<c>docker/go/canonical/json</c>, what notary's verifier re-encodes the parsed
/// <c>signed</c> object to): object members sorted by key (byte order), no whitespace, strings escaped as Go's
/// encoding/json does (<c>&lt; &gt; &amp;</c>, U+2028 and U+2029 as <c>\u</c> escapes), numbers as written.
/// </summary>
internal static class CanonicalJson
{
    public static byte[] Encode(JsonElement element)
    {
        var builder = new StringBuilder();
        Write(builder, element);
        return Encoding.UTF8.GetBytes(builder.ToString());
    }

    private static void Write(StringBuilder builder, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                builder.Append('{');
                var first = true;
                foreach (var property in element.EnumerateObject().OrderBy(p => p.Name, Utf8Order.Instance))
                {
                    if (!first)
                    {
                        builder.Append(',');
                    }

                    first = false;
                    WriteString(builder, property.Name);
                    builder.Append(':');
                    Write(builder, property.Value);
                }

                builder.Append('}');
                break;
            case JsonValueKind.Array:
                builder.Append('[');
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (index++ > 0)
                    {
                        builder.Append(',');
                    }

                    Write(builder, item);
                }

                builder.Append(']');
                break;
            case JsonValueKind.String:
                WriteString(builder, element.GetString()!);
                break;
            default:
                builder.Append(element.GetRawText());
                break;
        }
    }

    private static void WriteString(StringBuilder builder, string value)
    {
        builder.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                case < ' ' or '<' or '>' or '&' or '\u2028' or '\u2029':
                    builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    break;
                default: builder.Append(c); break;
            }
        }

        builder.Append('"');
    }

    /// <summary>Go sorts map keys as byte strings: UTF-8 byte order, which for UTF-16 text differs only past the BMP.</summary>
    private sealed class Utf8Order : IComparer<string>
    {
        public static readonly Utf8Order Instance = new();

        public int Compare(string? x, string? y) =>
            Encoding.UTF8.GetBytes(x ?? string.Empty).AsSpan().SequenceCompareTo(Encoding.UTF8.GetBytes(y ?? string.Empty));
    }
}
