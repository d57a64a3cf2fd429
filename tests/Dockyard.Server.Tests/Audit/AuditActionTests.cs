using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dockyard.Server.Accounts;
using Dockyard.Server.Data.Entities;
using Dockyard.Server.Tests.Api;
using Dockyard.Server.Tests.Hosting;

namespace Dockyard.Server.Tests.Audit;

/// <summary>Every audited action, performed through the real HTTP API, produces exactly the expected entries.</summary>
public sealed class AuditActionTests : IAsyncLifetime
{
    private ApiTestServer _server = null!;

    public async Task InitializeAsync() => _server = await ApiTestServer.StartAsync(AuditTestServer.FastPulls());

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Bootstrap_FirstAdministrator_IsRecordedBySystemWithoutThePassword()
    {
        var entries = await AuditTestServer.EntriesAfterAsync(_server.Server.Services, 0);

        var create = Assert.Single(entries, e => e.Action == "user.create");
        Assert.Equal(("system", "system", "success", "users/admin"), (create.ActorKind, create.ActorName, create.Outcome, create.Resource));
        Assert.Equal("""{"username":"admin","displayName":"Administrator","isAdmin":true,"bootstrap":true,"password":"environment"}""", create.Details);
        Assert.DoesNotContain(ApiTestServer.AdminPassword, string.Join('|', entries.Select(e => e.Details)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Actions_EachRow_RecordExactlyTheExpectedEntries()
    {
        const string Admin = AdminBootstrapper.AdminUsername;
        var admin = await _server.AdminAsync();
        var bobId = 0L;
        HttpClient bob = null!;
        var anonymous = _server.Anonymous();
        RegistryTestClient registry = null!;
        var manifestDigest = string.Empty;
        var layerDigest = string.Empty;
        var login = new Expected("auth.login.success", Admin);

        var rows = new (string Name, Func<Task> Act, Expected[] Entries)[]
        {
            ("org create", () => SendAsync(admin, HttpMethod.Post, "orgs", new { name = "acme" }),
                [login, new("org.create", Admin, Resource: "orgs/acme", Organization: "acme")]),
            ("user create", () => SendAsync(admin, HttpMethod.Post, "users", new { username = "bob", password = "bob-password-123!" }),
                [login, new("user.create", Admin, Resource: "users/bob")]),
            ("org member add", () => SendAsync(admin, HttpMethod.Post, "orgs/acme/members", new { username = "bob" }),
                [login, new("org.member.add", Admin, Resource: "orgs/acme/members/bob", Organization: "acme")]),
            ("denied: non-owner adds a member", async () =>
                {
                    bobId = await _server.UserIdAsync("bob");
                    bob = await _server.ClientForAsync(bobId);
                    await SendAsync(bob, HttpMethod.Post, "orgs/acme/members", new { username = "admin" }, HttpStatusCode.Forbidden);
                },
                [new("auth.login.success", "bob"), new("org.member.add", "bob", Outcome: "denied", Organization: "acme")]),
            ("org member promote", () => SendAsync(admin, HttpMethod.Patch, "orgs/acme/members/bob", new { isOwner = true }),
                [login, new("org.member.update", Admin, Resource: "orgs/acme/members/bob")]),
            ("team create", () => SendAsync(admin, HttpMethod.Post, "orgs/acme/teams", new { name = "devs" }),
                [login, new("team.create", Admin, Resource: "orgs/acme/teams/devs", Organization: "acme")]),
            ("team member add", () => SendAsync(admin, HttpMethod.Put, "orgs/acme/teams/devs/members/bob", null),
                [login, new("team.member.add", Admin, Resource: "orgs/acme/teams/devs/members/bob")]),
            ("team member remove", () => SendAsync(admin, HttpMethod.Delete, "orgs/acme/teams/devs/members/bob", null),
                [login, new("team.member.remove", Admin, Resource: "orgs/acme/teams/devs/members/bob")]),
            ("service account create", () => SendAsync(admin, HttpMethod.Post, "orgs/acme/service-accounts", new { name = "ci" }),
                [login, new("serviceaccount.create", Admin, Resource: "orgs/acme/service-accounts/ci")]),
            ("service account token create", () => SendAsync(admin, HttpMethod.Post, "orgs/acme/service-accounts/ci/tokens", new { name = "deploy", scopes = new[] { new { repository = "acme/*", actions = new[] { "pull" } } } }),
                [login, new("accesstoken.create", Admin, Organization: "acme")]),
            ("login failure at the token endpoint", () => TokenAsync("bob", "wrong-password", null, HttpStatusCode.Unauthorized),
                [new("auth.login.failure", "bob", Outcome: "failed")]),
            ("login and token at the token endpoint", async () =>
                {
                    var token = await TokenAsync(Admin, ApiTestServer.AdminPassword, "scope=repository:acme/app:pull,push,delete&scope=repository:acme/other:pull,push", HttpStatusCode.OK);
                    var http = _server.Server.CreateClient();
                    http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
                    registry = new RegistryTestClient(http);
                },
                [new("auth.login.success", Admin), new("auth.token.issue", Admin)]),
            ("first push", async () => (manifestDigest, layerDigest) = await PushAsync(registry, "acme/app", "v1"),
                [new("repository.create", Admin, Repository: "acme/app", Organization: "acme"), new("registry.manifest.push", Admin, Repository: "acme/app", Reference: "v1")]),
            ("pull by tag", () => GetManifestAsync(registry, "acme/app", "v1"),
                [new("registry.manifest.pull", Admin, Repository: "acme/app", Reference: "v1")]),
            ("pull by digest", () => GetManifestAsync(registry, "acme/app", manifestDigest),
                [new("registry.manifest.pull", Admin, Repository: "acme/app")]),
            ("blob mount", async () =>
                {
                    using var response = await registry.Http.PostAsync($"/v2/acme/other/blobs/uploads/?mount={layerDigest}&from=acme/app", null);
                    Assert.Equal(HttpStatusCode.Created, response.StatusCode);
                },
                [new("repository.create", Admin, Repository: "acme/other"), new("registry.blob.mount", Admin, Repository: "acme/other")]),
            ("denied push", async () =>
                {
                    using var response = await anonymous.PutAsync("/v2/acme/app/manifests/v2", new StringContent("{}"));
                    Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
                },
                [new("registry.access.denied", "anonymous", Outcome: "denied", Repository: "acme/app", Reference: "v2")]),
            ("anonymous ping is not recorded", async () => (await anonymous.GetAsync("/v2/")).Dispose(), []),
            ("visibility change", () => SendAsync(admin, HttpMethod.Patch, "repositories/acme/app", new { visibility = "public" }),
                [login, new("repository.visibility.change", Admin, Repository: "acme/app", Organization: "acme")]),
            ("permission grant", () => SendAsync(admin, HttpMethod.Put, "repositories/acme/app/permissions/users/bob", new { role = "read" }),
                [login, new("repository.permission.grant", Admin, Repository: "acme/app", Resource: "repositories/acme/app/permissions/users/bob")]),
            ("permission revoke", () => SendAsync(admin, HttpMethod.Delete, "repositories/acme/app/permissions/users/bob", null),
                [login, new("repository.permission.revoke", Admin, Repository: "acme/app")]),
            ("tag delete", () => DeleteAsync(registry, "/v2/acme/app/manifests/v1"),
                [new("registry.tag.delete", Admin, Repository: "acme/app", Reference: "v1")]),
            ("manifest delete", () => DeleteAsync(registry, $"/v2/acme/app/manifests/{manifestDigest}"),
                [new("registry.manifest.delete", Admin, Repository: "acme/app")]),
            ("blob delete", () => DeleteAsync(registry, $"/v2/acme/app/blobs/{layerDigest}"),
                [new("registry.blob.delete", Admin, Repository: "acme/app")]),
            ("failed org delete (still has repositories)", () => SendAsync(admin, HttpMethod.Delete, "orgs/acme", null, HttpStatusCode.Conflict),
                [login, new("org.delete", Admin, Outcome: "failed", Organization: "acme")]),
            ("LDAP settings change", () => SendAsync(admin, HttpMethod.Put, "ldap/settings", new { enabled = false }),
                [login, new("settings.ldap.update", Admin, Resource: "ldap/settings")]),
            ("org webhook create", () => SendAsync(admin, HttpMethod.Post, "orgs/acme/webhooks", new { url = "http://127.0.0.1:9/hook", events = new[] { "push" } }),
                [login, new("webhook.create", Admin, Resource: "orgs/acme/webhooks/1", Organization: "acme")]),
            ("org webhook ping", () => SendAsync(admin, HttpMethod.Post, "orgs/acme/webhooks/1/test", null),
                [login, new("webhook.test", Admin, Resource: "orgs/acme/webhooks/1/test", Organization: "acme")]),
            ("org webhook update", () => SendAsync(admin, HttpMethod.Patch, "orgs/acme/webhooks/1", new { enabled = false }),
                [login, new("webhook.update", Admin, Resource: "orgs/acme/webhooks/1", Organization: "acme")]),
            ("org webhook delete", () => SendAsync(admin, HttpMethod.Delete, "orgs/acme/webhooks/1", null),
                [login, new("webhook.delete", Admin, Resource: "orgs/acme/webhooks/1", Organization: "acme")]),
            ("repository webhook create", () => SendAsync(admin, HttpMethod.Post, "repositories/acme/app/webhooks", new { url = "http://127.0.0.1:9/hook" }),
                [login, new("webhook.create", Admin, Repository: "acme/app", Resource: "repositories/acme/app/webhooks/2", Organization: "acme")]),
            ("repository webhook ping", () => SendAsync(admin, HttpMethod.Post, "repositories/acme/app/webhooks/2/test", null),
                [login, new("webhook.test", Admin, Repository: "acme/app", Organization: "acme")]),
            ("repository webhook delete", () => SendAsync(admin, HttpMethod.Delete, "repositories/acme/app/webhooks/2", null),
                [login, new("webhook.delete", Admin, Repository: "acme/app", Resource: "repositories/acme/app/webhooks/2")]),
            ("key rotation", () => SendAsync(admin, HttpMethod.Post, "keys/rotate", null),
                [login, new("keys.rotate", Admin)]),
            ("user delete", () => SendAsync(admin, HttpMethod.Delete, "users/bob", null),
                [login, new("user.delete", Admin, Resource: "users/bob")]),
            ("bad bearer on the management API", async () =>
                {
                    using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/me");
                    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "dy_notavalidtoken");
                    using var response = await anonymous.SendAsync(request);
                    Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
                },
                [new("auth.credential.rejected", "anonymous", Outcome: "denied")]),
        };

        long seen = (await AuditTestServer.EntriesAfterAsync(_server.Server.Services, 0)).Select(e => e.Id).DefaultIfEmpty(0).Max();
        foreach (var (name, act, expected) in rows)
        {
            await act();
            var entries = await AuditTestServer.WaitForAsync(_server, seen, expected.Length);
            var described = string.Join("; ", entries.Select(e => $"{e.Action} {e.ActorName} {e.Outcome} {e.Resource} {e.Repository} {e.Reference}"));
            Assert.True(expected.Length == entries.Count, $"{name}: expected {expected.Length} entries, got {entries.Count}: {described}");
            for (var i = 0; i < expected.Length; i++)
            {
                expected[i].AssertMatches(name, entries[i]);
            }

            seen = entries.Count > 0 ? entries[^1].Id : seen;
        }

        var all = await AuditTestServer.EntriesAfterAsync(_server.Server.Services, 0);
        Assert.All(all, e => Assert.False(string.IsNullOrEmpty(e.Hash)));
        Assert.Contains(all, e => e is { Action: "auth.login.success", AuthMethod: "password" });
        Assert.Contains(all, e => e is { Action: "auth.login.success", AuthMethod: "token" });
        Assert.All(all.Where(e => e.Action.StartsWith("registry.", StringComparison.Ordinal)), e => Assert.Equal("127.0.0.1", e.SourceIp));
    }

    [Fact]
    public async Task FirstPush_SessionUploadsInParallelThenManifest_RecordsOneRepositoryCreate()
    {
        // As skopeo pushes: several blobs at once, each a POST (202) then a PUT (201), then the manifest.
        var admin = await _server.AdminAsync();
        await SendAsync(admin, HttpMethod.Post, "orgs", new { name = "skopeo" });
        var token = await TokenAsync(AdminBootstrapper.AdminUsername, ApiTestServer.AdminPassword, "scope=repository:skopeo/app:pull,push", HttpStatusCode.OK);
        using var http = _server.Server.CreateClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var registry = new RegistryTestClient(http);

        await Task.WhenAll(Enumerable.Range(0, 4).Select(async i =>
        {
            var content = Encoding.UTF8.GetBytes($"layer {i} {Guid.NewGuid():N}");
            var location = await registry.StartUploadAsync("skopeo/app");
            using var put = await registry.SendAsync(HttpMethod.Put, RegistryTestClient.WithQuery(location, $"digest={RegistryTestClient.DigestOf(content)}"), content);
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        }));
        await registry.PushImageAsync("skopeo/app", "v1");

        var entries = await AuditTestServer.EntriesAfterAsync(_server.Server.Services, 0);
        var create = Assert.Single(entries, e => e.Action == "repository.create");
        Assert.Equal(("skopeo/app", AdminBootstrapper.AdminUsername, "success"), (create.Repository, create.ActorName, create.Outcome));
        Assert.Single(entries, e => e.Action == "registry.manifest.push");
    }

    private static async Task SendAsync(HttpClient client, HttpMethod method, string path, object? body, HttpStatusCode? expected = null)
    {
        using var request = new HttpRequestMessage(method, "/api/v1/" + path);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        using var response = await client.SendAsync(request);
        if (expected is { } status)
        {
            Assert.Equal(status, response.StatusCode);
        }
        else
        {
            Assert.True(response.IsSuccessStatusCode, $"{method} {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    private async Task<string?> TokenAsync(string username, string password, string? scopes, HttpStatusCode expected)
    {
        using var client = _server.Server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/auth/token?service=dockyard" + (scopes is null ? string.Empty : "&" + scopes));
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{username}:{password}")));
        using var response = await client.SendAsync(request);
        Assert.Equal(expected, response.StatusCode);
        if (expected != HttpStatusCode.OK)
        {
            return null;
        }

        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.GetProperty("token").GetString();
    }

    private static async Task<(string Manifest, string Layer)> PushAsync(RegistryTestClient registry, string repository, string tag)
    {
        var (json, digest) = await registry.PushImageAsync(repository, tag);
        using var document = JsonDocument.Parse(json);
        return (digest, document.RootElement.GetProperty("layers")[0].GetProperty("digest").GetString()!);
    }

    private static async Task GetManifestAsync(RegistryTestClient registry, string repository, string reference)
    {
        using var response = await registry.Http.GetAsync($"/v2/{repository}/manifests/{reference}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static async Task DeleteAsync(RegistryTestClient registry, string uri)
    {
        using var response = await registry.Http.DeleteAsync(uri);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    private sealed record Expected(string Action, string Actor, string Outcome = "success", string? Resource = null, string? Repository = null, string? Reference = null, string? Organization = null)
    {
        public void AssertMatches(string row, AuditEntryEntity entry)
        {
            var where = $"{row}: entry {entry.Id} ({entry.Action} {entry.ActorName} {entry.Outcome} {entry.Resource} {entry.Repository} {entry.Reference})";
            Assert.True(Action == entry.Action, $"{where}: action {Action}");
            Assert.True(Actor == entry.ActorName, $"{where}: actor {Actor}");
            Assert.True(Outcome == entry.Outcome, $"{where}: outcome {Outcome}");
            Assert.True(Resource is null || Resource == entry.Resource, $"{where}: resource {Resource}");
            Assert.True(Repository is null || Repository == entry.Repository, $"{where}: repository {Repository}");
            Assert.True(Reference is null || Reference == entry.Reference, $"{where}: reference {Reference}");
            Assert.True(Organization is null || Organization == entry.Organization, $"{where}: organization {Organization}");
            Assert.False(string.IsNullOrEmpty(entry.RequestId), $"{where}: request id");
        }
    }
}
