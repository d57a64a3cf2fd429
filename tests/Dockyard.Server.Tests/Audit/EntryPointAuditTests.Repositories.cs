using System.Net;
using Dockyard.Server.Accounts;
using Dockyard.Server.Data;
using Dockyard.Server.Data.Entities;
using Dockyard.Server.Tests.Tokens;
using Dockyard.Server.Tests.Ui;
using Microsoft.EntityFrameworkCore;
using Caller = Dockyard.Server.Audit.Caller;

namespace Dockyard.Server.Tests.Audit;

/// <summary>Repository settings and grants through the API and the settings page.</summary>
public sealed partial class EntryPointAuditTests
{
    [Fact]
    public async Task RepositoriesVertical_EveryEntryPoint_RecordsSuccessAndRefusal()
    {
        await _server.GetRequiredService<AdminBootstrapper>().Begin();
        var seed = new IdentitySeed(_server.GetRequiredService<IDbContextFactory<DockyardDbContext>>());
        var users = _server.GetRequiredService<UserService>();
        var bobId = (await users.CreateLocalAsync(Caller.System, new NewUser("bob", BobPassword), CancellationToken.None)).Id;
        await users.CreateLocalAsync(Caller.System, new NewUser("carol", "carol-password-1"), CancellationToken.None);
        var acme = await seed.OrganizationAsync("acme");
        await seed.TeamAsync(acme, "devs");
        await RepositoryAsync("acme/app");
        await RepositoryAsync("acme/secret");
        await seed.GrantAsync("acme/app", PermissionSubject.User, bobId, RepositoryRole.Read);
        var adminApi = Track(Basic("admin", AdminPassword));
        var bobApi = Track(Basic("bob", BobPassword));
        var adminUi = Track(await UiHttpSession.SignInAsync(_server.BaseAddress, "admin", AdminPassword));
        const string Settings = "/repositories/acme/app/-/settings";
        const string App = "repositories/acme/app";

        var rows = new Row[]
        {
            // repository.update / repository.visibility.change: the action names a visibility only when it changes.
            new("repository.update", Via.Api, "description only", () => ApiAsync(adminApi, HttpMethod.Patch, App, new { description = "visibility" }, HttpStatusCode.OK),
                new("repository.update", "success", "admin", App, "acme/app", "acme")),
            new("repository.update", Via.Api, "same visibility, new description", () => ApiAsync(adminApi, HttpMethod.Patch, App, new { visibility = "private", description = "d2" }, HttpStatusCode.OK),
                new("repository.update", "success", "admin", App, "acme/app", "acme")),
            new("repository.visibility.change", Via.Api, "admin", () => ApiAsync(adminApi, HttpMethod.Patch, App, new { visibility = "public" }, HttpStatusCode.OK),
                new("repository.visibility.change", "success", "admin", App, "acme/app", "acme")),
            new("repository.update", Via.Api, "reader", () => ApiAsync(bobApi, HttpMethod.Patch, App, new { description = "mine" }, HttpStatusCode.Forbidden),
                new("repository.update", "denied", "bob", App, "acme/app", "acme")),
            new("repository.update", Via.Api, "hidden repository", () => ApiAsync(bobApi, HttpMethod.Patch, "repositories/acme/secret", new { description = "mine" }, HttpStatusCode.NotFound),
                new("repository.update", "denied", "bob", "repositories/acme/secret", "acme/secret", "acme")),
            new("repository.update", Via.Api, "no such repository", () => ApiAsync(adminApi, HttpMethod.Patch, "repositories/acme/none", new { description = "x" }, HttpStatusCode.NotFound),
                new("repository.update", "failed", "admin", "repositories/acme/none", "acme/none", "acme")),
            new("repository.update", Via.Ui, "same visibility", () => UiAsync(adminUi, Settings, "update-repository", HttpStatusCode.Found, ("Form.Visibility", "public"), ("Form.Description", "from the ui")),
                new("repository.update", "success", "admin", App, "acme/app", "acme")),
            new("repository.visibility.change", Via.Ui, "admin", () => UiAsync(adminUi, Settings, "update-repository", HttpStatusCode.Found, ("Form.Visibility", "private"), ("Form.Description", "from the ui")),
                new("repository.visibility.change", "success", "admin", App, "acme/app", "acme")),

            // repository.permission.grant / revoke
            new("repository.permission.grant", Via.Api, "admin", () => ApiAsync(adminApi, HttpMethod.Put, App + "/permissions/users/carol", new { role = "write" }, HttpStatusCode.Created),
                new("repository.permission.grant", "success", "admin", App + "/permissions/users/carol", "acme/app", "acme")),
            new("repository.permission.grant", Via.Api, "invalid role", () => ApiAsync(adminApi, HttpMethod.Put, App + "/permissions/users/carol", new { role = "owner" }, HttpStatusCode.BadRequest),
                new("repository.permission.grant", "failed", "admin", App + "/permissions/users/carol", "acme/app", "acme")),
            new("repository.permission.grant", Via.Api, "reader", () => ApiAsync(bobApi, HttpMethod.Put, App + "/permissions/users/bob", new { role = "admin" }, HttpStatusCode.Forbidden),
                new("repository.permission.grant", "denied", "bob", App + "/permissions/users/bob", "acme/app", "acme")),
            new("repository.permission.grant", Via.Ui, "admin", () => UiAsync(adminUi, Settings, "add-grant", HttpStatusCode.Found, ("Form.SubjectKind", "team"), ("Form.Subject", "devs"), ("Form.Role", "read")),
                new("repository.permission.grant", "success", "admin", App + "/permissions/teams/devs", "acme/app", "acme")),
            new("repository.permission.revoke", Via.Api, "reader", () => ApiAsync(bobApi, HttpMethod.Delete, App + "/permissions/teams/devs", null, HttpStatusCode.Forbidden),
                new("repository.permission.revoke", "denied", "bob", App + "/permissions/teams/devs", "acme/app", "acme")),
            new("repository.permission.revoke", Via.Api, "admin", () => ApiAsync(adminApi, HttpMethod.Delete, App + "/permissions/users/carol", null, HttpStatusCode.NoContent),
                new("repository.permission.revoke", "success", "admin", App + "/permissions/users/carol", "acme/app", "acme")),
            new("repository.permission.revoke", Via.Ui, "admin", () => UiAsync(adminUi, Settings, "revoke-team-devs", HttpStatusCode.Found, ("Form.SubjectKind", "team"), ("Form.Subject", "devs")),
                new("repository.permission.revoke", "success", "admin", App + "/permissions/teams/devs", "acme/app", "acme")),
        };

        await AssertRowsAsync(rows, resource => resource);
    }

    private async Task RepositoryAsync(string name)
    {
        await using var db = await _server.GetRequiredService<IDbContextFactory<DockyardDbContext>>().CreateDbContextAsync();
        db.Repositories.Add(new RepositoryEntity { Name = name, Visibility = RepositoryVisibility.Private, CreatedAt = DateTimeOffset.UtcNow });
        await db.SaveChangesAsync();
    }
}
