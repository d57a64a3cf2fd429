using Dockyard.Server.Tests.Infrastructure;

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
