using System.Globalization;
using Dockyard.Registry;
using Dockyard.Server.Accounts;
using Dockyard.Server.Access;
using Dockyard.Server.Data;
using Dockyard.Server.Data.Entities;
using Dockyard.Server.Tests.Hosting;
using Dockyard.Server.Ui.Data;
using Microsoft.EntityFrameworkCore;

namespace Dockyard.Server.Tests.Access;

/// <summary>
/// Property test of the authorizer on random worlds (<see cref="AuthorizationWorld"/>), on a real database: for every
/// principal × repository, the lists (<c>/v2/_catalog</c>'s <see cref="IAccessAuthorizer.ListPullableAsync"/>, the
/// UI's <see cref="RepositoryBrowser.ListAsync"/>, the API's <see cref="RepositoryService.ListAsync"/>,
/// <see cref="IAccessAuthorizer.FilterPullableAsync"/>) contain the repository exactly when the single decision grants
/// pull; for every principal × organization, the organization list (<see cref="OrganizationViewRule"/>) contains it
/// exactly when the single decision grants <see cref="Operation.OrganizationView"/>; the single decisions match an
/// independent model of docs/security.md (<see cref="ExpectedActions"/>, <see cref="ExpectedView"/>,
/// <see cref="ExpectedManage"/>); and the audit read scope agrees with the per-organization audit decision. A
/// principal's decisions are asked in one batch (<see cref="AccessAuthorizer.DecideAllAsync"/>, the same rules answer
/// for answer; one sample per principal goes through the single entry points too). The seed is printed on failure;
/// set DOCKYARD_AUTHZ_SEED to replay one.
/// </summary>
public abstract class AuthorizerListAgreementTests(TestDatabase database)
{
    // Each world checks every principal × repository and × organization: ~6,000 decisions in all, a few seconds.
    private const int Worlds = 10;

    [Fact]
    public async Task RandomWorlds_ListsAndSingleDecisionsAgree()
    {
        var baseSeed = Environment.GetEnvironmentVariable("DOCKYARD_AUTHZ_SEED") is { } fixedSeed
            ? int.Parse(fixedSeed, CultureInfo.InvariantCulture)
            : Random.Shared.Next();
        await using var server = await InProcessDockyard.StartAsync(database: database, settings: new Dictionary<string, string?> { ["Dockyard:Auth:Enabled"] = "true" });
        var authorizer = server.GetRequiredService<AccessAuthorizer>();
        var contexts = server.GetRequiredService<IDbContextFactory<DockyardDbContext>>();
        var repositories = server.GetRequiredService<RepositoryService>();
        var checks = 0;
        for (var w = 0; w < Worlds; w++)
        {
            var seed = unchecked(baseSeed + w);
            AuthorizationWorld world;
            await using (var db = await contexts.CreateDbContextAsync())
            {
                world = await AuthorizationWorld.CreateAsync(db, seed, Prefix(w));
            }

            try
            {
                checks += await CheckAsync(world, Prefix(w), authorizer, contexts, repositories);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                throw new InvalidOperationException($"World {w} disagrees; replay with DOCKYARD_AUTHZ_SEED={baseSeed} (world seed {seed}): {e.Message}", e);
            }
        }

        Assert.True(checks > Worlds * 20, $"only {checks} checks");
    }

