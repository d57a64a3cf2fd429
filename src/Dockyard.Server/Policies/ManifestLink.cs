namespace Dockyard.Server.Policies;

/// <summary>Another manifest of the same repository that a manifest is related to, with the tags pointing at it.</summary>
/// <param name="Digest">Its digest.</param>
/// <param name="Tags">Tags pointing at it, by name; empty when it is untagged too.</param>
/// <param name="Present">False for a <c>subject</c> the repository does not hold (an artifact whose image was deleted).</param>
internal sealed record ManifestLink(string Digest, IReadOnlyList<string> Tags, bool Present = true);
