namespace Dockyard.Server.Trust.Signatures;

/// <summary>
/// One signature found for an image and what verification made of it.
/// <see cref="Kind"/>: <c>cosign</c> (a layer of the <c>sha256-&lt;hex&gt;.sig</c> manifest), <c>referrer</c> (a cosign
/// signature attached as an OCI 1.1 referrer), <c>bundle</c> (a sigstore bundle referrer) or <c>notary</c> (Docker
/// Content Trust). <see cref="Source"/> names where it was found (the signature manifest's digest, or the notary role).
/// The key fields are set when a registered key verified it (even a revoked one, with <see cref="Problem"/> saying so).
/// </summary>
internal sealed record SignatureVerdict(
    string Kind,
    string Source,
    bool Valid,
    string? Problem,
    string? KeyFingerprint,
    string? KeyName,
    string? Organization,
    string? Team,
    DateTimeOffset? SignedAt);
