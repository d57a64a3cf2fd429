using Dockyard.Registry;

namespace Dockyard.Server.Data;

/// <summary>
/// Told by <see cref="EfRegistryIndex"/> that it inserted a repository's row (the first blob or manifest stored in
/// it), after that transaction committed and before the write returns to its caller. The insert is
/// <c>ON CONFLICT DO NOTHING</c>, so exactly one write per repository reports it, whichever request or replica won.
/// Register with <c>TryAddEnumerable</c>; none registered is fine.
/// </summary>
internal interface IRepositoryCreationObserver
{
    Task RepositoryCreatedAsync(RepositoryName repository, CancellationToken cancellationToken);
}
