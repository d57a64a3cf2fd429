using System.Net;
using Dockyard.Server.Accounts;
using Dockyard.Server.Data;
using Dockyard.Server.Data.Entities;
using Dockyard.Server.Tests.Tokens;
using Dockyard.Server.Tests.Ui;
using Microsoft.EntityFrameworkCore;
using Caller = Dockyard.Server.Audit.Caller;

namespace Dockyard.Server.Tests.Audit;

/// <summary>
/// Webhooks (API and UI), LDAP settings, test and sync (API and UI), garbage collection (API and <c>dockyard gc</c>)
/// and retention runs (API and <c>dockyard retention run</c>): one entry each, for success, refusal and an anonymous
/// attempt (refused with 401 by the service, and on the record).
/// </summary>
public sealed partial class EntryPointAuditTests
{
    [Fact]
    public async Task WebhooksVertical_EveryEntryPoint_RecordsSuccessAndRefusal()
    {
        await _server.GetRequiredService<AdminBootstrapper>().Begin();
        var seed = new IdentitySeed(_server.GetRequiredService<IDbContextFactory<DockyardDbContext>>());
        var bobId = (await _server.GetRequiredService<UserService>().CreateLocalAsync(Caller.System, new NewUser("bob", BobPassword), CancellationToken.None)).Id;
        var acme = await seed.OrganizationAsync("acme");
        await seed.MemberAsync(acme, bobId);
        await seed.OrganizationAsync("hidden");
        await RepositoryAsync("acme/app");
        await seed.GrantAsync("acme/app", PermissionSubject.User, bobId, RepositoryRole.Read);
        var adminApi = Track(Basic("admin", AdminPassword));
        var bobApi = Track(Basic("bob", BobPassword));
        var anonymous = Track(_server.CreateClient());
        var adminUi = Track(await UiHttpSession.SignInAsync(_server.BaseAddress, "admin", AdminPassword));
        var bobUi = Track(await UiHttpSession.SignInAsync(_server.BaseAddress, "bob", BobPassword));
        var hook = new { url = "http://127.0.0.1:9/hook?key=do-not-log", secret = "a-very-secret-webhook-key", events = new[] { "push" } };
        long id = 0;

        var rows = new Row[]
        {
            // organization webhooks through the API
            new("webhook.create", Via.Api, "owner", async () => id = await CreatedIdAsync(adminApi, "orgs/acme/webhooks", hook),
                new("webhook.create", "success", "admin", "orgs/acme/webhooks/{id}", null, "acme")),
            new("webhook.create", Via.Api, "member", () => ApiAsync(bobApi, HttpMethod.Post, "orgs/acme/webhooks", hook, HttpStatusCode.Forbidden),
                new("webhook.create", "denied", "bob", "orgs/acme/webhooks", null, "acme")),
            new("webhook.create", Via.Api, "hidden org", () => ApiAsync(bobApi, HttpMethod.Post, "orgs/hidden/webhooks", hook, HttpStatusCode.NotFound),
                new("webhook.create", "denied", "bob", "orgs/hidden/webhooks", null, "hidden")),
            new("webhook.create", Via.Api, "anonymous", () => ApiAsync(anonymous, HttpMethod.Post, "orgs/acme/webhooks", hook, HttpStatusCode.Unauthorized),
                new("webhook.create", "denied", "anonymous", "orgs/acme/webhooks", null, "acme")),
            new("webhook.update", Via.Api, "owner", () => ApiAsync(adminApi, HttpMethod.Patch, $"orgs/acme/webhooks/{id}", new { enabled = false }, HttpStatusCode.OK),
                new("webhook.update", "success", "admin", "orgs/acme/webhooks/{id}", null, "acme")),
            new("webhook.update", Via.Api, "member", () => ApiAsync(bobApi, HttpMethod.Patch, $"orgs/acme/webhooks/{id}", new { enabled = true }, HttpStatusCode.Forbidden),
                new("webhook.update", "denied", "bob", "orgs/acme/webhooks/{id}", null, "acme")),
            new("webhook.update", Via.Api, "invalid URL", () => ApiAsync(adminApi, HttpMethod.Patch, $"orgs/acme/webhooks/{id}", new { url = "ftp://x" }, HttpStatusCode.BadRequest),
                new("webhook.update", "failed", "admin", "orgs/acme/webhooks/{id}", null, "acme")),
            new("webhook.test", Via.Api, "owner", () => ApiAsync(adminApi, HttpMethod.Post, $"orgs/acme/webhooks/{id}/test", null, HttpStatusCode.Accepted),
                new("webhook.test", "success", "admin", "orgs/acme/webhooks/{id}/test", null, "acme")),
            new("webhook.test", Via.Api, "member", () => ApiAsync(bobApi, HttpMethod.Post, $"orgs/acme/webhooks/{id}/test", null, HttpStatusCode.Forbidden),
                new("webhook.test", "denied", "bob", "orgs/acme/webhooks/{id}/test", null, "acme")),
            new("webhook.delete", Via.Api, "anonymous", () => ApiAsync(anonymous, HttpMethod.Delete, $"orgs/acme/webhooks/{id}", null, HttpStatusCode.Unauthorized),
                new("webhook.delete", "denied", "anonymous", "orgs/acme/webhooks/{id}", null, "acme")),
            new("webhook.delete", Via.Api, "owner", () => ApiAsync(adminApi, HttpMethod.Delete, $"orgs/acme/webhooks/{id}", null, HttpStatusCode.NoContent),
                new("webhook.delete", "success", "admin", "orgs/acme/webhooks/{id}", null, "acme")),

            // repository webhooks through the API
            new("webhook.create", Via.Api, "repository admin", async () => id = await CreatedIdAsync(adminApi, "repositories/acme/app/webhooks", hook),
                new("webhook.create", "success", "admin", "repositories/acme/app/webhooks/{id}", "acme/app", "acme")),
            new("webhook.create", Via.Api, "reader", () => ApiAsync(bobApi, HttpMethod.Post, "repositories/acme/app/webhooks", hook, HttpStatusCode.Forbidden),
                new("webhook.create", "denied", "bob", "repositories/acme/app/webhooks", "acme/app", "acme")),
            new("webhook.create", Via.Api, "no body", () => ApiAsync(adminApi, HttpMethod.Post, "repositories/acme/app/webhooks", null, HttpStatusCode.BadRequest),
                new("webhook.create", "failed", "admin", "repositories/acme/app/webhooks", "acme/app", "acme")),
            new("webhook.test", Via.Api, "repository admin", () => ApiAsync(adminApi, HttpMethod.Post, $"repositories/acme/app/webhooks/{id}/test", null, HttpStatusCode.Accepted),
                new("webhook.test", "success", "admin", "repositories/acme/app/webhooks/{id}/test", "acme/app", "acme")),
            new("webhook.delete", Via.Api, "reader", () => ApiAsync(bobApi, HttpMethod.Delete, $"repositories/acme/app/webhooks/{id}", null, HttpStatusCode.Forbidden),
                new("webhook.delete", "denied", "bob", "repositories/acme/app/webhooks/{id}", "acme/app", "acme")),
            new("webhook.delete", Via.Api, "repository admin", () => ApiAsync(adminApi, HttpMethod.Delete, $"repositories/acme/app/webhooks/{id}", null, HttpStatusCode.NoContent),
                new("webhook.delete", "success", "admin", "repositories/acme/app/webhooks/{id}", "acme/app", "acme")),

            // the web UI's forms
            new("webhook.create", Via.Ui, "owner", async () =>
                {
                    await UiAsync(adminUi, "/orgs/acme/webhooks", "create-webhook", HttpStatusCode.OK, ("Form.Url", "http://127.0.0.1:9/ui-hook"), ("Form.Push", "true"), ("Form.Enabled", "true"));
                    id = await NewestWebhookAsync();
                },
                new("webhook.create", "success", "admin", "orgs/acme/webhooks/{id}", null, "acme")),
            new("webhook.update", Via.Ui, "owner", () => UiAsync(adminUi, "/orgs/acme/webhooks", $"toggle-{id}", HttpStatusCode.Found, ("Form.Id", id.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("Form.Enabled", "False")),
                new("webhook.update", "success", "admin", "orgs/acme/webhooks/{id}", null, "acme")),
            new("webhook.update", Via.Ui, "forged by member", () => UiAsync(bobUi, "/orgs/acme/webhooks", $"toggle-{id}", HttpStatusCode.Forbidden, ("Form.Id", id.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("Form.Enabled", "True")),
                new("webhook.update", "denied", "bob", "orgs/acme/webhooks/{id}", null, "acme")),
            new("webhook.test", Via.Ui, "owner", () => UiAsync(adminUi, $"/orgs/acme/webhooks/{id}", "ping", HttpStatusCode.Found),
                new("webhook.test", "success", "admin", "orgs/acme/webhooks/{id}/test", null, "acme")),
            new("webhook.delete", Via.Ui, "forged by reader", () => UiAsync(bobUi, "/repositories/acme/app/-/webhooks", $"delete-{id}", HttpStatusCode.BadRequest, ("Form.Id", id.ToString(System.Globalization.CultureInfo.InvariantCulture))),
                null),
            new("webhook.delete", Via.Ui, "owner", () => UiAsync(adminUi, "/orgs/acme/webhooks", $"delete-{id}", HttpStatusCode.Found, ("Form.Id", id.ToString(System.Globalization.CultureInfo.InvariantCulture))),
                new("webhook.delete", "success", "admin", "orgs/acme/webhooks/{id}", null, "acme")),
        };

        await AssertRowsAsync(rows, resource => resource.Replace("{id}", id.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));
        await using var db = await _server.GetRequiredService<IDbContextFactory<DockyardDbContext>>().CreateDbContextAsync();
        var details = await db.AuditEntries.AsNoTracking().Where(e => e.Action.StartsWith("webhook.")).Select(e => e.Details ?? string.Empty).ToListAsync();
        Assert.DoesNotContain(details, d => d.Contains("do-not-log", StringComparison.Ordinal) || d.Contains("a-very-secret", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SystemOperationsVertical_EveryEntryPoint_RecordsSuccessAndRefusal()
    {
        await _server.GetRequiredService<AdminBootstrapper>().Begin();
        var seed = new IdentitySeed(_server.GetRequiredService<IDbContextFactory<DockyardDbContext>>());
        var bobId = (await _server.GetRequiredService<UserService>().CreateLocalAsync(Caller.System, new NewUser("bob", BobPassword), CancellationToken.None)).Id;
        var acme = await seed.OrganizationAsync("acme");
        await seed.MemberAsync(acme, bobId);
        await RepositoryAsync("acme/app");
        await seed.GrantAsync("acme/app", PermissionSubject.User, bobId, RepositoryRole.Read);
        var adminApi = Track(Basic("admin", AdminPassword));
        var bobApi = Track(Basic("bob", BobPassword));
        var anonymous = Track(_server.CreateClient());
        var adminUi = Track(await UiHttpSession.SignInAsync(_server.BaseAddress, "admin", AdminPassword));
        var ldap = new { enabled = false, url = "ldap://127.0.0.1:1", bindDn = "cn=admin,dc=example,dc=org", bindPassword = "bind-password-secret", userSearchBase = "dc=example,dc=org" };

        var rows = new Row[]
        {
            // settings.ldap.update, ldap.test, ldap.sync
            new("settings.ldap.update", Via.Api, "admin", () => ApiAsync(adminApi, HttpMethod.Put, "ldap/settings", ldap, HttpStatusCode.OK),
                new("settings.ldap.update", "success", "admin", "ldap/settings")),
            new("settings.ldap.update", Via.Api, "non-admin", () => ApiAsync(bobApi, HttpMethod.Put, "ldap/settings", ldap, HttpStatusCode.Forbidden),
                new("settings.ldap.update", "denied", "bob", "ldap/settings")),
            new("settings.ldap.update", Via.Api, "anonymous", () => ApiAsync(anonymous, HttpMethod.Put, "ldap/settings", ldap, HttpStatusCode.Unauthorized),
                new("settings.ldap.update", "denied", "anonymous", "ldap/settings")),
            new("settings.ldap.update", Via.Api, "invalid URL", () => ApiAsync(adminApi, HttpMethod.Put, "ldap/settings", new { enabled = true, url = "http://x" }, HttpStatusCode.BadRequest),
                new("settings.ldap.update", "failed", "admin", "ldap/settings")),
            new("settings.ldap.update", Via.Ui, "admin", () => UiAsync(adminUi, "/settings/ldap", "ldap", HttpStatusCode.Found, ("Ldap.Intent", "save"), ("Ldap.Url", "ldap://127.0.0.1:1"), ("Ldap.BindDn", "cn=admin,dc=example,dc=org"), ("Ldap.UserSearchBase", "dc=example,dc=org"), ("Ldap.TimeoutSeconds", "5"), ("Ldap.SyncIntervalMinutes", "60")),
                new("settings.ldap.update", "success", "admin", "ldap/settings")),
            new("ldap.test", Via.Api, "admin, unreachable directory", () => ApiAsync(adminApi, HttpMethod.Post, "ldap/test", new { }, HttpStatusCode.OK),
                new("ldap.test", "failed", "admin", "ldap/test")),
            new("ldap.test", Via.Api, "non-admin", () => ApiAsync(bobApi, HttpMethod.Post, "ldap/test", new { }, HttpStatusCode.Forbidden),
                new("ldap.test", "denied", "bob", "ldap/test")),
            new("ldap.test", Via.Api, "anonymous", () => ApiAsync(anonymous, HttpMethod.Post, "ldap/test", new { }, HttpStatusCode.Unauthorized),
                new("ldap.test", "denied", "anonymous", "ldap/test")),
            new("ldap.test", Via.Ui, "admin, unreachable directory", () => UiAsync(adminUi, "/settings/ldap", "ldap", HttpStatusCode.OK, ("Ldap.Intent", "test"), ("Ldap.Url", "ldap://127.0.0.1:1"), ("Ldap.BindDn", "cn=admin,dc=example,dc=org"), ("Ldap.UserSearchBase", "dc=example,dc=org"), ("Ldap.TimeoutSeconds", "5"), ("Ldap.SyncIntervalMinutes", "60")),
                new("ldap.test", "failed", "admin", "ldap/test")),
            new("ldap.sync", Via.Api, "admin, LDAP off", () => ApiAsync(adminApi, HttpMethod.Post, "ldap/sync", null, HttpStatusCode.Conflict),
                new("ldap.sync", "failed", "admin", "ldap")),
            new("ldap.sync", Via.Api, "non-admin", () => ApiAsync(bobApi, HttpMethod.Post, "ldap/sync", null, HttpStatusCode.Forbidden),
                new("ldap.sync", "denied", "bob", "ldap")),
            new("ldap.sync", Via.Api, "anonymous", () => ApiAsync(anonymous, HttpMethod.Post, "ldap/sync", null, HttpStatusCode.Unauthorized),
                new("ldap.sync", "denied", "anonymous", "ldap")),

            // system.gc
            new("system.gc", Via.Api, "admin", () => ApiAsync(adminApi, HttpMethod.Post, "system/gc", new { dryRun = true }, HttpStatusCode.OK),
                new("system.gc", "success", "admin", "system/gc")),
            new("system.gc", Via.Api, "non-admin", () => ApiAsync(bobApi, HttpMethod.Post, "system/gc", new { dryRun = true }, HttpStatusCode.Forbidden),
                new("system.gc", "denied", "bob", "system/gc")),
            new("system.gc", Via.Api, "anonymous", () => ApiAsync(anonymous, HttpMethod.Post, "system/gc", new { dryRun = true }, HttpStatusCode.Unauthorized),
                new("system.gc", "denied", "anonymous", "system/gc")),
            new("system.gc", Via.Cli, "operator", () => CliAsync(0, "gc", "--dry-run", "--data", _dataDirectory),
                new("system.gc", "success", "system", "system/gc")),

            // retention.run: organization, repository, everything
            new("retention.run", Via.Api, "owner of org", () => ApiAsync(adminApi, HttpMethod.Post, "orgs/acme/retention/run?dryRun=true", null, HttpStatusCode.OK),
                new("retention.run", "success", "admin", "orgs/acme/retention/run", null, "acme")),
            new("retention.run", Via.Api, "member", () => ApiAsync(bobApi, HttpMethod.Post, "orgs/acme/retention/run", null, HttpStatusCode.Forbidden),
                new("retention.run", "denied", "bob", "orgs/acme/retention/run", null, "acme")),
            new("retention.run", Via.Api, "anonymous", () => ApiAsync(anonymous, HttpMethod.Post, "orgs/acme/retention/run", null, HttpStatusCode.Unauthorized),
                new("retention.run", "denied", "anonymous", "orgs/acme/retention/run", null, "acme")),
            new("retention.run", Via.Api, "repository admin", () => ApiAsync(adminApi, HttpMethod.Post, "repositories/acme/app/retention/run", null, HttpStatusCode.OK),
                new("retention.run", "success", "admin", "repositories/acme/app/retention/run", "acme/app", "acme")),
            new("retention.run", Via.Api, "reader", () => ApiAsync(bobApi, HttpMethod.Post, "repositories/acme/app/retention/run", null, HttpStatusCode.Forbidden),
                new("retention.run", "denied", "bob", "repositories/acme/app/retention/run", "acme/app", "acme")),
            new("retention.run", Via.Api, "admin, everything", () => ApiAsync(adminApi, HttpMethod.Post, "retention/run", null, HttpStatusCode.OK),
                new("retention.run", "success", "admin", "retention/run")),
            new("retention.run", Via.Api, "non-admin, everything", () => ApiAsync(bobApi, HttpMethod.Post, "retention/run", null, HttpStatusCode.Forbidden),
                new("retention.run", "denied", "bob", "retention/run")),
            new("retention.run", Via.Cli, "operator", () => CliAsync(0, "retention", "run", "--organization", "acme", "--data", _dataDirectory),
                new("retention.run", "success", "system", "orgs/acme/retention/run", null, "acme")),
        };

        await AssertRowsAsync(rows, resource => resource);
        await using var db = await _server.GetRequiredService<IDbContextFactory<DockyardDbContext>>().CreateDbContextAsync();
        Assert.False(await db.AuditEntries.AnyAsync(e => e.Details != null && e.Details.Contains("bind-password-secret")));
    }

    private async Task<long> NewestWebhookAsync()
    {
        await using var db = await _server.GetRequiredService<IDbContextFactory<DockyardDbContext>>().CreateDbContextAsync();
        return await db.Webhooks.MaxAsync(w => w.Id);
    }
}
