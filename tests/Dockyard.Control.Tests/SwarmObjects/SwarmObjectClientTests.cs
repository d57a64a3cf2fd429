using System.Net;
using System.Text.Json.Nodes;
using Dockyard.Control.Engines;
using Dockyard.Control.SwarmObjects;
using Dockyard.Control.Tests.Infrastructure;

namespace Dockyard.Control.Tests.SwarmObjects;

public sealed class SwarmObjectClientTests
{
    [Theory]
    [InlineData(SwarmObjectKind.Secret, "secrets")]
    [InlineData(SwarmObjectKind.Config, "configs")]
    public async Task List_UsesTheKindsPathAndReadsSpec(SwarmObjectKind kind, string path)
    {
        const string objects = """[{"ID":"o1","Version":{"Index":11},"CreatedAt":"2026-12-01T10:00:00Z","Spec":{"Name":"app_db_password","Labels":{"com.docker.stack.namespace":"app"}}}]""";
        var (client, engine) = ScriptedEngine.Create(_ => (HttpStatusCode.OK, objects));
        using var owned = client;

        var item = Assert.Single(await new SwarmObjectClient(client, kind).ListAsync(new EngineFilters().Add("name", "app_db_password"), CancellationToken.None));

        Assert.Equal($"/v1.41/{path}?filters=%7B%22name%22%3A%5B%22app_db_password%22%5D%7D", engine.Requests[0].PathAndQuery);
        Assert.Equal(("o1", "app_db_password", 11L), (item.Id, item.Name, item.Version));
        Assert.Equal("app", item.Labels["com.docker.stack.namespace"]);
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero), item.CreatedAt);
    }

    [Theory]
    [InlineData(SwarmObjectKind.Secret, "secrets")]
    [InlineData(SwarmObjectKind.Config, "configs")]
    public async Task CreateAndRemove_UseTheKindsPath(SwarmObjectKind kind, string path)
    {
        var (client, engine) = ScriptedEngine.Create(request =>
            request.Method == HttpMethod.Post ? (HttpStatusCode.Created, """{"ID":"o2"}""") : (HttpStatusCode.NoContent, string.Empty));
        using var owned = client;
        var objects = new SwarmObjectClient(client, kind);
        var spec = new JsonObject { ["Name"] = "app_cfg", ["Data"] = "aGVsbG8=" };

        var id = await objects.CreateAsync(spec, CancellationToken.None);
        await objects.RemoveAsync(id, CancellationToken.None);

        Assert.Equal("o2", id);
        Assert.Equal(("POST", $"/v1.41/{path}/create"), (engine.Requests[0].Method, engine.Requests[0].PathAndQuery));
        Assert.Equal(spec.ToJsonString(), JsonNode.Parse(engine.Requests[0].Body!)!.ToJsonString());
        Assert.Equal(("DELETE", $"/v1.41/{path}/o2"), (engine.Requests[1].Method, engine.Requests[1].PathAndQuery));
    }

    [Fact]
    public async Task Create_NameInUse_IsAConflict()
    {
        var (client, _) = ScriptedEngine.Create(_ =>
            (HttpStatusCode.Conflict, """{"message":"rpc error: code = AlreadyExists desc = secret app_db_password already exists"}"""));
        using var owned = client;

        var ex = await Assert.ThrowsAsync<EngineApiException>(() =>
            new SwarmObjectClient(client, SwarmObjectKind.Secret).CreateAsync(new JsonObject { ["Name"] = "app_db_password" }, CancellationToken.None));

        Assert.Equal(EngineErrorKind.Conflict, ex.Kind);
    }
}
