using System.Net;
using System.Text.Json.Nodes;
using Dockyard.Control.Engines;
using Dockyard.Control.Nodes;
using Dockyard.Control.Tests.Infrastructure;

namespace Dockyard.Control.Tests.Nodes;

public sealed class NodeClientTests
{
    private const string Node = """
        {"ID":"n1","Version":{"Index":17},
         "Spec":{"Name":"edge","Labels":{"zone":"a","Zone":"b"},"Role":"manager","Availability":"active","FutureField":{"x":1}},
         "Description":{"Hostname":"host1","Platform":{"Architecture":"x86_64","OS":"linux"},
           "Resources":{"NanoCPUs":2000000000,"MemoryBytes":4096},
           "Engine":{"EngineVersion":"20.10.24","Labels":{"disk":"ssd"}}},
         "Status":{"State":"ready","Message":"","Addr":"127.0.0.1"},
         "ManagerStatus":{"Leader":true,"Reachability":"reachable","Addr":"127.0.0.1:2377"}}
        """;

    [Fact]
    public async Task List_FlattensTheNodeAndSendsFilters()
    {
        var (client, engine) = ScriptedEngine.Create(_ => (HttpStatusCode.OK, "[" + Node + "]"));
        using var owned = client;

        var node = Assert.Single(await new NodeClient(client).ListAsync(new EngineFilters().Add("role", "manager"), CancellationToken.None));

        Assert.Equal("/v1.41/nodes?filters=%7B%22role%22%3A%5B%22manager%22%5D%7D", engine.Requests[0].PathAndQuery);
        Assert.Equal(("n1", 17L, "edge", "host1"), (node.Id, node.Version, node.Name, node.Hostname));
        Assert.Equal(("manager", "active", "ready", "127.0.0.1"), (node.Role, node.Availability, node.State, node.Address));
        Assert.Equal(new NodeManagerStatus(true, "reachable", "127.0.0.1:2377"), node.Manager);
        Assert.Equal(("20.10.24", "linux", "x86_64", 2000000000L, 4096L), (node.EngineVersion, node.Os, node.Architecture, node.NanoCpus, node.MemoryBytes));
        Assert.Equal("ssd", node.EngineLabels["disk"]);
        Assert.Equal(("a", "b"), (node.Labels["zone"], node.Labels["Zone"]));
    }

    [Fact]
    public async Task Update_SendsWholeSpecWithUnknownFieldsAndTheCallersVersion()
    {
        var (client, engine) = ScriptedEngine.Create(request =>
            request.Method == HttpMethod.Get ? (HttpStatusCode.OK, Node) : (HttpStatusCode.OK, string.Empty));
        using var owned = client;

        await new NodeClient(client).UpdateAsync("n1", 15, new NodeSpecChange(Availability: "drain"), CancellationToken.None);

        var update = engine.Requests[1];
        Assert.Equal(("POST", "/v1.41/nodes/n1/update?version=15"), (update.Method, update.PathAndQuery));
        var spec = JsonNode.Parse(update.Body!)!.AsObject();
        Assert.Equal("drain", (string?)spec["Availability"]);
        Assert.Equal(("edge", "manager"), ((string?)spec["Name"], (string?)spec["Role"]));
        Assert.Equal(("a", "b"), ((string?)spec["Labels"]!["zone"], (string?)spec["Labels"]!["Zone"]));
        Assert.Equal(1, (int)spec["FutureField"]!["x"]!);
    }

    [Fact]
    public async Task Update_LabelsReplaceTheWholeSet()
    {
        var (client, engine) = ScriptedEngine.Create(request =>
            request.Method == HttpMethod.Get ? (HttpStatusCode.OK, Node) : (HttpStatusCode.OK, string.Empty));
        using var owned = client;

        await new NodeClient(client).UpdateAsync("n1", 17, new NodeSpecChange(Labels: new Dictionary<string, string> { ["tier"] = "web" }), CancellationToken.None);

        var labels = JsonNode.Parse(engine.Requests[1].Body!)!["Labels"]!.AsObject();
        Assert.Equal("""{"tier":"web"}""", labels.ToJsonString());
    }

    [Fact]
    public async Task Update_OutOfSequenceFromSwarmkit_IsAConflict()
    {
        var (client, engine) = ScriptedEngine.Create(request => request.Method == HttpMethod.Get
            ? (HttpStatusCode.OK, Node)
            : (HttpStatusCode.InternalServerError, """{"message":"rpc error: code = Unknown desc = update out of sequence"}"""));
        using var owned = client;

        var ex = await Assert.ThrowsAsync<EngineApiException>(() =>
            new NodeClient(client).UpdateAsync("n1", 3, new NodeSpecChange(Availability: "active"), CancellationToken.None));

        Assert.Equal(EngineErrorKind.Conflict, ex.Kind);
        Assert.Equal(500, ex.Status);
        Assert.Contains("update out of sequence", ex.EngineMessage, StringComparison.Ordinal);
        Assert.Equal(2, engine.Requests.Count);
    }

    [Theory]
    [InlineData(null, "sleep")]
    [InlineData("boss", null)]
    public async Task Update_RefusesUnknownRoleOrAvailabilityBeforeCallingTheEngine(string? role, string? availability)
    {
        var (client, engine) = ScriptedEngine.Create(_ => (HttpStatusCode.OK, Node));
        using var owned = client;

        await Assert.ThrowsAsync<ArgumentException>(() =>
            new NodeClient(client).UpdateAsync("n1", 17, new NodeSpecChange(Role: role, Availability: availability), CancellationToken.None));
        Assert.Empty(engine.Requests);
    }

    [Fact]
    public async Task Remove_SendsForce()
    {
        var (client, engine) = ScriptedEngine.Create(_ => (HttpStatusCode.OK, string.Empty));
        using var owned = client;

        await new NodeClient(client).RemoveAsync("n1", force: true, CancellationToken.None);

        Assert.Equal(("DELETE", "/v1.41/nodes/n1?force=true"), (engine.Requests[0].Method, engine.Requests[0].PathAndQuery));
    }
}
