using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dockyard.Server.Audit;
using Dockyard.Server.Data;
using Dockyard.Server.Tests.Api;
using Dockyard.Server.Webhooks;
using Microsoft.EntityFrameworkCore;

namespace Dockyard.Server.Tests.Webhooks;

/// <summary>
/// What a delivery shows (the repository and tag it was about, the payload sent, the start of each response) and
/// manual redelivery through the API: a new delivery of the same payload, audited, refused while the original is
/// still being attempted, for a disabled webhook, for an unknown delivery and for callers who may not manage it.
/// </summary>
public sealed class WebhookRedeliveryTests : IAsyncLifetime
{
    private const string OrgHooks = "/api/v1/orgs/prod/webhooks";

    private WebhookTestServer _server = null!;
    private WebhookReceiver _receiver = null!;
    private HttpClient _owner = null!;

    public async Task InitializeAsync()
    {
        // A short attempt timeout: one test holds a delivery in flight with a receiver that does not answer.
        _server = await WebhookTestServer.StartAsync(new Dictionary<string, string?> { ["Dockyard:Webhooks:RequestTimeout"] = "00:00:03" });
        _receiver = await WebhookReceiver.StartAsync();
        (var ownerId, _owner) = await _server.Api.UserAsync("owner");
        await _server.Api.CreateOrganizationAsync("prod", ownerId);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _receiver.DisposeAsync();
    }

