using Dockyard.Registry;
using Dockyard.Server.Access.Collections;
using Dockyard.Server.Data;
using Dockyard.Server.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace Dockyard.Server.Access;

/// <summary>The rule per resource kind behind <see cref="AccessAuthorizer.DecideAsync(Principal, Operation, Resource, CancellationToken)"/>.</summary>
internal sealed partial class AccessAuthorizer
{
    private async Task<Decision> DecideAsync(DockyardDbContext db, RepositoryAccessRules rules, Operation operation, Resource resource, CancellationToken cancellationToken)
    {
        if (!OperationKinds.AppliesTo(operation, resource.Kind))
        {
            return Decision.Deny($"{operation} does not apply to a {resource.Kind}");
        }

        if (rules.Principal.Kind == PrincipalKind.System)
        {
            // CLI verbs and jobs: the operator on the server's own machine. Their actions are still audited.
            return Decision.Allow("the system (a CLI verb or a job)");
        }

        if (OperationKinds.IsControlPlane(resource.Kind))
        {
            return await DecideInCollectionAsync(db, rules, operation, resource.Collection ?? throw Missing(resource, nameof(Resource.Collection)), cancellationToken);
        }

        switch (operation)
        {
            case Operation.RepositoryPull or Operation.RepositoryPush or Operation.RepositoryDelete:
                var wanted = operation switch
                {
                    Operation.RepositoryPull => RepositoryActions.Pull,
                    Operation.RepositoryPush => RepositoryActions.Push,
                    _ => RepositoryActions.Delete,
                };
                return (await ActionsAsync(rules, RepositoryOf(resource), cancellationToken)).HasFlag(wanted)
                    ? Decision.Allow($"role or public visibility allows {wanted} (token scopes applied)")
                    : Decision.Deny($"no role allows {wanted}, or a token scope excludes it");
            case Operation.RepositoryAdminister:
                return await AdministerRepositoryAsync(rules, RepositoryOf(resource), cancellationToken);
            case Operation.OrganizationView or Operation.TeamView:
                return await ViewOrganizationAsync(db, rules, OrganizationOf(resource), cancellationToken);
            case Operation.OrganizationCreate:
                return CreateOrganization(rules, resource);
            case Operation.OrganizationLeave:
                // A member leaves on their own, with full rights (an administrator may "leave" too: nothing to remove).
                return HasFullUserRights(rules)
                    ? await ViewOrganizationAsync(db, rules, OrganizationOf(resource), cancellationToken)
                    : Decision.Deny("leaving an organization needs a user acting with full rights");
            case Operation.OrganizationManage or Operation.TeamManage or Operation.ServiceAccountView or Operation.ServiceAccountManage:
                return ManageOrganization(rules, OrganizationOf(resource));
            case Operation.AccessTokenView or Operation.AccessTokenCreate or Operation.AccessTokenRevoke:
                return DecideToken(rules, resource);
            case Operation.AccountView or Operation.AccountManage:
                return OwnAccount(rules, resource.OwnerUserId ?? throw Missing(resource, nameof(Resource.OwnerUserId)));
            case Operation.WebhookView or Operation.WebhookManage:
                return resource.Repository is { } hooked
                    ? await AdministerRepositoryAsync(rules, hooked, cancellationToken)
                    : ManageOrganization(rules, OrganizationOf(resource));
            case Operation.PolicyView or Operation.PolicyManage:
                return await DecidePolicyAsync(db, rules, operation, resource, cancellationToken);
            case Operation.AuditRead when resource.OrganizationId is { } audited:
                return SystemAdministrator(rules) is { Allowed: true } admin ? admin : ManageOrganization(rules, audited);
            case Operation.AuditRead or Operation.AuditVerify or Operation.SystemAdminister or Operation.UserAdminister:
                return SystemAdministrator(rules);
            case Operation.UserView or Operation.UserUpdate:
                return DecideUser(rules, operation, resource.UserId ?? throw Missing(resource, nameof(Resource.UserId)));
            default:
                return Decision.Deny($"no rule for {operation}");
        }
    }

    private async Task<Decision> DecidePolicyAsync(DockyardDbContext db, RepositoryAccessRules rules, Operation operation, Resource resource, CancellationToken cancellationToken)
    {
        if (resource.Repository is { } repository)
        {
            return operation == Operation.PolicyView
                ? await DecideAsync(db, rules, Operation.RepositoryPull, Resource.ForRepository(repository), cancellationToken)
                : await AdministerRepositoryAsync(rules, repository, cancellationToken);
        }

        var organizationId = OrganizationOf(resource);
        return (operation, resource.Policy) switch
        {
            (Operation.PolicyView, _) => await ViewOrganizationAsync(db, rules, organizationId, cancellationToken),
            (_, PolicyKind.Quota) => SystemAdministrator(rules),
            _ => ManageOrganization(rules, organizationId),
        };
    }

    private static async Task<Decision> AdministerRepositoryAsync(RepositoryAccessRules rules, RepositoryName repository, CancellationToken cancellationToken)
    {
        if (!HasFullUserRights(rules))
        {
            return Decision.Deny("administration needs a user acting with full rights");
        }

        return await RoleAsync(rules, repository, cancellationToken) == RepositoryRole.Admin
            ? Decision.Allow("admin role on the repository")
            : Decision.Deny("no admin role on the repository");
    }

