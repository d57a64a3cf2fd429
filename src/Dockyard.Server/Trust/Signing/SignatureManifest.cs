using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dockyard.Registry;
using Dockyard.Server.Trust.Crypto;

namespace Dockyard.Server.Trust.Signing;

/// <summary>
/// The <c>sha256-&lt;hex&gt;.sig</c> manifest as containers/image writes it (<c>putSignaturesToSigstoreAttachments</c>):
/// an OCI image manifest whose layers are the signatures, and an OCI image config whose <c>rootfs.diff_ids</c> list the
/// payload digests. A signature is appended to an existing manifest, keeping every layer and field it has (cosign's
/// bundle annotations included); one whose media type, payload and annotations equal an existing layer's is not added
/// again (c/image's <c>layerMatchesSigstoreSignature</c>).
/// </summary>
internal static class SignatureManifest
{
    /// <summary>Go's encoding/json leaves <c>+</c> alone; the default encoder would write <c>\u002B</c> into media types and base64.</summary>
    private static readonly JsonSerializerOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, WriteIndented = false };

    /// <summary>The simple-signing layers of <paramref name="manifest"/> (others, and malformed ones, are left out).</summary>
    public static IReadOnlyList<SignatureLayer> ReadLayers(ReadOnlySpan<byte> manifest)
    {
        var layers = new List<SignatureLayer>();
        if (TryParseObject(manifest) is not { } root || root["layers"] is not JsonArray array)
        {
            return layers;
        }

        foreach (var layer in array)
        {
            if (layer is JsonObject descriptor
                && Text(descriptor, "mediaType") == SimpleSigningPayload.MediaType
                && Digest.TryParse(Text(descriptor, "digest"), out var digest)
                && descriptor["size"] is JsonValue size && size.TryGetValue<long>(out var bytes)
                && descriptor["annotations"] is JsonObject annotations
                && Text(annotations, SimpleSigningPayload.SignatureAnnotation) is { Length: > 0 } signature)
            {
                layers.Add(new SignatureLayer(digest, bytes, signature));
            }
        }

        return layers;
    }

    /// <summary>The config descriptor's digest and media type of <paramref name="manifest"/>, when it has a valid one.</summary>
    public static (Digest Digest, string MediaType)? ReadConfig(ReadOnlySpan<byte> manifest) =>
        TryParseObject(manifest) is { } root && root["config"] is JsonObject config && Digest.TryParse(Text(config, "digest"), out var digest)
            ? (digest, Text(config, "mediaType") ?? MediaTypes.OciConfig)
            : null;

    /// <summary>
    /// True when <paramref name="manifest"/> already has a layer equal to <paramref name="layer"/>: same media type, digest and
    /// size, and annotations that are exactly the signature.
    /// </summary>
    public static bool Contains(ReadOnlySpan<byte> manifest, SignatureLayer layer)
    {
        if (TryParseObject(manifest) is not { } root || root["layers"] is not JsonArray array)
        {
            return false;
        }

        return array.OfType<JsonObject>().Any(d =>
            Text(d, "mediaType") == SimpleSigningPayload.MediaType
            && Text(d, "digest") == layer.PayloadDigest.Value
            && d["size"] is JsonValue size && size.TryGetValue<long>(out var bytes) && bytes == layer.PayloadSize
            && d["annotations"] is JsonObject annotations && annotations.Count == 1
            && Text(annotations, SimpleSigningPayload.SignatureAnnotation) == layer.SignatureBase64);
    }

    /// <summary>
    /// The config with <paramref name="payload"/> appended to <c>rootfs.diff_ids</c>: <paramref name="existing"/> with every
    /// other field kept, or, when there is none (or it is not a JSON object), the config c/image starts from
    /// (<c>{"architecture":"","os":"","config":{},"rootfs":{"type":"layers","diff_ids":[…]}}</c>).
    /// </summary>
    public static byte[] AppendToConfig(byte[]? existing, Digest payload)
    {
        var root = existing is null ? null : TryParseObject(existing);
        if (root is null)
        {
            root = new JsonObject
            {
                ["architecture"] = string.Empty,
                ["os"] = string.Empty,
                ["config"] = new JsonObject(),
                ["rootfs"] = new JsonObject { ["type"] = "layers", ["diff_ids"] = new JsonArray() },
            };
        }

        if (root["rootfs"] is not JsonObject rootfs)
        {
            rootfs = new JsonObject { ["type"] = "layers" };
            root["rootfs"] = rootfs;
        }

        if (rootfs["diff_ids"] is not JsonArray diffIds)
        {
            diffIds = [];
            rootfs["diff_ids"] = diffIds;
        }

        diffIds.Add(payload.Value);
        return JsonSerializer.SerializeToUtf8Bytes(root, Compact);
    }

    /// <summary>
    /// The manifest with <paramref name="layer"/> appended and its config descriptor replaced: <paramref name="existing"/> with
    /// every other field and layer kept, or a new OCI image manifest.
    /// </summary>
    public static byte[] Append(byte[]? existing, SignatureLayer layer, Digest configDigest, long configSize, string configMediaType)
    {
        var root = existing is null ? null : TryParseObject(existing);
        root ??= new JsonObject { ["schemaVersion"] = 2, ["mediaType"] = MediaTypes.OciManifest };
        root["config"] = new JsonObject { ["mediaType"] = configMediaType, ["digest"] = configDigest.Value, ["size"] = configSize };
        if (root["layers"] is not JsonArray layers)
        {
            layers = [];
            root["layers"] = layers;
        }

        layers.Add(new JsonObject
        {
            ["mediaType"] = SimpleSigningPayload.MediaType,
            ["digest"] = layer.PayloadDigest.Value,
            ["size"] = layer.PayloadSize,
            ["annotations"] = new JsonObject { [SimpleSigningPayload.SignatureAnnotation] = layer.SignatureBase64 },
        });
        return JsonSerializer.SerializeToUtf8Bytes(root, Compact);
    }

    private static JsonObject? TryParseObject(ReadOnlySpan<byte> json)
    {
        try
        {
            return JsonNode.Parse(json) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Text(JsonObject node, string name) =>
        node[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
