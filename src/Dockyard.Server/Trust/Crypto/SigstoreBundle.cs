using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Dockyard.Server.Trust.Crypto;

/// <summary>
/// A sigstore bundle (v0.1–v0.3, <c>application/vnd.dev.sigstore.bundle*+json</c>) as cosign 3 attaches it by
/// referrer: either a <c>messageSignature</c> (signature over the artifact, named by its digest) or a DSSE envelope
/// whose in-toto statement names the artifact's digest as a subject. Verification with a key is offline: transparency
/// log entries are not checked (Dockyard runs behind firewalls; documented).
/// </summary>
/// <remarks>
/// Field names are protobuf JSON (lowerCamelCase, sigstore protobuf-specs <c>Bundle</c>); the proto names
/// (<c>dsse_envelope</c>, …) that protobuf parsers also accept are read too. <c>bytes</c> fields are base64, standard
/// or URL-safe, padded or not. cosign 3 <c>sign --key</c> writes a DSSE envelope of type <c>application/vnd.in-toto+json</c>
/// with predicate type <c>https://sigstore.dev/cosign/sign/v1</c> and the image manifest digest as the subject.
/// </remarks>
internal sealed partial class SigstoreBundle
{
    /// <summary>The media type prefix of every bundle version.</summary>
    public const string MediaTypePrefix = "application/vnd.dev.sigstore.bundle";

    /// <summary>The DSSE payload type of an in-toto statement.</summary>
    public const string InTotoPayloadType = "application/vnd.in-toto+json";

    private static readonly JsonDocumentOptions ReaderOptions = new() { AllowDuplicateProperties = false, MaxDepth = 64 };
    private static readonly string[] StatementTypes = ["https://in-toto.io/Statement/v1", "https://in-toto.io/Statement/v0.1"];

    private readonly byte[]? _messageDigest;
    private readonly byte[]? _dssePreAuthentication;
    private readonly IReadOnlyList<byte[]> _signatures;

    private SigstoreBundle(string mediaType, string? keyHint, IReadOnlyList<string> subjects, byte[]? messageDigest, byte[]? pae, IReadOnlyList<byte[]> signatures, string? predicateType)
    {
        MediaType = mediaType;
        KeyHint = keyHint;
        SubjectDigests = subjects;
        _messageDigest = messageDigest;
        _dssePreAuthentication = pae;
        _signatures = signatures;
        PredicateType = predicateType;
    }

    /// <summary>The bundle's <c>mediaType</c> (its version).</summary>
    public string MediaType { get; }

    /// <summary>The public-key hint of <c>verificationMaterial.publicKey.hint</c>, if any.</summary>
    public string? KeyHint { get; }

    /// <summary>Digests (<c>sha256:&lt;hex&gt;</c>) the bundle's signature covers.</summary>
    public IReadOnlyList<string> SubjectDigests { get; }

    /// <summary>The in-toto statement's <c>predicateType</c> of a DSSE bundle (cosign 3 image signatures: <c>https://sigstore.dev/cosign/sign/v1</c>); null for a message signature.</summary>
    public string? PredicateType { get; }

    /// <summary>Parses the bundle JSON; <paramref name="error"/> says what is wrong.</summary>
    public static bool TryParse(ReadOnlySpan<byte> json, [NotNullWhen(true)] out SigstoreBundle? bundle, [NotNullWhen(false)] out string? error)
    {
        bundle = null;
        try
        {
            using var document = JsonDocument.Parse(json.ToArray(), ReaderOptions);
            error = Read(document.RootElement, out bundle);
            return error is null;
        }
        catch (JsonException)
        {
            error = "the sigstore bundle is not valid JSON (or repeats a field).";
            return false;
        }
    }

