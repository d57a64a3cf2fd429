using System.CommandLine;
using Dockyard.Server.Cli;
using Dockyard.Server.Tests.Hosting;
using Dockyard.Server.Tests.Infrastructure;

namespace Dockyard.Server.Tests.Cli;

/// <summary>
/// <c>dockyard fsck</c> also checks that nothing under the data directory is open to other local accounts: key
/// material, the database or blobs readable by group or others is a finding like a missing blob.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class FsckCommandTests : IDisposable
{
    private readonly TempDirectory _root = new("fsck");

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _root.Dispose();
    }

    [Fact]
    public async Task Fsck_KeyFileReadableByOthers_IsAProblem()
    {
        var data = _root.Combine("data");
        await using (var server = await InProcessDockyard.StartAsync(dataDirectory: data))
        {
            await new RegistryTestClient(server.CreateClient()).PushImageAsync("library/app", "1.0");
        }

        var (cleanExit, clean) = await RunAsync("fsck", "--data", data);
        Assert.True(cleanExit == 0, clean);
        Assert.Contains("fsck: clean", clean, StringComparison.Ordinal);

        var key = Path.Combine(data, "secrets.key");
        File.SetUnixFileMode(key, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        var (exit, output) = await RunAsync("fsck", "--data", data);

        Assert.True(exit == 1, output);
        var problem = Assert.Single(output.Split('\n'), line => line.StartsWith("problem:", StringComparison.Ordinal));
        Assert.Equal($"problem: {key} is accessible to other local accounts (mode 0644); make it private (chmod go=)", problem.TrimEnd());
        Assert.Contains("fsck: 1 problems", output, StringComparison.Ordinal);
    }

    private static async Task<(int Exit, string Output)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var root = new RootCommand { FsckCommand.Create() };
        var exit = await root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = output });
        return (exit, output.ToString());
    }
}
