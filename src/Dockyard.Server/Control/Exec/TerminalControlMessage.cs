using System.Text.Json;

namespace Dockyard.Server.Control.Exec;

/// <summary>
/// The JSON text frames a browser terminal sends besides its keystrokes. Today only
/// <c>{"type":"resize","cols":c,"rows":r}</c>; anything else is refused so the protocol stays explicit.
/// </summary>
internal static class TerminalControlMessage
{
    /// <summary>The largest control message accepted, in bytes; a resize is about 40.</summary>
    public const int MaxLength = 256;

    /// <summary>Terminal sizes beyond this are not a real screen; they are refused before reaching the engine.</summary>
    public const int MaxDimension = 1000;

    /// <summary>
    /// Parses a resize message: a JSON object whose <c>type</c> is <c>"resize"</c> and whose <c>cols</c> and
    /// <c>rows</c> are integers in 1..<see cref="MaxDimension"/>. Other properties are ignored (forward compatible);
    /// an unknown type, a missing or out-of-range size, or malformed JSON returns false.
    /// </summary>
    public static bool TryParseResize(ReadOnlySpan<byte> json, out int cols, out int rows)
    {
        cols = 0;
        rows = 0;
        var isResize = false;
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 4 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("type"u8))
                {
                    reader.Read();
                    isResize = reader.TokenType == JsonTokenType.String && reader.ValueTextEquals("resize"u8);
                }
                else if (reader.ValueTextEquals("cols"u8))
                {
                    reader.Read();
                    cols = Dimension(ref reader);
                }
                else if (reader.ValueTextEquals("rows"u8))
                {
                    reader.Read();
                    rows = Dimension(ref reader);
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }

            // The object must end the message: trailing bytes other than whitespace make the reader throw.
            if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
            {
                return false;
            }
        }
        catch (JsonException)
        {
            return false;
        }

        return isResize && cols > 0 && rows > 0;
    }

    private static int Dimension(ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var value) && value is >= 1 and <= MaxDimension ? value : 0;
}