    [Fact]
    public async Task Delivery_ShowsPayloadAndResponses_AndRedeliverySendsTheSamePayloadAgain()
    {
        // The first attempt fails with a long explanation (more than is kept), the retry and the redelivery succeed.
        var explanation = "signature mismatch: " + new string('x', 3000);
        _receiver.Respond = n => n == 1 ? 500 : 200;
        _receiver.Answer = n => n == 1 ? explanation : $"ok {n}";
        var (id, secret) = await _server.CreateWebhookAsync(_owner, OrgHooks, _receiver.Url, events: ["push"]);
        var hook = $"{OrgHooks}/{id}";
        var registry = await _server.RegistryAsync("prod/app");
        var (_, digest) = await registry.PushImageAsync("prod/app", "1.0");

        var delivery = (await WebhookTestServer.WaitForDeliveriesAsync(
            _owner, hook, ds => ds.Length == 1 && ds[0].GetProperty("status").GetString() == "succeeded")).Single();
        Assert.Equal("prod/app", delivery.GetProperty("repository").GetString());
        Assert.Equal("1.0", delivery.GetProperty("tag").GetString());
        Assert.Equal(digest, delivery.GetProperty("digest").GetString());
        var sent = _receiver.Received[0];
        Assert.Equal(JsonSerializer.Serialize(sent.Payload), JsonSerializer.Serialize(delivery.GetProperty("payload")));
        var history = delivery.GetProperty("history").EnumerateArray().ToArray();
        var first = history[0].GetProperty("response").GetString()!;
        Assert.Equal(WebhookSender.MaxResponseExcerpt + 1, first.Length);
        Assert.Equal(explanation[..WebhookSender.MaxResponseExcerpt] + "…", first);
        Assert.Equal("ok 2", history[1].GetProperty("response").GetString());
        Assert.Equal(JsonValueKind.Null, delivery.GetProperty("redeliveryOf").ValueKind);

        var original = delivery.GetProperty("id").GetString()!;
        using var redeliver = await _owner.PostAsJsonAsync($"{hook}/redeliver", new { delivery = original });
        var queued = await ProblemAssert.StatusAsync(HttpStatusCode.Accepted, redeliver);
        Assert.NotEqual(original, queued.GetProperty("id").GetString());
        Assert.Equal(original, queued.GetProperty("redeliveryOf").GetString());

        // The same bytes (the payload id included, so receivers can recognise the event), signed, under a new delivery id.
        var again = (await _receiver.WaitForAsync(3))[2];
        Assert.Equal(sent.Body, again.Body);
        Assert.True(WebhookSignature.Verify(secret, again.Body, again.Signature));
        Assert.Equal(queued.GetProperty("id").GetString(), again.Delivery);
        Assert.NotEqual(sent.Delivery, again.Delivery);

        var both = await WebhookTestServer.WaitForDeliveriesAsync(
            _owner, hook, ds => ds.Length == 2 && ds.All(d => d.GetProperty("status").GetString() == "succeeded"));
        Assert.Equal(original, both[0].GetProperty("redeliveryOf").GetString());
        Assert.Equal("ok 3", both[0].GetProperty("history").EnumerateArray().Single().GetProperty("response").GetString());

        // A redelivery of the redelivery still points at the first delivery of the event.
        using var twice = await _owner.PostAsJsonAsync($"{hook}/redeliver", new { delivery = both[0].GetProperty("id").GetString() });
        Assert.Equal(original, (await ProblemAssert.StatusAsync(HttpStatusCode.Accepted, twice)).GetProperty("redeliveryOf").GetString());

        await using var db = await _server.Api.Get<IDbContextFactory<DockyardDbContext>>().CreateDbContextAsync();
        var audit = await db.AuditEntries.AsNoTracking().Where(e => e.Action == AuditActions.WebhookRedeliver).OrderBy(e => e.Id).ToListAsync();
        Assert.Equal(2, audit.Count);
        Assert.All(audit, e => Assert.Equal((AuditOutcomes.Success, "owner", "prod"), (e.Outcome, e.ActorName, e.Organization)));
        Assert.Contains(original, audit[0].Resource, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Redeliver_Refusals_AreProblemsAndChangeNothing()
    {
        var (id, _) = await _server.CreateWebhookAsync(_owner, OrgHooks, _receiver.Url, events: ["push"]);
        var hook = $"{OrgHooks}/{id}";

        // While the receiver has not answered, the ping is still being attempted.
        _receiver.Hang = true;
        using (var ping = await _owner.PostAsync($"{hook}/test", null))
        {
            Assert.Equal(HttpStatusCode.Accepted, ping.StatusCode);
        }

        await _receiver.WaitForAsync(1);
        var pending = (await WebhookTestServer.DeliveriesAsync(_owner, hook)).Single();
        Assert.Equal("pending", pending.GetProperty("status").GetString());
        var pendingId = pending.GetProperty("id").GetString();
        using (var busy = await _owner.PostAsJsonAsync($"{hook}/redeliver", new { delivery = pendingId }))
        {
            await ProblemAssert.StatusAsync(HttpStatusCode.Conflict, busy);
        }

        using (var unknown = await _owner.PostAsJsonAsync($"{hook}/redeliver", new { delivery = Guid.NewGuid().ToString() }))
        {
            await ProblemAssert.StatusAsync(HttpStatusCode.NotFound, unknown);
        }

        using (var empty = await _owner.PostAsJsonAsync($"{hook}/redeliver", new { }))
        {
            await ProblemAssert.InvalidAsync("delivery", empty);
        }

        var (_, stranger) = await _server.Api.UserAsync("stranger");
        using (var refused = await stranger.PostAsJsonAsync($"{hook}/redeliver", new { delivery = pendingId }))
        {
            Assert.True(refused.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.NotFound, $"got {(int)refused.StatusCode}");
        }

        using (var anonymous = await _server.Api.Anonymous().PostAsJsonAsync($"{hook}/redeliver", new { delivery = pendingId }))
        {
            await ProblemAssert.StatusAsync(HttpStatusCode.Unauthorized, anonymous);
        }

        using (var disable = await _owner.PatchAsJsonAsync(hook, new { enabled = false }))
        {
            Assert.Equal(HttpStatusCode.OK, disable.StatusCode);
        }

        _receiver.Hang = false;
        var finished = await WebhookTestServer.WaitForDeliveriesAsync(
            _owner, hook, ds => ds.Length == 1 && ds[0].GetProperty("status").GetString() != "pending", TimeSpan.FromSeconds(30));
        using (var disabled = await _owner.PostAsJsonAsync($"{hook}/redeliver", new { delivery = finished[0].GetProperty("id").GetString() }))
        {
            await ProblemAssert.StatusAsync(HttpStatusCode.Conflict, disabled);
        }

        Assert.Single(await WebhookTestServer.DeliveriesAsync(_owner, hook));
        await using var db = await _server.Api.Get<IDbContextFactory<DockyardDbContext>>().CreateDbContextAsync();
        var outcomes = await db.AuditEntries.AsNoTracking().Where(e => e.Action == AuditActions.WebhookRedeliver).Select(e => e.Outcome).ToListAsync();
        Assert.DoesNotContain(AuditOutcomes.Success, outcomes);
        Assert.Contains(AuditOutcomes.Denied, outcomes);
    }
}
