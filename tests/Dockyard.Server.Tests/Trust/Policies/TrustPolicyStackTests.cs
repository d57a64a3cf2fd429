using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dockyard.Server.Accounts;
using Dockyard.Server.Audit;
using Dockyard.Server.Data;
using Dockyard.Server.Tests.Api;
using Dockyard.Server.Tests.Control;
using Dockyard.Server.Tests.Infrastructure;
using Dockyard.Server.Webhooks;
using Microsoft.EntityFrameworkCore;

namespace Dockyard.Server.Tests.Trust.Policies;

/// <summary>
/// Deploy enforcement on the real swarm: a stack whose image the organization's policy refuses (unsigned by team
/// security) is not deployed (409 naming the missing team, nothing created); signed, it deploys. Redeploy on push of
/// an unsigned digest to the followed tag does not happen and is reported (denied audit entry, <c>trust</c> webhook
/// delivery); a signed digest moved to the tag is followed.
/// </summary>
[Collection(SwarmCollection.Name)]
public sealed class TrustPolicyStackTests(SwarmFixture swarm)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Deploy_RefusedUnsignedNamingTheTeam_AcceptedSigned_FollowSkipsUnsignedAndFollowsSigned()
    {
        var server = await swarm.DockyardAsync();
        var admin = await server.AdminAsync();
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var org = "trust" + suffix;
        var repository = org + "/app";
        var stack = "trust" + suffix;
        await server.Get<OrganizationService>().CreateAsync(Caller.System, org, null, null, await server.UserIdAsync(AdminBootstrapper.AdminUsername), CancellationToken.None);
        await server.Get<TeamService>().CreateAsync(Caller.System, org, "security", null, CancellationToken.None);
        using var key = await TrustTestSigning.TeamKeyAsync(server, org, "security", "sec");
        using (var policy = await admin.PostAsJsonAsync($"/api/v1/orgs/{org}/trust-policies", new { mode = "teams", teams = new[] { "security" }, enforceDeploy = true }))
        {
            await ProblemAssert.StatusAsync(HttpStatusCode.Created, policy);
        }

        using (var hook = await admin.PostAsJsonAsync($"/api/v1/orgs/{org}/webhooks", new { url = "http://127.0.0.1:9/trust", events = new[] { "trust" } }))
        {
            await ProblemAssert.StatusAsync(HttpStatusCode.Created, hook);
        }

        var registry = server.Server.BaseAddress.Authority;
        var first = await RegistryImagePusher.PushAsync(swarm, server, repository, "v1");
        var compose = $"""
            services:
              web:
                image: {registry}/{repository}:v1
                command: ["/bin/busybox", "sleep", "3600"]
                networks: [hostnet]
                stop_grace_period: 1s
                deploy:
                  update_config:
                    order: start-first
                    monitor: 1s
            networks:
              hostnet:
                external: true
                name: host
            """;
        try
        {
            using (var refused = await StackTestKitDeployAsync(admin, stack, compose))
            {
                var problem = await ProblemAssert.StatusAsync(HttpStatusCode.Conflict, refused);
                Assert.Equal(
                    $"Image {registry}/{repository}:v1 cannot be deployed: {repository}@{first} is not signed as policy {await PolicyIdAsync(admin, org)} of {org} requires: missing signatures from team {org}/security",
                    problem.GetProperty("detail").GetString());
            }

            Assert.Equal(string.Empty, (await swarm.Manager.RunDockerUncheckedAsync("service", "ls", "-q", "--filter", $"label=com.docker.stack.namespace={stack}")).StandardOutput.Trim());

            var client = await TrustTestSigning.RegistryAsync(server, AdminBootstrapper.AdminUsername, ApiTestServer.AdminPassword, "pull,push", repository);
            await TrustTestSigning.SignAsync(client, repository, first, key);
            await DeployWhenAcceptedAsync(admin, stack, compose);
            await RunningAsync(stack + "_web", first);

            // An unsigned digest pushed to the followed tag: not followed, and reported.
            var unsigned = await RegistryImagePusher.PushAsync(swarm, server, repository, "v1");
            var entry = await WaitAsync(async db => await db.AuditEntries.AsNoTracking().FirstOrDefaultAsync(
                e => e.Action == AuditActions.StackFollowRedeploy && e.Resource == "stacks/" + stack && e.Outcome == AuditOutcomes.Denied));
            Assert.Contains($"{repository}@{unsigned} is not signed as policy", entry.Reason, StringComparison.Ordinal);
            Assert.Contains($"missing signatures from team {org}/security", entry.Reason, StringComparison.Ordinal);
            var delivery = await WaitAsync(async db => await db.WebhookDeliveries.AsNoTracking().FirstOrDefaultAsync(d => d.EventType == WebhookEventNames.StackRedeployRefused && d.Payload.Contains(stack)));
            using (var payload = JsonDocument.Parse(delivery.Payload))
            {
                Assert.Equal(stack, payload.RootElement.GetProperty("stack").GetString());
                Assert.Equal(unsigned, payload.RootElement.GetProperty("digest").GetString());
                Assert.Contains("missing signatures", payload.RootElement.GetProperty("reason").GetString(), StringComparison.Ordinal);
            }

            await RunningAsync(stack + "_web", first);

            // A signed digest moved onto the tag (pushed under another tag, signed, then tagged v1): followed.
            var signed = await RegistryImagePusher.PushAsync(swarm, server, repository, "staging");
            await TrustTestSigning.SignAsync(client, repository, signed, key);
            using var fetched = await client.Http.GetAsync($"/v2/{repository}/manifests/{signed}");
            var manifest = await fetched.Content.ReadAsStringAsync();
            using (var moved = await client.PutManifestAsync(repository, "v1", manifest, fetched.Content.Headers.ContentType!.MediaType!))
            {
                Assert.Equal(HttpStatusCode.Created, moved.StatusCode);
            }

            await RunningAsync(stack + "_web", signed);
        }
        finally
        {
            await admin.DeleteAsync($"/api/v1/stacks/{stack}");
            await swarm.Manager.RunDockerUncheckedAsync("stack", "rm", stack);
        }

        async Task<T> WaitAsync<T>(Func<DockyardDbContext, Task<T?>> find)
            where T : class
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
            while (true)
            {
                await using (var db = await server.Get<IDbContextFactory<DockyardDbContext>>().CreateDbContextAsync())
                {
                    if (await find(db) is { } found)
                    {
                        return found;
                    }
                }

                Assert.True(DateTime.UtcNow < deadline, "not recorded within 30 s");
                await Task.Delay(250);
            }
        }
    }

    private static Task<HttpResponseMessage> StackTestKitDeployAsync(HttpClient admin, string stack, string compose) =>
        admin.PostAsJsonAsync("/api/v1/stacks", new { name = stack, compose, follow = new[] { "web" } });

    /// <summary>Deploys once the signature just pushed is seen (the verdict cache drops on the push's registry event, moments later).</summary>
    private static async Task DeployWhenAcceptedAsync(HttpClient admin, string stack, string compose)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (true)
        {
            using var response = await StackTestKitDeployAsync(admin, stack, compose);
            if (response.StatusCode == HttpStatusCode.Created || DateTime.UtcNow > deadline)
            {
                Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
                return;
            }

            Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
            await Task.Delay(250);
        }
    }

    private static async Task<long> PolicyIdAsync(HttpClient admin, string org) =>
        (await admin.GetFromJsonAsync<JsonElement>($"/api/v1/orgs/{org}/trust-policies"))[0].GetProperty("id").GetInt64();

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
}
