using System.Net;
using System.Text.Json.Nodes;
using Dockyard.Control.Engines;
using Dockyard.Control.Networks;
using Dockyard.Control.Tests.Infrastructure;

namespace Dockyard.Control.Tests.Networks;

public sealed class NetworkClientTests
{
    [Fact]
    public async Task List_SendsFiltersAndReadsNetworks()
    {
        const string networks = """[{"Name":"app_default","Id":"net1","Driver":"overlay","Scope":"swarm","Labels":{"com.docker.stack.namespace":"app"}},{"Name":"host","Id":"h","Driver":"host","Scope":"local","Labels":null}]""";
        var (client, engine) = ScriptedEngine.Create(_ => (HttpStatusCode.OK, networks));
        using var owned = client;

        var list = await new NetworkClient(client).ListAsync(new EngineFilters().Add("label", "com.docker.stack.namespace=app"), CancellationToken.None);

        Assert.Equal("/v1.41/networks?filters=%7B%22label%22%3A%5B%22com.docker.stack.namespace%3Dapp%22%5D%7D", engine.Requests[0].PathAndQuery);
        Assert.Equal(("net1", "app_default", "overlay", "swarm"), (list[0].Id, list[0].Name, list[0].Driver, list[0].Scope));
        Assert.Equal("app", list[0].Labels["com.docker.stack.namespace"]);
        Assert.Empty(list[1].Labels);
    }

    [Fact]
    public async Task Create_PostsTheBodyAndReturnsTheId()
    {
        var (client, engine) = ScriptedEngine.Create(_ => (HttpStatusCode.Created, """{"Id":"net2","Warning":""}"""));
        using var owned = client;
        var body = new JsonObject { ["Name"] = "app_back", ["Driver"] = "overlay", ["Attachable"] = true };

        var id = await new NetworkClient(client).CreateAsync(body, CancellationToken.None);

        Assert.Equal("net2", id);
        Assert.Equal(("POST", "/v1.41/networks/create"), (engine.Requests[0].Method, engine.Requests[0].PathAndQuery));
        Assert.Equal(body.ToJsonString(), JsonNode.Parse(engine.Requests[0].Body!)!.ToJsonString());
    }

    [Fact]
    public async Task CreateAndRemove_MapEngineErrors()
    {
        var (client, engine) = ScriptedEngine.Create(request => request.Method == HttpMethod.Post
            ? (HttpStatusCode.Conflict, """{"message":"network with name app_back already exists"}""")
            : (HttpStatusCode.NotFound, """{"message":"network app_x not found"}"""));
        using var owned = client;
        var networks = new NetworkClient(client);

        var create = await Assert.ThrowsAsync<EngineApiException>(() => networks.CreateAsync(new JsonObject { ["Name"] = "app_back" }, CancellationToken.None));
        var remove = await Assert.ThrowsAsync<EngineApiException>(() => networks.RemoveAsync("app x", CancellationToken.None));

        Assert.Equal((EngineErrorKind.Conflict, EngineErrorKind.NotFound), (create.Kind, remove.Kind));
        Assert.Equal(("DELETE", "/v1.41/networks/app%20x"), (engine.Requests[1].Method, engine.Requests[1].PathAndQuery));
    }
}
