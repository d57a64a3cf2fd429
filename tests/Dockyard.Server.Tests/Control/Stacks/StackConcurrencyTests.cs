using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dockyard.Server.Tests.Api;
using Dockyard.Server.Tests.Infrastructure;

namespace Dockyard.Server.Tests.Control.Stacks;

/// <summary>
/// Concurrent deploys of one stack are serialized per stack: four PUTs at once each answer 200 (or a clear 409/429
/// ProblemDetails, never a 500), the revisions are numbered without gaps, and the current revision is what the swarm runs.
/// </summary>
[Collection(SwarmCollection.Name)]
public sealed class StackConcurrencyTests(SwarmFixture swarm)
{
    [Fact]
    public async Task Concurrent_updates_of_one_stack_run_one_after_the_other()
    {
        var server = await swarm.DockyardAsync();
        var admin = await server.AdminAsync();
        var image = await StackTestKit.ImageAsync(swarm, server);
        var name = "race" + Guid.NewGuid().ToString("N")[..8];
        // Replicas 0: the spec is what is compared; no task has to start or stop.
        var compose = $$"""
            services:
              app:
                image: {{image}}
                command: ["/bin/busybox", "sleep", "600"]
                environment:
                  - RACE=${RACE}
                networks: [hostnet]
                deploy:
                  replicas: 0
            networks:
              hostnet:
                external: true
                name: host
            """;
        try
        {
            using (var created = await StackTestKit.DeployAsync(admin, name, compose, new { environment = new Dictionary<string, string> { ["RACE"] = "initial" } }))
            {
                await ProblemAssert.StatusAsync(HttpStatusCode.Created, created);
            }

            var responses = await Task.WhenAll(Enumerable.Range(1, 4).Select(i =>
                admin.PutAsJsonAsync($"/api/v1/stacks/{name}", StackTestKit.Body(name, compose, new { environment = new Dictionary<string, string> { ["RACE"] = "value" + i } }))));
            var outcomes = new List<string>();
            var succeeded = 0;
            foreach (var response in responses)
            {
                using (response)
                {
                    var body = await response.Content.ReadAsStringAsync();
                    outcomes.Add($"{(int)response.StatusCode}: {body}");
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        succeeded++;
                    }
                    else
                    {
                        Assert.True(response.StatusCode is HttpStatusCode.Conflict or HttpStatusCode.TooManyRequests, string.Join("\n", outcomes));
                        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                    }
                }
            }

            Assert.True(succeeded > 0, string.Join("\n", outcomes));
            using var revisions = await admin.GetAsync($"/api/v1/stacks/{name}/revisions");
            var numbers = (await ProblemAssert.StatusAsync(HttpStatusCode.OK, revisions)).GetProperty("items").EnumerateArray()
                .Select(r => r.GetProperty("number").GetInt32()).Order().ToArray();
            Assert.Equal(Enumerable.Range(1, 1 + succeeded), numbers);

            using var detail = await admin.GetAsync($"/api/v1/stacks/{name}");
            var current = (await ProblemAssert.StatusAsync(HttpStatusCode.OK, detail)).GetProperty("revision").GetInt32();
            Assert.Equal(1 + succeeded, current);
            using var revision = await admin.GetAsync($"/api/v1/stacks/{name}/revisions/{current}");
            var recorded = (await ProblemAssert.StatusAsync(HttpStatusCode.OK, revision)).GetProperty("environment").GetProperty("RACE").GetString();
            var env = (await swarm.Manager.RunDockerAsync("service", "inspect", "--format", "{{json .Spec.TaskTemplate.ContainerSpec.Env}}", name + "_app")).StandardOutput;
            var running = JsonSerializer.Deserialize<string[]>(env)!.Single(e => e.StartsWith("RACE=", StringComparison.Ordinal));
            Assert.True("RACE=" + recorded == running, $"revision {current} records RACE={recorded}, the swarm runs {running}\n" + string.Join("\n", outcomes));
        }
        finally
        {
            await StackTestKit.RemoveAsync(swarm, name);
        }
    }
}
