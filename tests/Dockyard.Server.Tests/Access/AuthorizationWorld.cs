using Dockyard.Server.Access;
using Dockyard.Server.Data;
using Dockyard.Server.Data.Entities;

namespace Dockyard.Server.Tests.Access;

/// <summary>
/// A random, reproducible world of accounts and rights for the authorizer's property tests: users (some deactivated,
/// some administrators), organizations with owners, members and default member roles, teams, repositories (public
/// and private, in user and organization namespaces), user and team grants, service accounts (some deactivated) and
/// the principals that act in it (full rights, scoped tokens, service-account tokens, anonymous, deleted accounts).
/// Every name starts with a per-world prefix, so many worlds share one database without touching each other.
/// </summary>
internal sealed class AuthorizationWorld
{
    private static readonly string[] RepositoryLeaves = ["app", "api", "web/ui", "db", "a-b", "x/y/z"];

    public List<UserEntity> Users { get; } = [];

    public List<OrganizationEntity> Organizations { get; } = [];

    public List<OrganizationMemberEntity> Members { get; } = [];

    public List<TeamEntity> Teams { get; } = [];

    public List<TeamMemberEntity> TeamMembers { get; } = [];

    public List<RepositoryEntity> Repositories { get; } = [];

    public List<RepositoryPermissionEntity> Grants { get; } = [];

    public List<ServiceAccountEntity> ServiceAccounts { get; } = [];

    public List<Principal> Principals { get; } = [];

    /// <summary>Names of repositories that do not exist, in the world's namespaces (only namespace rules apply to them).</summary>
    public List<string> Unpushed { get; } = [];

    /// <summary>Creates the world's rows (through <paramref name="db"/>) and its principals.</summary>
    public static async Task<AuthorizationWorld> CreateAsync(DockyardDbContext db, int seed, string prefix)
    {
        var random = new Random(seed);
        var world = new AuthorizationWorld();

        for (var i = 0; i < random.Next(2, 7); i++)
        {
            world.Users.Add(new UserEntity { Username = $"{prefix}u{i}", IsActive = random.Next(6) > 0, IsAdmin = random.Next(8) == 0 });
        }

        db.Users.AddRange(world.Users);
        for (var i = 0; i < random.Next(1, 4); i++)
        {
            world.Organizations.Add(new OrganizationEntity { Name = $"{prefix}o{i}", DefaultMemberRole = Pick(random, Enum.GetValues<RepositoryRole>()) });
        }

        db.Organizations.AddRange(world.Organizations);
        await db.SaveChangesAsync();

        foreach (var organization in world.Organizations)
        {
            foreach (var user in world.Users.Where(_ => random.Next(3) == 0))
            {
                world.Members.Add(new OrganizationMemberEntity { OrganizationId = organization.Id, UserId = user.Id, IsOwner = random.Next(3) == 0 });
            }

            // The first organization always has a team, so every world can exercise the team grant path below.
            for (var t = 0; t < random.Next(organization == world.Organizations[0] ? 1 : 0, 3); t++)
            {
                world.Teams.Add(new TeamEntity { OrganizationId = organization.Id, Name = $"t{t}" });
            }

            for (var s = 0; s < random.Next(0, 3); s++)
            {
                world.ServiceAccounts.Add(new ServiceAccountEntity { OrganizationId = organization.Id, Name = $"sa{s}", IsActive = random.Next(5) > 0 });
            }
        }

        db.OrganizationMembers.AddRange(world.Members);
        db.Teams.AddRange(world.Teams);
        db.ServiceAccounts.AddRange(world.ServiceAccounts);
        await db.SaveChangesAsync();

        foreach (var team in world.Teams)
        {
            // Team members need not be organization members (LDAP-synced teams).
            foreach (var user in world.Users.Where(_ => random.Next(3) == 0))
            {
                world.TeamMembers.Add(new TeamMemberEntity { TeamId = team.Id, UserId = user.Id });
            }
        }

        // One active user reaches repositories through the first team only (not an administrator, nor in any
        // organization): a rule that forgets team grants in one place then disagrees in every world, not by luck.
        var teamOnly = world.Users.FirstOrDefault(u => u.IsActive && !u.IsAdmin && world.Members.All(m => m.UserId != u.Id));
        if (teamOnly is not null && world.TeamMembers.All(m => m.TeamId != world.Teams[0].Id || m.UserId != teamOnly.Id))
        {
            world.TeamMembers.Add(new TeamMemberEntity { TeamId = world.Teams[0].Id, UserId = teamOnly.Id });
        }

        db.TeamMembers.AddRange(world.TeamMembers);

        var namespaces = world.Users.Select(u => u.Username).Concat(world.Organizations.Select(o => o.Name)).ToList();
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < random.Next(4, 14); i++)
        {
            var ns = Pick(random, namespaces);
            names.Add(random.Next(8) == 0 ? ns : $"{ns}/{Pick(random, RepositoryLeaves)}");
        }

