using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dockyard.Server.Accounts;
using Dockyard.Server.Audit;
using Dockyard.Server.Data;
using Dockyard.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace Dockyard.Server.Tests.Control.Stacks;

/// <summary>
/// Redeploy on push and by hook on the real two-node swarm: a stack whose <c>web</c> follows <c>repo:v1</c> runs the new
/// digest seconds after a new image is pushed to that tag (latency printed), the revision notes the push; the service
/// that does not follow shows "update available" after its tag moved; a service rollback brings the old digest back;
/// a redeploy hook called with its token updates the stack to the moved tag as the hook's creator.
/// </summary>
[Collection(SwarmCollection.Name)]
public sealed class StackFollowTests(SwarmFixture swarm, ITestOutputHelper output)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task A_push_to_a_followed_tag_updates_the_service_within_seconds_rollback_restores_it_and_a_hook_redeploys()
    {
        var server = await swarm.DockyardAsync();
        var admin = await server.AdminAsync();
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var repository = "admin/follow" + suffix;
        var registry = server.Server.BaseAddress.Authority;
        var stack = "follow" + suffix;
        var first = await RegistryImagePusher.PushAsync(swarm, server, repository, "v1");
        var sideFirst = await RegistryImagePusher.PushAsync(swarm, server, repository, "side");
        var compose = $"""
            services:
              web:
                image: {registry}/{repository}:v1
                command: ["/bin/busybox", "sleep", "3600"]
                networks: [hostnet]
                # sleep as PID 1 ignores SIGTERM: without this each stop waits the default 10 s.
                stop_grace_period: 1s
                deploy:
                  update_config:
                    order: start-first
                    monitor: 1s
              side:
                image: {registry}/{repository}:side
                command: ["/bin/busybox", "sleep", "3600"]
                networks: [hostnet]
                stop_grace_period: 1s
            networks:
              hostnet:
                external: true
                name: host
            """;
        try
        {
            using (var created = await admin.PostAsJsonAsync("/api/v1/stacks", new { name = stack, compose, follow = new[] { "web" } }))
            {
                Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
            }

            await RunningAsync(stack + "_web", first);
            await RunningAsync(stack + "_side", sideFirst);

            // Push to the followed tag: the service runs the new digest within seconds.
            var clock = Stopwatch.StartNew();
            var second = await RegistryImagePusher.PushAsync(swarm, server, repository, "v1");
            var pushed = clock.Elapsed;
            var pushedAt = DateTimeOffset.UtcNow;
            await RunningAsync(stack + "_web", second);
            output.WriteLine($"push-to-running latency: {(clock.Elapsed - pushed).TotalSeconds:0.0} s after docker push returned ({clock.Elapsed.TotalSeconds:0.0} s including the push)");

            var revisions = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/stacks/{stack}/revisions");
            Assert.Contains(revisions.GetProperty("items").EnumerateArray(), r => r.GetProperty("note").GetString() == $"redeploy on push: {repository}:v1 → {second}");
            var followed = Assert.Single(await AuditAsync(server, stack), e => e.Action == AuditActions.StackFollowRedeploy);
            Assert.Equal(AuditOutcomes.Success, followed.Outcome);
            Assert.Equal(AdminBootstrapper.AdminUsername, followed.ActorName);
            Assert.Equal("stack-follow", followed.AuthMethod);
            output.WriteLine($"redeploy recorded (service spec updated on the swarm) {(followed.Time - pushedAt).TotalSeconds:0.0} s after docker push returned");

            // The tag of the service that does not follow moves: "update available" there, not on the followed one.
            var sideSecond = await RegistryImagePusher.PushAsync(swarm, server, repository, "side");
            var detail = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/stacks/{stack}");
            var services = detail.GetProperty("services").EnumerateArray().ToDictionary(s => s.GetProperty("shortName").GetString()!, s => s.GetProperty("updateAvailable").GetBoolean());
            Assert.True(services["side"], "side's tag moved");
            Assert.False(services["web"], "web follows its tag and runs it");

            // Roll the followed service back: the old digest runs again.
            using (var rollback = await admin.PostAsync($"/api/v1/stacks/{stack}/services/web/rollback", null))
            {
                Assert.True(rollback.IsSuccessStatusCode, await rollback.Content.ReadAsStringAsync());
            }

            await RunningAsync(stack + "_web", first);

            // A redeploy hook: the call re-resolves the tags as the hook's creator; side moves to its new digest.
            using var hook = await admin.PostAsync($"/api/v1/stacks/{stack}/hooks", null);
            Assert.Equal(HttpStatusCode.Created, hook.StatusCode);
            var url = (await hook.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("url").GetString()!;
            using (var call = await server.Anonymous().PostAsync(url, null))
            {
                Assert.Equal(HttpStatusCode.Accepted, call.StatusCode);
            }

            await RunningAsync(stack + "_side", sideSecond);
            var entries = await AuditAsync(server, stack);
            Assert.Contains(entries, e => e.Action == AuditActions.StackHookCall && e.Outcome == AuditOutcomes.Success);
            Assert.Contains(entries, e => e.Action == AuditActions.StackRedeploy && e.Outcome == AuditOutcomes.Success && e.AuthMethod == "stack-hook");
        }
        finally
        {
            await admin.DeleteAsync($"/api/v1/stacks/{stack}");
            await swarm.Manager.RunDockerUncheckedAsync("stack", "rm", stack);
        }
    }

    /// <summary>Waits until the service's one running task runs <paramref name="digest"/> (bounded).</summary>
    private async Task RunningAsync(string service, string digest)
    {
        var deadline = DateTime.UtcNow + Deadline;
        var last = string.Empty;
        while (DateTime.UtcNow < deadline)
        {
            var tasks = await swarm.Manager.RunDockerUncheckedAsync(
                "service", "ps", "--no-trunc", "--filter", "desired-state=running", "--format", "{{.Image}}|{{.CurrentState}}", service);
            last = tasks.StandardOutput.Trim();
            var lines = last.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (lines.Length == 1 && lines[0].Split('|') is [var image, var state] && image.EndsWith("@" + digest, StringComparison.Ordinal)
                && state.StartsWith("Running", StringComparison.Ordinal))
            {
                return;
            }

            await Task.Delay(250);
        }

        throw new InvalidOperationException($"{service} did not run {digest} within {Deadline.TotalSeconds:0} s: {last}");
    }

    private static async Task<List<Data.Entities.AuditEntryEntity>> AuditAsync(Api.ApiTestServer server, string stack)
    {
        await using var db = await server.Get<IDbContextFactory<DockyardDbContext>>().CreateDbContextAsync();
        var resource = "stacks/" + stack;
        return await db.AuditEntries.AsNoTracking().Where(e => e.Resource != null && e.Resource.StartsWith(resource)).ToListAsync();
    }
}
