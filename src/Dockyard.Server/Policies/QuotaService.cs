using Dockyard.Server.Access;
using Dockyard.Server.Audit;
using Dockyard.Server.Data;
using Dockyard.Server.Errors;
using Microsoft.EntityFrameworkCore;

namespace Dockyard.Server.Policies;

/// <summary>
/// Organization storage quotas: the limit (set by system administrators) and current usage. Changes take the
/// <see cref="Caller"/>, are authorized (<see cref="PolicyAccessRules"/>) and recorded (<see cref="AuditedOperations"/>) here.
/// </summary>
internal sealed class QuotaService(IDbContextFactory<DockyardDbContext> contexts, PolicyCache cache, StorageUsage usage, PolicyAccessRules rules, AuditedOperations audited)
{
    public async Task<StorageStatus> GetAsync(long organizationId, string organization, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var limit = await db.Organizations.Where(o => o.Id == organizationId).Select(o => o.StorageQuotaBytes).FirstOrDefaultAsync(cancellationToken);
        return new StorageStatus(limit, await usage.UsedBytesAsync(organization, cancellationToken));
    }

    /// <summary>
    /// Sets (<paramref name="remove"/> false: a byte count, required) or removes the quota of <paramref name="organization"/>
    /// (system administrators); returns the organization's id. Lowering it below usage refuses new content only.
    /// </summary>
    public async Task<long> SetAsync(Caller caller, string organization, long? limitBytes, bool remove, CancellationToken cancellationToken)
    {
        long id = 0;
        await audited.RunAsync(
            caller,
            new AuditedAction(AuditActions.QuotaUpdate, $"orgs/{organization}/quota") { Organization = organization }.WithFields(("limitBytes", limitBytes)),
            async token =>
            {
                (var entity, var decision) = await rules.OrganizationAsync(caller.Principal, organization, PolicyKind.Quota, token);
                id = entity.Id;
                return decision;
            },
            token =>
            {
                if (!remove && limitBytes is null)
                {
                    throw DomainException.Invalid("limitBytes", "Required: the quota in bytes (DELETE removes the quota).");
                }

                return SetAsync(id, remove ? null : limitBytes, token);
            },
            cancellationToken);
        return id;
    }

    private async Task SetAsync(long organizationId, long? limitBytes, CancellationToken cancellationToken)
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
