using Dockyard.Registry;
using Dockyard.Server.Access;
using Dockyard.Server.Audit;
using Dockyard.Server.Data;
using Dockyard.Server.Errors;
using Microsoft.EntityFrameworkCore;

namespace Dockyard.Server.Accounts;

/// <summary>
/// Who may change a repository's settings, grants and policies: its administrators (repository admins, owners of its
/// namespace, system administrators). A caller who may not even pull it finds no such repository (404, recorded as
/// denied); one who sees it but may not administer it is refused (403). A repository that does not exist is not found.
/// The system (CLI verbs, jobs) may administer every repository.
/// </summary>
internal sealed class RepositoryAdministrationRules(IDbContextFactory<DockyardDbContext> contexts, AccessAuthorizer authorizer)
{
    public static string NotFound(string name) => $"Repository '{name}' not found.";

    /// <summary>The decision for administering <paramref name="name"/>; throws not found when there is no such repository.</summary>
    public async Task<AccessDecision> AdministerAsync(Principal principal, string name, CancellationToken cancellationToken)
    {
        if (!RepositoryName.TryParse(name, out var repository) || !await ExistsAsync(repository, cancellationToken))
        {
            throw DomainException.NotFound(NotFound(name));
        }

        if (principal.Kind == PrincipalKind.System)
        {
            return AccessDecision.Allowed;
        }

        if (!(await authorizer.GetRepositoryActionsAsync(principal, repository, cancellationToken)).HasFlag(RepositoryActions.Pull))
        {
            return AccountDecisions.Hidden($"Only administrators of '{name}' may do this.", NotFound(name));
        }

        return await authorizer.CanAdministerRepositoryAsync(principal, repository, cancellationToken)
            ? AccessDecision.Allowed
            : AccountDecisions.Forbidden($"Only administrators of '{name}' may do this.");
    }

    private async Task<bool> ExistsAsync(RepositoryName repository, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Repositories.AnyAsync(r => r.Name == repository.Value, cancellationToken);
    }
}
