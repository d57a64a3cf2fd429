namespace Dockyard.Registry.Metadata;

/// <summary>
/// The whole metadata index: which repositories exist, which blobs and manifests each holds, where its tags point and
/// which manifests refer to others. Blob bytes live in storage; this is the fast, queryable view of them. It adds no
/// members of its own: it is what one implementation (EF Core on SQLite or PostgreSQL) offers, while each consumer
/// depends only on the roles it uses (<see cref="IBlobIndex"/>, <see cref="IManifestIndex"/>, <see cref="ITagIndex"/>,
/// <see cref="IReferrerIndex"/>, <see cref="IRepositoryIndex"/>). Implementations must make every method atomic.
/// </summary>
public interface IRegistryIndex : IBlobIndex, IManifestIndex, ITagIndex, IReferrerIndex, IRepositoryIndex;