    /// <summary>The rule of every organization list (<see cref="OrganizationViewRule"/>) on one organization.</summary>
    private static async Task<Decision> ViewOrganizationAsync(DockyardDbContext db, RepositoryAccessRules rules, long organizationId, CancellationToken cancellationToken) =>
        await OrganizationViewRule.AllowsAsync(db, rules.Subject, organizationId, cancellationToken)
            ? Decision.Allow(rules.Subject!.IsAdmin ? "system administrator" : "organization member")
            : Decision.Deny("not a member of the organization");

    /// <summary>Users with full rights when the server lets users create organizations; otherwise system administrators.</summary>
    private static Decision CreateOrganization(RepositoryAccessRules rules, Resource resource) =>
        !HasFullUserRights(rules) ? Decision.Deny("creating an organization needs a user acting with full rights")
            : rules.Subject!.IsAdmin ? Decision.Allow("system administrator")
            : resource.UsersMayCreateOrganizations ? Decision.Allow("users may create organizations")
            : Decision.Deny("only system administrators may create organizations");

    /// <summary>
    /// A user account: system administrators (with full rights) see and change it; the user sees it with any credential
    /// and changes their profile only with full rights (their password: <see cref="OwnAccount"/>).
    /// </summary>
    private static Decision DecideUser(RepositoryAccessRules rules, Operation operation, long userId)
    {
        if (SystemAdministrator(rules) is { Allowed: true } admin)
        {
            return admin;
        }

        if (rules.Principal.Kind != PrincipalKind.User || rules.Subject?.UserId != userId)
        {
            return Decision.Deny("only system administrators may see or change other users");
        }

        return operation != Operation.UserUpdate || rules.Principal.Scopes is null
            ? Decision.Allow("the user themself")
            : Decision.Deny("changing a profile needs the user's full rights");
    }

    private static Decision ManageOrganization(RepositoryAccessRules rules, long organizationId)
    {
        if (!HasFullUserRights(rules))
        {
            return Decision.Deny("managing an organization needs a user acting with full rights");
        }

        return rules.Subject!.IsAdmin ? Decision.Allow("system administrator")
            : rules.Subject.MembershipOf(organizationId) is { IsOwner: true } ? Decision.Allow("organization owner")
            : Decision.Deny("not an owner of the organization");
    }

    private static Decision SystemAdministrator(RepositoryAccessRules rules) =>
        HasFullUserRights(rules) && rules.Subject!.IsAdmin
            ? Decision.Allow("system administrator")
            : Decision.Deny("needs a system administrator acting with full rights");

    /// <summary>Personal tokens are part of their owner's account (<see cref="OwnAccount"/>); service-account tokens are managed by the organization's managers.</summary>
    private static Decision DecideToken(RepositoryAccessRules rules, Resource resource) =>
        resource.OwnerUserId is { } owner ? OwnAccount(rules, owner) : ManageOrganization(rules, OrganizationOf(resource));

    /// <summary>
    /// A user's account (password, personal tokens, sessions) is theirs alone, and only with full rights: a scoped
    /// token carries no account-management rights, so a leaked one cannot take the account over.
    /// </summary>
    private static Decision OwnAccount(RepositoryAccessRules rules, long owner) =>
        rules.Subject?.UserId != owner || rules.Principal.Kind != PrincipalKind.User ? Decision.Deny("an account is its owner's alone")
        : rules.Principal.Scopes is not null ? Decision.Deny("a scoped token carries no account-management rights")
        : Decision.Allow("owner of the account, with full rights");

    private async Task<Decision> DecideInCollectionAsync(DockyardDbContext db, RepositoryAccessRules rules, Operation operation, CollectionPath collection, CancellationToken cancellationToken)
    {
        if (rules.Subject is not { } subject)
        {
            return CollectionAccess.Decide(CollectionPrincipal.Nobody, operation, collection, []);
        }

        var teams = subject.UserId is { } userId
            ? await db.TeamMembers.AsNoTracking().Where(m => m.UserId == userId).Select(m => m.TeamId).ToListAsync(cancellationToken)
            : [];
        var principal = new CollectionPrincipal
        {
            IsActive = true,
            IsAdministrator = subject.IsAdmin && rules.Principal.Kind == PrincipalKind.User,
            HasTokenScopes = rules.Principal.Scopes is not null,
            UserId = subject.UserId,
            ServiceAccountId = subject.ServiceAccountId,
            TeamIds = teams.ToHashSet(),
            OrganizationIds = subject.Organizations.Select(m => m.OrganizationId).ToHashSet(),
        };
        return CollectionAccess.Decide(principal, operation, collection, await collectionGrants.GetGrantsAsync(collection, cancellationToken));
    }

    private static bool HasFullUserRights(RepositoryAccessRules rules) =>
        rules.Principal is { Kind: PrincipalKind.User, Scopes: null } && rules.Subject is { UserId: not null };

    private static RepositoryName RepositoryOf(Resource resource) => resource.Repository ?? throw Missing(resource, nameof(Resource.Repository));

    private static long OrganizationOf(Resource resource) => resource.OrganizationId ?? throw Missing(resource, nameof(Resource.OrganizationId));

    private static ArgumentException Missing(Resource resource, string field) =>
        new($"A {resource.Kind} resource needs {field} for this operation.", nameof(resource));
}
