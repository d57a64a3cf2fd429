using System.Net;
using System.Net.Http.Json;
using Dockyard.Server.Tests.Infrastructure;

namespace Dockyard.Server.Tests.Control;

/// <summary>
/// Who may read a container's logs and stats (<c>/api/v1/containers/{ref}/logs|stats</c>): decided in the container's
/// collection, a container the caller may not see is 404 for both; view-only and restricted-control may read logs
/// and stats; the UI's endpoints want a signed-in session.
/// </summary>
[Collection(SwarmCollection.Name)]
public sealed class ContainerStreamAccessTests(SwarmFixture swarm)
{
    [Fact]
    public async Task Logs_and_stats_follow_the_grants_on_the_container_collection()
    {
        var server = await swarm.DockyardAsync();
        var admin = await server.AdminAsync();
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var collection = "/teams/logs-" + suffix;
        var image = await swarm.BusyboxAsync();
        var name = "access-" + suffix;
        await swarm.Worker.RunDockerAsync("run", "-d", "--network", "none", "--name", name, "--label", "dockyard.access.collection=" + collection, image, "/bin/busybox", "sh", "-c", "echo hello; /bin/busybox sleep 300");
        try
        {
            var expected = new Dictionary<string, HttpStatusCode>
            {
                ["none"] = HttpStatusCode.NotFound,
                ["scheduler"] = HttpStatusCode.NotFound,
                ["view-only"] = HttpStatusCode.OK,
                ["restricted-control"] = HttpStatusCode.OK,
            };
            foreach (var (role, status) in expected)
            {
                var (_, client) = await server.UserAsync($"{role}-{suffix}");
                if (role != "none")
                {
                    using var grant = await admin.PostAsJsonAsync("/api/v1/grants", new { subjectKind = "user", subject = $"{role}-{suffix}", role, collection });
                    Assert.Equal(HttpStatusCode.Created, grant.StatusCode);
                }

                using var logs = await client.GetAsync($"/api/v1/containers/{name}/logs");
                Assert.True(status == logs.StatusCode, $"{role}: logs {logs.StatusCode}");
                if (status == HttpStatusCode.OK)
                {
                    Assert.Equal("hello\n", await logs.Content.ReadAsStringAsync());
                }
                else
                {
                    Assert.Equal("application/problem+json", logs.Content.Headers.ContentType?.MediaType);
                }

                using var stats = await ContainerStreamClient.OpenEventsAsync(client, $"/api/v1/containers/{name}/stats", CancellationToken.None);
                Assert.True(status == stats.StatusCode, $"{role}: stats {stats.StatusCode}");
            }

            using var anonymous = await server.Anonymous().GetAsync($"/api/v1/containers/{name}/logs");
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
            using var anonymousUi = await server.Anonymous().GetAsync($"/_ui/containers/{name}/logs");
            Assert.Equal(HttpStatusCode.Unauthorized, anonymousUi.StatusCode);
        }
        finally
        {
            await swarm.Worker.RunDockerUncheckedAsync("rm", "-f", name);
        }
    }
}
