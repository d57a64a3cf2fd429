namespace Dockyard.Server.Tests.Maintenance;

/// <summary>An image a test pushed: the manifest and the two blobs it names, with their sizes.</summary>
internal sealed record PushedImage(string Repository, string Digest, int Size, string ConfigDigest, int ConfigSize, string LayerDigest, int LayerSize)
{
    /// <summary>Config, layer and manifest body: what collecting the whole image reclaims.</summary>
    public long TotalBytes => ConfigSize + LayerSize + Size;
}
