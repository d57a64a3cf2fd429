using Dockyard.Server.Access;
using Dockyard.Server.Audit;
using Dockyard.Server.Data;
using Dockyard.Server.Errors;
using Microsoft.EntityFrameworkCore;

namespace Dockyard.Server.Accounts;

/// <summary>
/// Who may change which user (docs/security.md): system administrators everything; a user their own profile (with
/// full rights) and their own password. Another user's record is not even visible to non-administrators, so those
/// refusals answer as not found (and are recorded as denied).
/// </summary>
internal sealed class UserAccessRules(IDbContextFactory<DockyardDbContext> contexts, AccessAuthorizer authorizer)
{
    public async Task<AccessDecision> CreateAsync(Principal principal, CancellationToken cancellationToken) =>
        await authorizer.IsSystemAdministratorAsync(principal, cancellationToken)
            ? AccessDecision.Allowed
            : AccountDecisions.Forbidden("Only system administrators may create users.");

    /// <summary>Profile fields: self (full rights) or administrator; the administrator flag and active state: administrators only.</summary>
    public async Task<AccessDecision> UpdateAsync(Principal principal, string username, bool changesRole, CancellationToken cancellationToken)
    {
        var (self, admin) = await RelationAsync(principal, username, cancellationToken);
        if (!self && !admin)
        {
            return AccountDecisions.Hidden("Only system administrators may change other users.", NotFound(username));
        }

        if (!admin && changesRole)
        {
            return AccountDecisions.Forbidden("Only system administrators may change isAdmin or isActive.");
        }

        return admin ? AccessDecision.Allowed : AccountDecisions.RequireFullUser(principal, "Changing a profile");
    }

    /// <summary>Administrators only; the user themself is told so (403), anyone else finds no such user.</summary>
    public async Task<AccessDecision> AdministerAsync(Principal principal, string username, string what, CancellationToken cancellationToken)
    {
        var (self, admin) = await RelationAsync(principal, username, cancellationToken);
        var reason = $"Only system administrators may {what}.";
        return admin ? AccessDecision.Allowed
            : self ? AccountDecisions.Forbidden(reason)
            : AccountDecisions.Hidden(reason, NotFound(username));
    }

    /// <summary>
    /// The caller's own account (password, personal access tokens, sessions), asked of the authorizer: the user
    /// themself with full rights. Other principals have none (<paramref name="refusal"/>); a scoped token carries no
    /// account-management rights (403).
    /// </summary>
    public async Task<AccessDecision> OwnAccountAsync(Principal principal, Operation operation, string refusal, CancellationToken cancellationToken)
    {
        if (principal is not { Kind: PrincipalKind.User, UserId: { } userId })
        {
            return AccountDecisions.Forbidden(refusal);
        }

        var resource = OperationKinds.KindOf(operation) == ResourceKind.AccessToken ? Resource.PersonalToken(userId) : Resource.AccountOf(userId);
        return (await authorizer.DecideAsync(principal, operation, resource, cancellationToken)).Allowed
            ? AccessDecision.Allowed
            : AccountDecisions.Forbidden("Managing your account needs your full rights: sign in with your password or an access token without scopes.");
    }

    public static string NotFound(string username) => $"User '{username}' not found.";

    /// <summary>Whether the caller is the user and whether they are a system administrator; not found when there is no such user.</summary>
    private async Task<(bool Self, bool Admin)> RelationAsync(Principal principal, string username, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var id = await db.Users.AsNoTracking().Where(u => u.Username == username).Select(u => (long?)u.Id).FirstOrDefaultAsync(cancellationToken)
            ?? throw DomainException.NotFound(NotFound(username));
        return (principal.Kind == PrincipalKind.User && principal.UserId == id, await authorizer.IsSystemAdministratorAsync(principal, cancellationToken));
    }
}
