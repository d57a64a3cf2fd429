using System.CommandLine;
using Dockyard.Server.Cli;
using Dockyard.Server.Tests.Hosting;
using Dockyard.Server.Tests.Maintenance;
using Microsoft.Data.Sqlite;

namespace Dockyard.Server.Tests.Cli;

/// <summary><c>dockyard gc</c> and <c>dockyard fsck</c> on a data directory a server filled and left.</summary>
public sealed class MaintenanceCommandTests : IAsyncLifetime
{
    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("dockyard-maintenance-").FullName;
    private PushedImage _kept = null!;
    private PushedImage _other = null!;
    private PushedImage _doomed = null!;

    public async Task InitializeAsync()
    {
        await using var server = await InProcessDockyard.StartAsync(dataDirectory: _dataDirectory);
        using var http = server.CreateClient();
        var client = new MaintenanceTestClient(server, http);
        _kept = await client.PushImageAsync("cli/app", "v1", MaintenanceTestClient.Unique("config"), MaintenanceTestClient.Unique("layer"));
        _other = await client.PushImageAsync("cli/other", "v1", MaintenanceTestClient.Unique("config"), MaintenanceTestClient.Unique("layer"));
        _doomed = await client.PushImageAsync("cli/app", "old", MaintenanceTestClient.Unique("config"), MaintenanceTestClient.Unique("layer"));
        await client.DeleteManifestAsync("cli/app", _doomed.Digest);
    }

    public Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dataDirectory, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Fsck_Clean_ExitsZero()
    {
        var (exitCode, output) = await RunAsync("fsck", "--data", _dataDirectory);

        Assert.True(exitCode == 0, output);
        Assert.Contains("fsck: clean (2 tags, 2 manifests, 8 blobs", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fsck_FlippedByteInABlob_NamesTheBlobAndExitsOne()
    {
        var path = BlobFile(_kept.LayerDigest);
        var bytes = await File.ReadAllBytesAsync(path);
        bytes[0] ^= 0x01;
        await File.WriteAllBytesAsync(path, bytes);

        var (exitCode, output) = await RunAsync("fsck", "--data", _dataDirectory);

        Assert.True(exitCode == 1, output);
        Assert.Contains($"problem: {_kept.LayerDigest}: blob content is corrupt", output, StringComparison.Ordinal);
        Assert.Contains("fsck: 1 problems", output, StringComparison.Ordinal);

        // Fast mode checks existence and sizes only, so the same flip goes unnoticed.
        var (fastExit, fastOutput) = await RunAsync("fsck", "--no-verify-digests", "--data", _dataDirectory);
        Assert.True(fastExit == 0, fastOutput);
    }

    [Fact]
    public async Task Fsck_DeletedBlobFile_NamesTheManifestThatNeedsItAndExitsOne()
    {
        File.Delete(BlobFile(_kept.ConfigDigest));

        var (exitCode, output) = await RunAsync("fsck", "--data", _dataDirectory);

        Assert.True(exitCode == 1, output);
        Assert.Contains($"problem: cli/app@{_kept.Digest}: references blob {_kept.ConfigDigest}, which is missing from storage", output, StringComparison.Ordinal);
        Assert.Contains($"problem: {_kept.ConfigDigest}: blob is missing from storage", output, StringComparison.Ordinal);

        // Another repository is not affected.
        var (otherExit, otherOutput) = await RunAsync("fsck", "--repository", "cli/other", "--data", _dataDirectory);
        Assert.True(otherExit == 0, otherOutput);
    }

    [Fact]
    public async Task Fsck_InvalidRepositoryName_ExitsTwo()
    {
        var (exitCode, output) = await RunAsync("fsck", "--repository", "Not/Valid", "--data", _dataDirectory);

        Assert.True(exitCode == 2, output);
    }

    [Fact]
    public async Task Gc_DryRunThenRun_ListsThenDeletesTheDeletedImageAndFsckStaysClean()
    {
        var (dryExit, dryOutput) = await RunAsync("gc", "--dry-run", "--grace", "0s", "--data", _dataDirectory);

        Assert.True(dryExit == 0, dryOutput);
        Assert.Contains($"would delete blob {_doomed.LayerDigest} ({_doomed.LayerSize} bytes)", dryOutput, StringComparison.Ordinal);
        Assert.Contains($"gc dry run: would delete 0 manifests, 2 links, 3 blobs, reclaiming {_doomed.TotalBytes} bytes", dryOutput, StringComparison.Ordinal);
        Assert.True(File.Exists(BlobFile(_doomed.LayerDigest)));

        var (exitCode, output) = await RunAsync("gc", "--grace", "0s", "--data", _dataDirectory);

        Assert.True(exitCode == 0, output);
        Assert.Contains($"gc done: deleted 0 manifests, 2 links, 3 blobs, reclaiming {_doomed.TotalBytes} bytes", output, StringComparison.Ordinal);
        Assert.False(File.Exists(BlobFile(_doomed.LayerDigest)));
        Assert.True(File.Exists(BlobFile(_kept.LayerDigest)));
        var (fsckExit, fsckOutput) = await RunAsync("fsck", "--data", _dataDirectory);
        Assert.True(fsckExit == 0, fsckOutput);
    }

    [Fact]
    public async Task Gc_DefaultGrace_KeepsRecentContent()
    {
        var (exitCode, output) = await RunAsync("gc", "--data", _dataDirectory);

        Assert.True(exitCode == 0, output);
        Assert.Contains("gc done: deleted 0 manifests, 0 links, 0 blobs, reclaiming 0 bytes", output, StringComparison.Ordinal);
        Assert.True(File.Exists(BlobFile(_doomed.LayerDigest)));
    }

    [Fact]
    public async Task Gc_BadGrace_ExitsTwo()
    {
        var (exitCode, output) = await RunAsync("gc", "--grace", "soon", "--data", _dataDirectory);

        Assert.True(exitCode == 2, output);
        Assert.Contains("--grace 'soon' is not a duration", output, StringComparison.Ordinal);
    }

    private string BlobFile(string digest)
    {
        var hex = digest["sha256:".Length..];
        return Path.Combine(_dataDirectory, "storage", "blobs", "sha256", hex[..2], hex);
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var root = new RootCommand { GcCommand.Create(), FsckCommand.Create() };
        var exitCode = await root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = output });
        SqliteConnection.ClearAllPools();
        return (exitCode, output.ToString());
    }
}