    private static async Task<int> CheckAsync(AuthorizationWorld world, string prefix, AccessAuthorizer authorizer, IDbContextFactory<DockyardDbContext> contexts, RepositoryService repositories)
    {
        var checks = 0;
        var existing = world.Repositories.Select(r => r.Name).ToHashSet(StringComparer.Ordinal);
        var organizationNames = world.Organizations.Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
        List<string> candidates = [.. world.Repositories.Select(r => r.Name), .. world.Unpushed];
        Operation[] repositoryOperations = [Operation.RepositoryPull, Operation.RepositoryPush, Operation.RepositoryDelete];
        foreach (var principal in world.Principals)
        {
            var who = $"{principal.Kind} {principal.Name} (id {principal.UserId ?? principal.ServiceAccountId}, scopes {Describe(principal.Scopes)})";

            // Every single decision of this principal in one batch (its account read once, each repository row once).
            List<(Operation, Resource)> questions = [(Operation.AuditRead, Resource.WholeAudit)];
            questions.AddRange(candidates.SelectMany(name => repositoryOperations.Select(o => (o, Resource.ForRepository(RepositoryName.Parse(name))))));
            questions.AddRange(world.Organizations.SelectMany(o => new[]
            {
                (Operation.OrganizationView, Resource.ForOrganization(o.Id)),
                (Operation.OrganizationManage, Resource.ForOrganization(o.Id)),
                (Operation.AuditRead, Resource.AuditOf(o.Id)),
            }));
            var decisions = await authorizer.DecideAllAsync(principal, questions, CancellationToken.None);
            var answer = 1;

            var pullable = new HashSet<string>(StringComparer.Ordinal);
            var pulls = new HashSet<string>(StringComparer.Ordinal);
            foreach (var name in candidates)
            {
                var actions = RepositoryActions.None;
                foreach (var action in (RepositoryActions[])[RepositoryActions.Pull, RepositoryActions.Push, RepositoryActions.Delete])
                {
                    actions |= decisions[answer++].Allowed ? action : RepositoryActions.None;
                }

                Assert.True(ExpectedActions(world, principal, name) == actions, $"{who} on {name}: model says {ExpectedActions(world, principal, name)}, authorizer {actions}");
                if (actions.HasFlag(RepositoryActions.Pull))
                {
                    pulls.Add(name);
                    if (existing.Contains(name))
                    {
                        pullable.Add(name);
                    }
                }

                checks++;
            }

            // The batch is the single decision: one random repository through each single entry point.
            var sample = candidates[Math.Abs(HashCode.Combine(who, prefix)) % candidates.Count];
            var sampled = await authorizer.GetRepositoryActionsAsync(principal, RepositoryName.Parse(sample), CancellationToken.None);
            Assert.True(ExpectedActions(world, principal, sample) == sampled, $"{who} on {sample}: batch and GetRepositoryActions differ");
            Assert.Equal(pulls.Contains(sample), await authorizer.MayAsync(principal, Operation.RepositoryPull, Resource.ForRepository(RepositoryName.Parse(sample)), CancellationToken.None));

            Assert.True(pullable.SetEquals(await CatalogAsync(authorizer, principal, prefix)), $"{who}: catalog differs from single decisions (expected {string.Join(",", pullable.Order())})");
            await using (var db = await contexts.CreateDbContextAsync())
            {
                var visible = await new RepositoryBrowser(contexts).ListAsync(principal, query: prefix, ns: null, page: 1, pageSize: RepositoryBrowser.MaxPageSize, CancellationToken.None);
                Assert.True(pullable.SetEquals(visible.Items.Select(r => r.Name)) && visible.Total == pullable.Count, $"{who}: UI list differs from single decisions");
                var organizations = await (await OrganizationViewRule.QueryAsync(db, principal, CancellationToken.None)).Select(o => o.Name).ToListAsync();
                var viewable = world.Organizations.Where((_, i) => decisions[answer + (3 * i)].Allowed).Select(o => o.Name);
                Assert.True(viewable.ToHashSet().SetEquals(organizations.Where(organizationNames.Contains)), $"{who}: organization list differs from single decisions (expected {string.Join(",", viewable)})");
            }

            var page = await repositories.ListAsync(principal, ns: null, query: prefix, page: 1, pageSize: RepositoryService.MaxPageSize, CancellationToken.None);
            Assert.True(pullable.SetEquals(page.Items.Select(r => r.Name)) && page.Total == pullable.Count, $"{who}: API repository list differs from single decisions");

            var filtered = await authorizer.FilterPullableAsync(principal, candidates, CancellationToken.None);
            Assert.True(candidates.Where(pulls.Contains).SequenceEqual(filtered), $"{who}: FilterPullable differs from single decisions");

            var audit = await authorizer.GetAuditReadScopeAsync(principal, CancellationToken.None);
            Assert.Equal(audit.Everything, decisions[0].Allowed);
            foreach (var organization in world.Organizations)
            {
                var (view, manage, auditRead) = (decisions[answer++].Allowed, decisions[answer++].Allowed, decisions[answer++].Allowed);
                var listed = audit.Everything || audit.Organizations.Contains(organization.Name);
                Assert.True(listed == auditRead, $"{who}: audit scope and decision differ on {organization.Name}");
                Assert.True(ExpectedView(world, principal, organization.Id) == view, $"{who}: model and decision differ on viewing {organization.Name}");
                Assert.True(ExpectedManage(world, principal, organization.Id) == manage, $"{who}: model and decision differ on managing {organization.Name}");
                checks++;
            }
        }

        return checks;
    }

