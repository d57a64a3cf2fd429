using Dockyard.Registry;

namespace Dockyard.Server.Control.Images;

/// <summary>An image reference to Dockyard's own registry: <c>address/repository</c> with a tag or a digest (a digest wins when both are given).</summary>
internal sealed record RegistryImageReference(string Address, RepositoryName Repository, string? Tag, Digest? Digest)
{
    /// <summary>What the engine is asked to pull: <c>address/repository</c>.</summary>
    public string Image => Address + "/" + Repository.Value;

    /// <summary>The tag or digest given to the engine's pull.</summary>
    public string TagOrDigest => Digest?.Value ?? Tag ?? "latest";

    public override string ToString() => Digest is { } digest ? $"{Image}@{digest.Value}" : $"{Image}:{TagOrDigest}";
}
