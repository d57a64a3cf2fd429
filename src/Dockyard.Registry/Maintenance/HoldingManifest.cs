namespace Dockyard.Registry.Maintenance;

/// <summary>A manifest row of a blob's digest in one repository, with what decides whether it is an untagged-manifest candidate.</summary>
/// <param name="Repository">The repository holding the manifest.</param>
/// <param name="CreatedAt">When it was pushed.</param>
/// <param name="Tagged">Whether a tag of the repository points at it.</param>
/// <param name="Subject">Its OCI subject, if any.</param>
/// <param name="SubjectPresent">Whether that subject is a manifest of the repository (which keeps this referrer).</param>
public sealed record HoldingManifest(RepositoryName Repository, DateTimeOffset CreatedAt, bool Tagged, Digest? Subject, bool SubjectPresent);
