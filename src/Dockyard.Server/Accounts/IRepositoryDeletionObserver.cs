using Dockyard.Registry;

namespace Dockyard.Server.Accounts;

/// <summary>
/// Told by <see cref="RepositoryRemover"/> that a repository's rows (and with them its webhooks and policies) are gone,
/// after the commit and before its events are raised, so caches of what those rows held (webhook subscriptions,
/// immutability rules) forget them at once on this replica. Register with <c>TryAddEnumerable</c>; none is fine.
/// </summary>
internal interface IRepositoryDeletionObserver
{
    void RepositoryDeleted(RepositoryName repository);
}
