using System.Net;
using System.Text.RegularExpressions;
using Dockyard.Server.Control;
using Dockyard.Server.Tests.Infrastructure;
using Dockyard.Server.Tests.Ui;

namespace Dockyard.Server.Tests.Control.Nodes;

/// <summary>
/// The node pages rendered by a Dockyard on the swarm (static SSR, plain HTTP with a signed-in session): an
/// administrator sees both nodes, labels escaped, the join commands and a working availability form; a user without
/// grants sees no nodes and a node page is 404 for them.
/// </summary>
[Collection(SwarmCollection.Name)]
public sealed partial class NodesUiTests(SwarmFixture swarm, UiBrowserFixture browser)
{
    [Fact]
    public async Task Node_pages_render_escape_labels_and_post_the_availability_form()
    {
        await using var server = await UiTestServer.StartAsync(browser, swarm.EngineSettings());
        var registry = server.Get<EngineRegistry>();
        await registry.ReloadAsync(CancellationToken.None);
        await registry.RefreshAllAsync(CancellationToken.None);
        await server.Seed.UserAsync("ops", "ops-password-12", admin: true);
        await server.Seed.UserAsync("guest", "guest-password-12");
        var admin = await UiHttpSession.SignInAsync(server.BaseAddress, "ops", "ops-password-12");
        var guest = await UiHttpSession.SignInAsync(server.BaseAddress, "guest", "guest-password-12");
        var path = $"/nodes/{swarm.WorkerNodeId}";
        await swarm.Manager.RunDockerAsync("node", "update", "--label-add", "dockyard.test=<script>alert(1)</script>", swarm.WorkerNodeId);
        try
        {
            var list = await admin.GetStringAsync("/nodes");
            Assert.Contains($"data-node=\"{swarm.ManagerNodeId}\"", list, StringComparison.Ordinal);
            Assert.Contains($"data-node=\"{swarm.WorkerNodeId}\"", list, StringComparison.Ordinal);
            Assert.Contains("href=\"/nodes\"", list, StringComparison.Ordinal);
            AssertEscaped(list);

            var page = await admin.GetStringAsync(path);
            AssertEscaped(page);
            Assert.Contains("docker swarm join --token SWMTKN-", page, StringComparison.Ordinal);
            Assert.Contains("data-copy=\"docker swarm join --token", page, StringComparison.Ordinal);

            var token = CsrfToken().Match(page).Groups[1].Value;
            using (var post = await admin.PostAsync(path, new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["_handler"] = "node-availability",
                ["__csrf"] = token,
                ["Form.Availability"] = "pause",
            })))
            {
                Assert.Equal(HttpStatusCode.Found, post.StatusCode);
            }

            Assert.Equal("pause", (await swarm.Manager.RunDockerAsync("node", "inspect", "--format", "{{.Spec.Availability}}", swarm.WorkerNodeId)).StandardOutput.Trim());

            Assert.Contains("data-testid=\"nodes-empty\"", await guest.GetStringAsync("/nodes"), StringComparison.Ordinal);
            using var hidden = await guest.GetAsync(path);
            Assert.Equal(HttpStatusCode.NotFound, hidden.StatusCode);
            Assert.DoesNotContain("SWMTKN-", await hidden.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        finally
        {
            await swarm.Manager.RunDockerUncheckedAsync("node", "update", "--label-rm", "dockyard.test", "--availability", "active", swarm.WorkerNodeId);
        }
    }

    private static void AssertEscaped(string html)
    {
        Assert.Contains("dockyard.test=&lt;script&gt;alert(1)&lt;/script&gt;", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>alert(1)", html, StringComparison.Ordinal);
    }

    [GeneratedRegex("name=\"__csrf\" value=\"([^\"]+)\"")]
    private static partial Regex CsrfToken();
}
