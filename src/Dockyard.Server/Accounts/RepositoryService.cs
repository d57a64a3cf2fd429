using Dockyard.Registry;
using Dockyard.Server.Access;
using Dockyard.Server.Audit;
using Dockyard.Server.Data;
using Dockyard.Server.Data.Entities;
using Dockyard.Server.Errors;
using Microsoft.EntityFrameworkCore;

namespace Dockyard.Server.Accounts;

/// <summary>
/// Repositories' lifecycle (created on first push or in advance with <see cref="CreateAsync(Caller, string, string?, string?, CancellationToken)"/>,
/// deleted with <see cref="DeleteAsync(Caller, string, CancellationToken)"/>), settings (visibility, description) and
/// per-repository grants. Settings and grants apply only to existing repositories, and deleting a repository deletes
/// its grants (a stale grant can never silently apply to a repository created later under the same name). Changes take the
/// <see cref="Caller"/>, are authorized here (<see cref="RepositoryAdministrationRules"/>: repository administrators) and
/// recorded here (<see cref="AuditedOperations"/>), whichever entry point called.
/// </summary>
internal sealed class RepositoryService(
    IDbContextFactory<DockyardDbContext> contexts,
    TimeProvider time,
    RepositoryAdministrationRules rules,
    AuditedOperations audited,
    IAccessAuthorizer authorizer,
    RepositoryRemover remover)
{
    public const int MaxPageSize = 100;

    /// <summary>The message of an invalid repository name (the <c>/v2</c> grammar).</summary>
    public const string NameRule = "Must be lowercase letters and digits, separated by '.', '_', '__' or '-' and by '/' between components, at most 255 characters (as docker push accepts).";

    /// <summary>The repositories <paramref name="principal"/> may pull, filtered by namespace and a name substring, paged (1-based).</summary>
    public async Task<RepositoryPage> ListAsync(Principal principal, string? ns, string? query, int page, int pageSize, CancellationToken cancellationToken)
    {
        if (page < 1)
        {
            throw DomainException.Invalid("page", "Must be 1 or more.");
        }

        if (pageSize is < 1 or > MaxPageSize)
        {
            throw DomainException.Invalid("pageSize", $"Must be between 1 and {MaxPageSize}.");
        }

        // The list predicate of the single pull decision (RepositoryAccessRules), filtered, counted and paged in SQL.
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await (await RepositoryAccessRules.ResolveAsync(db, principal, cancellationToken)).PullableAsync(cancellationToken);
        if (!string.IsNullOrEmpty(ns))
        {
            var prefix = ns + "/";
            rows = rows.Where(r => r.Name == ns || r.Name.StartsWith(prefix));
        }

        if (!string.IsNullOrEmpty(query))
        {
            rows = rows.Where(r => r.Name.Contains(query));
        }

        var total = await rows.CountAsync(cancellationToken);
        var items = await rows.OrderBy(r => r.Name).Skip((page - 1) * pageSize).Take(pageSize).ToListAsync(cancellationToken);
        return new RepositoryPage(items, page, pageSize, total);
    }

    /// <summary>Longest description (the repository's README, Markdown): Docker Hub's limit.</summary>
    public const int MaxDescriptionLength = 25_000;

    public async Task<RepositoryEntity?> FindAsync(RepositoryName name, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Repositories.AsNoTracking().FirstOrDefaultAsync(r => r.Name == name.Value, cancellationToken);
    }

    /// <summary>
    /// Creates an empty repository before its first push, <c>private</c> unless <paramref name="visibility"/> says
    /// <c>public</c>, so that its settings and grants are ready for that push (which then keeps them and creates nothing).
    /// Whoever may push to the name may create it (<see cref="Operation.RepositoryPush"/>: the rule by which a first push
    /// creates a repository); conflict when it exists. Recorded as <c>repository.create</c>.
    /// </summary>
    public Task<RepositoryEntity> CreateAsync(Caller caller, string name, string? visibility, string? description, CancellationToken cancellationToken) =>
        audited.RunAsync(
            caller,
            new AuditedAction(AuditActions.RepositoryCreate, OrganizationService.Item("repositories", name)) { Repository = string.IsNullOrEmpty(name) ? null : name }
                .WithFields(("name", name), ("visibility", visibility), ("description", description)),
            token => AuthorizeCreateAsync(caller.Principal, name, token),
            token => CreateAsync(RepositoryName.Parse(name), visibility, description, token),
            cancellationToken);

    /// <summary>
    /// Deletes a repository with its tags, manifests, grants, webhooks and policies (<see cref="RepositoryRemover"/>;
    /// repository administrators, organization owners, system administrators). Recorded as <c>repository.delete</c> with
    /// the number of tags and manifests removed; blobs are left to garbage collection.
    /// </summary>
    public Task<RepositoryRemoval> DeleteAsync(Caller caller, string name, CancellationToken cancellationToken) =>
        audited.RunAsync(
            caller,
            new AuditedAction(AuditActions.RepositoryDelete, $"repositories/{name}") { Repository = name },
            token => rules.AdministerAsync(caller.Principal, name, token),
            token => remover.RemoveAsync(RepositoryName.Parse(name), token),
            cancellationToken,
            resultOf: removal => AuditedResult.Of(("tags", removal.Tags), ("manifests", removal.Manifests)));

    private async Task<AccessDecision> AuthorizeCreateAsync(Principal principal, string name, CancellationToken cancellationToken)
    {
        if (!RepositoryName.TryParse(name, out var parsed))
        {
            throw DomainException.Invalid("name", string.IsNullOrEmpty(name) ? "Required." : NameRule);
        }

        return await authorizer.RequireAsync(
            principal, Operation.RepositoryPush, Resource.ForRepository(parsed), $"You may not create repositories in '{parsed.Namespace}': that needs write access to it (its owners, or a team or default role with write).", cancellationToken);
    }

    private async Task<RepositoryEntity> CreateAsync(RepositoryName name, string? visibility, string? description, CancellationToken cancellationToken)
    {
        OrganizationService.ValidateDescription(description, MaxDescriptionLength);
        var repository = new RepositoryEntity
        {
            Name = name.Value,
            Visibility = ParseVisibility(visibility) ?? RepositoryVisibility.Private,
            Description = string.IsNullOrEmpty(description) ? null : description,
            CreatedAt = time.GetUtcNow(),
        };
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var conflict = $"Repository '{name}' already exists.";
        if (await db.Repositories.AnyAsync(r => r.Name == name.Value, cancellationToken))
        {
            throw DomainException.Conflict(conflict);
        }

        db.Repositories.Add(repository);
        await UserService.SaveAsync(db, conflict, cancellationToken);
        return repository;
    }

    /// <summary>
    /// Changes visibility (<c>public</c>/<c>private</c>) and/or description; null leaves a field as it is. Recorded as
    /// <c>repository.visibility.change</c> when the requested visibility differs from the current one, else as
    /// <c>repository.update</c>.
    /// </summary>
    public async Task<RepositoryEntity> UpdateAsync(Caller caller, string name, string? visibility, string? description, CancellationToken cancellationToken)
    {
        var current = RepositoryName.TryParse(name, out var parsed) ? await FindAsync(parsed, cancellationToken) : null;
        var changesVisibility = visibility is not null && current is not null && !string.Equals(visibility, VisibilityName(current.Visibility), StringComparison.Ordinal);
        return await audited.RunAsync(
            caller,
            new AuditedAction(changesVisibility ? AuditActions.RepositoryVisibilityChange : AuditActions.RepositoryUpdate, $"repositories/{name}") { Repository = name }
                .WithFields(("visibility", visibility), ("description", description)),
            token => rules.AdministerAsync(caller.Principal, name, token),
            token => UpdateAsync(parsed, visibility, description, token),
            cancellationToken);
    }

    /// <summary>The name the API gives a visibility.</summary>
    public static string VisibilityName(RepositoryVisibility visibility) => visibility.ToString().ToLowerInvariant();

    private async Task<RepositoryEntity> UpdateAsync(RepositoryName name, string? visibility, string? description, CancellationToken cancellationToken)
    {
        OrganizationService.ValidateDescription(description, MaxDescriptionLength);
        var parsed = ParseVisibility(visibility);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var repository = await db.Repositories.FirstOrDefaultAsync(r => r.Name == name.Value, cancellationToken)
            ?? throw DomainException.NotFound($"Repository '{name}' not found.");
        repository.Visibility = parsed ?? repository.Visibility;
        if (description is not null)
        {
            repository.Description = description.Length == 0 ? null : description;
        }

        await db.SaveChangesAsync(cancellationToken);
        return repository;
    }

    private static RepositoryVisibility? ParseVisibility(string? visibility) => visibility switch
    {
        null => null,
        "public" => RepositoryVisibility.Public,
        "private" => RepositoryVisibility.Private,
        _ => throw DomainException.Invalid("visibility", "Must be public or private."),
    };

    public async Task<IReadOnlyList<RepositoryGrant>> ListGrantsAsync(RepositoryName name, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var users = await (
            from p in db.RepositoryPermissions.AsNoTracking()
            where p.Repository == name.Value && p.SubjectKind == PermissionSubject.User
            join u in db.Users.AsNoTracking() on p.SubjectId equals u.Id
            select new { Subject = u.Username, p.Role, p.CreatedAt }).ToListAsync(cancellationToken);
        var teams = await (
            from p in db.RepositoryPermissions.AsNoTracking()
            where p.Repository == name.Value && p.SubjectKind == PermissionSubject.Team
            join t in db.Teams.AsNoTracking() on p.SubjectId equals t.Id
            select new { Subject = t.Name, p.Role, p.CreatedAt }).ToListAsync(cancellationToken);
        return
        [
            .. users.OrderBy(u => u.Subject, StringComparer.Ordinal).Select(u => new RepositoryGrant(PermissionSubject.User, u.Subject, u.Role, u.CreatedAt)),
            .. teams.OrderBy(t => t.Subject, StringComparer.Ordinal).Select(t => new RepositoryGrant(PermissionSubject.Team, t.Subject, t.Role, t.CreatedAt)),
        ];
    }

    /// <summary>
    /// Grants (or changes) a role (<c>read</c>, <c>write</c>, <c>admin</c>; repository administrators). A team is named
    /// within the organization that owns the repository's namespace, as <c>team</c> or <c>org/team</c>; returns true
    /// when the grant is new.
    /// </summary>
    public Task<bool> GrantAsync(Caller caller, string name, PermissionSubject kind, string subject, string? role, CancellationToken cancellationToken)
    {
        subject = OwnTeamName(name, kind, subject);
        return audited.RunAsync(
            caller,
            new AuditedAction(AuditActions.PermissionGrant, GrantResource(name, kind, subject)) { Repository = name }.WithFields(("role", role)),
            token => rules.AdministerAsync(caller.Principal, name, token),
            token => GrantAsync(RepositoryName.Parse(name), kind, subject, RoleNames.Parse("role", role, allowNone: false), token),
            cancellationToken);
    }

    /// <summary>Removes a grant (repository administrators); a team as <c>team</c> or <c>org/team</c>.</summary>
    public Task RevokeAsync(Caller caller, string name, PermissionSubject kind, string subject, CancellationToken cancellationToken)
    {
        subject = OwnTeamName(name, kind, subject);
        return audited.RunAsync(
            caller,
            new AuditedAction(AuditActions.PermissionRevoke, GrantResource(name, kind, subject)) { Repository = name },
            token => rules.AdministerAsync(caller.Principal, name, token),
            token => RevokeAsync(RepositoryName.Parse(name), kind, subject, token),
            cancellationToken);
    }

    /// <summary>
    /// A team spelled <c>org/team</c> where org owns the repository's namespace is that organization's team <c>team</c>;
    /// any other spelling is kept as written (another organization's team is then refused, with the reason).
    /// </summary>
    private static string OwnTeamName(string repository, PermissionSubject kind, string subject)
    {
        var prefix = (RepositoryName.TryParse(repository, out var parsed) ? parsed.Namespace : string.Empty) + "/";
        return kind == PermissionSubject.Team && subject.StartsWith(prefix, StringComparison.Ordinal) ? subject[prefix.Length..] : subject;
    }

    /// <summary>A grant's resource as the API names it: <c>repositories/{name}/permissions/users/{user}</c> or <c>…/teams/{team}</c>.</summary>
    public static string GrantResource(string name, PermissionSubject kind, string subject) =>
        $"repositories/{name}/permissions/{(kind == PermissionSubject.Team ? "teams" : "users")}/{subject}";

    private async Task<bool> GrantAsync(RepositoryName name, PermissionSubject kind, string subject, RepositoryRole role, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var subjectId = await ResolveSubjectAsync(db, name, kind, subject, cancellationToken);
        var grant = await db.RepositoryPermissions.FirstOrDefaultAsync(p => p.Repository == name.Value && p.SubjectKind == kind && p.SubjectId == subjectId, cancellationToken);
        if (grant is not null)
        {
            grant.Role = role;
            await db.SaveChangesAsync(cancellationToken);
            return false;
        }

        db.RepositoryPermissions.Add(new RepositoryPermissionEntity { Repository = name.Value, SubjectKind = kind, SubjectId = subjectId, Role = role, CreatedAt = time.GetUtcNow() });
        await UserService.SaveAsync(db, "The grant was changed concurrently; retry.", cancellationToken);
        return true;
    }

    private async Task RevokeAsync(RepositoryName name, PermissionSubject kind, string subject, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var subjectId = await ResolveSubjectAsync(db, name, kind, subject, cancellationToken);
        if (await db.RepositoryPermissions.Where(p => p.Repository == name.Value && p.SubjectKind == kind && p.SubjectId == subjectId).ExecuteDeleteAsync(cancellationToken) == 0)
        {
            throw DomainException.NotFound($"No grant for {kind.ToString().ToLowerInvariant()} '{subject}' on '{name}'.");
        }
    }

    private static async Task<long> ResolveSubjectAsync(DockyardDbContext db, RepositoryName name, PermissionSubject kind, string subject, CancellationToken cancellationToken)
    {
        if (!await db.Repositories.AnyAsync(r => r.Name == name.Value, cancellationToken))
        {
            throw DomainException.NotFound($"Repository '{name}' not found.");
        }

        if (kind == PermissionSubject.User)
        {
            return (await OrganizationService.FindUserAsync(db, subject, cancellationToken)).Id;
        }

        var ns = name.Namespace;
        if (subject.IndexOf('/', StringComparison.Ordinal) is > 0 and var slash)
        {
            throw DomainException.Invalid(
                "subject", $"Team '{subject}' belongs to organization '{subject[..slash]}': only teams of '{ns}', which owns this repository, can be granted here.");
        }

        var teamId = await (
            from t in db.Teams.AsNoTracking()
            join o in db.Organizations.AsNoTracking() on t.OrganizationId equals o.Id
            where o.Name == ns && t.Name == subject
            select (long?)t.Id).FirstOrDefaultAsync(cancellationToken);
        return teamId ?? throw DomainException.NotFound($"Team '{subject}' not found in organization '{ns}'.");
    }
}
