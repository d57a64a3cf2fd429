namespace Dockyard.Registry.Maintenance;

/// <summary>A blob (layer, config or manifest body) that nothing references any more.</summary>
public sealed record BlobCandidate(Digest Digest, long Size);
