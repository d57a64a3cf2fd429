using System.Net;
using System.Text.Json.Nodes;
using Dockyard.Control.Engines;
using Dockyard.Control.Services;
using Dockyard.Control.Tests.Infrastructure;

namespace Dockyard.Control.Tests.Services;

public sealed class ServiceClientTests
{
    private const string Service = """
        {"ID":"s1","Version":{"Index":42},"CreatedAt":"2026-12-01T10:00:00.123456789Z","UpdatedAt":"2026-12-02T11:00:00Z",
         "Spec":{"Name":"app_web","Labels":{"com.docker.stack.namespace":"app","Tier":"a","tier":"b"},
           "TaskTemplate":{"ContainerSpec":{"Image":"127.0.0.1:5000/web:1@sha256:abc","FutureSpecField":{"keep":true}}},
           "Mode":{"Replicated":{"Replicas":3}},"FutureTopLevel":[1,2]},
         "PreviousSpec":{"Name":"app_web","Mode":{"Replicated":{"Replicas":1}}},
         "UpdateStatus":{"State":"rollback_completed","Message":"rollback completed"},
         "ServiceStatus":{"RunningTasks":2,"DesiredTasks":3,"CompletedTasks":0}}
        """;

    [Fact]
    public async Task List_SendsStatusAndFillsModeReplicasAndTaskCounts()
    {
        const string global = """{"ID":"s2","Spec":{"Name":"app_agent","Mode":{"Global":{}}},"ServiceStatus":{"RunningTasks":2,"DesiredTasks":2}}""";
        var (client, engine) = ScriptedEngine.Create(_ => (HttpStatusCode.OK, "[" + Service + "," + global + "]"));
        using var owned = client;

        var services = await new ServiceClient(client).ListAsync(new EngineFilters().Add("label", "com.docker.stack.namespace=app"), CancellationToken.None);

        Assert.Equal(
            "/v1.41/services?status=true&filters=%7B%22label%22%3A%5B%22com.docker.stack.namespace%3Dapp%22%5D%7D",
            engine.Requests[0].PathAndQuery);
        var web = services[0];
        Assert.Equal(("s1", "app_web", "127.0.0.1:5000/web:1@sha256:abc"), (web.Id, web.Name, web.Image));
        Assert.Equal(("replicated", 3L, 2L, 3L), (web.Mode, web.Replicas, web.RunningTasks, web.DesiredTasks));
        Assert.Equal("rollback_completed", web.UpdateState);
        Assert.Equal(new DateTimeOffset(2026, 12, 2, 11, 0, 0, TimeSpan.Zero), web.UpdatedAt);
        Assert.Equal(("a", "b"), (web.Labels["Tier"], web.Labels["tier"]));
        var agent = services[1];
        Assert.Equal(("global", (long?)null, 2L, 2L, (string?)null), (agent.Mode, agent.Replicas, agent.RunningTasks, agent.DesiredTasks, agent.UpdateState));
    }

    [Theory]
    [InlineData("""{"ReplicatedJob":{"MaxConcurrent":1}}""", "replicated-job")]
    [InlineData("""{"GlobalJob":{}}""", "global-job")]
    public async Task List_NamesJobModesAsTheCliDoes(string mode, string expected)
    {
        var (client, _) = ScriptedEngine.Create(_ => (HttpStatusCode.OK, $$$"""[{"ID":"j","Spec":{"Name":"j","Mode":{{{mode}}}}}]"""));
        using var owned = client;

        var job = Assert.Single(await new ServiceClient(client).ListAsync(null, CancellationToken.None));

        Assert.Equal((expected, (long?)null), (job.Mode, job.Replicas));
    }

