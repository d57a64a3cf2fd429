using System.Net;
using Dockyard.Control.Containers;
using Dockyard.Control.Engines;
using Dockyard.Control.Tests.Infrastructure;

namespace Dockyard.Control.Tests.Containers;

public sealed class ContainerClientTests
{
    [Fact]
    public async Task Actions_TreatTheEngines304AsAlreadyDone()
    {
        var (client, engine) = ScriptedEngine.Create(request =>
            request.RequestUri!.AbsolutePath.EndsWith("/start", StringComparison.Ordinal) ? (HttpStatusCode.NotModified, string.Empty) : (HttpStatusCode.NoContent, string.Empty));
        using var owned = client;
        var containers = new ContainerClient(client);

        Assert.False(await containers.StartAsync("c1", CancellationToken.None));
        Assert.True(await containers.StopAsync("c1", TimeSpan.FromMilliseconds(1500), CancellationToken.None));
        Assert.True(await containers.KillAsync("c1", "SIGHUP", CancellationToken.None));
        await containers.RemoveAsync("c1", force: true, volumes: true, CancellationToken.None);

        Assert.Equal(
            ["POST /v1.41/containers/c1/start", "POST /v1.41/containers/c1/stop?t=2", "POST /v1.41/containers/c1/kill?signal=SIGHUP", "DELETE /v1.41/containers/c1?force=true&v=true"],
            engine.Requests.Select(r => r.Method + " " + r.PathAndQuery));
    }

    [Fact]
    public async Task List_SendsAllAndFilters()
    {
        var (client, engine) = ScriptedEngine.Create(_ => (HttpStatusCode.OK, """[{"Id":"c1","Names":["/web"],"ImageID":"sha256:1","State":"running","Labels":{"a":"b"}}]"""));
        using var owned = client;

        var row = Assert.Single(await new ContainerClient(client).ListAsync(new ContainerListOptions(true, new EngineFilters().Add("ancestor", "app:1")), CancellationToken.None));

        Assert.Equal("/v1.41/containers/json?all=true&filters=%7B%22ancestor%22%3A%5B%22app%3A1%22%5D%7D", engine.Requests[0].PathAndQuery);
        Assert.Equal(("c1", "/web", "sha256:1", "b"), (row.Id, row.Names[0], row.ImageId, row.Labels["a"]));
    }

    [Fact]
    public async Task Inspect_MapsImageIdStateAndHostConfig()
    {
        const string Body = """
            {"Id":"c1","Name":"/web","Created":"2026-12-06T16:00:00.123456789Z","Image":"sha256:abc",
             "Config":{"Tty":true,"Image":"app:1","Labels":{"x":"y"}},
             "State":{"Status":"running","Running":true,"OOMKilled":false,"Pid":42,"ExitCode":0},
             "HostConfig":{"NetworkMode":"host","Privileged":true,"CapAdd":["NET_ADMIN"],"Binds":["/srv:/data:ro"]},
             "Mounts":[{"Type":"bind","Source":"/srv","Destination":"/data","Mode":"ro","RW":false}]}
            """;
        var (client, _) = ScriptedEngine.Create(_ => (HttpStatusCode.OK, Body));
        using var owned = client;

        var details = await new ContainerClient(client).InspectAsync("web", CancellationToken.None);

        Assert.Equal(("sha256:abc", true, "app:1"), (details.ImageId, details.Config.Tty, details.Config.Image));
        Assert.Equal(("running", 42), (details.State.Status, details.State.Pid));
        Assert.Equal(("host", true, "NET_ADMIN", "/srv:/data:ro"), (details.HostConfig.NetworkMode, details.HostConfig.Privileged, details.HostConfig.CapAdd![0], details.HostConfig.Binds![0]));
        var mount = Assert.Single(details.Mounts);
        Assert.Equal(("bind", "/data", false), (mount.Type, mount.Destination, mount.Rw));
    }
}
