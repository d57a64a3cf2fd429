using System.Text.RegularExpressions;
using Dockyard.Server.Accounts;
using Dockyard.Server.Tests.Api;
using Dockyard.Server.Tests.Infrastructure;

namespace Dockyard.Server.Tests.Control;

/// <summary>
/// Pushes images to a test Dockyard from the swarm's manager engine: each one the shared busybox with its own label
/// (<c>docker commit --change LABEL</c>, so its own config and manifest digest), pushed as the administrator
/// (engines treat 127.0.0.0/8 registries as insecure), then untagged on the manager again so only pulls put it back.
/// </summary>
internal static partial class RegistryImagePusher
{
    /// <summary>Pushes a distinct image as <c>{registry}/{repository}:{tag}</c>; returns its manifest digest.</summary>
    public static async Task<string> PushAsync(SwarmFixture swarm, ApiTestServer server, string repository, string tag)
    {
        var registry = server.Server.BaseAddress.Authority;
        var reference = $"{registry}/{repository}:{tag}";
        var manager = swarm.Manager;
        var container = (await manager.RunDockerAsync("create", "--network", "none", await swarm.BusyboxAsync(), "/bin/busybox", "true")).StandardOutput.Trim();
        try
        {
            await manager.RunDockerAsync("commit", "--change", $"LABEL dockyard.test.image={repository}:{tag}:{Guid.NewGuid():N}", container, reference);
        }
        finally
        {
            await manager.RunDockerUncheckedAsync("rm", "-f", container);
        }

        await manager.RunDockerAsync("login", "-u", AdminBootstrapper.AdminUsername, "-p", ApiTestServer.AdminPassword, registry);
        try
        {
            var pushed = await manager.RunDockerAsync("push", reference);
            return PushedDigest().Match(pushed.StandardOutput) is { Success: true } match
                ? match.Groups[1].Value
                : throw new InvalidOperationException("docker push printed no digest: " + pushed.StandardOutput);
        }
        finally
        {
            await manager.RunDockerUncheckedAsync("logout", registry);
            await manager.RunDockerUncheckedAsync("rmi", reference);
        }
    }

    [GeneratedRegex("digest: (sha256:[0-9a-f]{64})")]
    private static partial Regex PushedDigest();
}
