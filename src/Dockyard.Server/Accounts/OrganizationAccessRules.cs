using Dockyard.Server.Access;
using Dockyard.Server.Audit;
using Dockyard.Server.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Dockyard.Server.Accounts;

/// <summary>
/// Maps changes to an organization and what it holds (members, teams, service accounts and their tokens) to the
/// authorizer's questions (the rules live in <see cref="IAccessAuthorizer"/>, see docs/security.md) and its answers to
/// what the caller is told: an organization the caller may not even see answers as not found (recorded as denied);
/// one that does not exist is not found (recorded as failed).
/// </summary>
internal sealed class OrganizationAccessRules(IDbContextFactory<DockyardDbContext> contexts, IAccessAuthorizer authorizer, IOptions<AccountOptions> options)
{
    /// <summary><see cref="Operation.OrganizationCreate"/>, with <see cref="AccountOptions.AllowUserOrganizations"/>.</summary>
    public async Task<AccessDecision> CreateAsync(Principal principal, CancellationToken cancellationToken) =>
        await authorizer.MayAsync(principal, Operation.OrganizationCreate, Resource.NewOrganization(options.Value.AllowUserOrganizations), cancellationToken)
            ? AccessDecision.Allowed
            : AccessDecisions.Forbidden(principal is { Kind: PrincipalKind.User, Scopes: null }
                ? "Only system administrators may create organizations."
                : "Creating an organization needs a user's full rights: sign in with a password or an access token without scopes.");

    /// <summary><see cref="Operation.OrganizationManage"/>: members are told no (403), anyone else finds nothing.</summary>
    public async Task<AccessDecision> ManageAsync(Principal principal, string organization, CancellationToken cancellationToken) =>
        await authorizer.RequireVisibleAsync(
            principal, Operation.OrganizationView, Operation.OrganizationManage, Resource.ForOrganization(await IdAsync(organization, cancellationToken)),
            Messages(organization, $"Only owners of '{organization}' and system administrators may do this."), cancellationToken);

    /// <summary><see cref="Operation.WebhookManage"/> on the organization's webhooks, with its id: members are told no (403), anyone else finds nothing.</summary>
    public async Task<(long Id, AccessDecision Decision)> ManageWebhooksAsync(Principal principal, string organization, CancellationToken cancellationToken)
    {
        var id = await IdAsync(organization, cancellationToken);
        var (hidden, notFound, refusal) = Messages(organization, $"Only owners of '{organization}' and system administrators may do this.");
        return (id, await authorizer.MayAsync(principal, Operation.OrganizationView, Resource.ForOrganization(id), cancellationToken)
            ? await authorizer.RequireAsync(principal, Operation.WebhookManage, Resource.OrganizationWebhook(id), refusal, cancellationToken)
            : AccessDecisions.Hidden(hidden, notFound));
    }

    /// <summary>Removing a member: <see cref="ManageAsync"/>, or <see cref="Operation.OrganizationLeave"/> when a user with full rights removes themself.</summary>
    public async Task<AccessDecision> RemoveMemberAsync(Principal principal, string organization, string username, CancellationToken cancellationToken)
    {
        if (principal is not { Kind: PrincipalKind.User, Scopes: null } || principal.Name != username)
        {
            return await ManageAsync(principal, organization, cancellationToken);
        }

        return await authorizer.RequireVisibleAsync(
            principal, Operation.OrganizationView, Operation.OrganizationLeave, Resource.ForOrganization(await IdAsync(organization, cancellationToken)),
            Messages(organization, $"Only members of '{organization}' may leave it."), cancellationToken);
    }

    public static string NotFound(string organization) => $"Organization '{organization}' not found.";

    /// <summary>What a caller who may not see <paramref name="organization"/> is told, and <paramref name="refusal"/> for one who may.</summary>
    internal static (string Hidden, string NotFound, string Refusal) Messages(string organization, string refusal) =>
        ($"Only members of '{organization}' and system administrators may see it.", NotFound(organization), refusal);

    private async Task<long> IdAsync(string organization, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await OrganizationService.IdAsync(db, organization, cancellationToken);
    }
}
