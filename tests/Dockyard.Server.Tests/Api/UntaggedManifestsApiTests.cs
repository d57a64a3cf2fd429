using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dockyard.Server.Accounts;
using Dockyard.Server.Audit;
using Dockyard.Server.Data;
using Dockyard.Server.Data.Entities;
using Dockyard.Server.Tests.Hosting;
using Dockyard.Server.Tests.Webhooks;
using Dockyard.Server.Webhooks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Dockyard.Server.Tests.Api;

/// <summary>
/// <c>/api/v1/repositories/{name}/manifests?untagged=true</c>, <c>…/manifests/delete</c> and
/// <c>…/manifests/delete-untagged</c> against a repository holding a tagged index with untagged platform images, a
/// signature of the index pushed by digest, and a plain untagged image with a signature of its own.
/// </summary>
public sealed class UntaggedManifestsApiTests : IAsyncLifetime
{
    private const string Repository = "prod/app";
    private const string Base = "/api/v1/repositories/prod/app/manifests";

    private WebhookTestServer _server = null!;
    private WebhookReceiver _receiver = null!;
    private HttpClient _owner = null!;
    private long _organizationId;

    public async Task InitializeAsync()
    {
        _server = await WebhookTestServer.StartAsync();
        _receiver = await WebhookReceiver.StartAsync();
        var (ownerId, owner) = await _server.Api.UserAsync("owner");
        _owner = owner;
        _organizationId = await _server.Api.CreateOrganizationAsync("prod", ownerId, RepositoryRole.Read);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _receiver.DisposeAsync();
    }

