using Dockyard.Server.Access;
using Dockyard.Server.Data;
using Dockyard.Server.Data.Entities;
using Dockyard.Server.Identity;
using Microsoft.EntityFrameworkCore;

namespace Dockyard.Server.Tests.Tokens;

/// <summary>
/// Creates users, organizations, teams, grants, service accounts and access tokens straight in the database
/// (the management API is built elsewhere). Passwords use few hash iterations to keep tests fast.
/// </summary>
internal sealed class IdentitySeed(IDbContextFactory<DockyardDbContext> contexts, TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>For a database owned by another process (the real-server fixture).</summary>
    public static IdentitySeed ForDatabaseFile(string path) => new(new FileContextFactory(path));

    public AccessTokenService Tokens => new(contexts, _time);

    public async Task<long> UserAsync(string name, string password, bool admin = false, bool active = true)
    {
        await using var db = await contexts.CreateDbContextAsync();
        var user = new UserEntity
        {
            Username = name,
            PasswordHash = PasswordHasher.Hash(password, iterations: 1000),
            Source = AccountSource.Local,
            IsAdmin = admin,
            IsActive = active,
            CreatedAt = _time.GetUtcNow(),
        };
        db.Users.Add(user);
        await db.SaveChangesAsync();
        return user.Id;
    }

    public async Task SetActiveAsync(long userId, bool active)
    {
        await using var db = await contexts.CreateDbContextAsync();
        await db.Users.Where(u => u.Id == userId).ExecuteUpdateAsync(s => s.SetProperty(u => u.IsActive, active));
    }

    public async Task<long> OrganizationAsync(string name, RepositoryRole defaultRole = RepositoryRole.None)
    {
        await using var db = await contexts.CreateDbContextAsync();
        var organization = new OrganizationEntity { Name = name, DefaultMemberRole = defaultRole, CreatedAt = _time.GetUtcNow() };
        db.Organizations.Add(organization);
        await db.SaveChangesAsync();
        return organization.Id;
    }

    public async Task MemberAsync(long organizationId, long userId, bool owner = false)
    {
        await using var db = await contexts.CreateDbContextAsync();
        db.OrganizationMembers.Add(new OrganizationMemberEntity { OrganizationId = organizationId, UserId = userId, IsOwner = owner, CreatedAt = _time.GetUtcNow() });
        await db.SaveChangesAsync();
    }

    public async Task<long> TeamAsync(long organizationId, string name, params long[] members)
    {
        await using var db = await contexts.CreateDbContextAsync();
        var team = new TeamEntity { OrganizationId = organizationId, Name = name, CreatedAt = _time.GetUtcNow() };
        db.Teams.Add(team);
        await db.SaveChangesAsync();
        foreach (var member in members)
        {
            db.TeamMembers.Add(new TeamMemberEntity { TeamId = team.Id, UserId = member, Source = AccountSource.Local, CreatedAt = _time.GetUtcNow() });
        }

        await db.SaveChangesAsync();
        return team.Id;
    }

    public async Task GrantAsync(string repository, PermissionSubject kind, long subjectId, RepositoryRole role)
    {
        await using var db = await contexts.CreateDbContextAsync();
        db.RepositoryPermissions.Add(new RepositoryPermissionEntity { Repository = repository, SubjectKind = kind, SubjectId = subjectId, Role = role, CreatedAt = _time.GetUtcNow() });
        await db.SaveChangesAsync();
    }

    public async Task VisibilityAsync(string repository, RepositoryVisibility visibility)
    {
        await using var db = await contexts.CreateDbContextAsync();
        await db.Repositories.Where(r => r.Name == repository).ExecuteUpdateAsync(s => s.SetProperty(r => r.Visibility, visibility));
    }

    public async Task<long> ServiceAccountAsync(long organizationId, string name)
    {
        await using var db = await contexts.CreateDbContextAsync();
        var account = new ServiceAccountEntity { OrganizationId = organizationId, Name = name, CreatedAt = _time.GetUtcNow() };
        db.ServiceAccounts.Add(account);
        await db.SaveChangesAsync();
        return account.Id;
    }

    public static TokenScope Scope(string pattern, RepositoryActions actions) => new(pattern, actions);

    private sealed class FileContextFactory(string path) : IDbContextFactory<DockyardDbContext>
    {
        public DockyardDbContext CreateDbContext() =>
            new SqliteDockyardDbContext(new DbContextOptionsBuilder<SqliteDockyardDbContext>().UseSqlite($"Data Source={path};Default Timeout=30").Options);
    }
}
