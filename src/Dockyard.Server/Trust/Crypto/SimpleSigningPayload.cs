using System.Diagnostics.CodeAnalysis;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Dockyard.Server.Trust.Crypto;

/// <summary>
/// The "simple signing" payload cosign and containers/image sign (the layer blob of a <c>sha256-&lt;hex&gt;.sig</c> manifest):
/// <c>{"critical":{"identity":{"docker-reference":R},"image":{"docker-manifest-digest":D},"type":"cosign container image signature"},"optional":{…}}</c>.
/// </summary>
internal sealed partial record SimpleSigningPayload(string DockerReference, string ManifestDigest, DateTimeOffset? Timestamp)
{
    /// <summary>The <c>type</c> value every such payload carries.</summary>
    public const string PayloadType = "cosign container image signature";

    /// <summary>The layer media type of one such signature.</summary>
    public const string MediaType = "application/vnd.dev.cosign.simplesigning.v1+json";

    /// <summary>The layer annotation holding the base64 signature.</summary>
    public const string SignatureAnnotation = "dev.cosignproject.cosign/signature";

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly JsonDocumentOptions ReaderOptions = new() { AllowDuplicateProperties = false, MaxDepth = 32 };

    /// <summary><c>optional.creator</c> (containers/image writes <c>containers/image &lt;version&gt;</c>); null leaves it out.</summary>
    public string? Creator { get; init; }

    /// <summary>The payload's JSON bytes (the exact bytes that get signed); <see cref="Timestamp"/>, when set, goes in <c>optional</c> as cosign's <c>timestamp</c> (Unix seconds) does.</summary>
    public byte[] ToJson()
    {
        // Key order and shape as Go's encoding/json writes c/image's maps (sorted keys); "optional": null as cosign writes it without annotations.
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, WriterOptions))
        {
            json.WriteStartObject();
            json.WriteStartObject("critical");
            json.WriteStartObject("identity");
            json.WriteString("docker-reference", DockerReference);
            json.WriteEndObject();
            json.WriteStartObject("image");
            json.WriteString("docker-manifest-digest", ManifestDigest);
            json.WriteEndObject();
            json.WriteString("type", PayloadType);
            json.WriteEndObject();
            if (Creator is null && Timestamp is null)
            {
                json.WriteNull("optional");
            }
            else
            {
                json.WriteStartObject("optional");
                if (Creator is not null)
                {
                    json.WriteString("creator", Creator);
                }

                if (Timestamp is { } timestamp)
                {
                    json.WriteNumber("timestamp", timestamp.ToUnixTimeSeconds());
                }

                json.WriteEndObject();
            }

            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>Parses a payload, checking <c>type</c> and the shape of the digest; <paramref name="error"/> says what is wrong.</summary>
    public static bool TryParse(ReadOnlySpan<byte> json, [NotNullWhen(true)] out SimpleSigningPayload? payload, [NotNullWhen(false)] out string? error)
    {
        payload = null;
        try
        {
            using var document = JsonDocument.Parse(json.ToArray(), ReaderOptions);
            error = Read(document.RootElement, out payload);
            return error is null;
        }
        catch (JsonException)
        {
            error = "the signature payload is not valid JSON (or repeats a field).";
            return false;
        }
    }

    private static string? Read(JsonElement root, out SimpleSigningPayload? payload)
    {
        payload = null;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("critical", out var critical) || critical.ValueKind != JsonValueKind.Object)
        {
            return "the signature payload has no \"critical\" object.";
        }

        if (!critical.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String || type.GetString() != PayloadType)
        {
            return $"the signature payload's critical.type is not \"{PayloadType}\".";
        }

        if (!TryGetString(critical, "image", "docker-manifest-digest", out var digest) || !DigestPattern().IsMatch(digest))
        {
            return "the signature payload's critical.image.docker-manifest-digest is missing or not a digest (algorithm:hex).";
        }

        if (!TryGetString(critical, "identity", "docker-reference", out var reference) || reference.Length == 0)
        {
            return "the signature payload's critical.identity.docker-reference is missing.";
        }

        string? creator = null;
        DateTimeOffset? timestamp = null;
        if (root.TryGetProperty("optional", out var optional) && optional.ValueKind != JsonValueKind.Null)
        {
            if (optional.ValueKind != JsonValueKind.Object)
            {
                return "the signature payload's \"optional\" is neither an object nor null.";
            }

            if (optional.TryGetProperty("creator", out var creatorValue))
            {
                if (creatorValue.ValueKind != JsonValueKind.String)
                {
                    return "the signature payload's optional.creator is not a string.";
                }

                creator = creatorValue.GetString();
            }

            if (optional.TryGetProperty("timestamp", out var timestampValue))
            {
                // Whole seconds only, as containers/image requires.
                if (timestampValue.ValueKind != JsonValueKind.Number || !timestampValue.TryGetInt64(out var seconds)
                    || seconds < DateTimeOffset.MinValue.ToUnixTimeSeconds() || seconds > DateTimeOffset.MaxValue.ToUnixTimeSeconds())
                {
                    return "the signature payload's optional.timestamp is not a whole number of seconds.";
                }

                timestamp = DateTimeOffset.FromUnixTimeSeconds(seconds);
            }
        }

        payload = new SimpleSigningPayload(reference, digest, timestamp) { Creator = creator };
        return null;
    }

    private static bool TryGetString(JsonElement parent, string objectName, string field, [NotNullWhen(true)] out string? value)
    {
        value = null;
        if (parent.TryGetProperty(objectName, out var inner) && inner.ValueKind == JsonValueKind.Object
            && inner.TryGetProperty(field, out var element) && element.ValueKind == JsonValueKind.String)
        {
            value = element.GetString()!;
            return true;
        }

        return false;
    }

    [GeneratedRegex("^(sha256:[a-f0-9]{64}|sha384:[a-f0-9]{96}|sha512:[a-f0-9]{128})$", RegexOptions.CultureInvariant)]
    private static partial Regex DigestPattern();
}
