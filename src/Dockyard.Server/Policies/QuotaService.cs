using Dockyard.Server.Data;
using Dockyard.Server.Errors;
using Microsoft.EntityFrameworkCore;

namespace Dockyard.Server.Policies;

/// <summary>Organization storage quotas: the limit (set by system administrators) and current usage.</summary>
internal sealed class QuotaService(IDbContextFactory<DockyardDbContext> contexts, PolicyCache cache, StorageUsage usage)
{
    public async Task<StorageStatus> GetAsync(long organizationId, string organization, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var limit = await db.Organizations.Where(o => o.Id == organizationId).Select(o => o.StorageQuotaBytes).FirstOrDefaultAsync(cancellationToken);
        return new StorageStatus(limit, await usage.UsedBytesAsync(organization, cancellationToken));
    }

    /// <summary>Sets (a byte count) or removes (null) the quota. Lowering it below usage refuses new content only.</summary>
    public async Task SetAsync(long organizationId, long? limitBytes, CancellationToken cancellationToken)
    {
        if (limitBytes is < 0)
        {
            throw DomainException.Invalid("limitBytes", "Must be 0 or more (bytes), or null for no quota.");
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await db.Organizations.Where(o => o.Id == organizationId).ExecuteUpdateAsync(s => s.SetProperty(o => o.StorageQuotaBytes, limitBytes), cancellationToken);
        cache.Invalidate();
    }
}
