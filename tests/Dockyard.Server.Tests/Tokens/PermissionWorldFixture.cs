using System.Net.Http.Headers;
using Dockyard.Server.Access;
using Dockyard.Server.Data.Entities;
using Dockyard.Server.Tests.Hosting;

namespace Dockyard.Server.Tests.Tokens;

/// <summary>
/// One server with every role of the permission matrix: organization <c>acme</c> (default role none) with the
/// private <c>acme/app</c> and the public <c>acme/public</c>, organization <c>readers</c> (default role read)
/// with <c>readers/app</c>, teams with read / write / admin grants, an owner, a system administrator, the
/// service account <c>acme/ci</c> with tokens in and out of scope, and credentials that must fail.
/// </summary>
public sealed class PermissionWorldFixture : IAsyncLifetime
{
    private AuthTestServer? _server;

    internal AuthTestServer Server => _server ?? throw new InvalidOperationException("Not initialized.");

    /// <summary>Role → (username, password); null username means anonymous.</summary>
    public Dictionary<string, (string? User, string? Password)> Credentials { get; } = new(StringComparer.Ordinal);

    public async Task InitializeAsync()
    {
        _server = await AuthTestServer.StartAsync();
        var seed = _server.Seed;
        var now = _server.Time.GetUtcNow();

        var acme = await seed.OrganizationAsync("acme");
        var readers = await seed.OrganizationAsync("readers", RepositoryRole.Read);
        await seed.UserAsync("root", "pw-root", admin: true);
        await UserAsync("nonmember");
        await seed.MemberAsync(acme, await UserAsync("member_none"));
        await seed.MemberAsync(readers, await UserAsync("member_read"));
        await seed.MemberAsync(acme, await UserAsync("owner"), owner: true);
        foreach (var (role, grant) in new[] { ("team_read", RepositoryRole.Read), ("team_write", RepositoryRole.Write), ("team_admin", RepositoryRole.Admin) })
        {
            var user = await UserAsync(role);
            await seed.MemberAsync(acme, user);
            var team = await seed.TeamAsync(acme, role.Replace('_', '-'), user);
            await seed.GrantAsync("acme/app", PermissionSubject.Team, team, grant);
        }

        var writer = (await seed.Tokens.CreateForUserAsync(await IdOfTeamWriteAsync(), "expired", null, now.AddMinutes(-1), CancellationToken.None)).Secret;
        Credentials["expired_token"] = ("team_write", writer);
        var (revokedToken, revokedSecret) = await seed.Tokens.CreateForUserAsync(await IdOfTeamWriteAsync(), "revoked", null, null, CancellationToken.None);
        await seed.Tokens.RevokeAsync(revokedToken.Id, CancellationToken.None);
        Credentials["revoked_token"] = ("team_write", revokedSecret);

        var deactivated = await UserAsync("deactivated");
        await seed.MemberAsync(acme, deactivated, owner: true);
        await seed.SetActiveAsync(deactivated, false);

        var ci = await seed.ServiceAccountAsync(acme, "ci");
        Credentials["sa_in_scope"] = ("ci", (await seed.Tokens.CreateForServiceAccountAsync(ci, "push", [new TokenScope("acme/app", RepositoryActions.Pull | RepositoryActions.Push)], null, CancellationToken.None)).Secret);
        Credentials["sa_out_of_scope"] = ("ci", (await seed.Tokens.CreateForServiceAccountAsync(ci, "other", [new TokenScope("acme/other", RepositoryActions.All)], null, CancellationToken.None)).Secret);
        Credentials["system_admin"] = ("root", "pw-root");
        Credentials["anonymous"] = (null, null);

        // Content, pushed by the administrator.
        using var http = _server.CreateClient();
        var admin = new DockerStyleClient(http, "root", "pw-root");
        foreach (var repository in new[] { "acme/app", "acme/public", "readers/app" })
        {
            var token = await admin.FetchTokenAsync($"/auth/token?service=dockyard&scope=repository:{repository}:pull,push");
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            await new RegistryTestClient(http).PushImageAsync(repository, "v1");
        }

        await seed.VisibilityAsync("acme/public", RepositoryVisibility.Public);

        async Task<long> UserAsync(string name)
        {
            var password = "pw-" + name;
            Credentials[name] = (name, password);
            return await seed.UserAsync(name, password);
        }
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    private async Task<long> IdOfTeamWriteAsync()
    {
        await using var db = await Server.Get<Microsoft.EntityFrameworkCore.IDbContextFactory<Data.DockyardDbContext>>().CreateDbContextAsync();
        return db.Users.Single(u => u.Username == "team_write").Id;
    }
}
