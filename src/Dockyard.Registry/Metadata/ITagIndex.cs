using Dockyard.Registry.Events;

namespace Dockyard.Registry.Metadata;

/// <summary>
/// The tag role of the metadata index: where each repository's tags point.
/// Implementations must make every method atomic.
/// </summary>
public interface ITagIndex
{
    /// <summary>
    /// True when the index itself serializes writes to one tag across every process sharing it (PostgreSQL's
    /// advisory locks): <see cref="IManifestIndex.PutManifestAsync"/>, <see cref="DeleteTagAsync"/> and
    /// <see cref="IManifestIndex.DeleteManifestAsync"/> then hold a per-tag lock from before their row changes until commit, and
    /// the caller writes the storage tag link in <c>beforeCommit</c>, so link and row agree on the last writer
    /// across replicas. False (the default) means the caller serializes per tag itself (IRegistryLocks) and
    /// writes the link after the commit, so a database with one global write lock (SQLite) is not held across a
    /// storage write.
    /// </summary>
    bool SerializesTagWrites => false;

    /// <summary>The manifest the tag points at; null when the repository has no such tag.</summary>
    Task<ManifestRecord?> ResolveTagAsync(RepositoryName repository, string tag, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes one tag, leaving the manifest. False when the tag does not exist. <paramref name="beforeCommit"/> runs inside
    /// the transaction; <paramref name="outboxEvent"/>, when set, is recorded in it.
    /// </summary>
    Task<bool> DeleteTagAsync(RepositoryName repository, string tag, Func<CancellationToken, Task>? beforeCommit, RegistryEvent? outboxEvent, CancellationToken cancellationToken);

    /// <summary>Tags in lexical (ordinal) order after <paramref name="last"/>, at most <paramref name="limit"/>; null when the repository does not exist.</summary>
    Task<IReadOnlyList<string>?> ListTagsAsync(RepositoryName repository, string? last, int limit, CancellationToken cancellationToken);
}
