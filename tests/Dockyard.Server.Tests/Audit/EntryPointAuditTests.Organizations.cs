using System.Globalization;
using System.Net;
using Dockyard.Server.Accounts;
using Dockyard.Server.Tests.Ui;
using Caller = Dockyard.Server.Audit.Caller;

namespace Dockyard.Server.Tests.Audit;

/// <summary>
/// The organizations vertical of <see cref="EntryPointAuditTests"/>: organizations, members, teams, team members,
/// service accounts and their tokens, through the API and the UI, with a refused attempt per service. Resources are
/// the API paths the endpoint filter recorded before these moved into the services (<c>orgs/acme/teams/devs</c>).
/// </summary>
public sealed partial class EntryPointAuditTests
{
    [Fact]
    public async Task OrganizationsVertical_EveryEntryPoint_RecordsSuccessAndRefusal()
    {
        var users = _server.GetRequiredService<UserService>();
        await _server.GetRequiredService<AdminBootstrapper>().Begin();
        var bobId = (await users.CreateLocalAsync(Caller.System, new NewUser("bob", BobPassword), CancellationToken.None)).Id;
        foreach (var name in new[] { "carol", "dave", "erin" })
        {
            await users.CreateLocalAsync(Caller.System, new NewUser(name, name + "-password-1"), CancellationToken.None);
        }

        var adminApi = Track(Basic("admin", AdminPassword));
        var (_, bobSecret) = await _server.GetRequiredService<Dockyard.Server.Identity.AccessTokenService>().CreateForUserAsync(bobId, "full", null, null, CancellationToken.None);
        var bobApi = Track(Bearer(bobSecret));
        var daveApi = Track(Basic("dave", "dave-password-1"));
        var adminUi = Track(await UiHttpSession.SignInAsync(_server.BaseAddress, "admin", AdminPassword));
        var tokens = _server.GetRequiredService<AccessTokenManager>();
        long apiToken = 0, uiToken = 0;
        const string Sa = "orgs/acme/service-accounts/ci";

        static Expected Acme(string action, string outcome, string actor, string resource) => new(action, outcome, actor, resource) { Organization = "acme" };

        var rows = new Row[]
        {
            // org.create (user organizations are off: system administrators only)
            new("org.create", Via.Api, "admin", () => ApiAsync(adminApi, HttpMethod.Post, "orgs", new { name = "acme", description = "d" }, HttpStatusCode.Created),
                Acme("org.create", "success", "admin", "orgs/acme")),
            new("org.create", Via.Api, "non-admin", () => ApiAsync(bobApi, HttpMethod.Post, "orgs", new { name = "bobs" }, HttpStatusCode.Forbidden),
                new("org.create", "denied", "bob", "orgs/bobs") { Organization = "bobs" }),
            new("org.create", Via.Ui, "admin", () => UiAsync(adminUi, "/orgs", "create-org", HttpStatusCode.Found, ("Form.Name", "uiorg"), ("Form.Role", "read")),
                new("org.create", "success", "admin", "orgs/uiorg") { Organization = "uiorg" }),

            // org.member.add / org.member.update
            new("org.member.add", Via.Api, "admin", () => ApiAsync(adminApi, HttpMethod.Post, "orgs/acme/members", new { username = "bob" }, HttpStatusCode.Created),
                Acme("org.member.add", "success", "admin", "orgs/acme/members/bob")),
            new("org.member.add", Via.Api, "admin (erin, removed in the UI below)", () => ApiAsync(adminApi, HttpMethod.Post, "orgs/acme/members", new { username = "erin" }, HttpStatusCode.Created),
                Acme("org.member.add", "success", "admin", "orgs/acme/members/erin")),
            new("org.member.add", Via.Api, "member, not owner", () => ApiAsync(bobApi, HttpMethod.Post, "orgs/acme/members", new { username = "dave" }, HttpStatusCode.Forbidden),
                Acme("org.member.add", "denied", "bob", "orgs/acme/members/dave")),
            new("org.member.add", Via.Ui, "admin", () => UiAsync(adminUi, "/orgs/acme", "add-member", HttpStatusCode.Found, ("Form.Username", "carol")),
                Acme("org.member.add", "success", "admin", "orgs/acme/members/carol")),
            new("org.member.add", Via.Api, "admin, unknown user", () => ApiAsync(adminApi, HttpMethod.Post, "orgs/acme/members", new { username = "nobody" }, HttpStatusCode.NotFound),
                Acme("org.member.add", "failed", "admin", "orgs/acme/members/nobody")),
            new("org.member.update", Via.Api, "admin", () => ApiAsync(adminApi, HttpMethod.Patch, "orgs/acme/members/carol", new { isOwner = true }, HttpStatusCode.OK),
                Acme("org.member.update", "success", "admin", "orgs/acme/members/carol")),
            new("org.member.update", Via.Api, "member promotes self", () => ApiAsync(bobApi, HttpMethod.Patch, "orgs/acme/members/bob", new { isOwner = true }, HttpStatusCode.Forbidden),
                Acme("org.member.update", "denied", "bob", "orgs/acme/members/bob")),
            new("org.member.update", Via.Ui, "admin", () => UiAsync(adminUi, "/orgs/acme", "owner-carol", HttpStatusCode.Found, ("Form.Username", "carol"), ("Form.IsOwner", "False")),
                Acme("org.member.update", "success", "admin", "orgs/acme/members/carol")),

            // org.update
            new("org.update", Via.Api, "admin", () => ApiAsync(adminApi, HttpMethod.Patch, "orgs/acme", new { description = "new" }, HttpStatusCode.OK),
                Acme("org.update", "success", "admin", "orgs/acme")),
            new("org.update", Via.Api, "member, not owner", () => ApiAsync(bobApi, HttpMethod.Patch, "orgs/acme", new { description = "mine" }, HttpStatusCode.Forbidden),
                Acme("org.update", "denied", "bob", "orgs/acme")),
            new("org.update", Via.Api, "outsider (answered 404)", () => ApiAsync(daveApi, HttpMethod.Patch, "orgs/acme", new { description = "mine" }, HttpStatusCode.NotFound),
                Acme("org.update", "denied", "dave", "orgs/acme")),
            new("org.update", Via.Ui, "admin", () => UiAsync(adminUi, "/orgs/acme", "update-org", HttpStatusCode.Found, ("Form.Description", "from ui"), ("Form.Role", "read")),
                Acme("org.update", "success", "admin", "orgs/acme")),

            // team.create / team.update / team.member.add / team.member.remove
            new("team.create", Via.Api, "admin", () => ApiAsync(adminApi, HttpMethod.Post, "orgs/acme/teams", new { name = "devs" }, HttpStatusCode.Created),
                Acme("team.create", "success", "admin", "orgs/acme/teams/devs")),
            new("team.create", Via.Api, "member, not owner", () => ApiAsync(bobApi, HttpMethod.Post, "orgs/acme/teams", new { name = "bobs" }, HttpStatusCode.Forbidden),
                Acme("team.create", "denied", "bob", "orgs/acme/teams/bobs")),
            new("team.create", Via.Ui, "admin", () => UiAsync(adminUi, "/orgs/acme", "create-team", HttpStatusCode.Found, ("Form.Name", "ui-team")),
                Acme("team.create", "success", "admin", "orgs/acme/teams/ui-team")),
            new("team.update", Via.Api, "admin", () => ApiAsync(adminApi, HttpMethod.Patch, "orgs/acme/teams/devs", new { description = "d" }, HttpStatusCode.OK),
                Acme("team.update", "success", "admin", "orgs/acme/teams/devs")),
            new("team.update", Via.Api, "member, not owner", () => ApiAsync(bobApi, HttpMethod.Patch, "orgs/acme/teams/devs", new { description = "x" }, HttpStatusCode.Forbidden),
                Acme("team.update", "denied", "bob", "orgs/acme/teams/devs")),
            new("team.update", Via.Ui, "admin", () => UiAsync(adminUi, "/orgs/acme/teams/devs", "update-team", HttpStatusCode.Found, ("Form.Name", "devs"), ("Form.Description", "from ui")),
                Acme("team.update", "success", "admin", "orgs/acme/teams/devs")),
            new("team.member.add", Via.Api, "admin", () => ApiAsync(adminApi, HttpMethod.Put, "orgs/acme/teams/devs/members/bob", null, HttpStatusCode.NoContent),
                Acme("team.member.add", "success", "admin", "orgs/acme/teams/devs/members/bob")),
            new("team.member.add", Via.Api, "member, not owner", () => ApiAsync(bobApi, HttpMethod.Put, "orgs/acme/teams/devs/members/carol", null, HttpStatusCode.Forbidden),
                Acme("team.member.add", "denied", "bob", "orgs/acme/teams/devs/members/carol")),
            new("team.member.add", Via.Ui, "admin", () => UiAsync(adminUi, "/orgs/acme/teams/devs", "add-team-member", HttpStatusCode.Found, ("Form.Username", "carol")),
                Acme("team.member.add", "success", "admin", "orgs/acme/teams/devs/members/carol")),
            new("team.member.remove", Via.Api, "member, not owner", () => ApiAsync(bobApi, HttpMethod.Delete, "orgs/acme/teams/devs/members/carol", null, HttpStatusCode.Forbidden),
                Acme("team.member.remove", "denied", "bob", "orgs/acme/teams/devs/members/carol")),
            new("team.member.remove", Via.Api, "admin", () => ApiAsync(adminApi, HttpMethod.Delete, "orgs/acme/teams/devs/members/bob", null, HttpStatusCode.NoContent),
                Acme("team.member.remove", "success", "admin", "orgs/acme/teams/devs/members/bob")),
            new("team.member.remove", Via.Ui, "admin", () => UiAsync(adminUi, "/orgs/acme/teams/devs", "remove-carol", HttpStatusCode.Found, ("Form.Username", "carol")),
                Acme("team.member.remove", "success", "admin", "orgs/acme/teams/devs/members/carol")),

            // team.delete
            new("team.delete", Via.Api, "member, not owner", () => ApiAsync(bobApi, HttpMethod.Delete, "orgs/acme/teams/devs", null, HttpStatusCode.Forbidden),
                Acme("team.delete", "denied", "bob", "orgs/acme/teams/devs")),
            new("team.delete", Via.Api, "admin", () => ApiAsync(adminApi, HttpMethod.Delete, "orgs/acme/teams/devs", null, HttpStatusCode.NoContent),
                Acme("team.delete", "success", "admin", "orgs/acme/teams/devs")),
            new("team.delete", Via.Ui, "admin", () => UiAsync(adminUi, "/orgs/acme/teams/ui-team", "delete-team", HttpStatusCode.Found),
                Acme("team.delete", "success", "admin", "orgs/acme/teams/ui-team")),

            // serviceaccount.create / serviceaccount.update
            new("serviceaccount.create", Via.Api, "admin", () => ApiAsync(adminApi, HttpMethod.Post, "orgs/acme/service-accounts", new { name = "ci" }, HttpStatusCode.Created),
                Acme("serviceaccount.create", "success", "admin", Sa)),
            new("serviceaccount.create", Via.Api, "member, not owner", () => ApiAsync(bobApi, HttpMethod.Post, "orgs/acme/service-accounts", new { name = "bob-ci" }, HttpStatusCode.Forbidden),
                Acme("serviceaccount.create", "denied", "bob", "orgs/acme/service-accounts/bob-ci")),
            new("serviceaccount.create", Via.Ui, "admin", () => UiAsync(adminUi, "/orgs/acme/service-accounts", "create-sa", HttpStatusCode.Found, ("Form.Name", "ui-ci")),
                Acme("serviceaccount.create", "success", "admin", "orgs/acme/service-accounts/ui-ci")),
            new("serviceaccount.update", Via.Api, "admin", () => ApiAsync(adminApi, HttpMethod.Patch, "orgs/acme/service-accounts/ci", new { description = "builds" }, HttpStatusCode.OK),
                Acme("serviceaccount.update", "success", "admin", Sa)),
            new("serviceaccount.update", Via.Api, "member, not owner", () => ApiAsync(bobApi, HttpMethod.Patch, "orgs/acme/service-accounts/ci", new { isActive = false }, HttpStatusCode.Forbidden),
                Acme("serviceaccount.update", "denied", "bob", Sa)),
            new("serviceaccount.update", Via.Ui, "admin", () => UiAsync(adminUi, "/orgs/acme/service-accounts/ci", "update-sa", HttpStatusCode.Found, ("Form.Description", "from ui"), ("Form.IsActive", "true")),
                Acme("serviceaccount.update", "success", "admin", Sa)),

            // accesstoken.create / accesstoken.revoke (service-account tokens)
            new("accesstoken.create", Via.Api, "admin", async () => apiToken = await CreatedIdAsync(adminApi, "orgs/acme/service-accounts/ci/tokens", new { name = "pipe", scopes = new[] { new { repository = "acme/**", actions = new[] { "pull" } } } }),
                Acme("accesstoken.create", "success", "admin", Sa + "/tokens/{api-token}")),
            new("accesstoken.create", Via.Api, "admin, scope outside the organization", () => ApiAsync(adminApi, HttpMethod.Post, "orgs/acme/service-accounts/ci/tokens", new { name = "wide", scopes = new[] { new { repository = "**", actions = new[] { "pull" } } } }, HttpStatusCode.BadRequest),
                Acme("accesstoken.create", "failed", "admin", Sa + "/tokens")),
            new("accesstoken.create", Via.Api, "member, not owner", () => ApiAsync(bobApi, HttpMethod.Post, "orgs/acme/service-accounts/ci/tokens", new { name = "mine", scopes = new[] { new { repository = "acme/**", actions = new[] { "pull" } } } }, HttpStatusCode.Forbidden),
                Acme("accesstoken.create", "denied", "bob", Sa + "/tokens")),
            new("accesstoken.create", Via.Ui, "admin", async () =>
                {
                    await UiAsync(adminUi, "/orgs/acme/service-accounts/ci", "create-token", HttpStatusCode.OK, ("Form.Name", "ui-pipe"), ("Form.Repository", "acme/**"), ("Form.Pull", "true"));
                    var account = await _server.GetRequiredService<ServiceAccountService>().ListAsync((await OrganizationIdAsync("acme"))!.Value, CancellationToken.None);
                    uiToken = (await tokens.ListForServiceAccountAsync(account.Single(a => a.Name == "ci").Id, CancellationToken.None)).Max(t => t.Id);
                },
                Acme("accesstoken.create", "success", "admin", Sa + "/tokens/{ui-token}")),
            new("accesstoken.revoke", Via.Api, "member, not owner", () => ApiAsync(bobApi, HttpMethod.Delete, $"orgs/acme/service-accounts/ci/tokens/{apiToken}", null, HttpStatusCode.Forbidden),
                Acme("accesstoken.revoke", "denied", "bob", Sa + "/tokens/{api-token}")),
            new("accesstoken.revoke", Via.Api, "admin", () => ApiAsync(adminApi, HttpMethod.Delete, $"orgs/acme/service-accounts/ci/tokens/{apiToken}", null, HttpStatusCode.NoContent),
                Acme("accesstoken.revoke", "success", "admin", Sa + "/tokens/{api-token}")),
            new("accesstoken.revoke", Via.Ui, "admin", () => UiAsync(adminUi, "/orgs/acme/service-accounts/ci", $"revoke-{uiToken}", HttpStatusCode.Found),
                Acme("accesstoken.revoke", "success", "admin", Sa + "/tokens/{ui-token}")),

            // serviceaccount.delete
            new("serviceaccount.delete", Via.Api, "member, not owner", () => ApiAsync(bobApi, HttpMethod.Delete, "orgs/acme/service-accounts/ci", null, HttpStatusCode.Forbidden),
                Acme("serviceaccount.delete", "denied", "bob", Sa)),
            new("serviceaccount.delete", Via.Api, "admin", () => ApiAsync(adminApi, HttpMethod.Delete, "orgs/acme/service-accounts/ci", null, HttpStatusCode.NoContent),
                Acme("serviceaccount.delete", "success", "admin", Sa)),
            new("serviceaccount.delete", Via.Ui, "admin", () => UiAsync(adminUi, "/orgs/acme/service-accounts/ui-ci", "delete-sa", HttpStatusCode.Found),
                Acme("serviceaccount.delete", "success", "admin", "orgs/acme/service-accounts/ui-ci")),

            // org.member.remove (an owner removes; a member may leave on their own)
            new("org.member.remove", Via.Api, "member removes another", () => ApiAsync(bobApi, HttpMethod.Delete, "orgs/acme/members/carol", null, HttpStatusCode.Forbidden),
                Acme("org.member.remove", "denied", "bob", "orgs/acme/members/carol")),
            new("org.member.remove", Via.Api, "member leaves", () => ApiAsync(bobApi, HttpMethod.Delete, "orgs/acme/members/bob", null, HttpStatusCode.NoContent),
                Acme("org.member.remove", "success", "bob", "orgs/acme/members/bob")),
            new("org.member.remove", Via.Api, "admin", () => ApiAsync(adminApi, HttpMethod.Delete, "orgs/acme/members/carol", null, HttpStatusCode.NoContent),
                Acme("org.member.remove", "success", "admin", "orgs/acme/members/carol")),
            new("org.member.remove", Via.Ui, "admin", () => UiAsync(adminUi, "/orgs/acme", "remove-erin", HttpStatusCode.Found, ("Form.Username", "erin")),
                Acme("org.member.remove", "success", "admin", "orgs/acme/members/erin")),

            // org.delete
            new("org.delete", Via.Api, "outsider (answered 404)", () => ApiAsync(daveApi, HttpMethod.Delete, "orgs/acme", null, HttpStatusCode.NotFound),
                Acme("org.delete", "denied", "dave", "orgs/acme")),
            new("org.delete", Via.Api, "admin", () => ApiAsync(adminApi, HttpMethod.Delete, "orgs/acme", null, HttpStatusCode.NoContent),
                Acme("org.delete", "success", "admin", "orgs/acme")),
            new("org.delete", Via.Ui, "admin", () => UiAsync(adminUi, "/orgs/uiorg", "delete-org", HttpStatusCode.Found, ("Form.Confirm", "uiorg")),
                new("org.delete", "success", "admin", "orgs/uiorg") { Organization = "uiorg" }),
        };

        await AssertRowsAsync(rows, resource => resource
            .Replace("{api-token}", apiToken.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{ui-token}", uiToken.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal));
    }

    private async Task<long?> OrganizationIdAsync(string name) =>
        (await _server.GetRequiredService<OrganizationService>().FindAsync(name, CancellationToken.None))?.Id;
}