    [Fact]
    public async Task Inspect_KeepsTheWholeSpecAndReadsVersionAndUpdateStatus()
    {
        var (client, engine) = ScriptedEngine.Create(_ => (HttpStatusCode.OK, Service));
        using var owned = client;

        var details = await new ServiceClient(client).InspectAsync("app_web", CancellationToken.None);

        Assert.Equal(("GET", "/v1.41/services/app_web"), (engine.Requests[0].Method, engine.Requests[0].PathAndQuery));
        Assert.Equal(("s1", 42L, "app_web"), (details.Id, details.Version, details.Name));
        Assert.Equal(("rollback_completed", "rollback completed"), (details.UpdateState, details.UpdateMessage));
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero).AddTicks(1234567), details.CreatedAt);
        Assert.Equal(1, (int)details.PreviousSpec!["Mode"]!["Replicated"]!["Replicas"]!);
        Assert.True((bool)details.Spec["TaskTemplate"]!["ContainerSpec"]!["FutureSpecField"]!["keep"]!);
    }

    [Fact]
    public async Task InspectThenUpdate_RoundTripsFieldsThisCodeDoesNotModel()
    {
        var (client, engine) = ScriptedEngine.Create(request =>
            request.Method == HttpMethod.Get ? (HttpStatusCode.OK, Service) : (HttpStatusCode.OK, """{"Warnings":null}"""));
        using var owned = client;
        var services = new ServiceClient(client);

        var details = await services.InspectAsync("s1", CancellationToken.None);
        details.Spec["Mode"]!["Replicated"]!["Replicas"] = 5;
        await services.UpdateAsync(details.Id, details.Version, details.Spec, registryAuth: null, rollback: false, CancellationToken.None);

        var update = engine.Requests[1];
        Assert.Equal(("POST", "/v1.41/services/s1/update?version=42"), (update.Method, update.PathAndQuery));
        Assert.False(update.Headers.ContainsKey("X-Registry-Auth"));
        var sent = JsonNode.Parse(update.Body!)!.AsObject();
        Assert.Equal(5, (int)sent["Mode"]!["Replicated"]!["Replicas"]!);
        Assert.True((bool)sent["TaskTemplate"]!["ContainerSpec"]!["FutureSpecField"]!["keep"]!);
        Assert.Equal("[1,2]", sent["FutureTopLevel"]!.ToJsonString());
        Assert.Equal(("a", "b"), ((string?)sent["Labels"]!["Tier"], (string?)sent["Labels"]!["tier"]));
        // Only the spec is sent: not the version, status or previous spec around it.
        Assert.Null(sent["Version"]);
        Assert.Null(sent["PreviousSpec"]);
    }

    [Fact]
    public async Task Update_WithAuthAndRollback_SendsHeaderRegistryAuthFromAndRollback()
    {
        var (client, engine) = ScriptedEngine.Create(_ => (HttpStatusCode.OK, """{"Warnings":["image could not be accessed"]}"""));
        using var owned = client;
        var warnings = new List<string>();

        await new ServiceClient(client, warnings.Add).UpdateAsync("s1", 7, new JsonObject { ["Name"] = "x" }, "ZW5jb2RlZA==", rollback: true, CancellationToken.None);

        var update = engine.Requests[0];
        Assert.Equal("/v1.41/services/s1/update?version=7&registryAuthFrom=spec&rollback=previous", update.PathAndQuery);
        Assert.Equal("ZW5jb2RlZA==", update.Headers["X-Registry-Auth"]);
        Assert.Equal(["image could not be accessed"], warnings);
    }

    [Fact]
    public async Task Update_OutOfSequence_IsAConflict()
    {
        var (client, _) = ScriptedEngine.Create(_ =>
            (HttpStatusCode.InternalServerError, """{"message":"rpc error: code = Unknown desc = update out of sequence"}"""));
        using var owned = client;

        var ex = await Assert.ThrowsAsync<EngineApiException>(() =>
            new ServiceClient(client).UpdateAsync("s1", 1, new JsonObject(), null, false, CancellationToken.None));

        Assert.Equal(EngineErrorKind.Conflict, ex.Kind);
    }

    [Fact]
    public async Task Create_SendsSpecAndAuthHeaderAndReturnsTheId()
    {
        var (client, engine) = ScriptedEngine.Create(_ => (HttpStatusCode.Created, """{"ID":"new1","Warning":"digest not pinned"}"""));
        using var owned = client;
        var warnings = new List<string>();
        var spec = new JsonObject { ["Name"] = "app_web", ["TaskTemplate"] = new JsonObject { ["ContainerSpec"] = new JsonObject { ["Image"] = "busybox" } } };

        var id = await new ServiceClient(client, warnings.Add).CreateAsync(spec, "YXV0aA==", CancellationToken.None);

        Assert.Equal("new1", id);
        var create = engine.Requests[0];
        Assert.Equal(("POST", "/v1.41/services/create"), (create.Method, create.PathAndQuery));
        Assert.Equal("YXV0aA==", create.Headers["X-Registry-Auth"]);
        Assert.Equal(spec.ToJsonString(), JsonNode.Parse(create.Body!)!.ToJsonString());
        Assert.Equal(["digest not pinned"], warnings);
    }

    [Fact]
    public async Task Create_NameInUse_IsAConflictWithTheEnginesMessage()
    {
        var (client, _) = ScriptedEngine.Create(_ =>
            (HttpStatusCode.Conflict, """{"message":"rpc error: code = AlreadyExists desc = name conflicts with an existing object: service app_web already exists"}"""));
        using var owned = client;

        var ex = await Assert.ThrowsAsync<EngineApiException>(() =>
            new ServiceClient(client).CreateAsync(new JsonObject { ["Name"] = "app_web" }, null, CancellationToken.None));

        Assert.Equal((EngineErrorKind.Conflict, 409), (ex.Kind, ex.Status));
        Assert.Contains("already exists", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InspectAndRemove_UnknownService_AreNotFound()
    {
        var (client, engine) = ScriptedEngine.Create(_ => (HttpStatusCode.NotFound, """{"message":"service nope not found"}"""));
        using var owned = client;
        var services = new ServiceClient(client);

        var inspect = await Assert.ThrowsAsync<EngineApiException>(() => services.InspectAsync("nope", CancellationToken.None));
        var remove = await Assert.ThrowsAsync<EngineApiException>(() => services.RemoveAsync("nope", CancellationToken.None));

        Assert.Equal((EngineErrorKind.NotFound, EngineErrorKind.NotFound), (inspect.Kind, remove.Kind));
        Assert.Equal(("DELETE", "/v1.41/services/nope"), (engine.Requests[1].Method, engine.Requests[1].PathAndQuery));
    }
}
