namespace Dockyard.Server.Access.Collections;

/// <summary>Where collection grants are stored (<see cref="StoredCollectionGrants"/>: the <c>collection_grants</c> table).</summary>
internal interface ICollectionGrantSource
{
    /// <summary>The grants on <paramref name="collection"/> and on each of its ancestors (others may be returned too; they are ignored).</summary>
    Task<IReadOnlyList<CollectionGrant>> GetGrantsAsync(CollectionPath collection, CancellationToken cancellationToken);
}
