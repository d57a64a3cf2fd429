using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Dockyard.Server.Data;
using Dockyard.Server.Events;
using Dockyard.Server.Tests.Hosting;
using Dockyard.Server.Webhooks;
using Microsoft.EntityFrameworkCore;

namespace Dockyard.Server.Tests.Webhooks;

public sealed class WebhookDeliveryTests : IAsyncLifetime
{
    private const string OrgHooks = "/api/v1/orgs/prod/webhooks";

    private WebhookTestServer _server = null!;
    private WebhookReceiver _receiver = null!;
    private HttpClient _owner = null!;
    private long _ownerId;

    public async Task InitializeAsync()
    {
        _server = await WebhookTestServer.StartAsync();
        _receiver = await WebhookReceiver.StartAsync();
        (_ownerId, _owner) = await _server.Api.UserAsync("owner");
        await _server.Api.CreateOrganizationAsync("prod", _ownerId);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _receiver.DisposeAsync();
    }

    [Fact]
    public async Task Push_OrganizationWebhook_DeliversSignedPayloads()
    {
        const string Secret = "a-receiver-chosen-secret";
        var (id, secret) = await _server.CreateWebhookAsync(_owner, OrgHooks, _receiver.Url, secret: Secret);
        Assert.Equal(Secret, secret);
        var registry = await _server.RegistryAsync("prod/app");

        var (json, digest) = await registry.PushImageAsync("prod/app", "1.0");

        var received = await _receiver.WaitForAsync(2);
        var pushed = received.Single(r => r.Event == WebhookEventNames.ManifestPushed);
        var tagged = received.Single(r => r.Event == WebhookEventNames.TagCreated);
        foreach (var request in received)
        {
            // Computed here independently of the server's code: hex HMAC-SHA256 of the raw body.
            Assert.Equal("sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), request.Body)), request.Signature);
            Assert.True(WebhookSignature.Verify(Secret, request.Body, request.Signature));
            Assert.False(WebhookSignature.Verify("some-other-secret-value", request.Body, request.Signature));
            Assert.Equal(request.Event, request.Field("type"));
            Assert.StartsWith("application/json", request.Headers["Content-Type"], StringComparison.Ordinal);
            Assert.Equal("prod/app", request.Field("repository"));
            Assert.Equal(digest, request.Field("digest"));
            Assert.Equal("1.0", request.Field("tag"));
            Assert.Equal(_server.Api.Server.BaseAddress.Authority, request.Field("registry"));
            Assert.Equal("user", request.Payload.GetProperty("actor").GetProperty("kind").GetString());
            Assert.Equal("admin", request.Payload.GetProperty("actor").GetProperty("name").GetString());
            Assert.True(DateTimeOffset.TryParse(request.Field("timestamp"), out _));
            Assert.True(Guid.TryParse(request.Field("id"), out _));
        }

        Assert.Equal(TestManifests.OciManifest, pushed.Field("mediaType"));
        Assert.Equal(Encoding.UTF8.GetByteCount(json), pushed.Payload.GetProperty("size").GetInt64());
        Assert.NotEqual(pushed.Field("id"), tagged.Field("id"));

        var deliveries = await WebhookTestServer.WaitForDeliveriesAsync(
            _owner, $"{OrgHooks}/{id}", ds => ds.Length == 2 && ds.All(d => d.GetProperty("status").GetString() == "succeeded"));
        Assert.Equal(received.Select(r => r.Delivery).Order(), deliveries.Select(d => d.GetProperty("id").GetString()).Order());
        Assert.All(deliveries, d =>
        {
            Assert.Equal(1, d.GetProperty("attempts").GetInt32());
            Assert.Equal(200, d.GetProperty("lastStatusCode").GetInt32());
            Assert.Equal(200, d.GetProperty("history").EnumerateArray().Single().GetProperty("statusCode").GetInt32());
        });

        using var deleteTag = await registry.SendAsync(HttpMethod.Delete, "/v2/prod/app/manifests/1.0");
        Assert.Equal(HttpStatusCode.Accepted, deleteTag.StatusCode);
        Assert.Equal("1.0", (await _receiver.WaitForEventAsync(WebhookEventNames.TagDeleted)).Field("tag"));
        using var deleteManifest = await registry.SendAsync(HttpMethod.Delete, $"/v2/prod/app/manifests/{digest}");
        Assert.Equal(HttpStatusCode.Accepted, deleteManifest.StatusCode);
        Assert.Equal(digest, (await _receiver.WaitForEventAsync(WebhookEventNames.ManifestDeleted)).Field("digest"));
    }

    [Fact]
    public async Task Deliver_ReceiverFailsOnceThenSucceeds_RetriesAndRecordsBothAttempts()
    {
        _receiver.Respond = n => n == 1 ? 500 : 200;
        var (id, secret) = await _server.CreateWebhookAsync(_owner, OrgHooks, _receiver.Url, events: ["push"]);
        var registry = await _server.RegistryAsync("prod/app");

        await registry.PushImageAsync("prod/app", "1.0");

        var received = await _receiver.WaitForAsync(2);
        Assert.Equal(received[0].Delivery, received[1].Delivery);
        Assert.Equal(received[0].Body, received[1].Body);
        Assert.True(WebhookSignature.Verify(secret, received[1].Body, received[1].Signature));
        var delivery = (await WebhookTestServer.WaitForDeliveriesAsync(
            _owner, $"{OrgHooks}/{id}", ds => ds.Length == 1 && ds[0].GetProperty("status").GetString() == "succeeded")).Single();
        Assert.Equal(2, delivery.GetProperty("attempts").GetInt32());
        var history = delivery.GetProperty("history").EnumerateArray().ToArray();
        Assert.Equal([500, 200], history.Select(a => a.GetProperty("statusCode").GetInt32()));
        Assert.Equal([1, 2], history.Select(a => a.GetProperty("attempt").GetInt32()));
        Assert.Contains("500", history[0].GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.True(!history[1].TryGetProperty("error", out var noError) || noError.ValueKind == JsonValueKind.Null);
        Assert.True(history[1].GetProperty("at").GetDateTimeOffset() >= history[0].GetProperty("at").GetDateTimeOffset() + TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public async Task Deliver_ReceiverAlwaysFails_GivesUpAfterMaxAttempts()
    {
        await using var server = await WebhookTestServer.StartAsync(new Dictionary<string, string?> { ["Dockyard:Webhooks:MaxAttempts"] = "3" });
        var (ownerId, owner) = await server.Api.UserAsync("owner");
        await server.Api.CreateOrganizationAsync("prod", ownerId);
        _receiver.Respond = _ => 503;
        var (id, _) = await server.CreateWebhookAsync(owner, OrgHooks, _receiver.Url, events: ["push"]);

        await (await server.RegistryAsync("prod/app")).PushImageAsync("prod/app", "1.0");

        var delivery = (await WebhookTestServer.WaitForDeliveriesAsync(
            owner, $"{OrgHooks}/{id}", ds => ds.Length == 1 && ds[0].GetProperty("status").GetString() == "failed")).Single();
        Assert.Equal(3, delivery.GetProperty("attempts").GetInt32());
        Assert.Equal(JsonValueKind.Null, delivery.GetProperty("nextAttemptAt").ValueKind);
        Assert.Equal(3, _receiver.Received.Count);
    }

    [Fact]
    public async Task Push_ReceiverHangs_PushesAreNotDelayed()
    {
        _receiver.Hang = true;
        await _server.CreateWebhookAsync(_owner, OrgHooks, _receiver.Url);
        var registry = await _server.RegistryAsync("prod/app");
        await registry.PushImageAsync("prod/app", "warm-up");
        await _receiver.WaitForAsync(1);

        // More pushes than delivery slots, while every slot is stuck on the hanging receiver.
        var stopwatch = Stopwatch.StartNew();
        for (var i = 0; i < 6; i++)
        {
            var pushStarted = stopwatch.Elapsed;
            await registry.PushImageAsync("prod/app", $"v{i}");
            Assert.True(stopwatch.Elapsed - pushStarted < TimeSpan.FromSeconds(2), $"push {i} took {stopwatch.Elapsed - pushStarted}");
        }

        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(5), $"6 pushes took {stopwatch.Elapsed} (the delivery timeout is 10 s)");
        await _receiver.WaitForAsync(4);
        Assert.All(_receiver.Received, r => Assert.NotNull(r.Delivery));
    }

    [Fact]
    public async Task Pull_OnlySubscribedWebhooksReceiveIt()
    {
        var pulls = await WebhookReceiver.StartAsync();
        await using var _ = pulls;
        var (defaultId, _) = await _server.CreateWebhookAsync(_owner, OrgHooks, _receiver.Url);
        await _server.CreateWebhookAsync(_owner, OrgHooks, pulls.Url, events: ["pull"]);
        var registry = await _server.RegistryAsync("prod/app");
        var (_, digest) = await registry.PushImageAsync("prod/app", "1.0");

        using (var pull = await registry.SendAsync(HttpMethod.Get, "/v2/prod/app/manifests/1.0", null, ("Accept", TestManifests.OciManifest)))
        {
            Assert.Equal(HttpStatusCode.OK, pull.StatusCode);
        }

        var pulled = await pulls.WaitForEventAsync(WebhookEventNames.ManifestPulled);
        Assert.Equal(digest, pulled.Field("digest"));
        Assert.Equal("1.0", pulled.Field("tag"));
        Assert.Equal("admin", pulled.Payload.GetProperty("actor").GetProperty("name").GetString());

        // Both webhooks' rows for the pull were written together, so the default one's history is complete now.
        var deliveries = await WebhookTestServer.DeliveriesAsync(_owner, $"{OrgHooks}/{defaultId}");
        Assert.Equal(
            [WebhookEventNames.ManifestPushed, WebhookEventNames.TagCreated],
            deliveries.Select(d => d.GetProperty("event").GetString()).Order());
        Assert.All(pulls.Received, r => Assert.Equal(WebhookEventNames.ManifestPulled, r.Event));
    }

    [Fact]
    public async Task Push_OrganizationAndRepositoryWebhooks_ScopedToTheirRepositories()
    {
        var repositoryReceiver = await WebhookReceiver.StartAsync();
        await using var _ = repositoryReceiver;
        var admin = await _server.AdminAsync();
        await _server.Api.CreateOrganizationAsync("other", await _server.Api.UserIdAsync("admin"));
        var registry = await _server.RegistryAsync("prod/app", "prod/other", "other/app");
        await registry.PushImageAsync("prod/app", "seed");
        var (orgId, _) = await _server.CreateWebhookAsync(_owner, OrgHooks, _receiver.Url, events: ["push"]);
        var (repoId, _) = await _server.CreateWebhookAsync(_owner, "/api/v1/repositories/prod/app/webhooks", repositoryReceiver.Url, events: ["push"]);

        await registry.PushImageAsync("other/app", "1");
        await registry.PushImageAsync("prod/other", "1");
        await registry.PushImageAsync("prod/app", "1");

        var last = await repositoryReceiver.WaitForEventAsync(WebhookEventNames.ManifestPushed);
        Assert.Equal("prod/app", last.Field("repository"));
        // Events are handled in order, so the earlier pushes' deliveries (if any) exist by now.
        await WebhookTestServer.WaitForDeliveriesAsync(_owner, $"{OrgHooks}/{orgId}", ds => ds.Length == 2);
        Assert.Single(await WebhookTestServer.DeliveriesAsync(admin, $"/api/v1/repositories/prod/app/webhooks/{repoId}"));
        var org = await _receiver.WaitForAsync(2);
        Assert.Equal(["prod/app", "prod/other"], org.Select(r => r.Field("repository")).Order());
        Assert.Equal(["prod/app"], repositoryReceiver.Received.Select(r => r.Field("repository")));
    }

    [Fact]
    public async Task Test_Ping_IsSignedAndRecorded()
    {
        var (id, secret) = await _server.CreateWebhookAsync(_owner, OrgHooks, _receiver.Url);

        using var response = await _owner.PostAsync($"{OrgHooks}/{id}/test", null);
        var queued = await Api.ProblemAssert.StatusAsync(HttpStatusCode.Accepted, response);

        var ping = await _receiver.WaitForEventAsync(WebhookEventNames.Ping);
        Assert.True(WebhookSignature.Verify(secret, ping.Body, ping.Signature));
        Assert.Equal(queued.GetProperty("id").GetString(), ping.Delivery);
        Assert.Equal(id, ping.Payload.GetProperty("webhookId").GetInt64());
        Assert.Equal("prod", ping.Field("organization"));
        await WebhookTestServer.WaitForDeliveriesAsync(_owner, $"{OrgHooks}/{id}", ds => ds.Single().GetProperty("status").GetString() == "succeeded");
    }

    [Fact]
    public async Task Deliver_PendingAcrossRestart_IsSentAfterRestart()
    {
        await using var server = await WebhookTestServer.StartAsync(new Dictionary<string, string?> { ["Dockyard:Webhooks:RetryBaseDelay"] = "00:00:03" });
        var (ownerId, owner) = await server.Api.UserAsync("owner");
        await server.Api.CreateOrganizationAsync("prod", ownerId);
        _receiver.Respond = n => n == 1 ? 500 : 200;
        var (id, _) = await server.CreateWebhookAsync(owner, OrgHooks, _receiver.Url, events: ["push"]);
        await (await server.RegistryAsync("prod/app")).PushImageAsync("prod/app", "1.0");
        await WebhookTestServer.WaitForDeliveriesAsync(
            owner, $"{OrgHooks}/{id}", ds => ds.Length == 1 && ds[0].GetProperty("attempts").GetInt32() == 1 && ds[0].GetProperty("status").GetString() == "pending");

        await server.Api.Server.RestartAsync();

        var received = await _receiver.WaitForAsync(2);
        Assert.Equal(received[0].Delivery, received[1].Delivery);
        var token = await server.Api.ClientForAsync(ownerId);
        var delivery = (await WebhookTestServer.WaitForDeliveriesAsync(
            token, $"{OrgHooks}/{id}", ds => ds.Single().GetProperty("status").GetString() == "succeeded")).Single();
        Assert.Equal(2, delivery.GetProperty("attempts").GetInt32());
    }

    [Fact]
    public async Task Replay_OutboxHandedOverAgain_CreatesNoDuplicateDeliveries()
    {
        var (id, _) = await _server.CreateWebhookAsync(_owner, OrgHooks, _receiver.Url, events: ["push", "tag", "delete"]);
        var registry = await _server.RegistryAsync("prod/app");
        await registry.PushImageAsync("prod/app", "1.0");
        using (var deleteTag = await registry.SendAsync(HttpMethod.Delete, "/v2/prod/app/manifests/1.0"))
        {
            Assert.Equal(HttpStatusCode.Accepted, deleteTag.StatusCode);
        }

        var first = await WebhookTestServer.WaitForDeliveriesAsync(
            _owner, $"{OrgHooks}/{id}", ds => ds.Length == 3 && ds.All(d => d.GetProperty("status").GetString() == "succeeded"));
        await _receiver.WaitForAsync(3);

        // Hand every recorded event over again, as after a crash between the hand-over and the cursor's save.
        long last;
        await using (var db = await _server.Api.Get<IDbContextFactory<DockyardDbContext>>().CreateDbContextAsync())
        {
            last = await db.RegistryOutbox.MaxAsync(r => r.Id);
            Assert.Equal(last, await CursorAsync(db));
            await db.DeliveryCursors.Where(c => c.Name == RegistryOutboxDispatcher.CursorName).ExecuteUpdateAsync(c => c.SetProperty(x => x.Position, 0L));
        }

        await _server.Api.Server.RestartAsync();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            await using var db = await _server.Api.Get<IDbContextFactory<DockyardDbContext>>().CreateDbContextAsync();
            if (await CursorAsync(db) == last)
            {
                break;
            }

            Assert.True(DateTime.UtcNow < deadline, "the dispatcher did not hand the outbox over again after the restart");
            await Task.Delay(100);
        }

        var token = await _server.Api.ClientForAsync(_ownerId);
        var again = await WebhookTestServer.DeliveriesAsync(token, $"{OrgHooks}/{id}");
        Assert.Equal(first.Select(d => d.GetProperty("id").GetString()).Order(), again.Select(d => d.GetProperty("id").GetString()).Order());
        Assert.Equal(3, _receiver.Received.Count);
    }

    private static Task<long> CursorAsync(DockyardDbContext db) =>
        db.DeliveryCursors.Where(c => c.Name == RegistryOutboxDispatcher.CursorName).Select(c => c.Position).SingleAsync();
}
