using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Dockyard.Server.Control.Events;
using Dockyard.Server.Data;
using Dockyard.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace Dockyard.Server.Tests.Control.Events;

/// <summary>
/// The event history against the two-engine swarm's shared Dockyard: container, service and node events reach the
/// database and the API within a second, searches filter, page and hide what the caller may not view, and the SSE
/// stream delivers a live event and lets go of its subscription when the client leaves.
/// </summary>
[Collection(SwarmCollection.Name)]
public sealed class ClusterEventsTests(SwarmFixture swarm, ITestOutputHelper output)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task ContainerServiceAndNodeEvents_AreStoredOnceAndSearchableWithinASecond()
    {
        var server = await swarm.DockyardAsync();
        var image = await swarm.BusyboxAsync();
        await EventTestHelpers.WaitUntilConsumingAsync(server.Server, SwarmFixture.ManagerEngine, SwarmFixture.WorkerEngine);
        var admin = await server.AdminAsync();
        var name = "ev-" + Guid.NewGuid().ToString("N")[..10];
        var label = "ev" + Guid.NewGuid().ToString("N")[..8];
        try
        {
            await AssertSeenWithinASecondAsync(() => swarm.Manager.RunDockerAsync("run", "-d", "--network", "none", "--name", name, image, "/bin/busybox", "sleep", "300"), admin, "container", name, "create", "start");
            await AssertSeenWithinASecondAsync(() => swarm.Manager.RunDockerAsync("stop", "-t", "1", name), admin, "container", name, "die", "stop");
            await AssertSeenWithinASecondAsync(() => swarm.Manager.RunDockerAsync("rm", name), admin, "container", name, "destroy");

            // --replicas 0: no task is scheduled, so the service's own events are all there is.
            await AssertSeenWithinASecondAsync(() => swarm.Manager.RunDockerAsync("service", "create", "--detach", "--replicas", "0", "--name", name, image, "/bin/busybox", "sleep", "300"), admin, "service", name, "create");
            await AssertSeenWithinASecondAsync(() => swarm.Manager.RunDockerAsync("service", "update", "--detach", "--label-add", "x=1", name), admin, "service", name, "update");
            await AssertSeenWithinASecondAsync(() => swarm.Manager.RunDockerAsync("service", "rm", name), admin, "service", name, "remove");

            await AssertSeenWithinASecondAsync(() => swarm.Manager.RunDockerAsync("node", "update", "--label-add", label + "=1", swarm.WorkerNodeId), admin, "node", swarm.WorkerNodeId, "update");
        }
        finally
        {
            await swarm.Manager.RunDockerUncheckedAsync("rm", "-f", name);
            await swarm.Manager.RunDockerUncheckedAsync("service", "rm", name);
            await swarm.Manager.RunDockerUncheckedAsync("node", "update", "--label-rm", label, swarm.WorkerNodeId);
        }

        // Stored once each, although swarm events could come from any manager and the stream is re-read after gaps.
        var contexts = server.Get<IDbContextFactory<DockyardDbContext>>();
        await using var db = await contexts.CreateDbContextAsync();
        var stored = await db.EngineEvents.Where(e => e.ActorName == name && !e.Reconciled).Select(e => new { e.Type, e.Action, e.TimeNano }).ToListAsync();
        output.WriteLine(string.Join(Environment.NewLine, stored.Select(e => $"{e.Type} {e.Action} {e.TimeNano}")));

        // An action may legitimately happen twice (a service update is reported per update state); the same event twice may not.
        Assert.Equal(stored.Distinct().Count(), stored.Count);
        var rows = stored.Select(e => e.Type + " " + e.Action).ToList();
        foreach (var expected in new[] { "container create", "container start", "container die", "container stop", "container destroy", "service create", "service update", "service remove" })
        {
            Assert.Contains(expected, rows);
        }

        var engines = await db.EngineEvents.Where(e => e.ActorName == name && e.Type == "container").Select(e => e.Engine).Distinct().ToListAsync();
        Assert.Equal([SwarmFixture.ManagerEngine], engines);
    }

    [Fact]
    public async Task Search_FiltersPagesAndShowsOnlyTheCollectionsTheCallerMayView()
    {
        var server = await swarm.DockyardAsync();
        var image = await swarm.BusyboxAsync();
        await EventTestHelpers.WaitUntilConsumingAsync(server.Server, SwarmFixture.ManagerEngine, SwarmFixture.WorkerEngine);
        var admin = await server.AdminAsync();
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var (_, viewer) = await server.UserAsync("evviewer" + suffix);
        using (var grant = await admin.PostAsJsonAsync("/api/v1/grants", new { subjectKind = "user", subject = "evviewer" + suffix, role = "view-only", collection = "/teams/a" }))
        {
            Assert.Equal(System.Net.HttpStatusCode.Created, grant.StatusCode);
        }

        var inA = "ev-a-" + suffix;
        var inB = "ev-b-" + suffix;
        try
        {
            await swarm.Worker.RunDockerAsync("create", "--network", "none", "--name", inA, "--label", "dockyard.access.collection=/teams/a", image, "/bin/busybox", "true");
            await swarm.Worker.RunDockerAsync("create", "--network", "none", "--name", inB, "--label", "dockyard.access.collection=/teams/b", image, "/bin/busybox", "true");
            await swarm.Worker.RunDockerAsync("start", inA);
            Assert.Equal(3, (await PollAsync(admin, "container", inA, ["create", "start", "die"])).Count);
            Assert.Single(await PollAsync(admin, "container", inB, ["create"]));

            // The viewer sees the /teams/a container's events and nothing of /teams/b, nor any node or service event.
            var visible = await SearchAsync(viewer, $"type=container&actor={inA}");
            Assert.Equal(["die", "start", "create"], visible.Select(e => e.GetProperty("action").GetString()).Take(3));
            Assert.Empty(await SearchAsync(viewer, $"actor={inB}"));
            var all = await SearchAsync(viewer, "limit=500");
            Assert.All(all, e => Assert.Equal("/teams/a", e.GetProperty("actor").GetProperty("attributes").GetProperty("dockyard.access.collection").GetString()));

            // Filters: action and node; the worker's node id is where the containers ran.
            var creates = await SearchAsync(admin, $"actor={inA}&action=create&node={swarm.WorkerNodeId}");
            Assert.Equal(["create"], creates.Select(e => e.GetProperty("action").GetString()));
            Assert.Empty(await SearchAsync(admin, $"actor={inA}&node={swarm.ManagerNodeId}"));

            // Keyset pages of one, newest first, give the same events as one page, each once.
            var whole = (await SearchAsync(admin, $"type=container&actor={inA}")).Select(e => e.GetProperty("id").GetInt64()).ToList();
            var paged = new List<long>();
            string? next = null;
            do
            {
                var page = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/events?type=container&actor={inA}&limit=1" + (next is null ? string.Empty : "&before=" + next));
                paged.AddRange(page.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("id").GetInt64()));
                next = page.GetProperty("next").ValueKind == JsonValueKind.Null ? null : page.GetProperty("next").GetString();
            }
            while (next is not null && paged.Count < 50);
            Assert.Equal(whole, paged);
            Assert.True(whole.Count >= 3);

            var since = (await SearchAsync(admin, $"actor={inA}&action=start"))[0].GetProperty("time").GetString();
            Assert.DoesNotContain("create", (await SearchAsync(admin, $"actor={inA}&since={since}")).Select(e => e.GetProperty("action").GetString()));
        }
        finally
        {
            await swarm.Worker.RunDockerUncheckedAsync("rm", "-f", inA, inB);
        }
    }

    [Fact]
    public async Task Stream_DeliversALiveEvent_AndEndsTheSubscriptionWhenTheClientLeaves()
    {
        var server = await swarm.DockyardAsync();
        var image = await swarm.BusyboxAsync();
        await EventTestHelpers.WaitUntilConsumingAsync(server.Server, SwarmFixture.ManagerEngine, SwarmFixture.WorkerEngine);
        var admin = await server.AdminAsync();
        var broadcaster = server.Get<EventBroadcaster>();
        var name = "ev-sse-" + Guid.NewGuid().ToString("N")[..8];
        try
        {
            using var cancel = new CancellationTokenSource(Deadline);
            using (var response = await admin.GetAsync($"/api/v1/events/stream?type=container&actor={name}", HttpCompletionOption.ResponseHeadersRead, cancel.Token))
            {
                Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
                await using var body = await response.Content.ReadAsStreamAsync(cancel.Token);
                using var reader = new StreamReader(body);
                Assert.Equal(1, broadcaster.SubscriberCount);
                await swarm.Manager.RunDockerAsync("create", "--network", "none", "--name", name, image, "/bin/busybox", "true");
                string? line;
                JsonElement? received = null;
                while ((line = await reader.ReadLineAsync(cancel.Token)) is not null)
                {
                    if (line.StartsWith("data: ", StringComparison.Ordinal))
                    {
                        received = JsonDocument.Parse(line["data: ".Length..]).RootElement;
                        break;
                    }
                }

                Assert.NotNull(received);
                Assert.Equal(("container", "create", name), (received.Value.GetProperty("type").GetString(), received.Value.GetProperty("action").GetString(), received.Value.GetProperty("actor").GetProperty("name").GetString()));
            }

            // The client closed the connection: the server's subscription ends with it.
            var deadline = Stopwatch.StartNew();
            while (broadcaster.SubscriberCount != 0 && deadline.Elapsed < Deadline)
            {
                await Task.Delay(50);
            }

            Assert.Equal(0, broadcaster.SubscriberCount);
        }
        finally
        {
            await swarm.Manager.RunDockerUncheckedAsync("rm", "-f", name);
        }
    }

    [Fact]
    public async Task AnActionThroughDockyard_IsAttributedToTheAuditedCaller_OthersAreNot()
    {
        var server = await swarm.DockyardAsync();
        var image = await swarm.BusyboxAsync();
        await EventTestHelpers.WaitUntilConsumingAsync(server.Server, SwarmFixture.ManagerEngine, SwarmFixture.WorkerEngine);
        var admin = await server.AdminAsync();
        var name = "ev-who-" + Guid.NewGuid().ToString("N")[..8];
        try
        {
            await swarm.Manager.RunDockerAsync("create", "--network", "none", "--name", name, image, "/bin/busybox", "sleep", "300");

            // The start goes through the audited path as Dockyard's container operations do (container.start on containers/<name>).
            await server.Get<Dockyard.Server.Audit.AuditedOperations>().RunAsync(
                Dockyard.Server.Audit.Caller.System,
                new Dockyard.Server.Audit.AuditedAction("container.start", "containers/" + name),
                _ => Task.FromResult(Dockyard.Server.Audit.AccessDecision.Allowed),
                async _ => { await swarm.Manager.RunDockerAsync("start", name); },
                CancellationToken.None);

            var contexts = server.Get<IDbContextFactory<DockyardDbContext>>();
            string? auditedBy;
            await using (var db = await contexts.CreateDbContextAsync())
            {
                auditedBy = await db.AuditEntries.Where(a => a.Resource == "containers/" + name).Select(a => a.ActorName).SingleAsync();
            }

            var watch = Stopwatch.StartNew();
            List<JsonElement> attributed = [];
            while (attributed.Count == 0 && watch.Elapsed < Deadline)
            {
                attributed = await SearchAsync(admin, $"actor={name}&user={auditedBy}");
                await Task.Delay(100);
            }

            Assert.Equal(["start"], attributed.Select(e => e.GetProperty("action").GetString()));
            Assert.Equal(auditedBy, attributed[0].GetProperty("user").GetString());
            var create = (await SearchAsync(admin, $"actor={name}&action=create")).Single();
            Assert.Equal(JsonValueKind.Null, create.GetProperty("user").ValueKind);
        }
        finally
        {
            await swarm.Manager.RunDockerUncheckedAsync("rm", "-f", name);
        }
    }

    private static async Task<List<JsonElement>> SearchAsync(HttpClient client, string query)
    {
        var page = await client.GetFromJsonAsync<JsonElement>("/api/v1/events?" + query);
        return [.. page.GetProperty("items").EnumerateArray()];
    }

    /// <summary>Polls the API until each action of the actor is listed; each must have been listed at most 1 s after the engine's event time.</summary>
    private async Task AssertSeenWithinASecondAsync(Func<Task> act, HttpClient client, string type, string actor, params string[] actions)
    {
        // Polling runs while the docker command does: a slow CLI must not count as a slow event history.
        var polling = PollAsync(client, type, actor, actions);
        await act();
        var seen = await polling;
        foreach (var action in actions)
        {
            Assert.True(seen.ContainsKey(action), $"{type} {actor} {action} was not listed within {Deadline.TotalSeconds} s");
            output.WriteLine($"{type} {action}: listed {seen[action].TotalMilliseconds:0} ms after the engine's event time");
            Assert.True(seen[action] <= TimeSpan.FromSeconds(1), $"{type} {actor} {action} was listed {seen[action].TotalMilliseconds:0} ms after it happened");
        }
    }

    private static async Task<Dictionary<string, TimeSpan>> PollAsync(HttpClient client, string type, string actor, string[] actions)
    {
        var seen = new Dictionary<string, TimeSpan>();
        var watch = Stopwatch.StartNew();
        while (seen.Count < actions.Length && watch.Elapsed < Deadline)
        {
            foreach (var e in await SearchAsync(client, $"type={type}&actor={actor}&limit=500"))
            {
                var action = e.GetProperty("action").GetString()!;
                if (actions.Contains(action) && !e.GetProperty("reconciled").GetBoolean() && !seen.ContainsKey(action))
                {
                    var happened = DateTimeOffset.UnixEpoch.AddTicks(e.GetProperty("timeNano").GetInt64() / 100);
                    seen[action] = DateTimeOffset.UtcNow - happened;
                }
            }

            await Task.Delay(25);
        }

        return seen;
    }
}
