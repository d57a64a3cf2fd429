using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using Dockyard.Server.Data;
using Dockyard.Server.Data.Entities;
using Dockyard.Server.Tests.Hosting;
using Dockyard.Server.Tests.Infrastructure;
using Dockyard.Server.Webhooks;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace Dockyard.Server.Tests.Webhooks;

/// <summary>
/// Webhook events a client saw succeed survive kill -9 (issue #20, defect 11): the server is a real process, its
/// webhooks point at a loopback receiver that is not running yet (so deliveries stay pending rows), 20 tags are pushed
/// at once and the server is killed the moment the last 201 arrives. After a restart every tag has its deliveries,
/// exactly once each, and they reach the receiver once it comes up. Several webhooks make each event's hand-over cost
/// what it does on a real organization (a row per webhook), so the window between a 201 and its deliveries is wide
/// enough to hit on any machine.
/// </summary>
public sealed class WebhookOutboxCrashTests(ITestOutputHelper output)
{
    private const string Repository = "outbox/app";
    private const int Tags = 20;
    private const int Webhooks = 20;

    private static readonly string[] Types = [WebhookEventNames.ManifestPushed, WebhookEventNames.TagCreated];

    [Fact]
    public async Task Kill9_RightAfterPushes_EveryTagKeepsItsDeliveries()
    {
        var receiverPort = LoopbackPorts.Free();
        await using var server = await DockyardProcess.StartAsync(new Dictionary<string, string>
        {
            ["DOCKYARD__WEBHOOKS__ALLOWEDNETWORKS__0"] = "127.0.0.0/8",
            ["DOCKYARD__WEBHOOKS__RETRYBASEDELAY"] = "00:00:01",
            ["DOCKYARD__WEBHOOKS__RETRYFACTOR"] = "1.5",
            ["DOCKYARD__WEBHOOKS__MAXATTEMPTS"] = "1000",
            ["DOCKYARD__WEBHOOKS__POLLINTERVAL"] = "00:00:00.5",
            ["DOCKYARD__WEBHOOKS__SUBSCRIPTIONREFRESHINTERVAL"] = "00:00:00.2",
        });
        try
        {
            // Kills the server from inside the client the moment the last of the burst's 201s is read: no continuation runs first.
            var created = 0;
            using var killer = new KillOnResponse(() => Interlocked.Increment(ref created) == Tags, () => KillNow(server.Pid));
            using var http = new HttpClient(killer) { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromMinutes(2) };
            var registry = new RegistryTestClient(http);
            var config = Encoding.UTF8.GetBytes("{\"architecture\":\"amd64\",\"os\":\"linux\"}");
            var layer = Encoding.UTF8.GetBytes("outbox crash layer");
            var json = TestManifests.Image(TestManifests.OciManifest, await registry.PushBlobAsync(Repository, config), config.Length, await registry.PushBlobAsync(Repository, layer), layer.Length);

            // The blobs created the repository, which a repository webhook references.
            await using (var db = Database(server))
            {
                var now = DateTimeOffset.UtcNow;
                db.Webhooks.AddRange(Enumerable.Range(0, Webhooks).Select(i => new WebhookEntity
                {
                    Repository = Repository,
                    Url = $"http://127.0.0.1:{receiverPort}/hook/{i}",
                    Secret = "outbox-crash-test-secret",
                    Events = (int)(WebhookEventKinds.Push | WebhookEventKinds.Tag),
                    CreatedAt = now,
                    UpdatedAt = now,
                }));
                await db.SaveChangesAsync();
            }

            // A warm-up push proves the subscription is live before the burst (its deliveries appear without any crash).
            using (var warmup = await registry.PutManifestAsync(Repository, "warmup", json, TestManifests.OciManifest))
            {
                Assert.Equal(HttpStatusCode.Created, warmup.StatusCode);
                Volatile.Write(ref created, 0);
            }

            await WaitForAsync(server, ds => Has(ds, "warmup"), "the warm-up push's deliveries");

            var puts = Enumerable.Range(0, Tags).Select(async i =>
            {
                using var response = await registry.PutManifestAsync(Repository, TagName(i), json, TestManifests.OciManifest);
                Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            });
            await Task.WhenAll(puts);
            await server.KillAsync(); // reaps the process killed above

            await server.RestartAsync();
            var expected = Enumerable.Range(0, Tags).Select(TagName).ToArray();
            var afterRestart = await WaitForAsync(server, ds => expected.All(t => Has(ds, t)), "a delivery of both events of every pushed tag", TimeSpan.FromSeconds(20), fail: false);
            var missing = expected.Where(t => !Has(afterRestart, t)).ToArray();
            output.WriteLine($"after kill -9 and restart: {afterRestart.Count} delivery rows; tags missing a delivery: {(missing.Length == 0 ? "none" : string.Join(", ", missing))}");
            Assert.Empty(missing);

            // Exactly one row per (webhook, tag, event): replaying the outbox after the crash did not duplicate any.
            var duplicates = afterRestart.GroupBy(d => (d.WebhookId, d.Tag, d.Type)).Where(g => g.Count() > 1).Select(g => $"{g.Key} x{g.Count()}").ToArray();
            Assert.Empty(duplicates);
            Assert.Equal((Tags + 1) * Types.Length * Webhooks, afterRestart.Count);

            await using var receiver = await WebhookReceiver.StartAsync(receiverPort);
            await WaitForAsync(server, ds => ds.All(d => d.Status == WebhookDeliveryStatus.Succeeded), "every delivery succeeded", TimeSpan.FromSeconds(90));
            var received = receiver.Received;
            foreach (var tag in expected)
            {
                foreach (var type in Types)
                {
                    Assert.Contains(received, r => r.Event == type && r.Field("tag") == tag);
                }
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw new InvalidOperationException($"{ex.Message}{Environment.NewLine}--- dockyard output ---{Environment.NewLine}{server.Output}", ex);
        }
    }

    private static string TagName(int i) => $"t{i:D2}";

    private static void KillNow(int pid)
    {
        using var process = Process.GetProcessById(pid);
        process.Kill();
    }

    private static bool Has(IReadOnlyList<Delivery> deliveries, string tag) =>
        Types.All(type => deliveries.Count(d => d.Tag == tag && d.Type == type) >= Webhooks);

    private static async Task<IReadOnlyList<Delivery>> WaitForAsync(DockyardProcess server, Func<IReadOnlyList<Delivery>, bool> done, string what, TimeSpan? timeout = null, bool fail = true)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var deliveries = await DeliveriesAsync(server);
            if (done(deliveries))
            {
                return deliveries;
            }

            if (DateTime.UtcNow > deadline)
            {
                if (fail)
                {
                    Assert.Fail($"never saw {what}; deliveries: {string.Join(", ", deliveries.Select(d => $"{d.Tag}/{d.Type}/{d.Status}"))}");
                }

                return deliveries;
            }

            await Task.Delay(200);
        }
    }

    private static async Task<IReadOnlyList<Delivery>> DeliveriesAsync(DockyardProcess server)
    {
        await using var db = Database(server);
        var rows = await db.WebhookDeliveries.AsNoTracking().Select(d => new { d.WebhookId, d.EventType, d.Status, d.Payload }).ToListAsync();
        return [.. rows.Select(r =>
        {
            using var payload = JsonDocument.Parse(r.Payload);
            return new Delivery(r.WebhookId, payload.RootElement.TryGetProperty("tag", out var tag) ? tag.GetString() : null, r.EventType, r.Status);
        })];
    }

    private static SqliteDockyardDbContext Database(DockyardProcess server) =>
        new(new DbContextOptionsBuilder<SqliteDockyardDbContext>().UseSqlite($"Data Source={Path.Combine(server.DataDirectory, "dockyard.db")};Default Timeout=30").Options);

    private sealed record Delivery(long WebhookId, string? Tag, string Type, string Status);

    /// <summary>Runs <c>kill</c> synchronously when a 201 arrives and <c>last</c> says it is the last one.</summary>
    private sealed class KillOnResponse(Func<bool> last, Action kill) : DelegatingHandler(new SocketsHttpHandler())
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            if (request.Method == HttpMethod.Put && response.StatusCode == HttpStatusCode.Created && last())
            {
                kill();
            }

            return response;
        }
    }
}