    /// <summary>All of this world's catalog, paged in small pages as /v2/_catalog reads it (from the world's prefix on).</summary>
    private static async Task<HashSet<string>> CatalogAsync(AccessAuthorizer authorizer, Principal principal, string prefix)
    {
        var listed = new HashSet<string>(StringComparer.Ordinal);
        var after = prefix;
        while (true)
        {
            var batch = await authorizer.ListPullableAsync(principal, after, 3, CancellationToken.None);
            Assert.All(batch.Pullable, n => Assert.True(listed.Add(n), $"{n} listed twice"));
            if (batch.Scanned < 3 || batch.Last is null || !batch.Last.StartsWith(prefix, StringComparison.Ordinal))
            {
                return [.. listed.Where(n => n.StartsWith(prefix, StringComparison.Ordinal))];
            }

            after = batch.Last;
        }
    }

    /// <summary>docs/security.md's repository rules, written independently of the authorizer, over the world's rows.</summary>
    private static RepositoryActions ExpectedActions(AuthorizationWorld world, Principal principal, string name)
    {
        var ns = RepositoryName.Parse(name).Namespace;
        var repository = world.Repositories.FirstOrDefault(r => r.Name == name);
        var role = RepositoryRole.None;
        switch (principal.Kind)
        {
            case PrincipalKind.User:
                var user = world.Users.FirstOrDefault(u => u.Id == principal.UserId);
                if (user is not { IsActive: true })
                {
                    return RepositoryActions.None;
                }

                var organization = world.Organizations.FirstOrDefault(o => o.Name == ns);
                var membership = organization is null ? null : world.Members.FirstOrDefault(m => m.OrganizationId == organization.Id && m.UserId == user.Id);
                var teams = world.TeamMembers.Where(m => m.UserId == user.Id).Select(m => m.TeamId).ToHashSet();
                role = user.IsAdmin || ns == user.Username || membership is { IsOwner: true } ? RepositoryRole.Admin
                    : membership is not null ? organization!.DefaultMemberRole
                    : RepositoryRole.None;
                if (repository is not null)
                {
                    foreach (var grant in world.Grants.Where(g => g.Repository == name))
                    {
                        if ((grant.SubjectKind == PermissionSubject.User && grant.SubjectId == user.Id)
                            || (grant.SubjectKind == PermissionSubject.Team && teams.Contains(grant.SubjectId)))
                        {
                            role = (RepositoryRole)Math.Max((int)role, (int)grant.Role);
                        }
                    }
                }

                break;
            case PrincipalKind.ServiceAccount:
                var account = world.ServiceAccounts.First(a => a.Id == principal.ServiceAccountId);
                if (!account.IsActive)
                {
                    return RepositoryActions.None;
                }

                role = world.Organizations.First(o => o.Id == account.OrganizationId).Name == ns ? RepositoryRole.Admin : RepositoryRole.None;
                break;
        }

        var actions = role switch
        {
            RepositoryRole.Admin => RepositoryActions.All,
            RepositoryRole.Write => RepositoryActions.Pull | RepositoryActions.Push,
            RepositoryRole.Read => RepositoryActions.Pull,
            _ => RepositoryActions.None,
        };
        if (repository is { Visibility: RepositoryVisibility.Public })
        {
            actions |= RepositoryActions.Pull;
        }

        if (principal.Scopes is { } scopes)
        {
            actions &= scopes.Where(s => RepositoryPattern.Matches(s.RepositoryPattern, name)).Aggregate(RepositoryActions.None, (all, s) => all | s.Actions);
        }

        return actions;
    }

    private static bool ExpectedView(AuthorizationWorld world, Principal principal, long organizationId) =>
        principal.Kind == PrincipalKind.User
        && world.Users.FirstOrDefault(u => u.Id == principal.UserId) is { IsActive: true } user
        && (user.IsAdmin || world.Members.Any(m => m.OrganizationId == organizationId && m.UserId == user.Id));

    private static string Prefix(int world) => $"w{world}x";

    private static bool ExpectedManage(AuthorizationWorld world, Principal principal, long organizationId) =>
        principal is { Kind: PrincipalKind.User, Scopes: null }
        && world.Users.FirstOrDefault(u => u.Id == principal.UserId) is { IsActive: true } user
        && (user.IsAdmin || world.Members.Any(m => m.OrganizationId == organizationId && m.UserId == user.Id && m.IsOwner));

    private static string Describe(IReadOnlyList<TokenScope>? scopes) =>
        scopes is null ? "none" : "[" + string.Join(" ", scopes.Select(s => $"{s.RepositoryPattern}:{s.Actions}")) + "]";
}
