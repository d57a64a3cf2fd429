using System.CommandLine;
using Dockyard.Server.Cli;
using Dockyard.Server.Data;
using Dockyard.Server.Tests.Hosting;
using Dockyard.Server.Tests.Maintenance;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Dockyard.Server.Tests.Cli;

/// <summary><c>dockyard repository delete</c> on a data directory a server filled: confirmation, refusal, deletion and its record.</summary>
public sealed class RepositoryCommandTests : IAsyncLifetime
{
    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("dockyard-repository-verb-").FullName;
    private PushedImage _kept = null!;

    public async Task InitializeAsync()
    {
        await using var server = await InProcessDockyard.StartAsync(dataDirectory: _dataDirectory);
        using var http = server.CreateClient();
        var client = new MaintenanceTestClient(server, http);
        await client.PushImageAsync("cli/doomed", "v1", MaintenanceTestClient.Unique("config"), MaintenanceTestClient.Unique("layer"));
        _kept = await client.PushImageAsync("cli/kept", "v1", MaintenanceTestClient.Unique("config"), MaintenanceTestClient.Unique("layer"));
    }

    public Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dataDirectory, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Delete_AsksForTheName_ThenDeletesAndRecordsIt()
    {
        var (wrongExit, wrongOutput) = await RunAsync("cli/kept\n", "repository", "delete", "cli/doomed", "--data", _dataDirectory);
        Assert.True(wrongExit == 2, wrongOutput);
        Assert.Contains("Type its name to confirm", wrongOutput, StringComparison.Ordinal);
        Assert.Contains("nothing deleted", wrongOutput, StringComparison.Ordinal);
        Assert.True(await ExistsAsync("cli/doomed"));

        var (exitCode, output) = await RunAsync("cli/doomed\n", "repository", "delete", "cli/doomed", "--data", _dataDirectory);
        Assert.True(exitCode == 0, output);
        Assert.Contains("Deleted 'cli/doomed' (1 tags, 1 manifests)", output, StringComparison.Ordinal);
        Assert.False(await ExistsAsync("cli/doomed"));
        Assert.True(await ExistsAsync(_kept.Repository));

        var (missingExit, missingOutput) = await RunAsync(string.Empty, "repository", "delete", "cli/doomed", "--yes", "--data", _dataDirectory);
        Assert.True(missingExit == 1, missingOutput);
        Assert.Contains("Repository 'cli/doomed' not found.", missingOutput, StringComparison.Ordinal);

        var (invalidExit, invalidOutput) = await RunAsync(string.Empty, "repository", "delete", "CLI/Doomed", "--yes", "--data", _dataDirectory);
        Assert.True(invalidExit == 2, invalidOutput);

        await using var host = await OpenAsync();
        await using var db = await host.GetRequiredService<IDbContextFactory<DockyardDbContext>>().CreateDbContextAsync();
        var entries = await db.AuditEntries.Where(e => e.Action == "repository.delete").OrderBy(e => e.Id).ToListAsync();
        Assert.Equal(["success", "failed"], entries.Select(e => e.Outcome));
        Assert.Equal(("system", "cli/doomed"), (entries[0].ActorKind, entries[0].Repository));
        Assert.Contains("\"via\":\"cli\"", entries[0].Details, StringComparison.Ordinal);
    }

    private async Task<bool> ExistsAsync(string repository)
    {
        await using var host = await OpenAsync();
        await using var db = await host.GetRequiredService<IDbContextFactory<DockyardDbContext>>().CreateDbContextAsync();
        return await db.Repositories.AnyAsync(r => r.Name == repository);
    }

    private Task<InProcessDockyard> OpenAsync() => InProcessDockyard.StartAsync(dataDirectory: _dataDirectory);

    private static async Task<(int ExitCode, string Output)> RunAsync(string input, params string[] args)
    {
        var output = new StringWriter();
        var root = new RootCommand { RepositoryCommand.Create(new StringReader(input)) };
        var exitCode = await root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = output });
        SqliteConnection.ClearAllPools();
        return (exitCode, output.ToString());
    }
}
