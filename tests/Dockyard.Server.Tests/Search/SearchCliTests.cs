using System.Net;
using Dockyard.Server.Data;
using Dockyard.Server.Identity;
using Dockyard.Server.Tests.Api;
using Dockyard.Server.Tests.Hosting;
using Dockyard.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Dockyard.Server.Tests.Search;

/// <summary>
/// <c>dockyard search</c> (the real binary against a real server, with an access token as <c>dockyard sign</c> takes
/// it): a table of what the user may pull, <c>--json</c>, usage errors from the server's 400; and
/// <c>dockyard search-index rebuild --data DIR</c> on a data directory whose index was wiped.
/// </summary>
public sealed class SearchCliTests : IAsyncLifetime
{
    private ApiTestServer _server = null!;
    private Dictionary<string, string> _environment = null!;

    public async Task InitializeAsync()
    {
        _server = await ApiTestServer.StartAsync();
        var aliceId = await _server.CreateUserAsync("alice");
        await _server.CreateOrganizationAsync("acme", aliceId);
        var (_, secret) = await _server.Get<AccessTokenService>().CreateForUserAsync(aliceId, "cli", null, null, CancellationToken.None);
        _environment = new Dictionary<string, string> { ["DOCKYARD_SERVER"] = _server.Server.BaseAddress.ToString(), ["DOCKYARD_TOKEN"] = secret };

        var http = _server.WithBasic("alice", "alice-password!");
        using var issued = await http.GetAsync("/auth/token?service=dockyard&scope=" + Uri.EscapeDataString("repository:acme/webserver:pull,push"));
        var token = (await ProblemAssert.StatusAsync(HttpStatusCode.OK, issued)).GetProperty("token").GetString()!;
        var registry = new RegistryTestClient(_server.WithBearer(token));
        await SearchApiTests.PushImageAsync(registry, "acme/webserver", "1.25", "arm64", new() { ["team"] = "frontend" }, null);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Search_prints_what_the_user_may_pull_and_reports_bad_input()
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        ProcessResult found;
        while (true)
        {
            found = await DockyardProcess.RunCliUncheckedAsync(_environment, TimeSpan.FromMinutes(2), "search", "webs", "--arch", "arm64");
            Assert.True(found.ExitCode == 0, found.Describe());
            if (found.StandardOutput.Contains("acme/webserver", StringComparison.Ordinal) || DateTime.UtcNow > deadline)
            {
                break;
            }

            await Task.Delay(200);
        }

        Assert.Contains("REPOSITORY", found.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("acme/webserver", found.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("linux/arm64", found.StandardOutput, StringComparison.Ordinal);

        var json = await DockyardProcess.RunCliUncheckedAsync(_environment, TimeSpan.FromMinutes(2), "search", "--label", "team=frontend", "--json");
        Assert.True(json.ExitCode == 0, json.Describe());
        Assert.Contains("\"repository\":\"acme/webserver\"", json.StandardOutput, StringComparison.Ordinal);

        var none = await DockyardProcess.RunCliUncheckedAsync(_environment, TimeSpan.FromMinutes(2), "search", "nothinglikethis");
        Assert.True(none.ExitCode == 0, none.Describe());
        Assert.Contains("No repositories found.", none.StandardError, StringComparison.Ordinal);

        var usage = await DockyardProcess.RunCliUncheckedAsync(_environment, TimeSpan.FromMinutes(2), "search", "webs", "--label", "team");
        Assert.True(usage.ExitCode == 2, usage.Describe());
        Assert.Contains("label:", usage.StandardError, StringComparison.Ordinal);

        var refused = await DockyardProcess.RunCliUncheckedAsync(
            new Dictionary<string, string> { ["DOCKYARD_SERVER"] = _environment["DOCKYARD_SERVER"], ["DOCKYARD_TOKEN"] = "dy_wrong" }, TimeSpan.FromMinutes(2), "search", "webs");
        Assert.True(refused.ExitCode == 1, refused.Describe());
        // The stack verbs' wording of a refusal (StackOutput.DescribeFailure): the server's ProblemDetails title and detail.
        Assert.Contains("error: Authentication required", refused.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rebuild_verb_restores_a_wiped_index()
    {
        var contexts = _server.Get<IDbContextFactory<DockyardDbContext>>();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            await using var db = await contexts.CreateDbContextAsync();
            if (await db.SearchDocuments.AnyAsync(d => d.Repository == "acme/webserver" && d.TagCount == 1) || DateTime.UtcNow > deadline)
            {
                break;
            }

            await Task.Delay(100);
        }

        await using (var db = await contexts.CreateDbContextAsync())
        {
            await db.SearchDocuments.ExecuteDeleteAsync();
            await db.SearchImages.ExecuteDeleteAsync();
        }

        var rebuilt = await DockyardProcess.RunVerbAsync(["search-index", "rebuild", "--data", _server.Server.DataDirectory], new Dictionary<string, string?>());
        Assert.True(rebuilt.ExitCode == 0, rebuilt.Describe());
        Assert.Contains("Search index rebuilt: 1 repositories.", rebuilt.StandardOutput, StringComparison.Ordinal);
        await using (var db = await contexts.CreateDbContextAsync())
        {
            var document = await db.SearchDocuments.SingleAsync();
            Assert.Equal("acme/webserver", document.Repository);
            Assert.Equal(" arm64 ", document.Architectures);
            Assert.Contains("\nteam=frontend\n", document.Labels, StringComparison.Ordinal);
        }
    }
}
