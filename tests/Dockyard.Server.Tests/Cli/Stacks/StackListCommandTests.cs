using System.Net;
using System.Text.Json;

namespace Dockyard.Server.Tests.Cli.Stacks;

/// <summary><c>dockyard stack ls|ps|rm</c> against a scripted server, and the usage errors every stack verb exits 2 on.</summary>
public sealed class StackListCommandTests
{
    private const string Stacks = """
        {"items":[
          {"name":"shop","collection":"/Shared/ci","version":"1.3.0","managed":true,"revision":4,"services":3,"runningTasks":3,"desiredTasks":3},
          {"name":"legacy","collection":"/","managed":false,"services":[{"name":"legacy_db"}]}
        ],"warnings":["engine worker: not reachable"]}
        """;

    private const string Tasks = """
        {"items":[
          {"id":"3f2a9c0d1e4b5a6978","service":"web","slot":1,"nodeId":"n1","node":"manager","desiredState":"running","state":"running","image":"127.0.0.1:5000/team/web@sha256:abc"},
          {"id":"77aa","service":"web","slot":2,"nodeId":"n2","desiredState":"shutdown","state":"failed","error":"task: non-zero exit (1)\nsecond line","image":"127.0.0.1:5000/team/web@sha256:abc"},
          {"id":"88bb","service":"agent","slot":null,"nodeId":"n1","node":"manager","desiredState":"running","state":"running","image":"busybox"}
        ],"warnings":["engine worker: not reachable"]}
        """;

    [Fact]
    public async Task Ls_prints_a_table_and_the_servers_warnings()
    {
        var server = new FakeStackServer { Respond = (_, _) => (HttpStatusCode.OK, Stacks) };

        var result = await StackCli.RunAsync(server, "stack", "ls");

        Assert.True(result.Exit == 0, result.ToString());
        var lines = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("NAME     SERVICES   COLLECTION   VERSION   REVISION   MANAGED", lines[0]);
        Assert.Equal("shop     3          /Shared/ci   1.3.0     4          yes", lines[1]);
        Assert.Equal("legacy   1          /            -         -          no", lines[2]);
        Assert.Contains("warning: engine worker: not reachable", result.Error, StringComparison.Ordinal);
        Assert.Equal(["GET /api/v1/stacks"], server.Requests.Select(r => $"{r.Method} {r.Path}"));
    }

    [Fact]
    public async Task Ls_json_prints_the_servers_items()
    {
        var server = new FakeStackServer { Respond = (_, _) => (HttpStatusCode.OK, Stacks) };

        var result = await StackCli.RunAsync(server, "stack", "ls", "--format", "json");

        Assert.True(result.Exit == 0, result.ToString());
        using var printed = JsonDocument.Parse(result.Output);
        Assert.Equal(["shop", "legacy"], printed.RootElement.EnumerateArray().Select(s => s.GetProperty("name").GetString()));
        Assert.Equal(4, printed.RootElement[0].GetProperty("revision").GetInt32());
    }

