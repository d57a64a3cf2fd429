using Dockyard.Server.Access;
using Dockyard.Server.Audit;
using Dockyard.Server.Data;
using Microsoft.EntityFrameworkCore;

namespace Dockyard.Server.Trust.Signing;

/// <summary>
/// Who may sign with a key Dockyard holds: system administrators, owners of the key's organization (the authorizer's
/// <see cref="Operation.OrganizationManage"/>), members of the key's team, and the organization's service accounts —
/// CI signs with the organization's keys, and what it may sign is bounded by the repositories its token may push to.
/// A caller who may not see the organization is told the key does not exist.
/// </summary>
internal sealed class SigningKeyAccess(IAccessAuthorizer authorizer, IDbContextFactory<DockyardDbContext> contexts)
{
    public async Task<AccessDecision> DecideAsync(Principal principal, HeldSigningKey key, CancellationToken cancellationToken)
    {
        var organization = Resource.ForOrganization(key.OrganizationId);
        if (principal.Kind == PrincipalKind.ServiceAccount)
        {
            return principal.OrganizationId == key.OrganizationId
                ? AccessDecision.Allowed
                : AccessDecisions.Hidden($"service account {principal.Name} is not of organization {key.Organization}", NotFound(key.FullName));
        }

        if (!await authorizer.MayAsync(principal, Operation.OrganizationView, organization, cancellationToken))
        {
            return AccessDecisions.Hidden($"{principal.Name} may not see organization {key.Organization}", NotFound(key.FullName));
        }

        if (await authorizer.MayAsync(principal, Operation.OrganizationManage, organization, cancellationToken))
        {
            return AccessDecision.Allowed;
        }

        if (key.TeamId is { } teamId && principal.UserId is { } userId)
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            if (await db.TeamMembers.AnyAsync(m => m.TeamId == teamId && m.UserId == userId, cancellationToken))
            {
                return AccessDecision.Allowed;
            }
        }

        return AccessDecisions.Forbidden(key.Team is { } team
            ? $"Only members of team {team}, owners of {key.Organization} and its service accounts may sign with {key.FullName}."
            : $"Only owners of {key.Organization} and its service accounts may sign with {key.FullName}.");
    }

    public static string NotFound(string fullName) => $"No key {fullName}.";
}
