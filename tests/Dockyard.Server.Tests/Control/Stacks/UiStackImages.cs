using Dockyard.Server.Tests.Infrastructure;
using Dockyard.Server.Tests.Ui;

namespace Dockyard.Server.Tests.Control.Stacks;

/// <summary>Images for the stacks UI tests: the swarm's busybox pushed into a <see cref="UiTestServer"/> by one of its users.</summary>
internal static class UiStackImages
{
    /// <summary>Pushes the shared busybox as <c>{server}/{repository}:{tag}</c> from the manager engine; returns that reference.</summary>
    public static async Task<string> PushAsync(SwarmFixture swarm, UiTestServer server, string user, string password, string repository, string tag)
    {
        var registry = server.BaseAddress.Authority;
        var reference = $"{registry}/{repository}:{tag}";
        await swarm.Manager.RunDockerAsync("tag", await swarm.BusyboxAsync(), reference);
        await swarm.Manager.RunDockerAsync("login", "-u", user, "-p", password, registry);
        try
        {
            await swarm.Manager.RunDockerAsync("push", reference);
        }
        finally
        {
            await swarm.Manager.RunDockerUncheckedAsync("logout", registry);
            await swarm.Manager.RunDockerUncheckedAsync("rmi", reference);
        }

        return reference;
    }

    /// <summary>A service on host networking (no port, so replicas never collide) running <paramref name="image"/>.</summary>
    public static string Service(string name, string image, string replicas) => $"""
          {name}:
            image: {image}
            command: ["/bin/busybox", "sh", "-c", "while true; do /bin/busybox sleep 1; done"]
            networks: [hostnet]
            deploy:
              replicas: {replicas}

        """;

    /// <summary>The external host network every test stack uses.</summary>
    public const string HostNetwork = """
        networks:
          hostnet:
            external: true
            name: host
        """;
}