        foreach (var name in names.Order(StringComparer.Ordinal))
        {
            world.Repositories.Add(new RepositoryEntity { Name = name, Visibility = random.Next(4) == 0 ? RepositoryVisibility.Public : RepositoryVisibility.Private });
        }

        db.Repositories.AddRange(world.Repositories);
        world.Unpushed.AddRange(namespaces.Where(_ => random.Next(3) == 0).Select(ns => $"{ns}/unpushed").Append($"{prefix}nobody/app"));

        var grantKeys = new HashSet<(string, PermissionSubject, long)>();
        for (var i = 0; i < random.Next(0, 12) && world.Repositories.Count > 0; i++)
        {
            var repository = Pick(random, world.Repositories).Name;
            var toTeam = world.Teams.Count > 0 && random.Next(2) == 0;
            var subject = toTeam ? Pick(random, world.Teams).Id : Pick(random, world.Users).Id;
            var kind = toTeam ? PermissionSubject.Team : PermissionSubject.User;
            if (grantKeys.Add((repository, kind, subject)))
            {
                world.Grants.Add(new RepositoryPermissionEntity { Repository = repository, SubjectKind = kind, SubjectId = subject, Role = Pick(random, Enum.GetValues<RepositoryRole>()) });
            }
        }

        var teamRepository = world.Repositories.FirstOrDefault(r => r.Visibility == RepositoryVisibility.Private && !r.Name.StartsWith(prefix + "u", StringComparison.Ordinal));
        if (teamRepository is not null && grantKeys.Add((teamRepository.Name, PermissionSubject.Team, world.Teams[0].Id)))
        {
            world.Grants.Add(new RepositoryPermissionEntity { Repository = teamRepository.Name, SubjectKind = PermissionSubject.Team, SubjectId = world.Teams[0].Id, Role = Pick(random, Enum.GetValues<RepositoryRole>()) });
        }

        db.RepositoryPermissions.AddRange(world.Grants);
        await db.SaveChangesAsync();

        world.AddPrincipals(random, namespaces);
        return world;
    }

    private void AddPrincipals(Random random, List<string> namespaces)
    {
        Principals.Add(Principal.Anonymous);
        foreach (var user in Users)
        {
            // The principal's admin flag is random: the authorizer must read the stored one.
            var principal = new Principal { Kind = PrincipalKind.User, UserId = user.Id, Name = user.Username, IsAdmin = random.Next(2) == 0, AuthMethod = AuthMethods.Password };
            Principals.Add(principal);
            if (random.Next(2) == 0)
            {
                Principals.Add(principal with { AuthMethod = AuthMethods.AccessToken, Scopes = RandomScopes(random, namespaces) });
            }
        }

        foreach (var account in ServiceAccounts)
        {
            Principals.Add(new Principal
            {
                Kind = PrincipalKind.ServiceAccount,
                ServiceAccountId = account.Id,
                OrganizationId = account.OrganizationId,
                Name = account.Name,
                AuthMethod = AuthMethods.AccessToken,
                Scopes = random.Next(4) == 0 ? null : RandomScopes(random, namespaces),
            });
        }

        // A deleted user (its id exists nowhere).
        Principals.Add(new Principal { Kind = PrincipalKind.User, UserId = long.MaxValue - random.Next(1000), Name = "ghost", IsAdmin = true, AuthMethod = AuthMethods.Password });
    }

    private static List<TokenScope> RandomScopes(Random random, List<string> namespaces)
    {
        var scopes = new List<TokenScope>();
        for (var i = 0; i < random.Next(0, 4); i++)
        {
            var ns = Pick(random, namespaces);
            string[] patterns = [$"{ns}/**", $"{ns}/*", ns, $"{ns}/a*", "**", "*", $"{ns}/*/*", $"{ns}/**/ui", $"{ns}**"];
            var actions = (RepositoryActions)random.Next(0, 8);
            scopes.Add(new TokenScope(Pick(random, patterns), actions));
        }

        return scopes;
    }

    private static T Pick<T>(Random random, IReadOnlyList<T> items) => items[random.Next(items.Count)];
}
