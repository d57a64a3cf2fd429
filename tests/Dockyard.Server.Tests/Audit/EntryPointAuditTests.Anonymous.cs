using System.Net;
using Dockyard.Server.Accounts;
using Dockyard.Server.Data;
using Dockyard.Server.Tests.Tokens;
using Microsoft.EntityFrameworkCore;
using Caller = Dockyard.Server.Audit.Caller;

namespace Dockyard.Server.Tests.Audit;

/// <summary>
/// Anonymous changes through every <c>/api/v1</c> group (users, me, tokens, sessions, organizations and their members,
/// teams, service accounts, immutability rules, quota, keys, repositories): each is refused with 401 by its service,
/// and the refusal is on the record as <c>denied</c> for <c>anonymous</c> — not turned away at the group's edge unseen.
/// </summary>
public sealed partial class EntryPointAuditTests
{
    [Fact]
    public async Task AnonymousChanges_EveryApiGroup_RecordDenied()
    {
        await _server.GetRequiredService<AdminBootstrapper>().Begin();
        var seed = new IdentitySeed(_server.GetRequiredService<IDbContextFactory<DockyardDbContext>>());
        var bobId = (await _server.GetRequiredService<UserService>().CreateLocalAsync(Caller.System, new NewUser("bob", BobPassword), CancellationToken.None)).Id;
        var acme = await seed.OrganizationAsync("acme");
        await seed.MemberAsync(acme, bobId);
        await seed.TeamAsync(acme, "devs", bobId);
        await seed.ServiceAccountAsync(acme, "ci");
        await RepositoryAsync("acme/app");
        var anonymous = Track(_server.CreateClient());

        Row Refused(string operation, HttpMethod method, string path, object? body, string action, string resource, string? organization = null) =>
            new(operation, Via.Api, "anonymous", () => ApiAsync(anonymous, method, path, body, HttpStatusCode.Unauthorized),
                new(action, "denied", "anonymous", resource, null, organization));

        var rows = new Row[]
        {
            // users
            Refused("user.create", HttpMethod.Post, "users", new { username = "mallory", password = "mallory-password" }, "user.create", "users/mallory"),
            Refused("user.update", HttpMethod.Patch, "users/bob", new { isAdmin = true }, "user.update", "users/bob"),
            Refused("user.delete", HttpMethod.Delete, "users/bob", null, "user.delete", "users/bob"),
            Refused("user.password.reset", HttpMethod.Post, "users/bob/password", new { password = "a-new-password-1" }, "user.password.reset", "users/bob"),
            Refused("user.unlock", HttpMethod.Post, "users/bob/unlock", null, "user.unlock", "users/bob"),
            Refused("user.sessions.end", HttpMethod.Delete, "users/bob/sessions", null, "user.sessions.end", "users/bob/sessions"),

            // me: password, personal tokens, sessions
            Refused("user.password.change", HttpMethod.Post, "me/password", new { currentPassword = BobPassword, newPassword = "whatever-password-1" }, "user.password.change", "me/password"),
            Refused("accesstoken.create", HttpMethod.Post, "me/tokens", new { name = "laptop" }, "accesstoken.create", "me/tokens"),
            Refused("accesstoken.revoke", HttpMethod.Delete, "me/tokens/1", null, "accesstoken.revoke", "me/tokens/1"),
            Refused("session.end", HttpMethod.Delete, "me/sessions/1", null, "session.end", "me/sessions/1"),

            // organizations and their members
            Refused("org.create", HttpMethod.Post, "orgs", new { name = "evil" }, "org.create", "orgs/evil", "evil"),
            Refused("org.update", HttpMethod.Patch, "orgs/acme", new { description = "taken" }, "org.update", "orgs/acme", "acme"),
            Refused("org.delete", HttpMethod.Delete, "orgs/acme", null, "org.delete", "orgs/acme", "acme"),
            Refused("org.member.add", HttpMethod.Post, "orgs/acme/members", new { username = "admin" }, "org.member.add", "orgs/acme/members/admin", "acme"),
            Refused("org.member.remove", HttpMethod.Delete, "orgs/acme/members/bob", null, "org.member.remove", "orgs/acme/members/bob", "acme"),

            // teams
            Refused("team.create", HttpMethod.Post, "orgs/acme/teams", new { name = "ops" }, "team.create", "orgs/acme/teams/ops", "acme"),
            Refused("team.delete", HttpMethod.Delete, "orgs/acme/teams/devs", null, "team.delete", "orgs/acme/teams/devs", "acme"),
            Refused("team.member.remove", HttpMethod.Delete, "orgs/acme/teams/devs/members/bob", null, "team.member.remove", "orgs/acme/teams/devs/members/bob", "acme"),

            // service accounts and their tokens
            Refused("serviceaccount.create", HttpMethod.Post, "orgs/acme/service-accounts", new { name = "ci2" }, "serviceaccount.create", "orgs/acme/service-accounts/ci2", "acme"),
            Refused("serviceaccount.delete", HttpMethod.Delete, "orgs/acme/service-accounts/ci", null, "serviceaccount.delete", "orgs/acme/service-accounts/ci", "acme"),
            Refused("accesstoken.revoke", HttpMethod.Delete, "orgs/acme/service-accounts/ci/tokens/1", null, "accesstoken.revoke", "orgs/acme/service-accounts/ci/tokens/1", "acme"),

            // immutability rules
            Refused("policy.immutability.create", HttpMethod.Post, "orgs/acme/immutability-rules", new { tagPattern = "v*" }, "policy.immutability.create", "orgs/acme/immutability-rules", "acme"),
            Refused("policy.immutability.delete", HttpMethod.Delete, "orgs/acme/immutability-rules/1", null, "policy.immutability.delete", "orgs/acme/immutability-rules/1", "acme"),
            Refused("policy.immutability.create", HttpMethod.Post, "repositories/acme/app/immutability-rules", new { tagPattern = "v*" }, "policy.immutability.create", "repositories/acme/app/immutability-rules", "acme"),

            // quota
            Refused("policy.quota.update", HttpMethod.Put, "orgs/acme/quota", new { limitBytes = 1 }, "policy.quota.update", "orgs/acme/quota", "acme"),
            Refused("policy.quota.update", HttpMethod.Delete, "orgs/acme/quota", null, "policy.quota.update", "orgs/acme/quota", "acme"),

            // keys
            Refused("keys.rotate", HttpMethod.Post, "keys/rotate", null, "keys.rotate", "keys"),

            // repositories
            Refused("repository.visibility.change", HttpMethod.Patch, "repositories/acme/app", new { visibility = "public" }, "repository.visibility.change", "repositories/acme/app", "acme"),
            Refused("repository.permission.grant", HttpMethod.Put, "repositories/acme/app/permissions/users/bob", new { role = "admin" }, "repository.permission.grant", "repositories/acme/app/permissions/users/bob", "acme"),
            Refused("repository.permission.revoke", HttpMethod.Delete, "repositories/acme/app/permissions/teams/devs", null, "repository.permission.revoke", "repositories/acme/app/permissions/teams/devs", "acme"),
        };

        await AssertRowsAsync(rows, resource => resource);
    }
}
