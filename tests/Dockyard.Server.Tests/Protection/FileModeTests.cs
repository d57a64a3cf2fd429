using System.CommandLine;
using Dockyard.Server.Cli;
using Dockyard.Server.Tests.Hosting;
using Dockyard.Server.Tests.Infrastructure;
using Microsoft.Extensions.Logging;

namespace Dockyard.Server.Tests.Protection;

/// <summary>
/// Issue 14: with the usual umask 022 the data directory came out 0755 and the database and blobs 0644, readable by
/// every local account. Everything Dockyard creates under its data directory must be private whatever the umask.
/// </summary>
[Collection(ProcessUmaskCollection.Name)]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class FileModeTests : IDisposable
{
    private const UnixFileMode PrivateDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode PrivateFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private readonly TempDirectory _root = new("modes");

    public void Dispose() => _root.Dispose();

    [Fact]
    public async Task Start_WithUmask022_DataDirectoryDatabaseBlobsAndKeyFileArePrivate()
    {
        var data = _root.Combine("data");
        using (new ProcessUmask(Convert.ToUInt32("022", 8)))
        {
            await using var server = await SecretsTestServer.StartAsync(data);
            var registry = await server.StoreEverySecretAsync("admin/app");
            await registry.PushBlobAsync("admin/app", "a private layer"u8.ToArray());

            // While it runs: SQLite's -wal and -shm files exist now.
            Assert.Equal(PrivateDirectory, File.GetUnixFileMode(data));
            foreach (var name in new[] { "dockyard.db", "dockyard.db-wal", "dockyard.db-shm", "secrets.key" })
            {
                var path = Path.Combine(data, name);
                Assert.True(File.Exists(path), $"{name} is missing");
                Assert.True(PrivateFile == File.GetUnixFileMode(path), $"{name} is {File.GetUnixFileMode(path)}");
            }

            var blobs = Directory.GetFiles(Path.Combine(data, "storage", "blobs"), "*", SearchOption.AllDirectories);
            Assert.NotEmpty(blobs);
            AssertEverythingPrivate(data);
        }
    }

    [Theory]
    [InlineData("022")]
    [InlineData("000")]
    public async Task AuditExport_ToAFile_CreatesItPrivateWhateverTheUmask(string umask)
    {
        var data = _root.Combine("data");
        await using (var server = await SecretsTestServer.StartAsync(data))
        {
            // An entry to export: a refused access token is recorded at once.
            using var http = server.Server.CreateClient();
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "dky_not-a-token");
            using var refused = await http.GetAsync("/api/v1/me");
            Assert.Equal(System.Net.HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        var file = _root.Combine("audit.jsonl");
        int exit;
        using (new ProcessUmask(Convert.ToUInt32(umask, 8)))
        {
            var root = new RootCommand { AuditCommand.Create() };
            exit = await root.Parse(["audit", "export", "--format", "jsonl", "--output", file, "--data", data])
                .InvokeAsync(new InvocationConfiguration { Output = TextWriter.Null, Error = TextWriter.Null });
        }

        Assert.Equal(0, exit);
        Assert.NotEqual(0, new FileInfo(file).Length);
        Assert.Equal(PrivateFile, File.GetUnixFileMode(file));
    }

    [Fact]
    public async Task Start_DataDirectoryAndKeyFileOpenToOthers_WarnsNamingEach()
    {
        var data = _root.Combine("data");
        await using (await InProcessDockyard.StartAsync(dataDirectory: data))
        {
            // The first start creates the database and the key file, private.
        }

        // As an older version, or a careless copy, left them.
        File.SetUnixFileMode(data, PrivateDirectory | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        File.SetUnixFileMode(Path.Combine(data, "secrets.key"), PrivateFile | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        var logs = new CapturingLoggerProvider();
        await using (await InProcessDockyard.StartAsync(builder => builder.Logging.AddProvider(logs), dataDirectory: data))
        {
            var warnings = logs.Entries.Where(e => e.EventId == 5202).ToList();
            Assert.All(warnings, w => Assert.Equal(LogLevel.Warning, w.Level));
            Assert.Contains(warnings, w => w.Message.StartsWith($"{Path.GetFullPath(data)} is accessible to other local accounts (mode 0755)", StringComparison.Ordinal));
            Assert.Contains(warnings, w => w.Message.StartsWith($"{Path.Combine(Path.GetFullPath(data), "secrets.key")} is accessible to other local accounts (mode 0644)", StringComparison.Ordinal));
            Assert.DoesNotContain(warnings, w => w.Message.Contains("dockyard.db", StringComparison.Ordinal));
            Assert.Equal(2, warnings.Count);
        }
    }

    private static void AssertEverythingPrivate(string directory)
    {
        var open = Directory.EnumerateFileSystemEntries(directory, "*", SearchOption.AllDirectories)
            .Select(path => (Path: path, Mode: File.GetUnixFileMode(path), IsDirectory: Directory.Exists(path)))
            .Where(e => e.Mode != (e.IsDirectory ? PrivateDirectory : PrivateFile))
            .Select(e => $"{Path.GetRelativePath(directory, e.Path)}: {e.Mode}")
            .ToList();
        Assert.True(open.Count == 0, "Not private:\n" + string.Join('\n', open));
    }
}
