using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Dockyard.Server.Identity;
using Dockyard.Server.Tests.Infrastructure;

namespace Dockyard.Server.Tests.Control.Stacks;

/// <summary>
/// The real <c>dockyard stack</c> CLI (a child process of the built binary) against the shared Dockyard, as CI would run
/// it: with the access token of a user granted restricted-control on a collection (the least role holding
/// StackView and StackDeploy; "scheduler" here is the node-scheduling role), it deploys a one-service stack of an image
/// pushed to Dockyard (host network, sleeping) with an env_file attachment, waits until the task runs, lists the stack,
/// shows the task on a node, and removes it — after which the swarm has no service of the stack left.
/// </summary>
[Collection(SwarmCollection.Name)]
public sealed class StackCliTests(SwarmFixture swarm)
{
    private static readonly TimeSpan CliTimeout = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task Deploy_ls_ps_and_rm_through_the_cli_with_a_deployers_token()
    {
        var server = await swarm.DockyardAsync();
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var user = "ci-" + suffix;
        var collection = "/Shared/ci-" + suffix;
        var stack = "cli-" + suffix;
        var (userId, _) = await server.UserAsync(user);
        var admin = await server.AdminAsync();
        using (var grant = await admin.PostAsJsonAsync("/api/v1/grants", new { subjectKind = "user", subject = user, role = "restricted-control", collection }))
        {
            Assert.True(grant.IsSuccessStatusCode, await grant.Content.ReadAsStringAsync());
        }

        // The image lives in the user's own namespace: the deploy pulls it with the user's credentials.
        var repository = $"{user}/app";
        await RegistryImagePusher.PushAsync(swarm, server, repository, "v1");
        var (_, token) = await server.Get<AccessTokenService>().CreateForUserAsync(userId, "ci", null, null, CancellationToken.None);
        var registry = server.Server.BaseAddress.Authority;
        using var project = new TempDirectory("stack-cli");
        await File.WriteAllTextAsync(project.Combine("compose.yml"), $"""
            services:
              app:
                image: {registry}/{repository}:v1
                command: ["/bin/busybox", "sleep", "300"]
                env_file: ./app.env
                networks: [hostnet]
                deploy:
                  replicas: 1
            networks:
              hostnet:
                external: true
                name: host
            """);
        await File.WriteAllTextAsync(project.Combine("app.env"), "GREETING=hello\n");
        var environment = new Dictionary<string, string>
        {
            ["DOCKYARD_SERVER"] = server.Server.BaseAddress.ToString(),
            ["DOCKYARD_TOKEN"] = token,
        };
        try
        {
            var deploy = await Cli(environment, "stack", "deploy", "-c", project.Combine("compose.yml"), "--collection", collection, "--version", "1.0.0", "--wait", "120s", stack);
            Assert.True(deploy.ExitCode == 0, deploy.Describe());
            Assert.Contains($"Created stack {stack}: revision 1 (collection {collection})", deploy.StandardOutput, StringComparison.Ordinal);
            Assert.Contains("app: 1/1 running", deploy.StandardError, StringComparison.Ordinal);

            var ls = await Cli(environment, "stack", "ls");
            Assert.True(ls.ExitCode == 0, ls.Describe());
            Assert.Matches(new Regex($@"(?m)^{stack}\s+1\s+{Regex.Escape(collection)}\s+1\.0\.0\s+1\s+yes$"), ls.StandardOutput);

            var ps = await Cli(environment, "stack", "ps", stack);
            Assert.True(ps.ExitCode == 0, ps.Describe());
            Assert.Matches(new Regex($@"(?m)^\S+\s+{stack}_app\.1\s+{Regex.Escape(registry)}/{Regex.Escape(repository)}\S*\s+\S+\s+running\s+running\s*$"), ps.StandardOutput);

            var rm = await Cli(environment, "stack", "rm", stack);
            Assert.True(rm.ExitCode == 0, rm.Describe());
            var services = await swarm.Manager.RunDockerAsync("service", "ls", "--quiet", "--filter", $"label=com.docker.stack.namespace={stack}");
            Assert.Equal(string.Empty, services.StandardOutput.Trim());
        }
        finally
        {
            await swarm.Manager.RunDockerUncheckedAsync("stack", "rm", stack);
        }
    }

    private static Task<ProcessResult> Cli(IReadOnlyDictionary<string, string> environment, params string[] args) =>
        DockyardProcess.RunCliUncheckedAsync(environment, CliTimeout, args);
}
