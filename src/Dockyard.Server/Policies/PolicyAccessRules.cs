using Dockyard.Server.Access;
using Dockyard.Server.Accounts;
using Dockyard.Server.Audit;
using Dockyard.Server.Data;
using Dockyard.Server.Data.Entities;
using Dockyard.Server.Errors;
using Microsoft.EntityFrameworkCore;

namespace Dockyard.Server.Policies;

/// <summary>
/// Who may change an organization's policies, with the refusals the API has always answered: an organization the
/// caller may not see is not found (404, recorded as denied); owners and system administrators change its rules and
/// retention; only system administrators set its quota (a quota an owner could raise would limit nothing). The
/// system (CLI verbs, jobs) may do everything. Repository policies follow <see cref="RepositoryAdministrationRules"/>.
/// </summary>
internal sealed class PolicyAccessRules(IDbContextFactory<DockyardDbContext> contexts, AccessAuthorizer authorizer)
{
    /// <summary>The organization and the decision for changing its policies; throws not found when there is no such organization.</summary>
    public async Task<(OrganizationEntity Organization, AccessDecision Decision)> OrganizationAsync(Principal principal, string name, bool quota, CancellationToken cancellationToken)
    {
        OrganizationEntity? organization;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            organization = await db.Organizations.AsNoTracking().FirstOrDefaultAsync(o => o.Name == name, cancellationToken);
        }

        var notFound = $"Organization '{name}' not found.";
        if (organization is null)
        {
            throw DomainException.NotFound(notFound);
        }

        if (principal.Kind == PrincipalKind.System)
        {
            return (organization, AccessDecision.Allowed);
        }

        if (!await authorizer.CanViewOrganizationAsync(principal, organization.Id, cancellationToken))
        {
            return (organization, AccountDecisions.Hidden($"Only members of '{name}' and system administrators may see it.", notFound));
        }

        if (quota)
        {
            return (organization, await authorizer.IsSystemAdministratorAsync(principal, cancellationToken)
                ? AccessDecision.Allowed
                : AccountDecisions.Forbidden("Only system administrators may set storage quotas."));
        }

        return (organization, await authorizer.CanManageOrganizationAsync(principal, organization.Id, cancellationToken)
            ? AccessDecision.Allowed
            : AccountDecisions.Forbidden($"Only owners of '{name}' and system administrators may do this."));
    }
}
