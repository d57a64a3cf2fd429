using Dockyard.Registry;
using Dockyard.Server.Access;
using Dockyard.Server.Accounts;

namespace Dockyard.Server.Api;

/// <summary>
/// Resolving a resource together with the caller's right to it. A caller who may not even see the resource gets
/// 404, the same as for a resource that does not exist (no existence leaks); one who sees it but may not change
/// it gets 403.
/// </summary>
internal static class ApiAccess
{
    public static async Task<(OrganizationView? Organization, IResult? Denied)> OrganizationAsync(HttpContext context, string name, bool manage)
    {
        var cancellationToken = context.RequestAborted;
        var principal = context.GetPrincipal();
        var authorizer = context.RequestServices.GetRequiredService<AccessAuthorizer>();
        var organization = await context.RequestServices.GetRequiredService<OrganizationService>().FindAsync(name, cancellationToken);
        if (organization is null || !await authorizer.CanViewOrganizationAsync(principal, organization.Id, cancellationToken))
        {
            return (null, ApiResults.NotFound($"Organization '{name}' not found."));
        }

        if (manage && !await authorizer.CanManageOrganizationAsync(principal, organization.Id, cancellationToken))
        {
            return (null, ApiPrincipal.Forbidden($"Only owners of '{name}' and system administrators may do this."));
        }

        return (OrganizationView.From(organization), null);
    }

    public static async Task<(RepositoryDetails? Repository, IResult? Denied)> RepositoryAsync(HttpContext context, string name, bool administer)
    {
        var cancellationToken = context.RequestAborted;
        var principal = context.GetPrincipal();
        var authorizer = context.RequestServices.GetRequiredService<AccessAuthorizer>();
        if (!RepositoryName.TryParse(name, out var repository))
        {
            return (null, ApiResults.NotFound($"Repository '{name}' not found."));
        }

        var entity = await context.RequestServices.GetRequiredService<RepositoryService>().FindAsync(repository, cancellationToken);
        if (entity is null || !(await authorizer.GetRepositoryActionsAsync(principal, repository, cancellationToken)).HasFlag(RepositoryActions.Pull))
        {
            return (null, ApiResults.NotFound($"Repository '{name}' not found."));
        }

        if (administer && !await authorizer.CanAdministerRepositoryAsync(principal, repository, cancellationToken))
        {
            return (null, ApiPrincipal.Forbidden($"Only administrators of '{name}' may do this."));
        }

        return (RepositoryDetails.From(entity), null);
    }

    /// <summary>The caller as a user acting with full rights (not a service account, not a scoped token), or a 403.</summary>
    public static IResult? RequireFullUser(Principal principal, string what) =>
        principal is { Kind: PrincipalKind.User, Scopes: null }
            ? null
            : ApiPrincipal.Forbidden($"{what} needs a user's full rights: sign in with a password or an access token without scopes.");
}
