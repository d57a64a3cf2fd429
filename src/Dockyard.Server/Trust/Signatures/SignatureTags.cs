using System.Diagnostics.CodeAnalysis;
using Dockyard.Registry;

namespace Dockyard.Server.Trust.Signatures;

/// <summary>
/// The tags cosign and the OCI referrers fallback derive from a digest: <c>sha256-&lt;hex&gt;.sig</c> (cosign's
/// signature manifest), <c>sha256-&lt;hex&gt;</c> (the OCI 1.1 referrers tag schema: an index of the digest's referrers,
/// written by clients when a registry has no referrers API) and cosign's other suffixes (<c>.att</c>, <c>.sbom</c>).
/// </summary>
internal static class SignatureTags
{
    /// <summary>The cosign signature tag of <paramref name="digest"/>.</summary>
    public static string Signature(Digest digest) => $"{digest.AlgorithmName}-{digest.Hex}.sig";

    /// <summary>The referrers fallback tag of <paramref name="digest"/>.</summary>
    public static string Fallback(Digest digest) => $"{digest.AlgorithmName}-{digest.Hex}";

    /// <summary>
    /// True when <paramref name="tag"/> is a digest-derived tag (<c>sha256-&lt;hex&gt;</c> with an optional suffix such as
    /// <c>.sig</c>): a signature, attestation or referrers index rather than an image anyone tags by name.
    /// <paramref name="digest"/> is the digest it is about.
    /// </summary>
    public static bool TryParse(string tag, [NotNullWhen(true)] out Digest? digest)
    {
        digest = null;
        var dash = tag.IndexOf('-', StringComparison.Ordinal);
        if (dash <= 0)
        {
            return false;
        }

        var rest = tag.AsSpan(dash + 1);
        var dot = rest.IndexOf('.');
        var hex = dot < 0 ? rest : rest[..dot];
        if (!Digest.TryParse(string.Concat(tag.AsSpan(0, dash), ":", hex), out var parsed))
        {
            return false;
        }

        digest = parsed;
        return true;
    }
}