    [Fact]
    public async Task Ps_prints_each_task_with_its_node_states_and_error_on_one_line()
    {
        var server = new FakeStackServer { Respond = (_, _) => (HttpStatusCode.OK, Tasks) };

        var result = await StackCli.RunAsync(server, "stack", "ps", "shop");

        Assert.True(result.Exit == 0, result.ToString());
        Assert.Equal(["GET /api/v1/stacks/shop/tasks"], server.Requests.Select(r => $"{r.Method} {r.Path}"));
        var lines = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches(@"^ID\s+NAME\s+IMAGE\s+NODE\s+DESIRED\s+CURRENT\s+ERROR$", lines[0]);
        Assert.Matches(@"^3f2a9c0d1e4b\s+web\.1\s+127\.0\.0\.1:5000/team/web@sha256:abc\s+manager\s+running\s+running$", lines[1]);
        Assert.Matches(@"^77aa\s+web\.2\s+\S+\s+n2\s+shutdown\s+failed\s+task: non-zero exit \(1\) second line$", lines[2]);
        Assert.Matches(@"^88bb\s+agent\.n1\s+busybox\s+manager\s+running\s+running$", lines[3]);
        Assert.Contains("warning: engine worker: not reachable", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ps_json_and_an_unknown_stack()
    {
        var server = new FakeStackServer
        {
            Respond = (_, path) => path.Contains("/shop/", StringComparison.Ordinal)
                ? (HttpStatusCode.OK, Tasks)
                : (HttpStatusCode.NotFound, """{"title":"Not found","status":404,"detail":"Stack 'nope' not found."}"""),
        };

        var json = await StackCli.RunAsync(server, "stack", "ps", "shop", "--format", "json");
        var missing = await StackCli.RunAsync(server, "stack", "ps", "nope");

        Assert.True(json.Exit == 0, json.ToString());
        using var printed = JsonDocument.Parse(json.Output);
        Assert.Equal(3, printed.RootElement.GetArrayLength());
        Assert.True(missing.Exit == 1, missing.ToString());
        Assert.Contains("error: Not found: Stack 'nope' not found.", missing.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rm_deletes_the_stack()
    {
        var server = new FakeStackServer { Respond = (_, _) => (HttpStatusCode.NoContent, string.Empty) };

        var result = await StackCli.RunAsync(server, "stack", "rm", "shop");

        Assert.True(result.Exit == 0, result.ToString());
        Assert.Equal(["DELETE /api/v1/stacks/shop"], server.Requests.Select(r => $"{r.Method} {r.Path}"));
        Assert.Contains("Removed stack shop", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_rejected_token_says_what_to_check()
    {
        var server = new FakeStackServer { Respond = (_, _) => (HttpStatusCode.Unauthorized, """{"title":"Authentication required","status":401,"detail":"Send valid credentials (Basic) or an access token (Bearer)."}""") };

        var result = await StackCli.RunAsync(server, "stack", "ls");

        Assert.True(result.Exit == 1, result.ToString());
        Assert.Contains("error: Authentication required: Send valid credentials", result.Error, StringComparison.Ordinal);
        Assert.Contains("check DOCKYARD_TOKEN or --token-file", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("no server", "stack", "ls")]
    [InlineData("no access token", "stack", "ls")]
    [InlineData("--format 'yaml'", "stack", "ls", "--format", "yaml")]
    [InlineData("Unrecognized command or argument '--bogus'", "stack", "ls", "--bogus")]
    [InlineData("Required argument missing", "stack", "rm")]
    [InlineData("stack name 'Bad Name'", "stack", "deploy", "-c", "compose.yml", "Bad Name")]
    [InlineData("give the Compose file with -c", "stack", "deploy", "shop")]
    [InlineData("--wait 'soon'", "stack", "deploy", "-c", "compose.yml", "--wait", "soon", "shop")]
    [InlineData("--server 'ftp://x'", "stack", "ls", "--server", "ftp://x")]
    public async Task Usage_errors_exit_2_without_a_request(string message, params string[] args)
    {
        var environment = new Dictionary<string, string>(StackCli.Environment);
        if (message == "no server")
        {
            environment.Remove("DOCKYARD_SERVER");
        }

        if (message == "no access token")
        {
            environment.Remove("DOCKYARD_TOKEN");
        }

        var server = new FakeStackServer();

        var result = await StackCli.RunAsync(server, environment, args);

        Assert.True(result.Exit == 2, result.ToString());
        Assert.Contains(message, result.Error, StringComparison.Ordinal);
        Assert.Empty(server.Requests);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task The_token_can_come_from_a_file_and_plain_http_to_another_host_is_warned_about()
    {
        var tokenFile = Path.GetTempFileName();
        try
        {
            File.WriteAllText(tokenFile, "dy_from_file\n");
            File.SetUnixFileMode(tokenFile, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
            var server = new FakeStackServer { Respond = (_, _) => (HttpStatusCode.OK, """{"items":[]}""") };
            var environment = new Dictionary<string, string> { ["DOCKYARD_SERVER"] = "http://dockyard.example.com" };

            var result = await StackCli.RunAsync(server, environment, "stack", "ls", "--token-file", tokenFile);

            Assert.True(result.Exit == 0, result.ToString());
            Assert.Equal("Bearer dy_from_file", server.Requests.Single().Authorization);
            Assert.Contains("the access token travels unencrypted", result.Error, StringComparison.Ordinal);
            Assert.Contains("is readable by other users", result.Error, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(tokenFile);
        }
    }
}
