using Dockyard.Server.Trust.Keys;

namespace Dockyard.Server.Trust.Signatures;

/// <summary>
/// The registered keys of one <see cref="TrustKeySnapshot"/> grouped by algorithm, so a signature that names no key
/// (cosign's) is tried only against keys that could have made it: its shape tells the family (an ASN.1 DER sequence for
/// ECDSA, exactly the modulus length for RSA, 64 raw bytes for Ed25519).
/// </summary>
internal sealed class KeyCandidates
{
    private readonly IReadOnlyList<TrustedKey> _all;
    private readonly ILookup<string, TrustedKey> _byFamily;

    public KeyCandidates(TrustKeySnapshot snapshot)
    {
        Version = snapshot.Version;

        // Stable order (fingerprint) so the same signature always meets keys in the same order.
        _all = [.. snapshot.ByFingerprint.Values.OrderBy(k => k.PublicKey.Fingerprint, StringComparer.Ordinal)];
        _byFamily = _all.ToLookup(k => Family(k.PublicKey.Algorithm), StringComparer.Ordinal);
    }

    public long Version { get; }

    /// <summary>Every key, for signatures whose shape says nothing (sigstore bundles), the organization's first.</summary>
    public IEnumerable<TrustedKey> All(string organization, int limit) => Prefer(_all, organization).Take(limit);

    /// <summary>The keys that could have made a signature of this shape, the organization's first, at most <paramref name="limit"/>.</summary>
    public IEnumerable<TrustedKey> For(ReadOnlySpan<byte> signature, string organization, int limit)
    {
        var candidates = new List<TrustedKey>();
        if (signature.Length == 64)
        {
            candidates.AddRange(_byFamily["ed25519"]);
        }

        if (signature.Length > 0 && signature[0] == 0x30)
        {
            candidates.AddRange(_byFamily["ecdsa"]);
        }

        var length = signature.Length;
        candidates.AddRange(_byFamily["rsa"].Where(k => RsaBytes(k.PublicKey.Algorithm) == length));
        return Prefer(candidates, organization).Take(limit);
    }

    private static IEnumerable<TrustedKey> Prefer(IEnumerable<TrustedKey> keys, string organization) =>
        keys.OrderBy(k => string.Equals(k.Organization, organization, StringComparison.Ordinal) ? 0 : 1);

    private static string Family(string algorithm) =>
        algorithm.StartsWith("ecdsa", StringComparison.Ordinal) ? "ecdsa"
        : algorithm.StartsWith("rsa", StringComparison.Ordinal) ? "rsa"
        : algorithm;

    /// <summary>The signature length of <c>rsa-&lt;bits&gt;</c>; 0 when the name carries no size.</summary>
    private static int RsaBytes(string algorithm) =>
        algorithm.Length > "rsa-".Length && int.TryParse(algorithm.AsSpan("rsa-".Length), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var bits) ? (bits + 7) / 8 : 0;
}
