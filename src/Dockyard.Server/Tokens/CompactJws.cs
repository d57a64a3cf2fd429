using System.Buffers;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Dockyard.Server.Tokens;

/// <summary>
/// JWS compact serialization with exactly one algorithm, ES256 (ECDSA P-256 + SHA-256, signature r||s). The
/// algorithm is fixed by the verifier, never taken from the token: a header naming anything else
/// (<c>none</c>, <c>HS256</c> keyed with the public key, <c>RS256</c>, …) is rejected before any key is touched.
/// </summary>
internal static class CompactJws
{
    public const string Algorithm = "ES256";

    /// <summary>Tokens longer than this are refused unparsed (a token carries at most a few dozen scopes).</summary>
    public const int MaxLength = 16 * 1024;

    private const int SignatureLength = 64;

    private static readonly SearchValues<char> UrlAlphabet =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

    /// <summary>
    /// Signs <paramref name="payloadJson"/>. <paramref name="x5c"/>, when given, is the key's certificate chain (base64
    /// DER, leaf first): verifiers that trust a CA rather than a key (distribution's token auth, notary-server) read it;
    /// Dockyard itself looks the key up by <paramref name="kid"/>.
    /// </summary>
    public static string Sign(ReadOnlySpan<byte> payloadJson, string kid, ECDsa key, IReadOnlyList<string>? x5c = null)
    {
        var header = new ArrayBufferWriter<byte>(96);
        using (var writer = new Utf8JsonWriter(header))
        {
            writer.WriteStartObject();
            writer.WriteString("alg", Algorithm);
            writer.WriteString("typ", "JWT");
            writer.WriteString("kid", kid);
            if (x5c is { Count: > 0 })
            {
                writer.WriteStartArray("x5c");
                foreach (var certificate in x5c)
                {
                    writer.WriteStringValue(certificate);
                }

                writer.WriteEndArray();
            }

            writer.WriteEndObject();
        }

        var signingInput = $"{Base64Url.EncodeToString(header.WrittenSpan)}.{Base64Url.EncodeToString(payloadJson)}";
        var signature = key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return $"{signingInput}.{Base64Url.EncodeToString(signature)}";
    }

    /// <summary>
    /// Splits and checks the token's shape and header: three base64url parts, a JSON header with
    /// <c>alg</c> = ES256 and a <c>kid</c>, no <c>crit</c>, a 64-byte signature. Does not verify the signature.
    /// </summary>
    public static bool TryParse(string token, out ParsedJws parsed)
    {
        parsed = default;
        if (token.Length is 0 or > MaxLength)
        {
            return false;
        }

        var parts = token.Split('.');
        if (parts.Length != 3 || parts.Any(p => p.Length == 0))
        {
            return false;
        }

        if (!TryDecode(parts[0], out var header) || !TryDecode(parts[1], out var payload) || !TryDecode(parts[2], out var signature)
            || signature.Length != SignatureLength)
        {
            return false;
        }

        string? kid;
        try
        {
            using var document = JsonDocument.Parse(header);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("alg", out var alg) || alg.ValueKind != JsonValueKind.String || alg.GetString() != Algorithm
                || !root.TryGetProperty("kid", out var kidElement) || kidElement.ValueKind != JsonValueKind.String
                || root.TryGetProperty("crit", out _))
            {
                return false;
            }

            kid = kidElement.GetString();
        }
        catch (JsonException)
        {
            return false;
        }

        if (string.IsNullOrEmpty(kid))
        {
            return false;
        }

        parsed = new ParsedJws(kid, payload, Encoding.ASCII.GetBytes(token[..(parts[0].Length + 1 + parts[1].Length)]), signature);
        return true;
    }

    public static bool Verify(in ParsedJws parsed, ECDsa key) =>
        key.VerifyData(parsed.SigningInput, parsed.Signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);

    private static bool TryDecode(string part, out byte[] bytes)
    {
        bytes = [];
        // Only the unpadded URL-safe alphabet: the decoder would also accept padding and whitespace.
        if (part.AsSpan().ContainsAnyExcept(UrlAlphabet) || !Base64Url.IsValid(part, out var length))
        {
            return false;
        }

        bytes = new byte[length];
        return Base64Url.TryDecodeFromChars(part, bytes, out var written) && written == length;
    }

    /// <summary>A structurally valid token, signature not yet verified.</summary>
    internal readonly record struct ParsedJws(string Kid, byte[] Payload, byte[] SigningInput, byte[] Signature);
}