    [Fact]
    public async Task List_ShowsUntaggedManifestsWithTheIndexHoldingThemTheirSubjectsAndReferrers()
    {
        var seeded = await SeedAsync(await _server.RegistryAsync(Repository));

        using var response = await _owner.GetAsync($"{Base}?untagged=true");
        var body = await ProblemAssert.StatusAsync(HttpStatusCode.OK, response);
        Assert.Equal(5, body.GetProperty("total").GetInt32());
        var items = body.GetProperty("items").EnumerateArray().ToDictionary(i => i.GetProperty("digest").GetString()!);
        Assert.Equal(new[] { seeded.Arm, seeded.Amd, seeded.IndexSignature, seeded.Plain, seeded.PlainSignature }.Order(), items.Keys.Order());
        Assert.DoesNotContain(seeded.Index, items.Keys);

        // Platform images: untagged, but held by the tagged index.
        foreach (var child in new[] { seeded.Arm, seeded.Amd })
        {
            Assert.True(items[child].GetProperty("referenced").GetBoolean());
            var holder = Assert.Single(items[child].GetProperty("heldBy").EnumerateArray());
            Assert.Equal(seeded.Index, holder.GetProperty("digest").GetString());
            Assert.Equal(["multi"], holder.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        }

        // The index's signature, pushed by digest: referenced through its subject, which is tagged.
        var signature = items[seeded.IndexSignature];
        Assert.True(signature.GetProperty("referenced").GetBoolean());
        Assert.Equal("application/vnd.dev.cosign.artifact.sig.v1+json", signature.GetProperty("artifactType").GetString());
        Assert.Equal(seeded.Index, signature.GetProperty("subject").GetProperty("digest").GetString());
        Assert.Equal(["multi"], signature.GetProperty("subject").GetProperty("tags").EnumerateArray().Select(t => t.GetString()));

        // A plain untagged image is garbage (nothing keeps it), though it has a referrer; its signature is referenced by its subject.
        var plain = items[seeded.Plain];
        Assert.False(plain.GetProperty("referenced").GetBoolean());
        Assert.Equal(JsonValueKind.Null, plain.GetProperty("subject").ValueKind);
        Assert.Equal(seeded.PlainSignature, Assert.Single(plain.GetProperty("referrers").EnumerateArray()).GetProperty("digest").GetString());
        Assert.True(items[seeded.PlainSignature].GetProperty("referenced").GetBoolean());
        Assert.Empty(items[seeded.PlainSignature].GetProperty("subject").GetProperty("tags").EnumerateArray());

        using var paged = await _owner.GetAsync($"{Base}?untagged=true&page=3&pageSize=2");
        var last = await ProblemAssert.StatusAsync(HttpStatusCode.OK, paged);
        Assert.Equal(5, last.GetProperty("total").GetInt32());
        Assert.Single(last.GetProperty("items").EnumerateArray());

        using var withoutFilter = await _owner.GetAsync(Base);
        await ProblemAssert.InvalidAsync("untagged", withoutFilter);
    }

    [Fact]
    public async Task Delete_SkipsTaggedAndReferenced_DeletesTheRestThroughTheRegistry_AuditedWithEvents()
    {
        await _server.CreateWebhookAsync(_owner, "/api/v1/orgs/prod/webhooks", _receiver.Url, events: ["delete"]);
        var registry = await _server.RegistryAsync(Repository);
        var seeded = await SeedAsync(registry);
        var admin = await _server.AdminAsync();
        var unknown = "sha256:" + new string('0', 64);

        using var response = await admin.PostAsJsonAsync($"{Base}/delete", new { digests = new[] { seeded.Arm, seeded.Plain, seeded.PlainSignature, seeded.Index, unknown } });
        var body = await ProblemAssert.StatusAsync(HttpStatusCode.OK, response);
        var outcomes = body.GetProperty("items").EnumerateArray().ToDictionary(i => i.GetProperty("digest").GetString()!, i => (Outcome: i.GetProperty("outcome").GetString(), Reason: i.GetProperty("reason").GetString()));
        Assert.Equal(2, body.GetProperty("deleted").GetInt32());
        Assert.Equal(3, body.GetProperty("skipped").GetInt32());
        Assert.Equal("deleted", outcomes[seeded.Plain].Outcome);
        Assert.Equal("deleted", outcomes[seeded.PlainSignature].Outcome);
        Assert.Equal("skipped", outcomes[seeded.Arm].Outcome);
        Assert.Contains($"held by index {seeded.Index} (tags: multi)", outcomes[seeded.Arm].Reason, StringComparison.Ordinal);
        Assert.Equal("skipped", outcomes[seeded.Index].Outcome);
        Assert.StartsWith("tagged (multi)", outcomes[seeded.Index].Reason, StringComparison.Ordinal);
        Assert.Equal("not a manifest of this repository", outcomes[unknown].Reason);
        Assert.Equal(HttpStatusCode.NotFound, await registry.StatusOfAsync(HttpMethod.Head, $"/v2/{Repository}/manifests/{seeded.Plain}"));
        Assert.Equal(HttpStatusCode.OK, await registry.StatusOfAsync(HttpMethod.Head, $"/v2/{Repository}/manifests/{seeded.Arm}"));
        Assert.Equal(HttpStatusCode.OK, await registry.StatusOfAsync(HttpMethod.Head, $"/v2/{Repository}/manifests/multi"));

        // The same events as DELETE /v2/…/manifests/{digest}: a manifest.deleted webhook for each.
        var deletedEvents = await WaitForEventsAsync(WebhookEventNames.ManifestDeleted, 2);
        Assert.Equal(new[] { seeded.Plain, seeded.PlainSignature }.Order(), deletedEvents.Select(e => e.Field("digest")).Order());

        // Chosen explicitly, a referenced platform image goes too, and its entry says what referenced it.
        using var forced = await admin.PostAsJsonAsync($"{Base}/delete", new { digests = new[] { seeded.Arm }, includeReferenced = true });
        Assert.Equal(1, (await ProblemAssert.StatusAsync(HttpStatusCode.OK, forced)).GetProperty("deleted").GetInt32());
        Assert.Equal(HttpStatusCode.NotFound, await registry.StatusOfAsync(HttpMethod.Head, $"/v2/{Repository}/manifests/{seeded.Arm}"));

        await using var db = await _server.Api.Get<IDbContextFactory<DockyardDbContext>>().CreateDbContextAsync();
        var entries = await db.AuditEntries.AsNoTracking().Where(e => e.Action == AuditActions.ManifestDelete && e.Repository == Repository).ToListAsync();
        Assert.Equal(3, entries.Count);
        Assert.All(entries, e =>
        {
            Assert.Equal(AuditOutcomes.Success, e.Outcome);
            Assert.Equal(AdminBootstrapper.AdminUsername, e.ActorName);
            Assert.Equal(e.Digest, e.Reference);
            Assert.NotNull(e.RequestId);
        });
        Assert.Equal(new[] { seeded.Plain, seeded.PlainSignature, seeded.Arm }.Order(), entries.Select(e => e.Digest).Order());
        Assert.Contains($"held by index {seeded.Index}", entries.Single(e => e.Digest == seeded.Arm).Details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Delete_Anonymous401_ReaderWithoutDelete403_Outsider404_BadDigest400_AndRefusalsAreRecorded()
    {
        var seeded = await SeedAsync(await _server.RegistryAsync(Repository));
        var body = new { digests = new[] { seeded.Plain } };

        using (var anonymous = await _server.Api.Anonymous().PostAsJsonAsync($"{Base}/delete", body))
        {
            await ProblemAssert.StatusAsync(HttpStatusCode.Unauthorized, anonymous);
        }

        var (_, reader) = await _server.Api.UserAsync("reader");
        await _server.Api.AddMemberAsync(_organizationId, "reader");
        using (var listed = await reader.GetAsync($"{Base}?untagged=true"))
        {
            await ProblemAssert.StatusAsync(HttpStatusCode.OK, listed);
        }

        using (var refused = await reader.PostAsJsonAsync($"{Base}/delete", body))
        {
            await ProblemAssert.StatusAsync(HttpStatusCode.Forbidden, refused);
        }

        using (var refusedCleanUp = await reader.PostAsJsonAsync($"{Base}/delete-untagged", new { olderThanDays = 0 }))
        {
            await ProblemAssert.StatusAsync(HttpStatusCode.Forbidden, refusedCleanUp);
        }

        var (_, outsider) = await _server.Api.UserAsync("outsider");
        using (var hidden = await outsider.PostAsJsonAsync($"{Base}/delete", body))
        {
            await ProblemAssert.StatusAsync(HttpStatusCode.NotFound, hidden);
        }

        using (var hiddenList = await outsider.GetAsync($"{Base}?untagged=true"))
        {
            await ProblemAssert.StatusAsync(HttpStatusCode.NotFound, hiddenList);
        }

        using (var missing = await _owner.PostAsJsonAsync("/api/v1/repositories/prod/nothing-here/manifests/delete", body))
        {
            await ProblemAssert.StatusAsync(HttpStatusCode.NotFound, missing);
        }

        using (var invalid = await _owner.PostAsJsonAsync($"{Base}/delete", new { digests = new[] { "latest" } }))
        {
            await ProblemAssert.InvalidAsync("digests", invalid);
        }

        var registry = await _server.RegistryAsync(Repository);
        Assert.Equal(HttpStatusCode.OK, await registry.StatusOfAsync(HttpMethod.Head, $"/v2/{Repository}/manifests/{seeded.Plain}"));
        await using var db = await _server.Api.Get<IDbContextFactory<DockyardDbContext>>().CreateDbContextAsync();
        var denied = await db.AuditEntries.AsNoTracking().Where(e => e.Action == AuditActions.ManifestDelete && e.Outcome == AuditOutcomes.Denied).ToListAsync();
        Assert.Contains(denied, e => e.ActorName == "anonymous" || e.ActorKind == "anonymous");
        Assert.Equal(2, denied.Count(e => e.ActorName == "reader"));
        Assert.Contains(denied, e => e.ActorName == "outsider" && e.Repository == Repository);
        Assert.DoesNotContain(await db.AuditEntries.AsNoTracking().Where(e => e.Action == AuditActions.ManifestDelete).ToListAsync(), e => e.Outcome == AuditOutcomes.Success);
    }

    [Fact]
    public async Task DeleteUntaggedOlderThan_DryRunListsThePlan_RunDeletesOnlyOldUnreferencedOnes()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var api = await ApiTestServer.StartAsync(configure: b => b.Services.AddSingleton<TimeProvider>(time));
        var admin = await api.AdminAsync();
        var registry = await RegistryAsync(api);
        var seeded = await SeedAsync(registry);
        time.Advance(TimeSpan.FromDays(10));
        var fresh = await PushByDigestAsync(await RegistryAsync(api), ImageConfig("amd64"), "fresh layer");

        using var dry = await admin.PostAsJsonAsync($"{Base}/delete-untagged", new { olderThanDays = 5, dryRun = true });
        var plan = await ProblemAssert.StatusAsync(HttpStatusCode.OK, dry);
        Assert.True(plan.GetProperty("dryRun").GetBoolean());
        Assert.Equal(5, plan.GetProperty("olderThanDays").GetInt32());
        // The plain image goes, and then its signature (whose subject went): retention's cascade.
        Assert.Equal([seeded.Plain, seeded.PlainSignature], plan.GetProperty("planned").EnumerateArray().Select(p => p.GetProperty("digest").GetString()));
        var kept = plan.GetProperty("kept").EnumerateArray().ToDictionary(k => k.GetProperty("digest").GetString()!, k => k.GetProperty("reason").GetString());
        Assert.Equal("listed by a kept index", kept[seeded.Arm]);
        Assert.Equal($"refers to {seeded.Index}, which is kept", kept[seeded.IndexSignature]);
        Assert.Equal("pushed within the last 1h", kept[fresh]);
        Assert.Equal(0, plan.GetProperty("deleted").GetInt32());
        Assert.Equal(HttpStatusCode.OK, await (await RegistryAsync(api)).StatusOfAsync(HttpMethod.Head, $"/v2/{Repository}/manifests/{seeded.Plain}"));

        using var run = await admin.PostAsJsonAsync($"{Base}/delete-untagged", new { olderThanDays = 5 });
        var result = await ProblemAssert.StatusAsync(HttpStatusCode.OK, run);
        Assert.False(result.GetProperty("dryRun").GetBoolean());
        Assert.Equal(2, result.GetProperty("deleted").GetInt32());
        var after = await RegistryAsync(api);
        Assert.Equal(HttpStatusCode.NotFound, await after.StatusOfAsync(HttpMethod.Head, $"/v2/{Repository}/manifests/{seeded.Plain}"));
        Assert.Equal(HttpStatusCode.OK, await after.StatusOfAsync(HttpMethod.Head, $"/v2/{Repository}/manifests/{seeded.Arm}"));
        Assert.Equal(HttpStatusCode.OK, await after.StatusOfAsync(HttpMethod.Head, $"/v2/{Repository}/manifests/{fresh}"));

        await using var db = await api.Get<IDbContextFactory<DockyardDbContext>>().CreateDbContextAsync();
        var entries = await db.AuditEntries.AsNoTracking().Where(e => e.Action == AuditActions.ManifestDelete).ToListAsync();
        Assert.Equal(new[] { seeded.Plain, seeded.PlainSignature }.Order(), entries.Select(e => e.Digest).Order());
        Assert.All(entries, e => Assert.Contains("untagged and pushed more than 5d ago", e.Details, StringComparison.Ordinal));

        using var invalid = await admin.PostAsJsonAsync($"{Base}/delete-untagged", new { dryRun = true });
        await ProblemAssert.InvalidAsync("olderThanDays", invalid);
    }

    /// <summary>
    /// Pushes: two platform images by digest and an index of them tagged "multi"; a signature of the index by digest;
    /// a plain image pushed as "tmp" and untagged; a signature of that image by digest.
    /// </summary>
    internal static async Task<Seeded> SeedAsync(RegistryTestClient registry)
    {
        var arm = await PushByDigestAsync(registry, ImageConfig("arm64"), "arm layer");
        var amd = await PushByDigestAsync(registry, ImageConfig("amd64"), "amd layer");
        var index = TestManifests.Index(TestManifests.OciIndex, (arm, await SizeAsync(registry, arm), TestManifests.OciManifest, "arm64"), (amd, await SizeAsync(registry, amd), TestManifests.OciManifest, "amd64"));
        using (var put = await registry.PutManifestAsync(Repository, "multi", index, TestManifests.OciIndex))
        {
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        }

        var indexDigest = RegistryTestClient.DigestOf(Encoding.UTF8.GetBytes(index));
        var indexSignature = await PushSignatureAsync(registry, indexDigest, index.Length, "index signature");
        var (_, plain) = await registry.PushImageAsync(Repository, "tmp");
        using (var untag = await registry.SendAsync(HttpMethod.Delete, $"/v2/{Repository}/manifests/tmp"))
        {
            Assert.Equal(HttpStatusCode.Accepted, untag.StatusCode);
        }

        var plainSignature = await PushSignatureAsync(registry, plain, await SizeAsync(registry, plain), "plain signature");
        return new Seeded(arm, amd, indexDigest, indexSignature, plain, plainSignature);
    }

    internal static string ImageConfig(string architecture) =>
        $$"""{"architecture":"{{architecture}}","os":"linux","config":{"Cmd":["/app"]},"history":[{"created_by":"ADD app /app"},{"created_by":"CMD [\"/app\"]","empty_layer":true}]}""";

    internal static async Task<string> PushByDigestAsync(RegistryTestClient registry, string configJson, string layerText)
    {
        var config = Encoding.UTF8.GetBytes(configJson);
        var layer = Encoding.UTF8.GetBytes(layerText);
        var json = TestManifests.Image(TestManifests.OciManifest, await registry.PushBlobAsync(Repository, config), config.Length, await registry.PushBlobAsync(Repository, layer), layer.Length);
        return await PutByDigestAsync(registry, json);
    }

    /// <summary>A cosign-style signature attached to <paramref name="subject"/> through the OCI <c>subject</c> field, pushed by digest.</summary>
    internal static async Task<string> PushSignatureAsync(RegistryTestClient registry, string subject, long subjectSize, string payload)
    {
        var empty = "{}"u8.ToArray();
        var signature = Encoding.UTF8.GetBytes(payload);
        var json = TestManifests.Image(
            TestManifests.OciManifest, await registry.PushBlobAsync(Repository, empty), empty.Length, await registry.PushBlobAsync(Repository, signature), signature.Length,
            subject, subjectSize, "application/vnd.dev.cosign.artifact.sig.v1+json", new Dictionary<string, string> { ["dev.sigstore.cosign/signer"] = "ci@example.com" });
        return await PutByDigestAsync(registry, json);
    }

    private static async Task<string> PutByDigestAsync(RegistryTestClient registry, string json)
    {
        var digest = RegistryTestClient.DigestOf(Encoding.UTF8.GetBytes(json));
        using var put = await registry.PutManifestAsync(Repository, digest, json, TestManifests.OciManifest);
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        return digest;
    }

    private static async Task<long> SizeAsync(RegistryTestClient registry, string digest)
    {
        using var head = await registry.Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/v2/{Repository}/manifests/{digest}"));
        return head.Content.Headers.ContentLength!.Value;
    }

    /// <summary>A registry client for the administrator (pull, push, delete on the repository), with a token issued now.</summary>
    private static async Task<RegistryTestClient> RegistryAsync(ApiTestServer api)
    {
        var http = api.WithBasic(AdminBootstrapper.AdminUsername, ApiTestServer.AdminPassword);
        using var issued = await http.GetAsync($"/auth/token?service=dockyard&scope={Uri.EscapeDataString($"repository:{Repository}:pull,push,delete")}");
        var token = (await ProblemAssert.StatusAsync(HttpStatusCode.OK, issued)).GetProperty("token").GetString()!;
        return new RegistryTestClient(api.WithBearer(token));
    }

    private async Task<IReadOnlyList<ReceivedWebhook>> WaitForEventsAsync(string type, int count)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (_receiver.Received.Count(r => r.Event == type) < count && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        return [.. _receiver.Received.Where(r => r.Event == type)];
    }

    internal sealed record Seeded(string Arm, string Amd, string Index, string IndexSignature, string Plain, string PlainSignature);
}
