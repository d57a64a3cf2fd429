using System.Net;
using System.Net.Http.Json;
using System.Text;
using Dockyard.Server.Tests.Api;
using Dockyard.Server.Tests.Infrastructure;

namespace Dockyard.Server.Tests.Control.Stacks;

/// <summary>
/// The stack through POST /api/v1/stacks on the real two-node swarm: a web service (busybox httpd, one replica
/// pinned to the manager, a secret from an attachment, a config, labels, resources, update_config) and a worker; the
/// docker CLI sees it as its own (<c>docker stack ls</c>, <c>docker stack services</c>) running <c>image@sha256</c>;
/// scale up, down and to 0; add the cache (revision 2, the diff shows it); roll back to revision 1 (the cache is pruned).
/// </summary>
[Collection(SwarmCollection.Name)]
public sealed class StackLifecycleTests(SwarmFixture swarm)
{
    [Fact]
    public async Task Deploy_scale_update_diff_and_rollback_as_docker_stack_sees_it()
    {
        var server = await swarm.DockyardAsync();
        var admin = await server.AdminAsync();
        var image = await StackTestKit.ImageAsync(swarm, server);
        var name = "life" + Guid.NewGuid().ToString("N")[..8];
        var port = 20000 + Random.Shared.Next(20000);
        var compose = $$"""
            services:
              web:
                image: {{image}}
                command: ["/bin/busybox", "httpd", "-f", "-p", "{{port}}"]
                labels:
                  app.role: web
                networks: [hostnet]
                secrets: [db_password]
                configs:
                  - source: app_config
                    target: /etc/app.conf
                deploy:
                  replicas: 1
                  labels:
                    app.tier: front
                  resources:
                    limits: {memory: 64M}
                  placement:
                    constraints: [node.role == manager]
                  update_config: {parallelism: 1, order: start-first, delay: 1s}
              worker:
                image: {{image}}
                command: ["/bin/busybox", "sleep", "600"]
                networks: [hostnet]
                deploy:
                  replicas: 2
            networks:
              hostnet:
                external: true
                name: host
            secrets:
              db_password:
                file: ./db_password.txt
            configs:
              app_config:
                file: ./app.conf
            """;
        var attachments = new Dictionary<string, string>
        {
            ["./db_password.txt"] = Convert.ToBase64String(Encoding.UTF8.GetBytes("s3cret")),
            ["./app.conf"] = Convert.ToBase64String(Encoding.UTF8.GetBytes("level=info\n")),
        };
        try
        {
            using (var created = await StackTestKit.DeployAsync(admin, name, compose, new { attachments, version = "1.0", description = "demo" }, "/stacks/" + name))
            {
                var result = await ProblemAssert.StatusAsync(HttpStatusCode.Created, created);
                Assert.Equal(1, result.GetProperty("revision").GetInt32());
            }

            await StackTestKit.RunningAsync(admin, name, 2);
            var listed = (await swarm.Manager.RunDockerAsync("stack", "ls", "--format", "{{.Name}} {{.Services}}")).StandardOutput;
            Assert.Contains($"{name} 2", listed, StringComparison.Ordinal);
            var services = (await swarm.Manager.RunDockerAsync("stack", "services", name, "--format", "{{.Name}} {{.Replicas}} {{.Image}}")).StandardOutput;
            Assert.Contains($"{name}_web 1/1 ", services, StringComparison.Ordinal);
            Assert.Contains($"{name}_worker 2/2 ", services, StringComparison.Ordinal);
            var pinned = (await swarm.Manager.RunDockerAsync("service", "inspect", "--format", "{{.Spec.TaskTemplate.ContainerSpec.Image}}", name + "_web")).StandardOutput.Trim();
            Assert.Matches($"^{System.Text.RegularExpressions.Regex.Escape(image)}@sha256:[0-9a-f]{{64}}$", pinned);
            var secret = (await swarm.Manager.RunDockerAsync("secret", "ls", "--filter", "label=com.docker.stack.namespace=" + name, "--format", "{{.Name}}")).StandardOutput.Trim();
            Assert.Equal(name + "_db_password", secret);

            foreach (var replicas in new[] { 3, 0, 1 })
            {
                using var scaled = await admin.PostAsJsonAsync($"/api/v1/stacks/{name}/services/worker/scale", new { replicas });
                var view = await ProblemAssert.StatusAsync(HttpStatusCode.OK, scaled);
                Assert.Equal(replicas, view.GetProperty("replicas").GetInt64());
                var shown = (await swarm.Manager.RunDockerAsync("service", "inspect", "--format", "{{.Spec.Mode.Replicated.Replicas}}", name + "_worker")).StandardOutput.Trim();
                Assert.Equal(replicas.ToString(System.Globalization.CultureInfo.InvariantCulture), shown);
            }

            var withCache = compose.Replace("networks:\n  hostnet:", "  cache:\n    image: " + image + "\n    command: [\"/bin/busybox\", \"sleep\", \"600\"]\n    networks: [hostnet]\nnetworks:\n  hostnet:", StringComparison.Ordinal);
            Assert.NotEqual(compose, withCache);
            using (var updated = await admin.PutAsJsonAsync($"/api/v1/stacks/{name}", StackTestKit.Body(name, withCache, new { attachments })))
            {
                var result = await ProblemAssert.StatusAsync(HttpStatusCode.OK, updated);
                Assert.Equal(2, result.GetProperty("revision").GetInt32());
            }

            await StackTestKit.RunningAsync(admin, name, 3);
            using (var diff = await admin.GetAsync($"/api/v1/stacks/{name}/diff?from=1&to=2"))
            {
                var body = await ProblemAssert.StatusAsync(HttpStatusCode.OK, diff);
                var file = body.GetProperty("files")[0];
                Assert.Equal("changed", file.GetProperty("change").GetString());
                Assert.Contains("\n+  cache:\n", file.GetProperty("diff").GetString(), StringComparison.Ordinal);
                Assert.DoesNotContain("\n-", file.GetProperty("diff").GetString(), StringComparison.Ordinal);
            }

            using (var revision = await admin.GetAsync($"/api/v1/stacks/{name}/revisions/1"))
            {
                var body = await ProblemAssert.StatusAsync(HttpStatusCode.OK, revision);
                Assert.StartsWith(image + "@sha256:", body.GetProperty("images").GetProperty(image).GetString(), StringComparison.Ordinal);
            }

            using (var rolledBack = await admin.PostAsJsonAsync($"/api/v1/stacks/{name}/rollback", new { revision = 1 }))
            {
                var result = await ProblemAssert.StatusAsync(HttpStatusCode.OK, rolledBack);
                Assert.Equal(3, result.GetProperty("revision").GetInt32());
            }

            Assert.Equal([name + "_web", name + "_worker"], await StackTestKit.ServiceNamesAsync(swarm, name));
            using var revisions = await admin.GetAsync($"/api/v1/stacks/{name}/revisions");
            var items = (await ProblemAssert.StatusAsync(HttpStatusCode.OK, revisions)).GetProperty("items");
            Assert.Equal("rollback to 1", items[0].GetProperty("note").GetString());
        }
        finally
        {
            await StackTestKit.RemoveAsync(swarm, name);
        }
    }
}
