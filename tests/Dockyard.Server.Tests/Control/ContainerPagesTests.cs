using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Dockyard.Server.Tests.Api;
using Dockyard.Server.Tests.Infrastructure;
using Dockyard.Server.Tests.Ui;

namespace Dockyard.Server.Tests.Control;

/// <summary>
/// The container pages rendered by the shared Dockyard for signed-in users (plain HTTP with a session cookie):
/// /containers lists both nodes' containers, /containers/{ref} shows the inspection, the empty logs/stats/console
/// sections, and action forms only to users allowed to act; a form post stops the container on the worker.
/// </summary>
[Collection(SwarmCollection.Name)]
public sealed partial class ContainerPagesTests(SwarmFixture swarm)
{
    [Fact]
    public async Task Pages_render_the_containers_and_offer_actions_only_when_allowed()
    {
        var server = await swarm.DockyardAsync();
        var admin = await server.AdminAsync();
        var image = await swarm.BusyboxAsync();
        var run = "ui" + Guid.NewGuid().ToString("N")[..8];
        var collection = "/pages/" + run;
        var onManager = (await swarm.Manager.RunDockerAsync("run", "-d", "--network", "none", "--name", run + "-m", "--label", "dockyard.access.collection=" + collection, image, "/bin/busybox", "sleep", "300")).StandardOutput.Trim();
        var onWorker = (await swarm.Worker.RunDockerAsync("run", "-d", "--network", "none", "--name", run + "-w", "--label", "dockyard.access.collection=" + collection, image, "/bin/busybox", "sleep", "300")).StandardOutput.Trim();
        try
        {
            await server.CreateUserAsync(run + "-op");
            await server.CreateUserAsync(run + "-view");
            foreach (var (user, role) in new[] { (run + "-op", "full-control"), (run + "-view", "view-only") })
            {
                using var grant = await admin.PostAsJsonAsync("/api/v1/grants", new { subjectKind = "user", subject = user, role, collection });
                await ProblemAssert.StatusAsync(HttpStatusCode.Created, grant);
            }

            var viewer = await UiHttpSession.SignInAsync(server.Server.BaseAddress, run + "-view", run + "-view-password!");
            var list = await viewer.GetStringAsync("/containers?sort=name");
            Assert.Equal([onManager, onWorker], Rows().Matches(list).Select(m => m.Groups[1].Value));
            Assert.Contains(">running</span>", list, StringComparison.Ordinal);
            Assert.Contains("href=\"/containers?sort=name&amp;order=desc\"", list, StringComparison.Ordinal);

            var viewed = await viewer.GetStringAsync("/containers/" + run + "-w");
            Assert.Contains(onWorker, viewed, StringComparison.Ordinal);
            Assert.Contains(swarm.WorkerNodeId, viewed, StringComparison.Ordinal);
            foreach (var section in new[] { "id=\"inspect\"", "id=\"logs\"", "id=\"stats\"", "id=\"console\"", "data-testid=\"container-raw\"" })
            {
                Assert.Contains(section, viewed, StringComparison.Ordinal);
            }

            Assert.DoesNotContain("data-testid=\"container-actions\"", viewed, StringComparison.Ordinal);
            using (var hidden = await (await UiHttpSession.SignInAsync(server.Server.BaseAddress, "admin", ApiTestServer.AdminPassword)).GetAsync("/containers/" + run + "-nope"))
            {
                Assert.Equal(HttpStatusCode.NotFound, hidden.StatusCode);
            }

            var operator_ = await UiHttpSession.SignInAsync(server.Server.BaseAddress, run + "-op", run + "-op-password!");
            var page = await operator_.GetStringAsync("/containers/" + run + "-w");
            Assert.Contains("data-testid=\"container-actions\"", page, StringComparison.Ordinal);
            using var stop = await operator_.PostAsync("/containers/" + run + "-w", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["_handler"] = "stop",
                ["__csrf"] = Csrf().Match(page).Groups[1].Value,
            }));
            Assert.Equal(HttpStatusCode.Found, stop.StatusCode);
            var location = stop.Headers.Location!;
            // The notice travels in the server's flash cookie (Ui/UiFlash), not in the URL.
            Assert.Equal($"/containers/{run}-w", location.IsAbsoluteUri ? location.PathAndQuery : location.OriginalString);
            Assert.Equal("false", (await swarm.Worker.RunDockerAsync("inspect", "-f", "{{.State.Running}}", onWorker)).StandardOutput.Trim());
            Assert.Contains("Stopped.", await operator_.GetStringAsync(location), StringComparison.Ordinal);

            var cluster = await operator_.GetStringAsync("/cluster");
            Assert.Matches("data-testid=\"containers-running\"><div class=\"stat-value\">1<", cluster);
            Assert.Matches("data-testid=\"containers-stopped\"><div class=\"stat-value\">1<", cluster);
        }
        finally
        {
            await Task.WhenAll(swarm.Manager.RunDockerUncheckedAsync("rm", "-f", onManager), swarm.Worker.RunDockerUncheckedAsync("rm", "-f", onWorker));
        }
    }

    [GeneratedRegex("<tr data-container=\"([0-9a-f]{64})\"")]
    private static partial Regex Rows();

    [GeneratedRegex("name=\"__csrf\" value=\"([^\"]+)\"")]
    private static partial Regex Csrf();
}
