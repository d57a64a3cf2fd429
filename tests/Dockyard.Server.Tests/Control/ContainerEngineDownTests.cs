using System.Net;
using Dockyard.Server.Control;
using Dockyard.Server.Tests.Api;
using Dockyard.Server.Tests.Infrastructure;

namespace Dockyard.Server.Tests.Control;

/// <summary>
/// A Dockyard with both swarm engines and a third whose socket does not exist: the container list names the dead
/// engine in its warnings and lists the others' containers; single containers on live engines still answer; the
/// cluster dashboard shows the warning and the down engine's node.
/// </summary>
[Collection(SwarmCollection.Name)]
public sealed class ContainerEngineDownTests(SwarmFixture swarm)
{
    [Fact]
    public async Task An_engine_that_is_down_is_a_warning_and_the_rest_is_listed()
    {
        var image = await swarm.BusyboxAsync();
        var missing = Path.Combine(Path.GetTempPath(), "dockyard-missing-" + Guid.NewGuid().ToString("N")[..8] + ".sock");
        var settings = swarm.EngineSettings();
        settings["Dockyard:Control:Engines:2:Name"] = "gone";
        settings["Dockyard:Control:Engines:2:Endpoint"] = "unix://" + missing;
        await using var server = await ApiTestServer.StartAsync(settings);
        var registry = server.Get<EngineRegistry>();
        await registry.ReloadAsync(CancellationToken.None);
        await registry.RefreshAllAsync(CancellationToken.None);
        var admin = await server.AdminAsync();
        var name = "down" + Guid.NewGuid().ToString("N")[..8];
        var id = (await swarm.Worker.RunDockerAsync("run", "-d", "--network", "none", "--name", name, image, "/bin/busybox", "sleep", "120")).StandardOutput.Trim();
        try
        {
            var list = await ProblemAssert.StatusAsync(HttpStatusCode.OK, await admin.GetAsync($"/api/v1/containers?all=true&name={name}"));
            Assert.Equal([id], list.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()));
            var warning = Assert.Single(list.GetProperty("warnings").EnumerateArray()).GetString();
            Assert.StartsWith("engine gone: ", warning, StringComparison.Ordinal);

            await ProblemAssert.StatusAsync(HttpStatusCode.OK, await admin.GetAsync($"/api/v1/containers/{name}"));

            var session = await Ui.UiHttpSession.SignInAsync(server.Server.BaseAddress, "admin", ApiTestServer.AdminPassword);
            using var dashboard = await session.GetAsync("/cluster");
            var html = await dashboard.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);
            Assert.Contains("engine gone: ", html, StringComparison.Ordinal);
            Assert.Contains($"data-node=\"{swarm.WorkerNodeId}\"", html, StringComparison.Ordinal);
            Assert.Matches("<tr data-node=\"gone\">.*?>down</span>", html.ReplaceLineEndings(" "));
        }
        finally
        {
            await swarm.Worker.RunDockerUncheckedAsync("rm", "-f", id);
        }
    }
}
