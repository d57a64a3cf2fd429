using System.Net.Http.Json;
using System.Text.Json;
using Dockyard.Server.Control;
using Dockyard.Server.Tests.Api;
using Dockyard.Server.Tests.Infrastructure;

namespace Dockyard.Server.Tests.Control;

/// <summary>Engines against a real dockerd: status, version and info as the engine reports them; the swarm node seam.</summary>
[Collection(EngineDaemonCollection.Name)]
public sealed class RealEngineTests(DockerDaemonFixture docker) : IAsyncLifetime
{
    private ApiTestServer _server = null!;
    private HttpClient _admin = null!;

    public async Task InitializeAsync()
    {
        _server = await ApiTestServer.StartAsync(new Dictionary<string, string?>
        {
            ["Dockyard:Control:Engines:0:Name"] = "local",
            ["Dockyard:Control:Engines:0:Endpoint"] = docker.DockerHost,
        });
        _admin = await _server.AdminAsync();
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task RealDaemon_IsReachable_WithItsVersionAndInfo()
    {
        var expectedVersion = (await docker.RunDockerAsync("version", "--format", "{{.Server.Version}}")).StandardOutput.Trim();
        var expectedHost = (await docker.RunDockerAsync("info", "--format", "{{.Name}} {{.NCPU}} {{.OSType}}")).StandardOutput.Trim();

        var engine = await _admin.GetFromJsonAsync<JsonElement>("/api/v1/engines/local");

        var status = engine.GetProperty("status");
        Assert.True(status.GetProperty("state").GetString() == "reachable", status.ToString());
        Assert.Equal(JsonValueKind.Null, status.GetProperty("message").ValueKind);
        Assert.Equal(expectedVersion, status.GetProperty("version").GetString());
        Assert.Equal("1.41", status.GetProperty("apiVersion").GetString());
        var info = status.GetProperty("info");
        Assert.Equal(expectedHost, $"{info.GetProperty("name").GetString()} {info.GetProperty("ncpu").GetInt32()} {info.GetProperty("osType").GetString()}");
        Assert.Equal(expectedVersion, info.GetProperty("serverVersion").GetString());
        Assert.True(info.GetProperty("memTotal").GetInt64() > 0);
    }

    [Fact]
    public async Task SwarmManager_RegistryRoutesItsNodeIdAndManagerToTheEngine()
    {
        var registry = _server.Get<EngineRegistry>();
        await registry.EnsureLoadedAsync(CancellationToken.None);
        await registry.RefreshAsync("local", CancellationToken.None);
        Assert.Null(registry.GetManager());
        Assert.Null((await _admin.GetFromJsonAsync<JsonElement>("/api/v1/engines/local")).GetProperty("status").GetProperty("swarmRole").GetString());

        // A port of its own: the swarm fixture of other tests may hold 2377 at the same time.
        var port = LoopbackPorts.Free().ToString(System.Globalization.CultureInfo.InvariantCulture);
        await docker.RunDockerAsync("swarm", "init", "--advertise-addr", "127.0.0.1:" + port, "--listen-addr", "127.0.0.1:" + port);
        try
        {
            var nodeId = (await docker.RunDockerAsync("info", "--format", "{{.Swarm.NodeID}}")).StandardOutput.Trim();
            var status = (await _admin.GetFromJsonAsync<JsonElement>("/api/v1/engines/local")).GetProperty("status");

            Assert.Equal(("manager", nodeId), (status.GetProperty("swarmRole").GetString(), status.GetProperty("nodeId").GetString()));
            Assert.False(string.IsNullOrEmpty(status.GetProperty("clusterId").GetString()));
            Assert.Equal("local", registry.GetForNode(nodeId)?.Name);
            Assert.Null(registry.GetForNode("no-such-node"));
            Assert.Equal("local", registry.GetManager()?.Name);
        }
        finally
        {
            await docker.RunDockerAsync("swarm", "leave", "--force");
        }
    }
}
