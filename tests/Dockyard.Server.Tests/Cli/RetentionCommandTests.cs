using System.CommandLine;
using Dockyard.Server.Cli;
using Dockyard.Server.Policies;
using Dockyard.Server.Tests.Hosting;
using Dockyard.Server.Tests.Policies;

namespace Dockyard.Server.Tests.Cli;

public sealed class RetentionCommandTests : IAsyncLifetime
{
    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("dockyard-retention-").FullName;

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dataDirectory, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task RetentionRun_DryRunListsWithReasons_ThenRunDeletes()
    {
        string repository;
        await using (var server = await InProcessDockyard.StartAsync(dataDirectory: _dataDirectory))
        {
            var client = new RegistryTestClient(server.CreateClient());
            var (_, org) = await PolicySeed.OrganizationAsync(server, "cli");
            repository = $"{org}/app";
            await client.PushImageAsync(repository, "old");
            await client.PushImageAsync(repository, "new");
            await server.GetRequiredService<RetentionPolicyService>().PutAsync(
                Dockyard.Server.Audit.Caller.System, PolicyTarget.ForRepository(repository), new RetentionSettings(true, 1, null, null, IncludeRecent: true), CancellationToken.None);
        }

        var (dryExit, dry) = await RunAsync("retention", "run", "--dry-run", "--repository", repository, "--data", _dataDirectory);
        Assert.Equal(0, dryExit);
        Assert.Contains("retention: 1/1 repositories, 1 planned, 0 deleted, 0 failed", dry, StringComparison.Ordinal);
        Assert.Matches($"would delete {repository} manifest sha256:[0-9a-f]{{64}} \\(tags old\\): tag \"old\" not among the 1 most recently pushed tags; no tag left", dry);
        Assert.Contains("retention dry run: 1 repositories with a policy, 1 deletes planned, 0 done, 0 failed", dry, StringComparison.Ordinal);

        var (exit, output) = await RunAsync("retention", "run", "--data", _dataDirectory);
        Assert.Equal(0, exit);
        Assert.Contains("retention done: 1 repositories with a policy, 1 deletes planned, 1 done, 0 failed", output, StringComparison.Ordinal);

        await using var restarted = await InProcessDockyard.StartAsync(dataDirectory: _dataDirectory);
        Assert.Equal(["new"], await new RegistryTestClient(restarted.CreateClient()).TagsAsync(repository));
    }

    private static async Task<(int Exit, string Output)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var root = new RootCommand { RetentionCommand.Create() };
        var exit = await root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = output });
        return (exit, output.ToString());
    }
}
