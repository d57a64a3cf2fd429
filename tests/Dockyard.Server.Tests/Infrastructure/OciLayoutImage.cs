namespace Dockyard.Server.Tests.Infrastructure;

/// <summary>What <see cref="TestImages.WriteTwoPlatformOciLayout"/> wrote: the index and its per-platform manifests, with their digests.</summary>
/// <param name="LayoutPath">The OCI image layout directory.</param>
/// <param name="Tag">The <c>org.opencontainers.image.ref.name</c> of the index in index.json.</param>
/// <param name="IndexDigest">sha256 digest of the image index blob.</param>
/// <param name="IndexBytes">Exact bytes of the image index blob.</param>
/// <param name="ManifestDigests">Image manifest digest per platform ("linux/amd64", "linux/arm64").</param>
/// <param name="ManifestBytes">Exact image manifest bytes per platform.</param>
/// <param name="BlobCount">Number of blobs in blobs/sha256 (index, manifests, configs, layers).</param>
public sealed record OciLayoutImage(
    string LayoutPath,
    string Tag,
    string IndexDigest,
    byte[] IndexBytes,
    IReadOnlyDictionary<string, string> ManifestDigests,
    IReadOnlyDictionary<string, byte[]> ManifestBytes,
    int BlobCount);
