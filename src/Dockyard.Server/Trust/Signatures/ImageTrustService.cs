using Dockyard.Registry;

namespace Dockyard.Server.Trust.Signatures;

/// <summary>
/// The signatures of a manifest, verified, from every <see cref="ISignatureSource"/>; cached per (repository, digest,
/// key-set version) and dropped when a signature for the digest is pushed or deleted, so verification runs once per change.
/// Not authorized: callers decide who may see the repository first.
/// </summary>
internal sealed class ImageTrustService
{
    public ValueTask<ImageTrust> GetAsync(RepositoryName repository, Digest digest, CancellationToken cancellationToken) => throw new NotImplementedException();
}
