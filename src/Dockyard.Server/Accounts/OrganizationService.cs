using System.Globalization;
using Dockyard.Registry;
using Dockyard.Server.Audit;
using Dockyard.Server.Data;
using Dockyard.Server.Data.Entities;
using Dockyard.Server.Errors;
using Microsoft.EntityFrameworkCore;

namespace Dockyard.Server.Accounts;

/// <summary>
/// Organizations and their members. Names share one namespace with usernames. Every organization keeps at
/// least one owner; an organization that still holds repositories is deleted only when the caller asks for its
/// repositories to go too. Every change takes the
/// <see cref="Caller"/>, is authorized here (<see cref="OrganizationAccessRules"/>) and recorded here
/// (<see cref="AuditedOperations"/>) under the organization's API path (<c>orgs/acme</c>, <c>orgs/acme/members/bob</c>),
/// whichever entry point called.
/// </summary>
internal sealed class OrganizationService(
    IDbContextFactory<DockyardDbContext> contexts, TimeProvider time, OrganizationAccessRules rules, AuditedOperations audited, RepositoryRemover repositories)
{
    /// <summary>
    /// Creates an organization; the calling user becomes its first owner. Only the system (CLI verbs, seeding) names
    /// the owner with <paramref name="ownerUserId"/>. <paramref name="defaultMemberRole"/> is a role name (null: none).
    /// </summary>
    public Task<OrganizationEntity> CreateAsync(Caller caller, string name, string? description, string? defaultMemberRole, long? ownerUserId, CancellationToken cancellationToken) =>
        audited.RunAsync(
            caller,
            new AuditedAction(AuditActions.OrgCreate, Item("orgs", name)) { Organization = NullIfEmpty(name) }
                .WithFields(("name", name), ("description", description), ("defaultMemberRole", defaultMemberRole)),
            async token =>
            {
                if (ownerUserId is not null && caller.Principal.Kind != Access.PrincipalKind.System && ownerUserId != caller.Principal.UserId)
                {
                    return AccessDecisions.Forbidden("Only the system may name another user as an organization's first owner.");
                }

                return await rules.CreateAsync(caller.Principal, token);
            },
            token => CreateAsync(
                name,
                description,
                defaultMemberRole is null ? RepositoryRole.None : RoleNames.Parse("defaultMemberRole", defaultMemberRole, allowNone: true),
                ownerUserId ?? caller.Principal.UserId ?? throw DomainException.Invalid("owner", "An organization needs a first owner."),
                token),
            cancellationToken,
            created => $"orgs/{created.Name}");

    private async Task<OrganizationEntity> CreateAsync(string name, string? description, RepositoryRole defaultMemberRole, long ownerUserId, CancellationToken cancellationToken)
    {
        AccountNames.Validate("name", name);
        ValidateDescription(description);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (await db.Organizations.AnyAsync(o => o.Name == name, cancellationToken))
        {
            throw DomainException.Conflict($"An organization named '{name}' already exists.");
        }

        if (await db.Users.AnyAsync(u => u.Username == name, cancellationToken))
        {
            throw DomainException.Conflict($"The name '{name}' is taken by a user.");
        }

        var now = time.GetUtcNow();
        var organization = new OrganizationEntity { Name = name, Description = description, DefaultMemberRole = defaultMemberRole, CreatedAt = now };
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.Organizations.Add(organization);
        await UserService.SaveAsync(db, $"An organization named '{name}' already exists.", cancellationToken);
        db.OrganizationMembers.Add(new OrganizationMemberEntity { OrganizationId = organization.Id, UserId = ownerUserId, IsOwner = true, CreatedAt = now });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return organization;
    }

    public async Task<OrganizationEntity?> FindAsync(string name, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Organizations.AsNoTracking().FirstOrDefaultAsync(o => o.Name == name, cancellationToken);
    }

    /// <summary>The organizations <paramref name="principal"/> may see (<see cref="Access.OrganizationViewRule"/>, the rule of the single decision).</summary>
    public async Task<IReadOnlyList<OrganizationEntity>> ListAsync(Access.Principal principal, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await (await Access.OrganizationViewRule.QueryAsync(db, principal, cancellationToken)).OrderBy(o => o.Name).ToListAsync(cancellationToken);
    }

    /// <summary>Changes the description (empty clears it) and/or the default member role (a role name); null leaves a field as it is. Owners.</summary>
    public Task<OrganizationEntity> UpdateAsync(Caller caller, string organization, string? description, string? defaultMemberRole, CancellationToken cancellationToken) =>
        audited.RunAsync(
            caller,
            new AuditedAction(AuditActions.OrgUpdate, $"orgs/{organization}") { Organization = organization }
                .WithFields(("description", description), ("defaultMemberRole", defaultMemberRole)),
            token => rules.ManageAsync(caller.Principal, organization, token),
            token => UpdateAsync(
                organization,
                description,
                defaultMemberRole is null ? null : RoleNames.Parse("defaultMemberRole", defaultMemberRole, allowNone: true),
                token),
            cancellationToken);

    private async Task<OrganizationEntity> UpdateAsync(string name, string? description, RepositoryRole? defaultMemberRole, CancellationToken cancellationToken)
    {
        ValidateDescription(description);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var organization = await db.Organizations.FirstOrDefaultAsync(o => o.Name == name, cancellationToken)
            ?? throw DomainException.NotFound(OrganizationAccessRules.NotFound(name));
        if (description is not null)
        {
            organization.Description = description.Length == 0 ? null : description;
        }

        organization.DefaultMemberRole = defaultMemberRole ?? organization.DefaultMemberRole;
        await db.SaveChangesAsync(cancellationToken);
        return organization;
    }

    /// <summary>
    /// Deletes an organization with its members, teams, team grants and service accounts (owners). While it holds
    /// repositories it is refused (conflict, saying how many), unless <paramref name="deleteRepositories"/>: then each is
    /// deleted first as <see cref="RepositoryService.DeleteAsync"/> would (<see cref="RepositoryRemover"/>, each recorded
    /// as <c>repository.delete</c>), and the entry of the organization's deletion counts them.
    /// </summary>
    public Task<int> DeleteAsync(Caller caller, string organization, bool deleteRepositories, CancellationToken cancellationToken) =>
        audited.RunAsync(
            caller,
            new AuditedAction(AuditActions.OrgDelete, $"orgs/{organization}") { Organization = organization },
            token => rules.ManageAsync(caller.Principal, organization, token),
            token => RemoveAsync(caller, organization, deleteRepositories, token),
            cancellationToken,
            resultOf: removed => AuditedResult.Of(("repositories", removed)));

    /// <summary>As <see cref="DeleteAsync(Caller, string, bool, CancellationToken)"/>, refused while the organization holds repositories.</summary>
    public Task DeleteAsync(Caller caller, string organization, CancellationToken cancellationToken) =>
        DeleteAsync(caller, organization, deleteRepositories: false, cancellationToken);

    /// <summary>The repositories in <paramref name="organization"/>'s namespace (what deleting it with its repositories removes).</summary>
    public Task<IReadOnlyList<string>> ListRepositoriesAsync(string organization, CancellationToken cancellationToken) =>
        repositories.ListInNamespaceAsync(organization, cancellationToken);

    private async Task<int> RemoveAsync(Caller caller, string name, bool deleteRepositories, CancellationToken cancellationToken)
    {
        long organizationId;
        await using (var lookup = await contexts.CreateDbContextAsync(cancellationToken))
        {
            organizationId = await IdAsync(lookup, name, cancellationToken);
        }

        var held = await repositories.ListInNamespaceAsync(name, cancellationToken);
        if (held.Count > 0 && !deleteRepositories)
        {
            throw DomainException.Conflict(
                $"Organization '{name}' still has {held.Count} {(held.Count == 1 ? "repository" : "repositories")}. Delete them first, "
                + $"or delete the organization with its repositories (API: DELETE /api/v1/orgs/{name}?deleteRepositories=true; web UI: the danger zone of the organization's page).");
        }

        foreach (var repository in held)
        {
            // The caller manages the organization, which is what administering its repositories needs; each is recorded on its own.
            await audited.RunAsync(
                caller,
                new AuditedAction(AuditActions.RepositoryDelete, $"repositories/{repository}") { Repository = repository }.WithFields(("note", $"with organization '{name}'")),
                _ => Task.FromResult(AccessDecision.Allowed),
                token => repositories.RemoveAsync(RepositoryName.Parse(repository), token),
                cancellationToken,
                resultOf: removal => AuditedResult.Of(("tags", removal.Tags), ("manifests", removal.Manifests)));
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (await repositories.ListInNamespaceAsync(name, cancellationToken) is { Count: > 0 } pushed)
        {
            throw DomainException.Conflict($"Organization '{name}' received {pushed.Count} new repositories while it was being deleted; try again.");
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var teams = db.Teams.Where(t => t.OrganizationId == organizationId).Select(t => t.Id);
        await db.RepositoryPermissions.Where(p => p.SubjectKind == PermissionSubject.Team && teams.Contains(p.SubjectId)).ExecuteDeleteAsync(cancellationToken);
        await db.TeamMembers.Where(m => teams.Contains(m.TeamId)).ExecuteDeleteAsync(cancellationToken);
        await db.Teams.Where(t => t.OrganizationId == organizationId).ExecuteDeleteAsync(cancellationToken);
        var accounts = db.ServiceAccounts.Where(a => a.OrganizationId == organizationId).Select(a => a.Id);
        await db.AccessTokens.Where(t => t.ServiceAccountId != null && accounts.Contains(t.ServiceAccountId.Value)).ExecuteDeleteAsync(cancellationToken);
        await db.ServiceAccounts.Where(a => a.OrganizationId == organizationId).ExecuteDeleteAsync(cancellationToken);
        await db.OrganizationMembers.Where(m => m.OrganizationId == organizationId).ExecuteDeleteAsync(cancellationToken);
        await db.Organizations.Where(o => o.Id == organizationId).ExecuteDeleteAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return held.Count;
    }

    public async Task<IReadOnlyList<OrganizationMember>> ListMembersAsync(long organizationId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await (
            from m in db.OrganizationMembers.AsNoTracking()
            where m.OrganizationId == organizationId
            join u in db.Users.AsNoTracking() on m.UserId equals u.Id
            select new { u.Username, u.DisplayName, m.IsOwner, m.CreatedAt }).ToListAsync(cancellationToken);
        return [.. rows.OrderBy(r => r.Username, StringComparer.Ordinal).Select(r => new OrganizationMember(r.Username, r.DisplayName, r.IsOwner, r.CreatedAt))];
    }

    /// <summary>Adds a user as a member, optionally as an owner. Owners.</summary>
    public Task<OrganizationMember> AddMemberAsync(Caller caller, string organization, string? username, bool isOwner, CancellationToken cancellationToken) =>
        audited.RunAsync(
            caller,
            new AuditedAction(AuditActions.OrgMemberAdd, Item($"orgs/{organization}/members", username)) { Organization = organization }
                .WithFields(("username", username), ("isOwner", isOwner)),
            token => rules.ManageAsync(caller.Principal, organization, token),
            token => string.IsNullOrEmpty(username)
                ? throw DomainException.Invalid("username", "Required.")
                : AddMemberAsync(organization, username, isOwner, token),
            cancellationToken);

    private async Task<OrganizationMember> AddMemberAsync(string organization, string username, bool isOwner, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var organizationId = await IdAsync(db, organization, cancellationToken);
        var user = await FindUserAsync(db, username, cancellationToken);
        if (await db.OrganizationMembers.AnyAsync(m => m.OrganizationId == organizationId && m.UserId == user.Id, cancellationToken))
        {
            throw DomainException.Conflict($"'{username}' is already a member.");
        }

        var member = new OrganizationMemberEntity { OrganizationId = organizationId, UserId = user.Id, IsOwner = isOwner, CreatedAt = time.GetUtcNow() };
        db.OrganizationMembers.Add(member);
        await UserService.SaveAsync(db, $"'{username}' is already a member.", cancellationToken);
        return new OrganizationMember(user.Username, user.DisplayName, member.IsOwner, member.CreatedAt);
    }

    /// <summary>Makes a member an owner or not; the last owner stays one. Owners.</summary>
    public Task<OrganizationMember> SetOwnerAsync(Caller caller, string organization, string username, bool isOwner, CancellationToken cancellationToken) =>
        audited.RunAsync(
            caller,
            new AuditedAction(AuditActions.OrgMemberUpdate, $"orgs/{organization}/members/{username}") { Organization = organization }
                .WithFields(("isOwner", isOwner)),
            token => rules.ManageAsync(caller.Principal, organization, token),
            token => SetOwnerAsync(organization, username, isOwner, token),
            cancellationToken);

    private async Task<OrganizationMember> SetOwnerAsync(string organization, string username, bool isOwner, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var organizationId = await IdAsync(db, organization, cancellationToken);
        var (user, member) = await FindMemberAsync(db, organizationId, username, cancellationToken);
        if (member.IsOwner && !isOwner)
        {
            await EnsureAnotherOwnerAsync(db, organizationId, user, cancellationToken);
        }

        member.IsOwner = isOwner;
        await db.SaveChangesAsync(cancellationToken);
        return new OrganizationMember(user.Username, user.DisplayName, member.IsOwner, member.CreatedAt);
    }

    /// <summary>Removes a member from the organization and from all of its teams (owners; a member may leave).</summary>
    public Task RemoveMemberAsync(Caller caller, string organization, string username, CancellationToken cancellationToken) =>
        audited.RunAsync(
            caller,
            new AuditedAction(AuditActions.OrgMemberRemove, $"orgs/{organization}/members/{username}") { Organization = organization },
            token => rules.RemoveMemberAsync(caller.Principal, organization, username, token),
            token => RemoveMemberAsync(organization, username, token),
            cancellationToken);

    private async Task RemoveMemberAsync(string organization, string username, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var organizationId = await IdAsync(db, organization, cancellationToken);
        var (user, member) = await FindMemberAsync(db, organizationId, username, cancellationToken);
        if (member.IsOwner)
        {
            await EnsureAnotherOwnerAsync(db, organizationId, user, cancellationToken);
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var teams = db.Teams.Where(t => t.OrganizationId == organizationId).Select(t => t.Id);
        await db.TeamMembers.Where(m => m.UserId == user.Id && teams.Contains(m.TeamId)).ExecuteDeleteAsync(cancellationToken);
        await db.OrganizationMembers.Where(m => m.OrganizationId == organizationId && m.UserId == user.Id).ExecuteDeleteAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>The id of the organization named <paramref name="name"/>; not found otherwise.</summary>
    internal static async Task<long> IdAsync(DockyardDbContext db, string name, CancellationToken cancellationToken) =>
        await db.Organizations.AsNoTracking().Where(o => o.Name == name).Select(o => (long?)o.Id).FirstOrDefaultAsync(cancellationToken)
        ?? throw DomainException.NotFound(OrganizationAccessRules.NotFound(name));

    internal static async Task<UserEntity> FindUserAsync(DockyardDbContext db, string username, CancellationToken cancellationToken) =>
        await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Username == username, cancellationToken)
        ?? throw DomainException.NotFound($"User '{username}' not found.");

    /// <summary>The API path of an object in <paramref name="collection"/>, or the collection while the name is missing.</summary>
    internal static string Item(string collection, string? name) => string.IsNullOrEmpty(name) ? collection : $"{collection}/{name}";

    internal static void ValidateDescription(string? description, int maxLength = 4096)
    {
        if (description is not null && description.Length > maxLength)
        {
            throw DomainException.Invalid("description", string.Create(CultureInfo.InvariantCulture, $"Must be at most {maxLength} characters."));
        }

        // Line breaks and tabs format a description; other control characters only hide or forge text in a terminal.
        if (description is not null && description.Any(c => char.IsControl(c) && c is not ('\r' or '\n' or '\t')))
        {
            throw DomainException.Invalid("description", "Must not contain control characters other than line breaks and tabs.");
        }
    }

    private static async Task<(UserEntity User, OrganizationMemberEntity Member)> FindMemberAsync(DockyardDbContext db, long organizationId, string username, CancellationToken cancellationToken)
    {
        var user = await FindUserAsync(db, username, cancellationToken);
        var member = await db.OrganizationMembers.FirstOrDefaultAsync(m => m.OrganizationId == organizationId && m.UserId == user.Id, cancellationToken)
            ?? throw DomainException.NotFound($"'{username}' is not a member.");
        return (user, member);
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static async Task EnsureAnotherOwnerAsync(DockyardDbContext db, long organizationId, UserEntity user, CancellationToken cancellationToken)
    {
        if (!await db.OrganizationMembers.AnyAsync(m => m.OrganizationId == organizationId && m.IsOwner && m.UserId != user.Id, cancellationToken))
        {
            throw DomainException.Conflict($"'{user.Username}' is the last owner; make someone else an owner first.");
        }
    }
}
