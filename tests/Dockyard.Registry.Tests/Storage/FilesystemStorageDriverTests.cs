using Dockyard.Registry.Storage;
using Dockyard.Registry.Storage.Filesystem;

namespace Dockyard.Registry.Tests.Storage;

public sealed class FilesystemStorageDriverTests : StorageDriverConformanceTests, IDisposable
{
    private readonly string _tempDirectory = Path.Combine(Path.GetTempPath(), "dockyard-storage-tests", Guid.NewGuid().ToString("N"));

    // A subdirectory, so the tests also cover the driver creating its root.
    private string Root => Path.Combine(_tempDirectory, "root");

    public void Dispose()
    {
        if (Directory.Exists(_tempDirectory))
        {
            Directory.Delete(_tempDirectory, recursive: true);
        }
    }

    protected override IStorageDriver CreateDriver() => new FilesystemStorageDriver(Root);

    [Fact]
    public void Constructor_MissingRoot_CreatesIt()
    {
        var driver = new FilesystemStorageDriver(Root);

        Assert.True(Directory.Exists(Root));
        Assert.Equal(Path.GetFullPath(Root), driver.RootDirectory);
    }

    [Fact]
    public async Task PutContent_StoresAtMappedPath_AndLeavesNoTempFiles()
    {
        await Driver.PutContentAsync("a/b/info", Bytes("one"), CancellationToken.None);
        await Driver.PutContentAsync("a/b/info", Bytes("two"), CancellationToken.None);

        Assert.Equal(["info"], Directory.GetFileSystemEntries(Path.Combine(Root, "a", "b")).Select(Path.GetFileName));
        Assert.Equal("two", await File.ReadAllTextAsync(Path.Combine(Root, "a", "b", "info")));
    }

    [Fact]
    public async Task PutContent_Cancelled_LeavesNoTempFiles()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Driver.PutContentAsync("a/keep", Bytes("x"), CancellationToken.None);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Driver.PutContentAsync("a/info", Bytes("y"), cancelled.Token));

        Assert.Equal(["keep"], Directory.GetFileSystemEntries(Path.Combine(Root, "a")).Select(Path.GetFileName));
    }

    [Fact]
    public async Task List_HidesInFlightTempFiles()
    {
        await Driver.PutContentAsync("a/info", Bytes("x"), CancellationToken.None);
        await File.WriteAllTextAsync(Path.Combine(Root, "a", ".info.0123" + FilesystemStorageDriver.TempSuffix), "partial");

        Assert.Equal(["a/info"], await ListSortedAsync("a"));
    }

    [Fact]
    public async Task Delete_LastFile_PrunesEmptyParentsButNotRoot()
    {
        await Driver.PutContentAsync("a/b/c/file", Bytes("x"), CancellationToken.None);

        Assert.True(await Driver.DeleteAsync("a/b/c/file", CancellationToken.None));

        Assert.False(Directory.Exists(Path.Combine(Root, "a")));
        Assert.True(Directory.Exists(Root));
    }

    [Fact]
    public void DirectorySync_ExistingDirectory_Succeeds()
    {
        Directory.CreateDirectory(Root);

        DirectorySync.Sync(Root);
    }

    [Fact]
    public void DirectorySync_MissingDirectory_ThrowsIOException()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        Assert.Throws<IOException>(() => DirectorySync.Sync(Path.Combine(_tempDirectory, "missing")));
    }

    [Fact]
    public async Task Writer_PastEarlyWritebackThreshold_KeepsEveryByteAcrossAppends()
    {
        // Several write-outs in one writer, then a second writer appending (as chunked uploads do).
        var first = RandomBytes((int)(EarlyWriteback.Threshold * 2) + 12345, seed: 1);
        var second = RandomBytes((int)EarlyWriteback.Threshold + 777, seed: 2);
        await using (var writer = await Driver.OpenWriterAsync("big/data", append: false, CancellationToken.None))
        {
            for (var at = 0; at < first.Length; at += 1 << 20)
            {
                await writer.WriteAsync(first.AsMemory(at, Math.Min(1 << 20, first.Length - at)), CancellationToken.None);
            }
        }

        await using (var writer = await Driver.OpenWriterAsync("big/data", append: true, CancellationToken.None))
        {
            Assert.Equal(first.Length, writer.Size);
            await writer.WriteAsync(second, CancellationToken.None);
            await writer.CommitAsync(CancellationToken.None);
        }

        var stored = await File.ReadAllBytesAsync(Path.Combine(Root, "big", "data"));
        Assert.Equal(first.Concat(second).ToArray(), stored);
    }

    private static byte[] RandomBytes(int size, int seed)
    {
        var bytes = new byte[size];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
