using Dockyard.Registry;
using Dockyard.Server.Accounts;

namespace Dockyard.Server.Policies;

/// <summary>A deleted repository's immutability rules and retention policy are gone: the write path forgets them at once.</summary>
internal sealed class PolicyCacheRepositoryDeletion(PolicyCache cache) : IRepositoryDeletionObserver
{
    public void RepositoryDeleted(RepositoryName repository) => cache.Invalidate();
}
