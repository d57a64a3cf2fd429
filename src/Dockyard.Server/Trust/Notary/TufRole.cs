using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Dockyard.Server.Trust.Notary;

/// <summary>
/// One TUF metadata file (<c>{"signed":{…},"signatures":[{"keyid","method","sig"}]}</c>) checked against the keys its
/// parent role delegates to it: <see cref="SignedBy"/> are the keys whose signature verifies, <see cref="Verified"/>
/// says whether they reach the threshold. The signature covers the canonical JSON of <c>signed</c>; the bytes as
/// served are tried first (notary stores what its client signed), then a canonical re-encoding.
/// </summary>
internal sealed record TufRole(string Name, JsonElement Signed, IReadOnlyList<TufKey> SignedBy, bool Verified, DateTimeOffset? Expires)
{
    public static TufRole? Parse(string name, string expectedType, byte[] document, IReadOnlyDictionary<string, TufKey> keys, IReadOnlyCollection<string> keyIds, int threshold)
    {
        JsonElement root;
        try
        {
            using var parsed = JsonDocument.Parse(document, new JsonDocumentOptions { MaxDepth = 32 });
            root = parsed.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }

        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("signed", out var signed) || signed.ValueKind != JsonValueKind.Object
            || !signed.TryGetProperty("_type", out var type) || type.ValueKind != JsonValueKind.String || type.GetString() != expectedType)
        {
            return null;
        }

        var asServed = Encoding.UTF8.GetBytes(signed.GetRawText());
        byte[]? canonical = null;
        var signedBy = new List<TufKey>();
        if (root.TryGetProperty("signatures", out var signatures) && signatures.ValueKind == JsonValueKind.Array)
        {
            foreach (var signature in signatures.EnumerateArray().Take(64))
            {
                if (signature.ValueKind != JsonValueKind.Object
                    || !signature.TryGetProperty("keyid", out var keyId) || keyId.ValueKind != JsonValueKind.String
                    || !signature.TryGetProperty("method", out var method) || method.ValueKind != JsonValueKind.String || method.GetString() != "ecdsa"
                    || !signature.TryGetProperty("sig", out var sig) || sig.ValueKind != JsonValueKind.String || !sig.TryGetBytesFromBase64(out var sigBytes)
                    || !keyIds.Contains(keyId.GetString()!) || !keys.TryGetValue(keyId.GetString()!, out var key)
                    || signedBy.Any(k => k.Id == key.Id))
                {
                    continue;
                }

                if (key.Verify(asServed, sigBytes) || key.Verify(canonical ??= CanonicalJson.Encode(signed), sigBytes))
                {
                    signedBy.Add(key);
                }
            }
        }

        DateTimeOffset? expires = signed.TryGetProperty("expires", out var e) && e.ValueKind == JsonValueKind.String
            && DateTimeOffset.TryParse(e.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : null;
        return new TufRole(name, signed, signedBy, signedBy.Count >= Math.Max(threshold, 1), expires);
    }

    /// <summary>The keys of a <c>keys</c> object (root's, or a targets file's <c>delegations.keys</c>).</summary>
    public static Dictionary<string, TufKey> KeysOf(JsonElement keys)
    {
        var result = new Dictionary<string, TufKey>(StringComparer.Ordinal);
        if (keys.ValueKind == JsonValueKind.Object)
        {
            foreach (var key in keys.EnumerateObject().Take(256))
            {
                result[key.Name] = TufKey.Parse(key.Name, key.Value);
            }
        }

        return result;
    }

    /// <summary>A role's <c>keyids</c> and <c>threshold</c> (root's <c>roles.X</c>, a delegation entry).</summary>
    public static (IReadOnlyCollection<string> KeyIds, int Threshold) Delegation(JsonElement role)
    {
        var ids = role.ValueKind == JsonValueKind.Object && role.TryGetProperty("keyids", out var k) && k.ValueKind == JsonValueKind.Array
            ? k.EnumerateArray().Where(i => i.ValueKind == JsonValueKind.String).Select(i => i.GetString()!).ToHashSet(StringComparer.Ordinal)
            : [];
        // A threshold that is not an int32 (1e400, 2.5, "2") is unreachable rather than 1: fail closed.
        var threshold = role.ValueKind != JsonValueKind.Object || !role.TryGetProperty("threshold", out var t) ? 1
            : t.ValueKind == JsonValueKind.Number && t.TryGetInt32(out var n) ? n : int.MaxValue;
        return (ids, threshold);
    }

    /// <summary>Target names (tags) by the sha256 they list, lowercase hex; only names under <paramref name="paths"/> (null: all).</summary>
    public Dictionary<string, List<string>> TargetsByDigest(IReadOnlyList<string>? paths)
    {
        var result = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        if (!Signed.TryGetProperty("targets", out var targets) || targets.ValueKind != JsonValueKind.Object)
        {
            return result;
        }

        foreach (var target in targets.EnumerateObject())
        {
            if ((paths is not null && !paths.Any(p => target.Name.StartsWith(p, StringComparison.Ordinal)))
                || target.Value.ValueKind != JsonValueKind.Object
                || !target.Value.TryGetProperty("hashes", out var hashes) || hashes.ValueKind != JsonValueKind.Object
                || !hashes.TryGetProperty("sha256", out var sha256) || sha256.ValueKind != JsonValueKind.String
                || !sha256.TryGetBytesFromBase64(out var hash) || hash.Length != 32)
            {
                continue;
            }

            var hex = Convert.ToHexStringLower(hash);
            if (!result.TryGetValue(hex, out var names))
            {
                result[hex] = names = [];
            }

            names.Add(target.Name);
        }

        return result;
    }
}
