using Microsoft.EntityFrameworkCore;

namespace Dockyard.Server.Data;

/// <summary>
/// Serves <c>IDbContextFactory&lt;DockyardDbContext&gt;</c> from the configured provider's pooled factory, so
/// code never names a provider's context. Renting from the pool is synchronous, so no extra task is allocated.
/// </summary>
internal sealed class DockyardDbContextFactory<TContext>(IDbContextFactory<TContext> inner) : IDbContextFactory<DockyardDbContext>
    where TContext : DockyardDbContext
{
    public DockyardDbContext CreateDbContext() => inner.CreateDbContext();

    public Task<DockyardDbContext> CreateDbContextAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<DockyardDbContext>(inner.CreateDbContext());
}
