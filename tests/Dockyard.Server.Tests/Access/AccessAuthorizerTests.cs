using Dockyard.Registry;
using Dockyard.Server.Access;
using Dockyard.Server.Accounts;
using Dockyard.Server.Audit;
using Dockyard.Server.Data.Entities;
using Dockyard.Server.Tests.Api;

namespace Dockyard.Server.Tests.Access;

public sealed class AccessAuthorizerTests : IAsyncLifetime
{
    private ApiTestServer _server = null!;
    private AccessAuthorizer _authorizer = null!;

    public async Task InitializeAsync()
    {
        _server = await ApiTestServer.StartAsync();
        _authorizer = _server.Get<AccessAuthorizer>();
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task UserNamespace_NotYetPushed_OwnerMayCreateOthersMayNot()
    {
        var alice = User(await _server.CreateUserAsync("alice"), "alice");
        var bob = User(await _server.CreateUserAsync("bob"), "bob");

        Assert.Equal(RepositoryActions.All, await Actions(alice, "alice/app"));
        Assert.Equal(RepositoryActions.None, await Actions(bob, "alice/app"));
        Assert.Equal(RepositoryActions.None, await Actions(Principal.Anonymous, "alice/app"));
    }

    [Fact]
    public async Task Organization_DefaultRoleAppliesToMembersOwnersAdminister()
    {
        var owner = User(await _server.CreateUserAsync("owner"), "owner");
        var member = User(await _server.CreateUserAsync("member"), "member");
        var org = await _server.CreateOrganizationAsync("acme", owner.UserId!.Value, RepositoryRole.Write);
        await _server.AddMemberAsync(org, "member");

        Assert.Equal(RepositoryActions.All, await Actions(owner, "acme/new"));
        Assert.Equal(RepositoryActions.Pull | RepositoryActions.Push, await Actions(member, "acme/new"));
        Assert.True(await _authorizer.CanManageOrganizationAsync(owner, org, CancellationToken.None));
        Assert.False(await _authorizer.CanManageOrganizationAsync(member, org, CancellationToken.None));
        Assert.True(await _authorizer.IsOrganizationMemberAsync(member, org, CancellationToken.None));
        Assert.True(await _authorizer.CanViewOrganizationAsync(member, org, CancellationToken.None));
    }

    [Fact]
    public async Task Grants_UserAndTeam_HighestRoleWins_AndOnlyAdminAdministers()
    {
        var owner = User(await _server.CreateUserAsync("owner"), "owner");
        var dev = User(await _server.CreateUserAsync("dev"), "dev");
        var org = await _server.CreateOrganizationAsync("acme", owner.UserId!.Value);
        await _server.AddMemberAsync(org, "dev");
        await _server.CreateRepositoryAsync("acme/app");
        var teams = _server.Get<TeamService>();
        await teams.CreateAsync(Caller.System, "acme", "devs", null, CancellationToken.None);
        await teams.AddMemberAsync(Caller.System, "acme", "devs", "dev", CancellationToken.None);
        var repository = RepositoryName.Parse("acme/app");
        var grants = _server.Get<RepositoryService>();

        Assert.Equal(RepositoryActions.None, await Actions(dev, "acme/app"));
        await grants.GrantAsync(Dockyard.Server.Audit.Caller.System, repository.Value, PermissionSubject.User, "dev", "read", CancellationToken.None);
        Assert.Equal(RepositoryActions.Pull, await Actions(dev, "acme/app"));
        await grants.GrantAsync(Dockyard.Server.Audit.Caller.System, repository.Value, PermissionSubject.Team, "devs", "write", CancellationToken.None);
        Assert.Equal(RepositoryActions.Pull | RepositoryActions.Push, await Actions(dev, "acme/app"));
        Assert.False(await _authorizer.CanAdministerRepositoryAsync(dev, repository, CancellationToken.None));
        await grants.GrantAsync(Dockyard.Server.Audit.Caller.System, repository.Value, PermissionSubject.Team, "devs", "admin", CancellationToken.None);
        Assert.True(await _authorizer.CanAdministerRepositoryAsync(dev, repository, CancellationToken.None));
        Assert.False(await _authorizer.CanAdministerRepositoryAsync(dev with { Scopes = [new TokenScope("**", RepositoryActions.All)] }, repository, CancellationToken.None));
    }

    [Fact]
    public async Task PublicRepository_AnyonePulls_NobodyElsePushes()
    {
        var stranger = User(await _server.CreateUserAsync("stranger"), "stranger");
        await _server.CreateRepositoryAsync("library/public", RepositoryVisibility.Public);

        Assert.Equal(RepositoryActions.Pull, await Actions(Principal.Anonymous, "library/public"));
        Assert.Equal(RepositoryActions.Pull, await Actions(stranger, "library/public"));
    }

    [Fact]
    public async Task DeactivatedUser_GetsNothing_EvenOnPublicRepositories()
    {
        var user = User(await _server.CreateUserAsync("leaver"), "leaver");
        await _server.CreateRepositoryAsync("library/public", RepositoryVisibility.Public);
        await _server.Get<UserService>().UpdateAsync(Dockyard.Server.Audit.Caller.System, "leaver", null, null, null, isActive: false, CancellationToken.None);

        Assert.Equal(RepositoryActions.None, await Actions(user, "leaver/app"));
        Assert.Equal(RepositoryActions.None, await Actions(user, "library/public"));
        Assert.Empty(await _authorizer.FilterPullableAsync(user, ["library/public"], CancellationToken.None));
    }

    [Fact]
    public async Task AdminFlag_IsReadFromDatabase_NotTrustedFromPrincipal()
    {
        var claimsAdmin = User(await _server.CreateUserAsync("pretender"), "pretender") with { IsAdmin = true };
        var admin = User(await _server.UserIdAsync("admin"), "admin");
        await _server.CreateRepositoryAsync("secret/app");

        Assert.Equal(RepositoryActions.None, await Actions(claimsAdmin, "secret/app"));
        Assert.False(await _authorizer.IsSystemAdministratorAsync(claimsAdmin, CancellationToken.None));
        Assert.Equal(RepositoryActions.All, await Actions(admin, "secret/app"));
        Assert.True(await _authorizer.IsSystemAdministratorAsync(admin, CancellationToken.None));
        Assert.False(await _authorizer.IsSystemAdministratorAsync(admin with { Scopes = [] }, CancellationToken.None));
    }

    [Fact]
    public async Task ServiceAccount_OnlyInsideOrganizationAndScopes_NeverAdministers()
    {
        var owner = await _server.CreateUserAsync("owner");
        var org = await _server.CreateOrganizationAsync("prod", owner);
        await _server.CreateOrganizationAsync("other", owner);
        var account = await _server.Get<ServiceAccountService>().CreateAsync(Caller.System, "prod", "ci", null, CancellationToken.None);
        var ci = new Principal
        {
            Kind = PrincipalKind.ServiceAccount, Name = "prod/ci", ServiceAccountId = account.Id, OrganizationId = org, AuthMethod = AuthMethods.AccessToken,
            Scopes = [new TokenScope("prod/*", RepositoryActions.Pull | RepositoryActions.Push)],
        };

        Assert.Equal(RepositoryActions.Pull | RepositoryActions.Push, await Actions(ci, "prod/app"));
        Assert.Equal(RepositoryActions.None, await Actions(ci, "prod/deep/app"));
        Assert.Equal(RepositoryActions.None, await Actions(ci with { Scopes = [new TokenScope("**", RepositoryActions.All)] }, "other/app"));
        Assert.False(await _authorizer.CanManageOrganizationAsync(ci, org, CancellationToken.None));
        Assert.False(await _authorizer.CanViewOrganizationAsync(ci, org, CancellationToken.None));
        await _server.CreateRepositoryAsync("prod/app");
        Assert.False(await _authorizer.CanAdministerRepositoryAsync(ci, RepositoryName.Parse("prod/app"), CancellationToken.None));

        await _server.Get<ServiceAccountService>().UpdateAsync(Caller.System, "prod", "ci", isActive: false, null, CancellationToken.None);
        Assert.Equal(RepositoryActions.None, await Actions(ci, "prod/app"));
    }

    [Fact]
    public async Task TokenScopes_NarrowNeverWiden()
    {
        var alice = User(await _server.CreateUserAsync("alice"), "alice") with { Scopes = [new TokenScope("alice/app", RepositoryActions.Pull), new TokenScope("bob/*", RepositoryActions.All)] };
        await _server.CreateUserAsync("bob");

        Assert.Equal(RepositoryActions.Pull, await Actions(alice, "alice/app"));
        Assert.Equal(RepositoryActions.None, await Actions(alice, "alice/other"));
        Assert.Equal(RepositoryActions.None, await Actions(alice, "bob/app"));
    }

    private static Principal User(long id, string name) =>
        new() { Kind = PrincipalKind.User, Name = name, UserId = id, AuthMethod = AuthMethods.Password };

    private Task<RepositoryActions> Actions(Principal principal, string repository) =>
        _authorizer.GetRepositoryActionsAsync(principal, RepositoryName.Parse(repository), CancellationToken.None);
}
