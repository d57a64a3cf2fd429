using Dockyard.Server.Accounts;
using Dockyard.Server.Tests.Api;
using Dockyard.Server.Tests.Infrastructure;

namespace Dockyard.Server.Tests.Control;

/// <summary>
/// The swarm runs what Dockyard stores: an image pushed to Dockyard, deployed with
/// <c>docker service create --with-registry-auth</c> (two replicas on host networking, each with its own port from
/// the task slot), gets a task on each node, and each node pulled the image from Dockyard (its RepoDigest names it).
/// </summary>
[Collection(SwarmCollection.Name)]
public sealed class SwarmServiceFromDockyardTests(SwarmFixture swarm)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task A_service_of_an_image_in_Dockyard_runs_on_both_nodes_pulled_from_Dockyard()
    {
        var server = await swarm.DockyardAsync();
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var repository = "admin/svc-" + suffix;
        var digest = await RegistryImagePusher.PushAsync(swarm, server, repository, "v1");
        var registry = server.Server.BaseAddress.Authority;
        var service = "svc-" + suffix;
        try
        {
            await swarm.Manager.RunDockerAsync("login", "-u", AdminBootstrapper.AdminUsername, "-p", ApiTestServer.AdminPassword, registry);
            try
            {
                await swarm.Manager.RunDockerAsync(
                    "service", "create", "--detach", "--with-registry-auth", "--name", service, "--network", "host",
                    "--replicas", "2", "--env", "PORT=81{{.Task.Slot}}", $"{registry}/{repository}:v1", "/bin/busybox", "sleep", "300");
            }
            finally
            {
                await swarm.Manager.RunDockerUncheckedAsync("logout", registry);
            }

            var nodes = await RunningNodesAsync(service);
            Assert.Equal(new[] { swarm.ManagerNodeId, swarm.WorkerNodeId }.Order(), nodes.Order());
            foreach (var engine in new[] { swarm.Manager, swarm.Worker })
            {
                var repoDigests = (await engine.RunDockerAsync("image", "inspect", "--format", "{{json .RepoDigests}}", $"{registry}/{repository}@{digest}")).StandardOutput;
                Assert.Contains($"{registry}/{repository}@{digest}", repoDigests, StringComparison.Ordinal);
            }
        }
        finally
        {
            await swarm.Manager.RunDockerUncheckedAsync("service", "rm", service);
        }
    }

    /// <summary>The node ids of the service's running tasks, once two are running (bounded wait).</summary>
    private async Task<List<string>> RunningNodesAsync(string service)
    {
        var deadline = DateTime.UtcNow + Deadline;
        var last = string.Empty;
        while (DateTime.UtcNow < deadline)
        {
            last = string.Empty;
            var tasks = await swarm.Manager.RunDockerUncheckedAsync("service", "ps", "--quiet", "--filter", "desired-state=running", service);
            var running = new List<string>();
            foreach (var task in tasks.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var state = (await swarm.Manager.RunDockerUncheckedAsync("inspect", "--format", "{{.NodeID}} {{.Status.State}} {{.Status.Err}}", task)).StandardOutput.Trim();
                last += state + "; ";
                if (state.Split(' ') is [var node, "running", ..])
                {
                    running.Add(node);
                }
            }

            if (running.Count == 2)
            {
                return running;
            }

            await Task.Delay(500);
        }

        throw new InvalidOperationException($"the service's two tasks were not running within {Deadline.TotalSeconds:0} s: {last}");
    }
}
