using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dockyard.Server.Tests.Api;
using Dockyard.Server.Tests.Audit;

namespace Dockyard.Server.Tests.Control;

/// <summary><c>/api/v1/engines</c> on real Kestrel: administrators manage engines, configured ones stay, an unreachable engine is a status.</summary>
public sealed class EnginesApiTests : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("dockyard-engines-").FullName;
    private ApiTestServer _server = null!;
    private HttpClient _admin = null!;

    private string MissingSocket => "unix://" + Path.Combine(_directory, "missing.sock");

    public async Task InitializeAsync()
    {
        _server = await ApiTestServer.StartAsync(new Dictionary<string, string?>
        {
            ["Dockyard:Control:Engines:0:Name"] = "configured-one",
            ["Dockyard:Control:Engines:0:Endpoint"] = "unix://" + Path.Combine(_directory, "configured.sock"),
        });
        _admin = await _server.AdminAsync();
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Engines_AdminCreatesListsDeletes_EachChangeAudited()
    {
        var after = await LastAuditIdAsync();

        using (var created = await _admin.PostAsJsonAsync("/api/v1/engines", new { name = "node-a", endpoint = MissingSocket }))
        {
            var body = await ProblemAssert.StatusAsync(HttpStatusCode.Created, created);
            Assert.Equal("/api/v1/engines/node-a", created.Headers.Location?.OriginalString);
            Assert.Equal(("node-a", MissingSocket, false), (body.GetProperty("name").GetString(), body.GetProperty("endpoint").GetString(), body.GetProperty("configured").GetBoolean()));
            Assert.Equal("admin", body.GetProperty("createdBy").GetString());
        }

        var names = (await ListAsync()).Select(e => (e.GetProperty("name").GetString(), e.GetProperty("configured").GetBoolean())).ToList();
        Assert.Equal([("configured-one", true), ("node-a", false)], names);

        using (var duplicate = await _admin.PostAsJsonAsync("/api/v1/engines", new { name = "node-a", endpoint = MissingSocket }))
        {
            await ProblemAssert.StatusAsync(HttpStatusCode.Conflict, duplicate);
        }

        using (var deleted = await _admin.DeleteAsync("/api/v1/engines/node-a"))
        {
            await ProblemAssert.StatusAsync(HttpStatusCode.NoContent, deleted);
        }

        using (var gone = await _admin.GetAsync("/api/v1/engines/node-a"))
        {
            await ProblemAssert.StatusAsync(HttpStatusCode.NotFound, gone);
        }

        Assert.Equal(["configured-one"], (await ListAsync()).Select(e => e.GetProperty("name").GetString()));
        var entries = await AuditTestServer.EntriesAfterAsync(_server.Server.Services, after);
        Assert.Equal(
            [("engine.create", "success", "engines/node-a"), ("engine.create", "failed", "engines/node-a"), ("engine.delete", "success", "engines/node-a")],
            entries.Where(e => e.Action.StartsWith("engine.", StringComparison.Ordinal)).Select(e => (e.Action, e.Outcome, e.Resource)));
    }

    [Fact]
    public async Task Engines_NonAdministrator_Refused403ProblemDetails_DenialAudited()
    {
        var (_, bob) = await _server.UserAsync("bob");
        var after = await LastAuditIdAsync();

        using (var create = await bob.PostAsJsonAsync("/api/v1/engines", new { name = "sneaky", endpoint = MissingSocket }))
        {
            var problem = await ProblemAssert.StatusAsync(HttpStatusCode.Forbidden, create);
            Assert.Contains("administrators", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        using (var delete = await bob.DeleteAsync("/api/v1/engines/configured-one"))
        {
            await ProblemAssert.StatusAsync(HttpStatusCode.Forbidden, delete);
        }

        using (var list = await bob.GetAsync("/api/v1/engines"))
        {
            await ProblemAssert.StatusAsync(HttpStatusCode.Forbidden, list);
        }

        using (var anonymous = await _server.Anonymous().GetAsync("/api/v1/engines"))
        {
            await ProblemAssert.StatusAsync(HttpStatusCode.Unauthorized, anonymous);
        }

        var denials = (await AuditTestServer.EntriesAfterAsync(_server.Server.Services, after)).Where(e => e.Action.StartsWith("engine.", StringComparison.Ordinal)).ToList();
        Assert.Equal([("engine.create", "denied", "bob", "engines/sneaky"), ("engine.delete", "denied", "bob", "engines/configured-one")],
            denials.Select(e => (e.Action, e.Outcome, e.ActorName, e.Resource)));
        Assert.Equal(["configured-one"], (await ListAsync()).Select(e => e.GetProperty("name").GetString()));
    }

    [Fact]
    public async Task ConfiguredEngine_IsListedAndNotDeletable()
    {
        var configured = Assert.Single(await ListAsync());
        Assert.True(configured.GetProperty("configured").GetBoolean());
        Assert.Equal(JsonValueKind.Null, configured.GetProperty("createdBy").ValueKind);

        using (var delete = await _admin.DeleteAsync("/api/v1/engines/configured-one"))
        {
            var problem = await ProblemAssert.StatusAsync(HttpStatusCode.Conflict, delete);
            Assert.Contains("Dockyard:Control:Engines", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        using (var shadow = await _admin.PostAsJsonAsync("/api/v1/engines", new { name = "configured-one", endpoint = MissingSocket }))
        {
            await ProblemAssert.StatusAsync(HttpStatusCode.Conflict, shadow);
        }

        Assert.Single(await ListAsync());
    }

    [Fact]
    public async Task MissingSocket_StatusUnreachableWithMessage_RestOfApiWorks()
    {
        using (var created = await _admin.PostAsJsonAsync("/api/v1/engines", new { name = "ghost", endpoint = MissingSocket }))
        {
            await ProblemAssert.StatusAsync(HttpStatusCode.Created, created);
        }

        var engine = await _admin.GetFromJsonAsync<JsonElement>("/api/v1/engines/ghost");
        var status = engine.GetProperty("status");
        Assert.Equal("unreachable", status.GetProperty("state").GetString());
        Assert.StartsWith("engine ghost: not reachable", status.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, status.GetProperty("version").ValueKind);
        Assert.NotEqual(JsonValueKind.Null, status.GetProperty("checkedAt").ValueKind);

        using (var users = await _admin.GetAsync("/api/v1/users"))
        {
            await ProblemAssert.StatusAsync(HttpStatusCode.OK, users);
        }

        // The list answers from the cached status (the background refresher's or the probe above), never an error.
        Assert.Contains(await ListAsync(), e => e.GetProperty("name").GetString() == "ghost" && e.GetProperty("status").GetProperty("state").GetString() == "unreachable");
    }

    [Theory]
    [InlineData("Bad Name", "unix:///run/docker.sock", null, "name")]
    [InlineData("x", "http://127.0.0.1:2375", null, "endpoint")]
    [InlineData("x", "unix://relative.sock", null, "endpoint")]
    [InlineData("x", "tcp://192.0.2.10:2376", null, "caFile")]
    [InlineData("x", "tcp://192.0.2.10:2376", "/nonexistent/ca.pem", "caFile")]
    [InlineData("x", "unix:///run/docker.sock", "/nonexistent/ca.pem", "caFile")]
    public async Task Create_InvalidDefinition_400NamesTheField(string name, string endpoint, string? caFile, string field)
    {
        using var response = await _admin.PostAsJsonAsync("/api/v1/engines", new { name, endpoint, caFile, certFile = caFile, keyFile = caFile });

        await ProblemAssert.InvalidAsync(field, response);
    }

    [Fact]
    public async Task Create_TcpWithExistingTlsFiles_Accepted()
    {
        var files = new[] { "ca.pem", "cert.pem", "key.pem" }.Select(f => Path.Combine(_directory, f)).ToArray();
        foreach (var file in files)
        {
            await File.WriteAllTextAsync(file, "not a certificate");
        }

        using var response = await _admin.PostAsJsonAsync("/api/v1/engines", new { name = "remote", endpoint = "tcp://192.0.2.10:2376", caFile = files[0], certFile = files[1], keyFile = files[2] });

        var body = await ProblemAssert.StatusAsync(HttpStatusCode.Created, response);
        Assert.Equal(files[0], body.GetProperty("caFile").GetString());

        // Files that are not PEM leave the engine listed and unreachable, with the reason.
        var status = (await _admin.GetFromJsonAsync<JsonElement>("/api/v1/engines/remote")).GetProperty("status");
        Assert.Equal("unreachable", status.GetProperty("state").GetString());
        Assert.StartsWith("engine remote: ", status.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    private async Task<List<JsonElement>> ListAsync() =>
        [.. (await _admin.GetFromJsonAsync<JsonElement>("/api/v1/engines")).EnumerateArray()];

    private async Task<long> LastAuditIdAsync() =>
        (await AuditTestServer.EntriesAfterAsync(_server.Server.Services, 0)).Select(e => e.Id).DefaultIfEmpty(0).Max();
}
