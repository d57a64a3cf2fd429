using System.CommandLine;
using Dockyard.Server.Cli;
using Dockyard.Server.Tests.Hosting;
using Dockyard.Server.Tests.Infrastructure;

namespace Dockyard.Server.Tests.Cli;

/// <summary>
/// <c>dockyard fsck</c> also checks that nothing under the data directory is open to other local accounts: key
/// material, the database or blobs readable by group or others is a finding like a missing blob; so is a directory
/// under it that fsck could not read, since what it holds was never checked.
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

    [Fact]
    public async Task Fsck_AsTheDataOwner_ADirectoryItCannotRead_IsAProblem()
    {
        // Root reads everything, so the real binary runs as nobody (65534), the owner of the data directory.
        Assert.True(Environment.IsPrivilegedProcess, "this test runs fsck as uid 65534 through setpriv, so it must run as root");
        const int Nobody = 65534;
        var data = _root.Combine("data");
        await using (var server = await InProcessDockyard.StartAsync(dataDirectory: data))
        {
            await new RegistryTestClient(server.CreateClient()).PushImageAsync("library/app", "1.0");
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        var home = _root.Combine("home");
        Directory.CreateDirectory(home);
        // Not hex: never a real blob's directory (blobs/sha256/<2 hex>/<digest>), which fsck would report on its own.
        var locked = Path.Combine(data, "storage", "blobs", "sha256", "locked");
        Directory.CreateDirectory(locked);
        await File.WriteAllTextAsync(Path.Combine(locked, "orphan"), "never looked at");
        File.SetUnixFileMode(_root.Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        // Listable but not searchable (no x): its names can be read, not what they are, so it is unreadable too.
        var unsearchable = Path.Combine(data, "storage", "blobs", "sha256", "unsearchable");
        Directory.CreateDirectory(unsearchable);
        await File.WriteAllTextAsync(Path.Combine(unsearchable, "orphan"), "never looked at either");
        await ProcessRunner.RunAsync("chown", ["-R", $"{Nobody}:{Nobody}", data, home]);
        File.SetUnixFileMode(locked, UnixFileMode.None);
        File.SetUnixFileMode(unsearchable, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        var result = await DockyardProcess.RunVerbAsUserAsync(Nobody, Nobody, home, ["fsck", "--data", data]);

        Assert.True(result.ExitCode == 1, result.Describe());
        var problems = result.StandardOutput.Split('\n').Where(line => line.StartsWith("problem:", StringComparison.Ordinal)).Select(line => line.TrimEnd()).Order(StringComparer.Ordinal);
        Assert.Equal(
            $"problem: {locked} could not be read (permission denied)\n" +
            $"problem: {unsearchable} could not be read (permission denied)",
            string.Join('\n', problems));
        Assert.Contains("fsck: 2 problems", result.StandardOutput, StringComparison.Ordinal);
    }

    private static async Task<(int Exit, string Output)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var root = new RootCommand { FsckCommand.Create() };
        var exit = await root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = output });
        return (exit, output.ToString());
    }
}
