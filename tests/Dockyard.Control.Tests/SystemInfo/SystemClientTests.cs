using System.Net;
using Dockyard.Control.Engines;
using Dockyard.Control.SystemInfo;

namespace Dockyard.Control.Tests.SystemInfo;

public sealed class SystemClientTests
{
    private static readonly EngineEndpoint Local = new("local", new Uri("unix:///run/test/docker.sock"));

    // Trimmed from dockerd 20.10.24's /info on a swarm manager (names and casing as it sends them).
    private const string ManagerInfo = """
        {"ID":"7TRN:IPZB:QYBB","Containers":5,"ContainersRunning":3,"ContainersPaused":1,"ContainersStopped":1,"Images":12,
         "Driver":"overlay2","MemTotal":25134596096,"NCPU":2,"Name":"node-1","ServerVersion":"20.10.24+dfsg1",
         "OperatingSystem":"Debian GNU/Linux 12 (bookworm)","OSType":"linux","Architecture":"x86_64",
         "Swarm":{"NodeID":"qpx1rrp1u6wq3ohcsah4mthfd","NodeAddr":"127.0.0.1","LocalNodeState":"active","ControlAvailable":true,
                  "Error":"","RemoteManagers":[{"NodeID":"qpx1rrp1u6wq3ohcsah4mthfd","Addr":"127.0.0.1:2377"}],
                  "Cluster":{"ID":"m8ygj5v9x2k7qk3w4yq1b2c3d","Version":{"Index":10}}}}
        """;

    private const string Version = """
        {"Platform":{"Name":""},"Version":"20.10.24+dfsg1","ApiVersion":"1.41","MinAPIVersion":"1.12","GitCommit":"5d6db84",
         "Os":"linux","Arch":"amd64","KernelVersion":"6.1.0-18-amd64","BuildTime":"2023-05-18T08:38:34.000000000+00:00"}
        """;

    [Fact]
    public async Task GetInfoAsync_SwarmManager_ReadsHostCountsAndMembership()
    {
        var handler = new RoutedHandler(new Dictionary<string, (HttpStatusCode, string)> { ["/v1.41/info"] = (HttpStatusCode.OK, ManagerInfo) });
        using var engine = new EngineClient(Local, handler);

        var info = await new SystemClient(engine).GetInfoAsync(CancellationToken.None);

        Assert.Equal(("7TRN:IPZB:QYBB", "node-1", "20.10.24+dfsg1"), (info.Id, info.Name, info.ServerVersion));
        Assert.Equal(("Debian GNU/Linux 12 (bookworm)", "linux", "x86_64"), (info.OperatingSystem, info.OsType, info.Architecture));
        Assert.Equal((2, 25134596096L), (info.Ncpu, info.MemTotal));
        Assert.Equal((5, 3, 1, 1, 12), (info.Containers, info.ContainersRunning, info.ContainersPaused, info.ContainersStopped, info.Images));
        var swarm = Assert.IsType<SwarmInfo>(info.Swarm);
        Assert.Equal(("qpx1rrp1u6wq3ohcsah4mthfd", "127.0.0.1", "active", true), (swarm.NodeId, swarm.NodeAddr, swarm.LocalNodeState, swarm.ControlAvailable));
        Assert.Equal("m8ygj5v9x2k7qk3w4yq1b2c3d", swarm.Cluster?.Id);
        Assert.True(swarm.IsActive);
        Assert.Equal(["/v1.41/info"], handler.Paths);
    }

    [Fact]
    public async Task GetInfoAsync_OutsideSwarm_IsInactiveWithoutCluster()
    {
        const string body = """{"ID":"X","Name":"solo","Swarm":{"NodeID":"","NodeAddr":"","LocalNodeState":"inactive","ControlAvailable":false,"Error":"","RemoteManagers":null}}""";
        using var engine = new EngineClient(Local, new RoutedHandler(new Dictionary<string, (HttpStatusCode, string)> { ["/v1.41/info"] = (HttpStatusCode.OK, body) }));

        var info = await new SystemClient(engine).GetInfoAsync(CancellationToken.None);

        Assert.Equal("inactive", info.Swarm!.LocalNodeState);
        Assert.False(info.Swarm.IsActive);
        Assert.False(info.Swarm.ControlAvailable);
        Assert.Null(info.Swarm.Cluster);
    }

    [Fact]
    public async Task GetVersionAsync_ReadsVersionsAndPlatform()
    {
        using var engine = new EngineClient(Local, new RoutedHandler(new Dictionary<string, (HttpStatusCode, string)> { ["/v1.41/version"] = (HttpStatusCode.OK, Version) }));

        var version = await new SystemClient(engine).GetVersionAsync(CancellationToken.None);

        Assert.Equal(("20.10.24+dfsg1", "1.41", "1.12"), (version.Version, version.ApiVersion, version.MinApiVersion));
        Assert.Equal(("linux", "amd64", "6.1.0-18-amd64"), (version.Os, version.Arch, version.KernelVersion));
    }

    [Fact]
    public async Task GetInfoAsync_EngineError_ThrowsClassifiedException()
    {
        using var engine = new EngineClient(Local, new RoutedHandler(new Dictionary<string, (HttpStatusCode, string)> { ["/v1.41/info"] = (HttpStatusCode.InternalServerError, """{"message":"daemon exploded"}""") }));

        var ex = await Assert.ThrowsAsync<EngineApiException>(() => new SystemClient(engine).GetInfoAsync(CancellationToken.None));

        Assert.Equal((EngineErrorKind.Failed, 500, "daemon exploded"), (ex.Kind, ex.Status, ex.EngineMessage));
    }

    [Fact]
    public async Task GetVersionAsync_NotJson_ThrowsFailed()
    {
        using var engine = new EngineClient(Local, new RoutedHandler(new Dictionary<string, (HttpStatusCode, string)> { ["/v1.41/version"] = (HttpStatusCode.OK, "<html>proxy</html>") }));

        var ex = await Assert.ThrowsAsync<EngineApiException>(() => new SystemClient(engine).GetVersionAsync(CancellationToken.None));

        Assert.Equal(EngineErrorKind.Failed, ex.Kind);
        Assert.Contains("could not be read", ex.EngineMessage, StringComparison.Ordinal);
    }
}
