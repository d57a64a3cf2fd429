using Dockyard.Registry;
using Dockyard.Server.Data;

namespace Dockyard.Server.Audit;

/// <summary>
/// Records <see cref="AuditActions.RepositoryCreate"/> when the index reports it inserted the repository's row: once
/// per repository, in the context of the request (or job) whose write created it, committed before that write returns.
/// </summary>
internal sealed class RepositoryCreationAuditor(AuditTrail trail) : IRepositoryCreationObserver
{
    public Task RepositoryCreatedAsync(RepositoryName repository, CancellationToken cancellationToken) =>
        // The row is committed: its entry must not be lost to a client that hung up.
        trail.RecordAsync(new AuditEvent { Action = AuditActions.RepositoryCreate, Repository = repository.Value }, CancellationToken.None);
}