    /// <summary>True when the bundle's signature verifies under <paramref name="key"/> (DSSE: over the pre-authentication encoding).</summary>
    public bool VerifyWith(SignaturePublicKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        foreach (var signature in _signatures)
        {
            var valid = _dssePreAuthentication is not null
                ? key.Verify(_dssePreAuthentication, signature)
                : key.VerifySha256Digest(_messageDigest, signature);
            if (valid)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>DSSE v1 pre-authentication encoding: <c>"DSSEv1" SP len(type) SP type SP len(body) SP body</c>, lengths in ASCII decimal bytes.</summary>
    public static byte[] PreAuthenticationEncoding(string payloadType, ReadOnlySpan<byte> payload)
    {
        var type = Encoding.UTF8.GetBytes(payloadType);
        var header = Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"DSSEv1 {type.Length} "));
        var middle = Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $" {payload.Length} "));
        return [.. header, .. type, .. middle, .. payload];
    }

    private static string? Read(JsonElement root, out SigstoreBundle? bundle)
    {
        bundle = null;
        if (root.ValueKind != JsonValueKind.Object)
        {
            return "the sigstore bundle is not a JSON object.";
        }

        var mediaType = GetString(root, "mediaType", "media_type");
        if (mediaType is null || !mediaType.StartsWith(MediaTypePrefix, StringComparison.Ordinal))
        {
            return $"the sigstore bundle's mediaType is not {MediaTypePrefix}…";
        }

        string? hint = null;
        if (TryGet(root, "verificationMaterial", "verification_material", out var material) && material.ValueKind == JsonValueKind.Object
            && TryGet(material, "publicKey", "public_key", out var publicKey) && publicKey.ValueKind == JsonValueKind.Object)
        {
            hint = GetString(publicKey, "hint", "hint");
        }

        if (TryGet(root, "messageSignature", "message_signature", out var message))
        {
            return ReadMessageSignature(message, mediaType, hint, out bundle);
        }

        if (TryGet(root, "dsseEnvelope", "dsse_envelope", out var envelope))
        {
            return ReadDsseEnvelope(envelope, mediaType, hint, out bundle);
        }

        return "the sigstore bundle has neither a messageSignature nor a dsseEnvelope.";
    }

    private static string? ReadMessageSignature(JsonElement message, string mediaType, string? hint, out SigstoreBundle? bundle)
    {
        bundle = null;
        if (message.ValueKind != JsonValueKind.Object
            || !TryGet(message, "messageDigest", "message_digest", out var digest) || digest.ValueKind != JsonValueKind.Object)
        {
            return "the sigstore bundle's messageSignature has no messageDigest.";
        }

        if (GetString(digest, "algorithm", "algorithm") != "SHA2_256")
        {
            return "the sigstore bundle's messageDigest algorithm is not SHA2_256.";
        }

        var value = GetBytes(digest, "digest", "digest");
        if (value is not { Length: 32 })
        {
            return "the sigstore bundle's messageDigest digest is not 32 bytes of base64.";
        }

        var signature = GetBytes(message, "signature", "signature");
        if (signature is not { Length: > 0 })
        {
            return "the sigstore bundle's messageSignature has no signature.";
        }

        bundle = new SigstoreBundle(mediaType, hint, ["sha256:" + Convert.ToHexStringLower(value)], value, null, [signature], null);
        return null;
    }

    private static string? ReadDsseEnvelope(JsonElement envelope, string mediaType, string? hint, out SigstoreBundle? bundle)
    {
        bundle = null;
        if (envelope.ValueKind != JsonValueKind.Object)
        {
            return "the sigstore bundle's dsseEnvelope is not an object.";
        }

        var payload = GetBytes(envelope, "payload", "payload");
        var payloadType = GetString(envelope, "payloadType", "payload_type");
        if (payload is null || payloadType is null)
        {
            return "the DSSE envelope has no payload or payloadType.";
        }

        if (payloadType != InTotoPayloadType)
        {
            return $"the DSSE payload type is not {InTotoPayloadType}.";
        }

        var signatures = new List<byte[]>();
        if (envelope.TryGetProperty("signatures", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            foreach (var entry in list.EnumerateArray())
            {
                if (entry.ValueKind == JsonValueKind.Object && GetBytes(entry, "sig", "sig") is { Length: > 0 } sig)
                {
                    signatures.Add(sig);
                }
            }
        }

        if (signatures.Count == 0)
        {
            return "the DSSE envelope has no signature.";
        }

        var error = ReadStatement(payload, out var subjects, out var predicateType);
        if (error is not null)
        {
            return error;
        }

        bundle = new SigstoreBundle(mediaType, hint, subjects, null, PreAuthenticationEncoding(payloadType, payload), signatures, predicateType);
        return null;
    }

    private static string? ReadStatement(byte[] payload, out IReadOnlyList<string> subjects, out string? predicateType)
    {
        subjects = [];
        predicateType = null;
        try
        {
            using var statement = JsonDocument.Parse(payload, ReaderOptions);
            var root = statement.RootElement;
            if (root.ValueKind != JsonValueKind.Object || GetString(root, "_type", "_type") is not { } type || !StatementTypes.Contains(type))
            {
                return "the DSSE payload is not an in-toto statement.";
            }

            predicateType = GetString(root, "predicateType", "predicate_type");
            var digests = new List<string>();
            if (root.TryGetProperty("subject", out var list) && list.ValueKind == JsonValueKind.Array)
            {
                foreach (var subject in list.EnumerateArray())
                {
                    if (subject.ValueKind == JsonValueKind.Object && subject.TryGetProperty("digest", out var digest) && digest.ValueKind == JsonValueKind.Object
                        && GetString(digest, "sha256", "sha256") is { } hex && Sha256Hex().IsMatch(hex))
                    {
                        digests.Add("sha256:" + hex.ToLowerInvariant());
                    }
                }
            }

            if (digests.Count == 0)
            {
                return "the in-toto statement names no subject with a sha256 digest.";
            }

            subjects = digests;
            return null;
        }
        catch (JsonException)
        {
            return "the DSSE payload is not valid JSON (or repeats a field).";
        }
    }

    private static bool TryGet(JsonElement parent, string camel, string snake, out JsonElement value) =>
        parent.TryGetProperty(camel, out value) || (snake != camel && parent.TryGetProperty(snake, out value));

    private static string? GetString(JsonElement parent, string camel, string snake) =>
        TryGet(parent, camel, snake, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>Protobuf JSON bytes: base64 standard or URL-safe, padding optional. Null when absent or not base64.</summary>
    private static byte[]? GetBytes(JsonElement parent, string camel, string snake)
    {
        if (GetString(parent, camel, snake) is not { } text)
        {
            return null;
        }

        var normalized = text.Replace('-', '+').Replace('_', '/');
        normalized = normalized.PadRight(normalized.Length + ((4 - (normalized.Length % 4)) % 4), '=');
        var buffer = new byte[normalized.Length * 3 / 4];
        return Convert.TryFromBase64String(normalized, buffer, out var written) ? buffer[..written] : null;
    }

    [GeneratedRegex("^[0-9a-fA-F]{64}$", RegexOptions.CultureInvariant)]
    private static partial Regex Sha256Hex();
}
