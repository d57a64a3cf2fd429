using Dockyard.Registry;
using Dockyard.Server.Access;
using Dockyard.Server.Access.Collections;
using Dockyard.Server.Accounts;
using Dockyard.Server.Audit;
using Dockyard.Server.Control;
using Dockyard.Server.Data;
using Dockyard.Server.Data.Entities;
using Dockyard.Server.Tests.Api;
using Microsoft.EntityFrameworkCore;

namespace Dockyard.Server.Tests.Access;

/// <summary>The one entry point (<see cref="AccessAuthorizer.MayAsync"/>) on the resource kinds besides repositories.</summary>
public sealed class AccessAuthorizerResourceTests : IAsyncLifetime
{
    private ApiTestServer _server = null!;
    private AccessAuthorizer _authorizer = null!;
    private Principal _owner = null!;
    private Principal _member = null!;
    private Principal _admin = null!;
    private long _org;

    public async Task InitializeAsync()
    {
        _server = await ApiTestServer.StartAsync();
        _authorizer = _server.Get<AccessAuthorizer>();
        _owner = User(await _server.CreateUserAsync("owner"), "owner");
        _member = User(await _server.CreateUserAsync("member"), "member");
        _admin = User(await _server.UserIdAsync("admin"), "admin");
        _org = await _server.CreateOrganizationAsync("acme", _owner.UserId!.Value, RepositoryRole.Read);
        await _server.AddMemberAsync(_org, "member");
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Policies_MembersView_OwnersManage_QuotaOnlyAdministrators()
    {
        var retention = Resource.OrganizationPolicy(PolicyKind.Retention, _org);
        var quota = Resource.OrganizationPolicy(PolicyKind.Quota, _org);

        Assert.True(await May(_member, Operation.PolicyView, retention));
        Assert.False(await May(_member, Operation.PolicyManage, retention));
        Assert.True(await May(_owner, Operation.PolicyManage, retention));
        Assert.False(await May(_owner with { Scopes = [new TokenScope("**", RepositoryActions.All)] }, Operation.PolicyManage, retention));
        Assert.True(await May(_owner, Operation.PolicyView, quota));
        Assert.False(await May(_owner, Operation.PolicyManage, quota));
        Assert.True(await May(_admin, Operation.PolicyManage, quota));

        await _server.CreateRepositoryAsync("acme/app");
        var repositoryRule = Resource.RepositoryPolicy(PolicyKind.Immutability, RepositoryName.Parse("acme/app"));
        Assert.True(await May(_member, Operation.PolicyView, repositoryRule));
        Assert.False(await May(_member, Operation.PolicyManage, repositoryRule));
        Assert.True(await May(_owner, Operation.PolicyManage, repositoryRule));
        Assert.False(await May(Principal.Anonymous, Operation.PolicyView, repositoryRule));
    }

    [Fact]
    public async Task WebhooksTeamsServiceAccountsAndAudit_FollowOrganizationManagement()
    {
        foreach (var resource in new[] { Resource.OrganizationWebhook(_org), Resource.ServiceAccountOf(_org) })
        {
            var view = resource.Kind == ResourceKind.Webhook ? Operation.WebhookView : Operation.ServiceAccountView;
            Assert.True(await May(_owner, view, resource));
            Assert.False(await May(_member, view, resource));
            Assert.True(await May(_admin, view, resource));
        }

        Assert.True(await May(_member, Operation.TeamView, Resource.TeamOf(_org)));
        Assert.False(await May(_member, Operation.TeamManage, Resource.TeamOf(_org)));
        Assert.True(await May(_owner, Operation.TeamManage, Resource.TeamOf(_org)));

        Assert.True(await May(_owner, Operation.AuditRead, Resource.AuditOf(_org)));
        Assert.False(await May(_owner, Operation.AuditRead, Resource.WholeAudit));
        Assert.False(await May(_member, Operation.AuditRead, Resource.AuditOf(_org)));
        Assert.True(await May(_admin, Operation.AuditRead, Resource.WholeAudit));
        Assert.False(await May(_owner, Operation.AuditVerify, Resource.WholeAudit));
        Assert.Equal(["acme"], (await _authorizer.GetAuditReadScopeAsync(_owner, CancellationToken.None)).Organizations);
        Assert.False((await _authorizer.GetAuditReadScopeAsync(_member, CancellationToken.None)).Allowed);

        await _server.CreateRepositoryAsync("acme/app");
        Assert.True(await May(_owner, Operation.WebhookManage, Resource.RepositoryWebhook(RepositoryName.Parse("acme/app"))));
        Assert.False(await May(_member, Operation.WebhookManage, Resource.RepositoryWebhook(RepositoryName.Parse("acme/app"))));
    }

    [Fact]
    public async Task AccessTokens_PersonalOnesAreTheOwners_ScopedTokensManageNone()
    {
        var own = Resource.PersonalToken(_member.UserId!.Value);
        var scoped = _member with { Scopes = [new TokenScope("acme/*", RepositoryActions.Pull)] };

        Assert.True(await May(_member, Operation.AccessTokenCreate, own));
        Assert.True(await May(_member, Operation.AccessTokenView, own));
        Assert.True(await May(_member, Operation.AccessTokenRevoke, own));
        Assert.False(await May(scoped, Operation.AccessTokenView, own));
        Assert.False(await May(scoped, Operation.AccessTokenRevoke, own));
        Assert.False(await May(scoped, Operation.AccessTokenCreate, own));
        Assert.False(await May(_owner, Operation.AccessTokenView, own));
        Assert.False(await May(_admin, Operation.AccessTokenRevoke, own));
        Assert.True(await May(_owner, Operation.AccessTokenCreate, Resource.ServiceAccountToken(_org)));
        Assert.False(await May(_member, Operation.AccessTokenCreate, Resource.ServiceAccountToken(_org)));
    }

    [Fact]
    public async Task Accounts_ManagedByTheirOwnerWithFullRightsOnly()
    {
        var own = Resource.AccountOf(_member.UserId!.Value);
        var scoped = _member with { Scopes = [new TokenScope("**", RepositoryActions.All)] };

        Assert.True(await May(_member, Operation.AccountView, own));
        Assert.True(await May(_member, Operation.AccountManage, own));
        Assert.False(await May(scoped, Operation.AccountView, own));
        Assert.False(await May(scoped, Operation.AccountManage, own));
        Assert.False(await May(_owner, Operation.AccountManage, own));
        Assert.False(await May(_admin, Operation.AccountView, own));
    }

    [Fact]
    public async Task OperationOfAnotherKind_IsDeniedWithReason()
    {
        var decision = await _authorizer.DecideAsync(_admin, Operation.RepositoryPull, Resource.ForOrganization(_org), CancellationToken.None);

        Assert.False(decision.Allowed);
        Assert.Contains("does not apply", decision.Reason, StringComparison.Ordinal);
        Assert.True((await _authorizer.DecideAsync(_admin, Operation.SystemAdminister, Resource.System, CancellationToken.None)).Allowed);
    }

    [Fact]
    public async Task ControlPlane_CollectionGrantsFromTheSource_ReachTeamMembersDownTheTree()
    {
        var team = await _server.Get<TeamService>().CreateAsync(Caller.System, "acme", "payments", null, CancellationToken.None);
        await _server.Get<TeamService>().AddMemberAsync(Caller.System, "acme", "payments", "member", CancellationToken.None);
        var grants = new FixedGrants(new CollectionGrant(new(CollectionSubjectKind.Team, team.Id), CollectionRole.RestrictedControl, CollectionPath.Parse("/orgs/acme/payments")));
        var authorizer = new AccessAuthorizer(_server.Get<IDbContextFactory<DockyardDbContext>>(), grants);
        var api = Resource.InCollection(ResourceKind.Service, CollectionPath.Parse("/orgs/acme/payments/api"));
        var shop = Resource.InCollection(ResourceKind.Service, CollectionPath.Parse("/orgs/acme/shop"));

        Assert.True(await authorizer.MayAsync(_member, Operation.ServiceUpdate, api, CancellationToken.None));
        Assert.False(await authorizer.MayAsync(_member, Operation.ServiceUpdate, shop, CancellationToken.None));
        Assert.False(await authorizer.MayAsync(_member, Operation.ContainerExec, Resource.InCollection(ResourceKind.Container, CollectionPath.Parse("/orgs/acme/payments")), CancellationToken.None));
        Assert.False(await authorizer.MayAsync(_owner, Operation.ServiceUpdate, api, CancellationToken.None));
        Assert.False(await authorizer.MayAsync(_member with { Scopes = [] }, Operation.ServiceView, api, CancellationToken.None));
        Assert.True(await authorizer.MayAsync(_admin, Operation.NodeManage, Resource.InCollection(ResourceKind.Node, CollectionPath.Root), CancellationToken.None));

        // The registered source (the collection_grants table) holds no grant yet: only administrators reach the control plane.
        Assert.False(await _authorizer.MayAsync(_member, Operation.ServiceView, api, CancellationToken.None));

        await using (var db = await _server.Get<IDbContextFactory<DockyardDbContext>>().CreateDbContextAsync())
        {
            await db.Users.Where(u => u.Id == _member.UserId).ExecuteUpdateAsync(u => u.SetProperty(x => x.IsActive, false));
        }

        Assert.False(await authorizer.MayAsync(_member, Operation.ServiceView, api, CancellationToken.None));
    }

    [Fact]
    public async Task ControlPlane_StoredGrantOnAncestor_ChangesTheRegisteredAuthorizersDecision()
    {
        var grants = _server.Get<CollectionGrantService>();
        var container = Resource.InCollection(ResourceKind.Container, CollectionPath.Parse("/orgs/acme/x"));
        var elsewhere = Resource.InCollection(ResourceKind.Container, CollectionPath.Parse("/orgs/other/x"));
        Assert.False(await May(_member, Operation.ContainerView, container));
        Assert.False(await May(_member, Operation.ContainerLogs, container));

        var grant = await grants.CreateAsync(Caller.System, new NewCollectionGrant("organization", "acme", "view-only", "/orgs/acme"), CancellationToken.None);

        Assert.True(await May(_member, Operation.ContainerView, container));
        Assert.True(await May(_member, Operation.ContainerLogs, container));
        Assert.True(await May(_owner, Operation.ContainerView, container));
        Assert.False(await May(_member, Operation.ContainerExec, container));
        Assert.False(await May(_member, Operation.ContainerOperate, container));
        Assert.False(await May(_member, Operation.ContainerView, elsewhere));
        Assert.False(await May(_member, Operation.ContainerView, Resource.InCollection(ResourceKind.Container, CollectionPath.Parse("/orgs"))));
        Assert.False(await May(_member with { Scopes = [new TokenScope("**", RepositoryActions.All)] }, Operation.ContainerView, container));
        var outsider = User(await _server.CreateUserAsync("outsider"), "outsider");
        Assert.False(await May(outsider, Operation.ContainerView, container));

        await grants.DeleteAsync(Caller.System, grant.Id, CancellationToken.None);

        Assert.False(await May(_member, Operation.ContainerView, container));
    }

    private static Principal User(long id, string name) =>
        new() { Kind = PrincipalKind.User, Name = name, UserId = id, AuthMethod = AuthMethods.Password };

    private Task<bool> May(Principal principal, Operation operation, Resource resource) =>
        _authorizer.MayAsync(principal, operation, resource, CancellationToken.None);

    private sealed class FixedGrants(params CollectionGrant[] grants) : ICollectionGrantSource
    {
        public Task<IReadOnlyList<CollectionGrant>> GetGrantsAsync(CollectionPath collection, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<CollectionGrant>>(grants);
    }
}
