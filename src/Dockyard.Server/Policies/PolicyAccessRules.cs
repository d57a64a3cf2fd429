using Dockyard.Server.Access;
using Dockyard.Server.Accounts;
using Dockyard.Server.Audit;
using Dockyard.Server.Data;
using Dockyard.Server.Errors;
using Microsoft.EntityFrameworkCore;

namespace Dockyard.Server.Policies;

/// <summary>
/// Maps changes to an organization's policies to <see cref="Operation.PolicyManage"/> (the rules live in
/// <see cref="IAccessAuthorizer"/>: owners and system administrators change rules and retention, only system
/// administrators the quota), with the refusals the API has always answered: an organization the caller may not see
/// is not found (404, recorded as denied). Repository policies follow <see cref="RepositoryAdministrationRules"/>.
/// </summary>
internal sealed class PolicyAccessRules(IDbContextFactory<DockyardDbContext> contexts, IAccessAuthorizer authorizer)
{
    /// <summary>The organization (id and name) and the decision for changing its <paramref name="policy"/>; throws not found when there is no such organization.</summary>
    public async Task<((long Id, string Name) Organization, AccessDecision Decision)> OrganizationAsync(Principal principal, string name, PolicyKind policy, CancellationToken cancellationToken)
    {
        long? id;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            id = await db.Organizations.AsNoTracking().Where(o => o.Name == name).Select(o => (long?)o.Id).FirstOrDefaultAsync(cancellationToken);
        }

        if (id is not { } organizationId)
        {
            throw DomainException.NotFound(OrganizationAccessRules.NotFound(name));
        }

        var refusal = policy == PolicyKind.Quota
            ? "Only system administrators may set storage quotas."
            : $"Only owners of '{name}' and system administrators may do this.";
        return ((organizationId, name), await authorizer.RequireVisibleAsync(
            principal, Operation.PolicyView, Operation.PolicyManage, Resource.OrganizationPolicy(policy, organizationId),
            OrganizationAccessRules.Messages(name, refusal), cancellationToken));
    }
}
