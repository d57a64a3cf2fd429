using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dockyard.Server.Accounts;
using Dockyard.Server.Control.Images;
using Dockyard.Server.Tests.Api;
using Dockyard.Server.Tests.Audit;
using Dockyard.Server.Tests.Infrastructure;

namespace Dockyard.Server.Tests.Control;

/// <summary>
/// <c>/api/v1/images</c> against the two real engines of <see cref="SwarmFixture"/>: an image pushed to Dockyard is
/// pulled as the caller onto the worker only (progress streamed), then onto every node; a caller without pull on the
/// repository is refused before any engine pulls; another registry is a 400; the running container shows up in the
/// runtime link; removal is the engine's 409 while a container uses the image, then succeeds.
/// </summary>
[Collection(SwarmCollection.Name)]
public sealed class EngineImagesApiTests(SwarmFixture swarm)
{
    [Fact]
    public async Task Pull_as_the_caller_onto_one_node_or_all_then_link_and_remove()
    {
        var server = await swarm.DockyardAsync();
        var registry = server.Server.BaseAddress.Authority;
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var organization = "img" + suffix;
        await server.CreateOrganizationAsync(organization, await server.UserIdAsync(AdminBootstrapper.AdminUsername));
        var repository = organization + "/app";
        var digest = await RegistryImagePusher.PushAsync(swarm, server, repository, "v1");
        var reference = $"{registry}/{repository}:v1";
        var admin = await server.AdminAsync();

        // Both users may create containers on every node; only the reader may pull the repository.
        var (_, reader) = await server.UserAsync("reader" + suffix);
        var (_, stranger) = await server.UserAsync("stranger" + suffix);
        foreach (var user in new[] { "reader" + suffix, "stranger" + suffix })
        {
            await ProblemAssert.StatusAsync(HttpStatusCode.Created, await admin.PostAsJsonAsync("/api/v1/grants", new { subjectKind = "user", subject = user, role = "restricted-control", collection = "/" }));
        }

        await ProblemAssert.StatusAsync(HttpStatusCode.Created, await admin.PutAsJsonAsync($"/api/v1/repositories/{repository}/permissions/users/reader{suffix}", new { role = "read" }));
        var container = "imgrun-" + suffix;
        var auditFrom = (await AuditTestServer.EntriesAfterAsync(server.Server.Services, 0)).Select(e => e.Id).DefaultIfEmpty(0).Max();
        try
        {
            // No pull right: 403 and no engine has the image.
            var refused = await ProblemAssert.StatusAsync(HttpStatusCode.Forbidden, await stranger.PostAsJsonAsync("/api/v1/images/pull", new { reference, node = swarm.WorkerNodeId }));
            Assert.Contains(repository, refused.GetProperty("detail").GetString(), StringComparison.Ordinal);
            Assert.False(await HasImageAsync(swarm.Worker, reference));

            // Another registry: 400, nothing asked of any engine.
            await ProblemAssert.InvalidAsync("reference", await reader.PostAsJsonAsync("/api/v1/images/pull", new { reference = "docker.io/library/busybox:latest" }));

            // Onto the worker only, progress as NDJSON.
            using (var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/images/pull") { Content = JsonContent.Create(new { reference, node = swarm.WorkerNodeId }) })
            {
                request.Headers.Accept.ParseAdd("application/x-ndjson");
                using var response = await reader.SendAsync(request);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                Assert.Equal("application/x-ndjson", response.Content.Headers.ContentType?.MediaType);
                var lines = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
                Assert.Contains(lines, l => l.GetProperty("type").GetString() == "progress" && l.GetProperty("progress").GetProperty("engine").GetString() == SwarmFixture.WorkerEngine);
                var result = lines[^1];
                Assert.Equal("result", result.GetProperty("type").GetString());
                var node = Assert.Single(result.GetProperty("result").GetProperty("nodes").EnumerateArray());
                Assert.Equal((swarm.WorkerNodeId, "pulled"), (node.GetProperty("nodeId").GetString(), node.GetProperty("status").GetString()));
            }

            Assert.True(await HasImageAsync(swarm.Worker, reference));
            Assert.False(await HasImageAsync(swarm.Manager, reference));

            // The list shows it on the worker with its registry digest.
            var listed = await ProblemAssert.StatusAsync(HttpStatusCode.OK, await reader.GetAsync("/api/v1/images?node=" + SwarmFixture.WorkerEngine));
            Assert.Contains(listed.GetProperty("items").EnumerateArray(), i =>
                i.GetProperty("engine").GetString() == SwarmFixture.WorkerEngine
                && i.GetProperty("repoDigests").EnumerateArray().Any(d => d.GetString() == $"{registry}/{repository}@{digest}"));

            // Every node (plain JSON answer).
            var all = await ProblemAssert.StatusAsync(HttpStatusCode.OK, await reader.PostAsJsonAsync("/api/v1/images/pull", new { reference }));
            Assert.Equal(
                [(SwarmFixture.ManagerEngine, "pulled"), (SwarmFixture.WorkerEngine, "pulled")],
                all.GetProperty("nodes").EnumerateArray().Select(n => (n.GetProperty("engine").GetString(), n.GetProperty("status").GetString())).Order());
            Assert.True(await HasImageAsync(swarm.Manager, reference));

            // A running container on the worker: the runtime link names it for the digest.
            await swarm.Worker.RunDockerAsync("run", "-d", "--network", "none", "--name", container, reference, "/bin/busybox", "sleep", "300");
            var usage = await server.Get<RuntimeUsage>().GetFreshAsync(CancellationToken.None);
            var user = Assert.Single(usage.UsersOf(digest));
            Assert.Equal((RuntimeUser.Container, container, repository, swarm.WorkerNodeId), (user.Kind, user.Name, user.Repository, user.NodeId));
            using var ui = await Ui.UiHttpSession.SignInAsync(server.Server.BaseAddress, AdminBootstrapper.AdminUsername, ApiTestServer.AdminPassword);
            var tagPage = await ui.GetStringAsync($"/repositories/{repository}/-/manifests/v1");
            Assert.Contains($"data-running=\"{container}\"", tagPage, StringComparison.Ordinal);
            Assert.Contains($"on node {swarm.WorkerNodeId}", tagPage, StringComparison.Ordinal);

            // Remove: the engine's 409 while the container uses it; the manager's copy goes.
            var inUse = await ProblemAssert.StatusAsync(HttpStatusCode.Conflict, await reader.DeleteAsync($"/api/v1/images/{reference}?node={SwarmFixture.WorkerEngine}"));
            Assert.Contains("container", inUse.GetProperty("detail").GetString(), StringComparison.OrdinalIgnoreCase);
            var removed = await ProblemAssert.StatusAsync(HttpStatusCode.OK, await reader.DeleteAsync($"/api/v1/images/{reference}?node={swarm.ManagerNodeId}"));
            Assert.Contains(reference, removed.GetProperty("untagged").EnumerateArray().Select(u => u.GetString()));
            Assert.False(await HasImageAsync(swarm.Manager, reference));

            // The /images page lists each engine's images and pulls through its form (as the signed-in user).
            var page = await ui.GetStringAsync("/images");
            Assert.Contains($"data-engine=\"{SwarmFixture.WorkerEngine}\"", page, StringComparison.Ordinal);
            var csrf = System.Text.RegularExpressions.Regex.Match(page, "name=\"__csrf\" value=\"([^\"]+)\"").Groups[1].Value;
            using var posted = await ui.PostAsync("/images", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["_handler"] = "pull", ["__csrf"] = csrf, ["Form.Reference"] = reference, ["Form.Node"] = SwarmFixture.ManagerEngine,
            }));
            var pulledPage = await posted.Content.ReadAsStringAsync();
            Assert.True(posted.StatusCode == HttpStatusCode.OK, pulledPage);
            Assert.Contains("data-testid=\"pull-result\"", pulledPage, StringComparison.Ordinal);
            Assert.True(await HasImageAsync(swarm.Manager, reference));
        }
        finally
        {
            await swarm.Worker.RunDockerUncheckedAsync("rm", "-f", container);
            await swarm.Worker.RunDockerUncheckedAsync("rmi", reference);
            await swarm.Manager.RunDockerUncheckedAsync("rmi", reference);
        }

        var entries = (await AuditTestServer.EntriesAfterAsync(server.Server.Services, auditFrom)).Where(e => e.Action.StartsWith("image.", StringComparison.Ordinal)).ToList();
        Assert.Equal(
            [("image.pull", "denied", "stranger" + suffix), ("image.pull", "failed", "reader" + suffix), ("image.pull", "success", "reader" + suffix), ("image.pull", "success", "reader" + suffix),
             ("image.remove", "failed", "reader" + suffix), ("image.remove", "success", "reader" + suffix), ("image.pull", "success", AdminBootstrapper.AdminUsername)],
            entries.Select(e => (e.Action, e.Outcome, e.ActorName)));
    }

    private static async Task<bool> HasImageAsync(DockerDaemonFixture engine, string reference) =>
        (await engine.RunDockerUncheckedAsync("image", "inspect", reference)).ExitCode == 0;
}
