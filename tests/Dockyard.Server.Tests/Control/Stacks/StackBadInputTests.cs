using System.Net;
using System.Net.Http.Json;
using Dockyard.Server.Tests.Api;
using Dockyard.Server.Tests.Infrastructure;

namespace Dockyard.Server.Tests.Control.Stacks;

/// <summary>
/// Deploys that must be refused, or reported, without leaving anything on the swarm: invalid YAML (400 with line and
/// column), a missing <c>${VAR:?…}</c>, an image the user may not pull (403 naming it, no service created), a service
/// name another stack owns (409 naming it), a placement no node satisfies (answered with the scheduler's message within
/// seconds), a 10 MiB Compose file (400 naming the limit) and a body over the endpoint's limit (413 ProblemDetails).
/// </summary>
[Collection(SwarmCollection.Name)]
public sealed class StackBadInputTests(SwarmFixture swarm)
{
    [Fact]
    public async Task Bad_deploys_are_refused_or_reported_and_leave_nothing_behind()
    {
        var server = await swarm.DockyardAsync();
        var admin = await server.AdminAsync();
        var image = await StackTestKit.ImageAsync(swarm, server);
        var run = Guid.NewGuid().ToString("N")[..8];
        string Service(string extra = "") => $$"""
            services:
              app:
                image: {{image}}
                command: ["/bin/busybox", "sleep", "600"]
                networks: [hostnet]
            {{extra}}
            networks:
              hostnet:
                external: true
                name: host
            """;
        var names = new[] { "yaml", "var", "pull", "clash", "place", "big" }.Select(n => n + run).ToArray();
        try
        {
            using (var yaml = await StackTestKit.DeployAsync(admin, names[0], "services:\n  app:\n    image: [unclosed\n"))
            {
                var problem = await ProblemAssert.StatusAsync(HttpStatusCode.BadRequest, yaml);
                Assert.Equal("compose.yml", problem.GetProperty("file").GetString());
                Assert.True(problem.GetProperty("line").GetInt32() >= 3, problem.GetRawText());
                Assert.True(problem.GetProperty("column").GetInt32() > 0, problem.GetRawText());
            }

            using (var variable = await StackTestKit.DeployAsync(admin, names[1], Service().Replace(image, "${APP_IMAGE:?set APP_IMAGE to the image}", StringComparison.Ordinal)))
            {
                var problem = await ProblemAssert.StatusAsync(HttpStatusCode.BadRequest, variable);
                Assert.Contains("set APP_IMAGE to the image", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
            }

            // A user who may deploy in their collection but not pull the image.
            var user = "nopull" + run;
            var (_, client) = await server.UserAsync(user);
            using (var grant = await admin.PostAsJsonAsync("/api/v1/grants", new { subjectKind = "user", subject = user, role = "full-control", collection = "/Shared/Private/" + user }))
            {
                await ProblemAssert.StatusAsync(HttpStatusCode.Created, grant);
            }

            using (var pull = await StackTestKit.DeployAsync(client, names[2], Service()))
            {
                var problem = await ProblemAssert.StatusAsync(HttpStatusCode.Forbidden, pull);
                Assert.Contains(image, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
            }

            Assert.Empty(await StackTestKit.ServiceNamesAsync(swarm, names[2]));

            // A service outside Dockyard holds the name <stack>_app under another stack's label.
            await swarm.Manager.RunDockerAsync(
                "service", "create", "--detach", "--name", names[3] + "_app", "--label", "com.docker.stack.namespace=other" + run,
                "--network", "host", await swarm.BusyboxAsync(), "/bin/busybox", "sleep", "600");
            using (var clash = await StackTestKit.DeployAsync(admin, names[3], Service()))
            {
                var problem = await ProblemAssert.StatusAsync(HttpStatusCode.Conflict, clash);
                Assert.Contains("other" + run, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
            }

            var placement = Service().Replace("    networks: [hostnet]\n", "    networks: [hostnet]\n    deploy:\n      placement:\n        constraints: [node.labels.nowhere == true]\n", StringComparison.Ordinal);
            Assert.NotEqual(Service(), placement);
            var started = DateTime.UtcNow;
            using (var unplaceable = await StackTestKit.DeployAsync(admin, names[4], placement))
            {
                var result = await ProblemAssert.StatusAsync(HttpStatusCode.Created, unplaceable);
                Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(20), "the deploy waited too long");
                Assert.Contains(result.GetProperty("warnings").EnumerateArray(), w => w.GetProperty("message").GetString()!.Contains("no suitable node", StringComparison.Ordinal));
            }

            var huge = Service() + "\n# " + new string('x', 10 * 1024 * 1024) + "\n";
            using (var big = await StackTestKit.DeployAsync(admin, names[5], huge))
            {
                var problem = await ProblemAssert.StatusAsync(HttpStatusCode.BadRequest, big);
                Assert.Contains("the limit is 1 MiB", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
            }

            using var tooLarge = await admin.PostAsJsonAsync("/api/v1/stacks", StackTestKit.Body(names[5], Service() + "\n# " + new string('x', 17 * 1024 * 1024)));
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);
            Assert.Equal("application/problem+json", tooLarge.Content.Headers.ContentType?.MediaType);
            Assert.Empty(await StackTestKit.ServiceNamesAsync(swarm, names[5]));
        }
        finally
        {
            await swarm.Manager.RunDockerUncheckedAsync("service", "rm", names[3] + "_app");
            await StackTestKit.RemoveAsync(swarm, names);
        }
    }
}
