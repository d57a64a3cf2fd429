using Dockyard.Server.Access;
using Dockyard.Server.Audit;
using Dockyard.Server.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Dockyard.Server.Accounts;

/// <summary>
/// Who may change an organization and what it holds (members, teams, service accounts and their tokens), as
/// docs/security.md states it: owners and system administrators manage, with full rights; a member may leave on
/// their own. An organization the caller may not even see answers as not found (and is recorded as denied); one that
/// does not exist is not found (recorded as failed).
/// </summary>
internal sealed class OrganizationAccessRules(IDbContextFactory<DockyardDbContext> contexts, AccessAuthorizer authorizer, IOptions<AccountOptions> options)
{
    /// <summary>A user with full rights: system administrators, or anyone when <see cref="AccountOptions.AllowUserOrganizations"/> is on.</summary>
    public async Task<AccessDecision> CreateAsync(Principal principal, CancellationToken cancellationToken)
    {
        var fullUser = AccountDecisions.RequireFullUser(principal, "Creating an organization");
        if (!fullUser.IsAllowed)
        {
            return fullUser;
        }

        return options.Value.AllowUserOrganizations || await authorizer.IsSystemAdministratorAsync(principal, cancellationToken)
            ? AccessDecision.Allowed
            : AccountDecisions.Forbidden("Only system administrators may create organizations.");
    }

    /// <summary>Owners and system administrators (with full rights); members are told so (403), anyone else finds nothing.</summary>
    public async Task<AccessDecision> ManageAsync(Principal principal, string organization, CancellationToken cancellationToken)
    {
        var id = await IdAsync(organization, cancellationToken);
        if (!await authorizer.CanViewOrganizationAsync(principal, id, cancellationToken))
        {
            return Hidden(organization);
        }

        return await authorizer.CanManageOrganizationAsync(principal, id, cancellationToken)
            ? AccessDecision.Allowed
            : AccountDecisions.Forbidden($"Only owners of '{organization}' and system administrators may do this.");
    }

    /// <summary>Removing a member: as <see cref="ManageAsync"/>, except that a member (with full rights) may remove themself.</summary>
    public async Task<AccessDecision> RemoveMemberAsync(Principal principal, string organization, string username, CancellationToken cancellationToken)
    {
        if (principal is not { Kind: PrincipalKind.User, Scopes: null } || principal.Name != username)
        {
            return await ManageAsync(principal, organization, cancellationToken);
        }

        var id = await IdAsync(organization, cancellationToken);
        return await authorizer.CanViewOrganizationAsync(principal, id, cancellationToken) ? AccessDecision.Allowed : Hidden(organization);
    }

    public static string NotFound(string organization) => $"Organization '{organization}' not found.";

    private static AccessDecision Hidden(string organization) =>
        AccountDecisions.Hidden($"Only members of '{organization}' and system administrators may see it.", NotFound(organization));

    private async Task<long> IdAsync(string organization, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await OrganizationService.IdAsync(db, organization, cancellationToken);
    }
}
