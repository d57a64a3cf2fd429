namespace Dockyard.Server.Access.Collections;

/// <summary>The grant source until collection grants get storage: none, so only administrators reach the control plane.</summary>
internal sealed class NoCollectionGrants : ICollectionGrantSource
{
    public Task<IReadOnlyList<CollectionGrant>> GetGrantsAsync(CollectionPath collection, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<CollectionGrant>>([]);
}
