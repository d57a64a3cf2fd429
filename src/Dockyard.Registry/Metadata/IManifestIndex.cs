using Dockyard.Registry.Events;

namespace Dockyard.Registry.Metadata;

/// <summary>
/// The manifest role of the metadata index: each repository's manifests and what they reference.
/// Implementations must make every method atomic.
/// </summary>
public interface IManifestIndex
{
    /// <summary>The repository's manifest with that digest; null when it has none.</summary>
    Task<ManifestRecord?> GetManifestAsync(RepositoryName repository, Digest digest, CancellationToken cancellationToken);

    /// <summary>Digests among <paramref name="digests"/> that are manifests of the repository.</summary>
    Task<IReadOnlySet<Digest>> FindManifestsAsync(RepositoryName repository, IReadOnlyCollection<Digest> digests, CancellationToken cancellationToken);

    /// <summary>
    /// Stores a manifest with what it references and, when <paramref name="tag"/> is set, points the tag at it,
    /// all in one transaction. Re-putting the same digest is idempotent; the last tag write wins.
    /// <paramref name="beforeCommit"/> runs inside the transaction after the rows are written and before commit,
    /// while the database holds the write lock, so storage links written there land in the same order as the commits.
    /// <paramref name="outboxEvent"/>, when set, is recorded in the same transaction (see <see cref="Events.IRegistryEventSink.PublishRecorded"/>).
    /// </summary>
    /// <remarks>
    /// The same transaction marks the manifest and every reference as just seen (the garbage-collection protocol:
    /// a reference is only ever added together with that mark, so a collection either sees it or fails to mark the
    /// blob). With <paramref name="verifyReferences"/>, it then checks that each reference is a blob linked into the
    /// repository or a manifest of it and is not being deleted; if any is not, nothing is written and those digests
    /// are returned. Re-indexing passes false (children may be restored after their index).
    /// </remarks>
    /// <returns>The references that failed verification; empty when the manifest was stored.</returns>
    Task<IReadOnlyList<Digest>> PutManifestAsync(
        RepositoryName repository,
        ManifestRecord manifest,
        IReadOnlyList<Digest> references,
        string? tag,
        bool verifyReferences,
        Func<CancellationToken, Task>? beforeCommit,
        RegistryEvent? outboxEvent,
        CancellationToken cancellationToken);

    /// <summary>
    /// Deletes a manifest and every tag pointing at it. False when the repository has no such manifest.
    /// <paramref name="beforeCommit"/> receives the removed tags and runs inside the transaction; <paramref name="outboxEvent"/>,
    /// when set, is recorded in it.
    /// </summary>
    Task<bool> DeleteManifestAsync(
        RepositoryName repository,
        Digest digest,
        Func<IReadOnlyList<string>, CancellationToken, Task>? beforeCommit,
        RegistryEvent? outboxEvent,
        CancellationToken cancellationToken);
}
