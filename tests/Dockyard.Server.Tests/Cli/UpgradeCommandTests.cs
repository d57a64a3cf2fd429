using Dockyard.Server.Audit;
using Dockyard.Server.Data;
using Dockyard.Server.Data.Entities;
using Dockyard.Server.Hosting;
using Dockyard.Server.Observability;
using Dockyard.Server.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Dockyard.Server.Tests.Cli;

/// <summary>
/// <c>dockyard upgrade --check</c> (the real binary) on SQLite data directories: one line per check, exit 0 when the
/// upgrade may go ahead (warnings allowed), 1 when a check fails; it reads only.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class UpgradeCommandTests : IDisposable
{
    private static readonly Dictionary<string, string?> NoSettings = [];
    private readonly TempDirectory _root = new("upgrade");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _root.Dispose();
    }

    [Fact]
    public async Task Check_CurrentSchema_IsReady_WarnsUntilABackupIsRecorded_ThenShowsItsAge()
    {
        var data = await MigratedAsync("current");
        var latest = await LatestAppliedAsync(data);
        var before = Entries(data);

        var first = await CheckAsync(data);

        Assert.True(first.ExitCode == 0, first.Describe());
        var lines = Lines(first.StandardOutput);
        Assert.Equal($"ok       version: Dockyard {BuildInfo.Current.Version} (commit {BuildInfo.Current.ShortCommit})", lines[0]);
        Assert.StartsWith($"ok       schema: {latest} (", lines[1], StringComparison.Ordinal);
        Assert.Equal("ok       pending migrations: none", lines[2]);
        Assert.Matches(@"^ok       free disk: [\d.]+ [KMGT]?i?B free on .+ \(database [\d.]+ [KMGT]?i?B\)$", lines[3]);
        Assert.Equal("warning  last backup: no backup recorded; take one before upgrading (dockyard backup DEST)", lines[4]);
        Assert.Equal("upgrade check: ready, 1 warning", lines[5]);
        Assert.Equal(before, Entries(data));

        await RecordBackupAsync(data, DateTimeOffset.UtcNow.AddHours(-3));
        var second = await CheckAsync(data);

        Assert.True(second.ExitCode == 0, second.Describe());
        Assert.Matches(@"^ok       last backup: 3 h ago \(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\)$", Lines(second.StandardOutput)[4]);
        Assert.Equal("upgrade check: ready", Lines(second.StandardOutput)[5]);
    }

    [Fact]
    public async Task Check_EmptyDatabase_ListsEveryMigrationAsPending_AndIsReady()
    {
        var data = Directory.CreateDirectory(_root.Combine("empty")).FullName;
        // An empty file is an empty SQLite database (what the server finds on a first start).
        await File.WriteAllBytesAsync(Path.Combine(data, "dockyard.db"), []);

        var result = await CheckAsync(data);

        Assert.True(result.ExitCode == 0, result.Describe());
        var lines = Lines(result.StandardOutput);
        Assert.Equal("ok       schema: none (empty database)", lines[1]);
        Assert.Matches(@"^ok       pending migrations: \d+, applied when this version starts \(or by dockyard migrate\): \d+_Initial, ", lines[2]);
        Assert.Equal(0, new FileInfo(Path.Combine(data, "dockyard.db")).Length);
    }

    [Fact]
    public async Task Check_NewerSchema_FailsNamingBothVersions()
    {
        var data = await MigratedAsync("newer");
        var latest = await LatestAppliedAsync(data);
        await using (var connection = new SqliteConnection($"Data Source={Path.Combine(data, "dockyard.db")};Pooling=false"))
        {
            await connection.OpenAsync();
            await using var insert = connection.CreateCommand();
            insert.CommandText = "INSERT INTO \"__EFMigrationsHistory\" (\"MigrationId\", \"ProductVersion\") VALUES ('20991231000000_FromTheFuture', '99.0.0')";
            await insert.ExecuteNonQueryAsync();
        }

        var result = await CheckAsync(data);

        Assert.True(result.ExitCode == 1, result.Describe());
        var lines = Lines(result.StandardOutput);
        Assert.Equal(
            $"FAILED   schema: the database schema is 20991231000000_FromTheFuture (newer than this build's {latest}, Dockyard {BuildInfo.Current.Version}); " +
            "run the newer Dockyard or restore the backup taken before the upgrade",
            lines[1]);
        Assert.Equal("upgrade check: not ready, 1 check failed, 1 warning", lines[^1]);
    }

    [Fact]
    public async Task Check_LessFreeDiskThanTwiceTheDatabase_Fails()
    {
        Assert.True(Environment.IsPrivilegedProcess, "this test mounts a tmpfs, so it must run as root");
        var volume = Directory.CreateDirectory(_root.Combine("volume")).FullName;
        await ProcessRunner.RunAsync("mount", ["-t", "tmpfs", "-o", "size=8m", "tmpfs", volume]);
        try
        {
            var data = Path.Combine(volume, "data");
            var migrated = await DockyardProcess.RunVerbAsync(["migrate", "--data", data], NoSettings);
            Assert.True(migrated.ExitCode == 0, migrated.Describe());
            var database = new FileInfo(Path.Combine(data, "dockyard.db")).Length;
            // Leave about one database's worth free.
            var filler = new DriveInfo(volume).AvailableFreeSpace - database;
            await using (var fill = new FileStream(Path.Combine(volume, "filler"), FileMode.CreateNew))
            {
                fill.SetLength(0);
                var block = new byte[64 * 1024];
                for (long written = 0; written < filler; written += block.Length)
                {
                    await fill.WriteAsync(block.AsMemory(0, (int)Math.Min(block.Length, filler - written)));
                }
            }

            var result = await CheckAsync(data);

            Assert.True(result.ExitCode == 1, result.Describe());
            var disk = Assert.Single(Lines(result.StandardOutput), line => line.Contains("free disk:", StringComparison.Ordinal));
            Assert.Matches(@"^FAILED   free disk: [\d.]+ [KMGT]?i?B free on .+, less than twice the database \([\d.]+ [KMGT]?i?B\)", disk);
            Assert.Equal("upgrade check: not ready, 1 check failed, 1 warning", Lines(result.StandardOutput)[^1]);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            await ProcessRunner.RunUncheckedAsync("umount", [volume]);
        }
    }

    private async Task<string> MigratedAsync(string name)
    {
        var data = _root.Combine(name);
        var migrated = await DockyardProcess.RunVerbAsync(["migrate", "--data", data], NoSettings);
        Assert.True(migrated.ExitCode == 0, migrated.Describe());
        return data;
    }

    private static Task<ProcessResult> CheckAsync(string data) => DockyardProcess.RunVerbAsync(["upgrade", "--check", "--data", data], NoSettings);

    private static async Task<string> LatestAppliedAsync(string data)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(data, "dockyard.db")};Mode=ReadOnly;Pooling=false");
        await connection.OpenAsync();
        await using var query = connection.CreateCommand();
        query.CommandText = "SELECT max(\"MigrationId\") FROM \"__EFMigrationsHistory\"";
        return (string)(await query.ExecuteScalarAsync())!;
    }

    /// <summary>What the backup verb records when it finishes: a <c>system.backup</c> entry, through the chain writer.</summary>
    private static async Task RecordBackupAsync(string data, DateTimeOffset time)
    {
        using (var host = DockyardApp.BuildTool(new Dictionary<string, string?> { [DataDirectoryOptions.Key] = data }))
        {
            await host.Services.GetRequiredService<AuditWriter>().AppendAsync(
                [new AuditEntryEntity { Time = time, ActorKind = "system", ActorName = "system", Action = AuditActions.SystemBackup, Outcome = "success", Hash = string.Empty }],
                CancellationToken.None);
        }

        SqliteConnection.ClearAllPools();
    }

    /// <summary>The data directory's entries with their sizes, but SQLite's -wal/-shm (any process that opened it may leave them).</summary>
    private static List<string> Entries(string data) => [.. new DirectoryInfo(data).EnumerateFileSystemInfos()
        .Where(e => !e.Name.EndsWith("-wal", StringComparison.Ordinal) && !e.Name.EndsWith("-shm", StringComparison.Ordinal))
        .Select(e => e is FileInfo f ? $"{f.Name} {f.Length}" : e.Name + "/")
        .Order(StringComparer.Ordinal)];

    private static List<string> Lines(string text) => [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r'))];
}
