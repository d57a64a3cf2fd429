using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Dockyard.Server.Tests.Infrastructure;

/// <summary>
/// Two private dockerd engines (each a <see cref="DockerDaemonFixture"/>: own data-root, exec-root, socket, pidfile,
/// no bridge, no iptables) joined as ONE Swarm on loopback: <see cref="Manager"/> ran <c>swarm init</c>,
/// <see cref="Worker"/> joined it. Swarm ports are picked free on 127.0.0.1 so a second swarm on the machine does not
/// collide. On dispose both leave the swarm and only the daemons this fixture started are stopped (by PID).
/// Slow to start: share it through <c>SwarmCollection</c>.
/// </summary>
public sealed class SwarmFixture : IAsyncLifetime
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(90);
    private const string GatewayBridge = "docker_gwbridge";
    private readonly SemaphoreSlim _shared = new(1, 1);
    private bool _gatewayBridgeExisted;
    private Api.ApiTestServer? _dockyard;
    private string? _busybox;

    /// <summary>The name <see cref="DockyardAsync"/>'s Dockyard knows the manager's engine by.</summary>
    public const string ManagerEngine = "manager";

    /// <summary>The name <see cref="DockyardAsync"/>'s Dockyard knows the worker's engine by.</summary>
    public const string WorkerEngine = "worker";

    /// <summary>The engine that initialised the swarm (manager, leader).</summary>
    public DockerDaemonFixture Manager { get; } = new();

    /// <summary>The engine that joined as a worker.</summary>
    public DockerDaemonFixture Worker { get; } = new();

    public string ManagerNodeId { get; private set; } = string.Empty;

    public string WorkerNodeId { get; private set; } = string.Empty;

    /// <summary>Path of the manager's API socket.</summary>
    public string ManagerSocketPath => SocketPath(Manager);

    /// <summary>Path of the worker's API socket.</summary>
    public string WorkerSocketPath => SocketPath(Worker);

    /// <summary>The manager's raft/control address (127.0.0.1:port).</summary>
    public string ManagerSwarmAddress { get; private set; } = string.Empty;

    /// <summary>Wall time from starting the daemons until both nodes were Ready.</summary>
    public TimeSpan StartupTime { get; private set; }

    public async Task InitializeAsync()
    {
        var stopwatch = Stopwatch.StartNew();
        _gatewayBridgeExisted = Directory.Exists("/sys/class/net/" + GatewayBridge);
        try
        {
            await Task.WhenAll(Manager.InitializeAsync(), Worker.InitializeAsync());

            var managerPort = LoopbackPorts.Free();
            var workerPort = LoopbackPorts.Free();
            ManagerSwarmAddress = $"127.0.0.1:{managerPort}";
            List<string> init = ["swarm", "init", "--advertise-addr", ManagerSwarmAddress, "--listen-addr", ManagerSwarmAddress];
            if (FreeDataPathPort() is { } dataPathPort)
            {
                // VXLAN port of this swarm's overlay networks (ingress); the default 4789 would be shared with any other swarm here.
                init.AddRange(["--data-path-port", dataPathPort.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            }

            await Manager.RunDockerAsync([.. init]);
            var token = (await Manager.RunDockerAsync("swarm", "join-token", "--quiet", "worker")).StandardOutput.Trim();
            var workerAddress = $"127.0.0.1:{workerPort}";
            await Worker.RunDockerAsync("swarm", "join", "--token", token, "--advertise-addr", workerAddress, "--listen-addr", workerAddress, ManagerSwarmAddress);

            ManagerNodeId = await NodeIdAsync(Manager);
            WorkerNodeId = await NodeIdAsync(Worker);
            await WaitUntilBothReadyAsync();
            StartupTime = stopwatch.Elapsed;
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// One Dockyard (authentication on, <see cref="Api.ApiTestServer"/>) with both engines configured as
    /// <see cref="ManagerEngine"/> and <see cref="WorkerEngine"/>, started on first use and shared by the collection;
    /// returned once both engines have answered a probe. Tests create their own users and grants on it.
    /// </summary>
    internal async Task<Api.ApiTestServer> DockyardAsync(CancellationToken cancellationToken = default)
    {
        await _shared.WaitAsync(cancellationToken);
        try
        {
            if (_dockyard is null)
            {
                var server = await Api.ApiTestServer.StartAsync(EngineSettings());
                var registry = server.Get<Dockyard.Server.Control.EngineRegistry>();
                await registry.ReloadAsync(cancellationToken);
                await registry.RefreshAllAsync(cancellationToken);
                var reachable = registry.Reachable();
                if (reachable.Count != 2)
                {
                    await server.DisposeAsync();
                    throw new InvalidOperationException($"Dockyard reaches {reachable.Count} of the swarm's 2 engines: " +
                        string.Join("; ", registry.List().Select(e => $"{e.Definition.Name}: {e.Status.State} {e.Status.Message}")));
                }

                _dockyard = server;
            }

            return _dockyard;
        }
        finally
        {
            _shared.Release();
        }
    }

    /// <summary>
    /// Configuration naming both engines (<see cref="ManagerEngine"/>, <see cref="WorkerEngine"/>), for a test that
    /// starts its own Dockyard (e.g. a <c>UiTestServer</c> for browser tests) on this swarm.
    /// </summary>
    public Dictionary<string, string?> EngineSettings() => new()
    {
        ["Dockyard:Control:Engines:0:Name"] = ManagerEngine,
        ["Dockyard:Control:Engines:0:Endpoint"] = Manager.DockerHost,
        ["Dockyard:Control:Engines:1:Name"] = WorkerEngine,
        ["Dockyard:Control:Engines:1:Endpoint"] = Worker.DockerHost,
    };

    /// <summary>
    /// A busybox image (<see cref="TestImages.BuildBusyboxImageAsync"/>) present on both engines under one reference,
    /// imported once and shared; use it for containers (<c>--network none</c> or <c>host</c>).
    /// </summary>
    public async Task<string> BusyboxAsync()
    {
        await _shared.WaitAsync();
        try
        {
            if (_busybox is null)
            {
                const string reference = "dockyard-test/busybox:shared";
                var work = Directory.CreateTempSubdirectory("dockyard-busybox-").FullName;
                try
                {
                    await Task.WhenAll(
                        TestImages.BuildBusyboxImageAsync(Manager, reference, Directory.CreateDirectory(Path.Combine(work, "m")).FullName),
                        TestImages.BuildBusyboxImageAsync(Worker, reference, Directory.CreateDirectory(Path.Combine(work, "w")).FullName));
                }
                finally
                {
                    Directory.Delete(work, recursive: true);
                }

                _busybox = reference;
            }

            return _busybox;
        }
        finally
        {
            _shared.Release();
        }
    }

    public async Task DisposeAsync()
    {
        if (_dockyard is not null)
        {
            await _dockyard.DisposeAsync();
        }

        // Worker first: a manager that leaves first would leave the worker talking to nobody.
        foreach (var engine in new[] { Worker, Manager })
        {
            if (engine.DaemonPid != 0)
            {
                await engine.RunDockerUncheckedAsync("swarm", "leave", "--force");
            }
        }

        // Swarm made a bridge in the machine's network namespace; remove it unless it was there before us.
        if (!_gatewayBridgeExisted)
        {
            foreach (var engine in new[] { Worker, Manager })
            {
                if (engine.DaemonPid != 0)
                {
                    await engine.RunDockerUncheckedAsync("network", "rm", GatewayBridge);
                }
            }
        }

        await Task.WhenAll(Worker.DisposeAsync(), Manager.DisposeAsync());
    }

    private static string SocketPath(DockerDaemonFixture engine) =>
        engine.DockerHost.StartsWith("unix://", StringComparison.Ordinal) ? engine.DockerHost["unix://".Length..] : engine.DockerHost;

    private static async Task<string> NodeIdAsync(DockerDaemonFixture engine)
    {
        var id = (await engine.RunDockerAsync("info", "--format", "{{.Swarm.NodeID}}")).StandardOutput.Trim();
        Assert.False(string.IsNullOrEmpty(id), "the engine reports no swarm node id");
        return id;
    }

    private async Task WaitUntilBothReadyAsync()
    {
        var deadline = DateTime.UtcNow + ReadyTimeout;
        var last = string.Empty;
        while (DateTime.UtcNow < deadline)
        {
            var nodes = await Manager.RunDockerUncheckedAsync("node", "ls", "--format", "{{.ID}} {{.Status}}");
            last = nodes.StandardOutput.Trim() + nodes.StandardError.Trim();
            var ready = nodes.StandardOutput
                .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Where(line => line.EndsWith(" Ready", StringComparison.Ordinal))
                .Select(line => line.Split(' ')[0])
                .ToHashSet(StringComparer.Ordinal);
            if (ready.Contains(ManagerNodeId) && ready.Contains(WorkerNodeId))
            {
                return;
            }

            await Task.Delay(500);
        }

        throw new InvalidOperationException($"the two swarm nodes were not both Ready within {ReadyTimeout.TotalSeconds:0} s; last `docker node ls`: {last}");
    }

    /// <summary>A UDP port free on this machine within the range swarm accepts for its data path (1024–49151).</summary>
    private static int? FreeDataPathPort()
    {
        for (var attempt = 0; attempt < 20; attempt++)
        {
            using var socket = new UdpClient(new IPEndPoint(IPAddress.Any, 0));
            var port = ((IPEndPoint)socket.Client.LocalEndPoint!).Port;
            if (port is >= 1024 and <= 49151)
            {
                return port;
            }
        }

        return null;
    }
}
