using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dockyard.Server.Data;
using Dockyard.Server.Tests.Api;
using Microsoft.EntityFrameworkCore;

namespace Dockyard.Server.Tests.Audit;

/// <summary>Webhook changes through the API are on the record; their URL and secret are not.</summary>
public sealed class WebhookAuditTests : IAsyncLifetime
{
    private ApiTestServer _server = null!;

    public async Task InitializeAsync() => _server = await ApiTestServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Webhook_create_update_delete_and_ping_RecordChangesOnly()
    {
        var (ownerId, owner) = await _server.UserAsync("olivia");
        await _server.CreateOrganizationAsync("acme", ownerId);
        await _server.CreateRepositoryAsync("acme/app");
        const string Url = "http://127.0.0.1:9/hook?key=do-not-log";
        const string Secret = "a-very-secret-webhook-key";

        using var created = await owner.PostAsJsonAsync("/api/v1/orgs/acme/webhooks", new { url = Url, secret = Secret, events = new[] { "push" } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        using var updated = await owner.PatchAsJsonAsync($"/api/v1/orgs/acme/webhooks/{id}", new { enabled = false });
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        using var deleted = await owner.DeleteAsync($"/api/v1/orgs/acme/webhooks/{id}");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);

        using var repositoryHook = await owner.PostAsJsonAsync("/api/v1/repositories/acme/app/webhooks", new { url = Url });
        Assert.Equal(HttpStatusCode.Created, repositoryHook.StatusCode);
        var repositoryHookId = (await repositoryHook.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        using var ping = await owner.PostAsync($"/api/v1/repositories/acme/app/webhooks/{repositoryHookId}/test", null);
        Assert.Equal(HttpStatusCode.Accepted, ping.StatusCode);

        await using var db = await _server.Get<IDbContextFactory<DockyardDbContext>>().CreateDbContextAsync();
        var entries = await db.AuditEntries.Where(e => e.Action.StartsWith("webhook.")).OrderBy(e => e.Id).ToListAsync();
        Assert.Equal(
            [("webhook.create", $"orgs/acme/webhooks/{id}", (string?)null), ("webhook.update", $"orgs/acme/webhooks/{id}", null), ("webhook.delete", $"orgs/acme/webhooks/{id}", null),
             ("webhook.create", $"repositories/acme/app/webhooks/{repositoryHookId}", "acme/app"),
             ("webhook.test", $"repositories/acme/app/webhooks/{repositoryHookId}/test", "acme/app")],
            entries.Select(e => (e.Action, e.Resource!, e.Repository)));
        Assert.All(entries, e =>
        {
            Assert.Equal("olivia", e.ActorName);
            Assert.Equal("acme", e.Organization);
            Assert.DoesNotContain("do-not-log", e.Details ?? string.Empty, StringComparison.Ordinal);
            Assert.DoesNotContain(Secret, e.Details ?? string.Empty, StringComparison.Ordinal);
        });
        Assert.Contains("\"enabled\":false", entries[1].Details, StringComparison.Ordinal);
    }
}
