using Dockyard.Registry;
using Dockyard.Server.Trust.Keys;

namespace Dockyard.Server.Trust.Signatures;

/// <summary>
/// One place signatures of a manifest are kept: the registry itself (cosign's <c>.sig</c> tag, referrers) or a notary
/// server (Docker Content Trust). <see cref="ImageTrustService"/> asks every registered source and caches the result.
/// </summary>
internal interface ISignatureSource
{
    /// <summary>Every signature of <paramref name="digest"/> this source holds, each verified against <paramref name="keys"/>.</summary>
    Task<IReadOnlyList<SignatureVerdict>> FindAsync(RepositoryName repository, Digest digest, TrustKeySnapshot keys, CancellationToken cancellationToken);
}
