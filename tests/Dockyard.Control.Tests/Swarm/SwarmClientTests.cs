using System.Net;
using System.Text.Json.Nodes;
using Dockyard.Control.Swarm;
using Dockyard.Control.Tests.Infrastructure;

namespace Dockyard.Control.Tests.Swarm;

public sealed class SwarmClientTests
{
    private const string SwarmDocument = """
        {"ID":"cluster1","Version":{"Index":40},"CreatedAt":"2026-12-06T16:00:00.123456789Z","UpdatedAt":"2026-12-06T16:05:00Z",
         "Spec":{"Name":"default","Labels":{},"Orchestration":{"TaskHistoryRetentionLimit":3},"Raft":{"SnapshotInterval":10000}},
         "JoinTokens":{"Worker":"SWMTKN-1-aaa-worker","Manager":"SWMTKN-1-aaa-manager"}}
        """;

    [Fact]
    public async Task Inspect_ReadsTokensVersionAndNanosecondTimes()
    {
        var (client, _) = ScriptedEngine.Create(_ => (HttpStatusCode.OK, SwarmDocument));
        using var owned = client;

        var swarm = await new SwarmClient(client).InspectAsync(CancellationToken.None);

        Assert.Equal(("cluster1", 40L), (swarm.Id, swarm.Version.Index));
        Assert.Equal(("SWMTKN-1-aaa-worker", "SWMTKN-1-aaa-manager"), (swarm.JoinTokens.Worker, swarm.JoinTokens.Manager));
        Assert.Equal(new DateTimeOffset(2026, 12, 6, 16, 0, 0, TimeSpan.Zero), swarm.CreatedAt.AddTicks(-(swarm.CreatedAt.Ticks % TimeSpan.TicksPerSecond)));
        Assert.DoesNotContain("SWMTKN", swarm.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(SwarmJoinRole.Worker, "rotateWorkerToken")]
    [InlineData(SwarmJoinRole.Manager, "rotateManagerToken")]
    public async Task Rotate_SendsTheWholeSpecBackWithItsVersion(SwarmJoinRole role, string parameter)
    {
        var (client, engine) = ScriptedEngine.Create(request =>
            request.Method == HttpMethod.Get ? (HttpStatusCode.OK, SwarmDocument) : (HttpStatusCode.OK, string.Empty));
        using var owned = client;

        await new SwarmClient(client).RotateJoinTokenAsync(role, CancellationToken.None);

        var update = engine.Requests[1];
        Assert.Equal(("POST", $"/v1.41/swarm/update?version=40&{parameter}=true"), (update.Method, update.PathAndQuery));
        var spec = JsonNode.Parse(update.Body!)!.AsObject();
        Assert.Equal(JsonNode.Parse(SwarmDocument)!["Spec"]!.ToJsonString(), spec.ToJsonString());
        Assert.Equal(3, engine.Requests.Count); // read, update, read back
    }
}
