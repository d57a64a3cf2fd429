using System.Security.Cryptography;
using System.Text;
using Dockyard.Registry.Storage;

namespace Dockyard.Registry.Tests.Storage;

/// <summary>
/// The behaviour every <see cref="IStorageDriver"/> must have. Each driver gets a subclass that only
/// supplies <see cref="CreateDriver"/>; xunit makes a new instance (and so a fresh driver) per test.
/// </summary>
public abstract class StorageDriverConformanceTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    private IStorageDriver? _driver;

    /// <summary>A fresh, empty driver isolated from every other test.</summary>
    protected abstract IStorageDriver CreateDriver();

    protected IStorageDriver Driver => _driver ??= CreateDriver();

    public static TheoryData<string> InvalidPaths => ["../x", "/abs", "a//b", "a/./b", "", "a/../b", "a/", "..", ".", "a\\b"];

    // Put / Get

    [Fact]
    public async Task PutContent_ThenGetContent_ReturnsSameBytes()
    {
        await Driver.PutContentAsync("a/b/c", Bytes("hello"), None);

        Assert.Equal(Bytes("hello"), await Driver.GetContentAsync("a/b/c", None));
    }

    [Fact]
    public async Task PutContent_Empty_StoresEmptyFile()
    {
        await Driver.PutContentAsync("empty", ReadOnlyMemory<byte>.Empty, None);

        Assert.Equal(Array.Empty<byte>(), await Driver.GetContentAsync("empty", None));
        Assert.Equal(0, (await Driver.StatAsync("empty", None))!.Size);
    }

    [Fact]
    public async Task PutContent_Existing_Overwrites()
    {
        await Driver.PutContentAsync("f", Bytes("a much longer first version"), None);
        await Driver.PutContentAsync("f", Bytes("short"), None);

        Assert.Equal(Bytes("short"), await Driver.GetContentAsync("f", None));
    }

    [Fact]
    public async Task PutContent_WhereDirectoryExists_ThrowsIOException()
    {
        await Driver.PutContentAsync("dir/file", Bytes("x"), None);

        await Assert.ThrowsAnyAsync<IOException>(() => Driver.PutContentAsync("dir", Bytes("y"), None));
        Assert.Equal(Bytes("x"), await Driver.GetContentAsync("dir/file", None));
    }

    [Fact]
    public async Task PutContent_BelowAFile_ThrowsIOException()
    {
        await Driver.PutContentAsync("file", Bytes("x"), None);

        await Assert.ThrowsAnyAsync<IOException>(() => Driver.PutContentAsync("file/child", Bytes("y"), None));
        Assert.Equal(Bytes("x"), await Driver.GetContentAsync("file", None));
    }

    [Fact]
    public async Task GetContent_Missing_ReturnsNull()
    {
        Assert.Null(await Driver.GetContentAsync("nope", None));
        Assert.Null(await Driver.GetContentAsync("no/such/dir/file", None));
    }

    [Fact]
    public async Task GetContent_Directory_ReturnsNull()
    {
        await Driver.PutContentAsync("dir/file", Bytes("x"), None);

        Assert.Null(await Driver.GetContentAsync("dir", None));
    }

    // Stat

    [Fact]
    public async Task Stat_File_ReturnsSizeAndRecentTime()
    {
        var before = DateTimeOffset.UtcNow.AddMinutes(-1);
        await Driver.PutContentAsync("a/file", Bytes("12345"), None);

        var info = await Driver.StatAsync("a/file", None);

        Assert.NotNull(info);
        Assert.Equal("a/file", info.Path);
        Assert.Equal(5, info.Size);
        Assert.False(info.IsDirectory);
        Assert.InRange(info.ModifiedAt, before, DateTimeOffset.UtcNow.AddMinutes(1));
    }

    [Fact]
    public async Task Stat_Directory_ReturnsDirectory()
    {
        await Driver.PutContentAsync("a/b/file", Bytes("x"), None);

        var info = await Driver.StatAsync("a/b", None);

        Assert.NotNull(info);
        Assert.Equal("a/b", info.Path);
        Assert.True(info.IsDirectory);
        Assert.True((await Driver.StatAsync("a", None))!.IsDirectory);
    }

    [Fact]
    public async Task Stat_Missing_ReturnsNull()
    {
        Assert.Null(await Driver.StatAsync("missing", None));
        Assert.Null(await Driver.StatAsync("missing/deeper", None));
    }

    // OpenRead

    [Fact]
    public async Task OpenRead_AtZero_ReadsWholeFile()
    {
        await Driver.PutContentAsync("f", Bytes("0123456789"), None);

        await using var stream = await Driver.OpenReadAsync("f", 0, None);

        Assert.NotNull(stream);
        Assert.Equal(Bytes("0123456789"), await ReadAllAsync(stream));
    }

    [Fact]
    public async Task OpenRead_AtOffset_ReadsFromOffsetAndIsSeekable()
    {
        await Driver.PutContentAsync("f", Bytes("0123456789"), None);

        await using var stream = await Driver.OpenReadAsync("f", 4, None);

        Assert.NotNull(stream);
        Assert.True(stream.CanSeek);
        Assert.Equal(4, stream.Position);
        Assert.Equal(10, stream.Length);
        Assert.Equal(Bytes("456789"), await ReadAllAsync(stream));

        stream.Position = 1;
        Assert.Equal(Bytes("123456789"), await ReadAllAsync(stream));
    }

    [Fact]
    public async Task OpenRead_OffsetEqualsLength_ReturnsEmptyStream()
    {
        await Driver.PutContentAsync("f", Bytes("0123456789"), None);

        await using var stream = await Driver.OpenReadAsync("f", 10, None);

        Assert.NotNull(stream);
        Assert.Empty(await ReadAllAsync(stream));
    }

    [Fact]
    public async Task OpenRead_OffsetBeyondLength_ThrowsArgumentOutOfRange()
    {
        await Driver.PutContentAsync("f", Bytes("0123456789"), None);

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Driver.OpenReadAsync("f", 11, None));
    }

    [Fact]
    public async Task OpenRead_NegativeOffset_ThrowsArgumentOutOfRange()
    {
        await Driver.PutContentAsync("f", Bytes("0123456789"), None);

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Driver.OpenReadAsync("f", -1, None));
    }

    [Fact]
    public async Task OpenRead_Missing_ReturnsNull()
    {
        Assert.Null(await Driver.OpenReadAsync("missing", 0, None));
        Assert.Null(await Driver.OpenReadAsync("missing/deeper", 0, None));
    }

    [Fact]
    public async Task OpenRead_Directory_ReturnsNull()
    {
        await Driver.PutContentAsync("dir/file", Bytes("x"), None);

        Assert.Null(await Driver.OpenReadAsync("dir", 0, None));
    }

    [Fact]
    public async Task OpenRead_FileDeletedWhileOpen_KeepsReadingOpenedBytes()
    {
        var content = RandomBytes(256 * 1024, seed: 1);
        await Driver.PutContentAsync("f", content, None);

        await using var stream = await Driver.OpenReadAsync("f", 0, None);
        Assert.True(await Driver.DeleteAsync("f", None));

        Assert.Equal(content, await ReadAllAsync(stream!));
    }

    // Writers

    [Fact]
    public async Task OpenWriter_NewFileInNewDirectories_CreatesParents()
    {
        await using (var writer = await Driver.OpenWriterAsync("x/y/z/data", append: false, None))
        {
            Assert.Equal(0, writer.Size);
            await writer.WriteAsync(Bytes("abc"), None);
            Assert.Equal(3, writer.Size);
            await writer.CommitAsync(None);
        }

        Assert.Equal(Bytes("abc"), await Driver.GetContentAsync("x/y/z/data", None));
    }

    [Fact]
    public async Task OpenWriter_NoAppend_TruncatesExisting()
    {
        await Driver.PutContentAsync("f", Bytes("old content"), None);

        await using (var writer = await Driver.OpenWriterAsync("f", append: false, None))
        {
            Assert.Equal(0, writer.Size);
            await writer.WriteAsync(Bytes("new"), None);
            await writer.CommitAsync(None);
        }

        Assert.Equal(Bytes("new"), await Driver.GetContentAsync("f", None));
    }

    [Fact]
    public async Task OpenWriter_Append_ContinuesExisting()
    {
        await Driver.PutContentAsync("f", Bytes("head-"), None);

        await using (var writer = await Driver.OpenWriterAsync("f", append: true, None))
        {
            Assert.Equal(5, writer.Size);
            await writer.WriteAsync(Bytes("tail"), None);
            Assert.Equal(9, writer.Size);
            await writer.CommitAsync(None);
        }

        Assert.Equal(Bytes("head-tail"), await Driver.GetContentAsync("f", None));
    }

    [Fact]
    public async Task OpenWriter_AppendMissing_CreatesFile()
    {
        await using (var writer = await Driver.OpenWriterAsync("new/f", append: true, None))
        {
            Assert.Equal(0, writer.Size);
            await writer.WriteAsync(Bytes("x"), None);
            await writer.CommitAsync(None);
        }

        Assert.Equal(Bytes("x"), await Driver.GetContentAsync("new/f", None));
    }

    [Fact]
    public async Task WriterCommit_MakesSizeVisibleThroughStat()
    {
        await using (var writer = await Driver.OpenWriterAsync("f", append: false, None))
        {
            await writer.WriteAsync(new byte[1000], None);
            await writer.WriteAsync(new byte[234], None);
            await writer.CommitAsync(None);
        }

        Assert.Equal(1234, (await Driver.StatAsync("f", None))!.Size);
    }

    [Fact]
    public async Task WriterDisposeWithoutCommit_KeepsBytes_AppendResumes()
    {
        var first = RandomBytes(100_000, seed: 2);
        var second = RandomBytes(50_000, seed: 3);

        // An interrupted upload: written, never committed.
        await using (var writer = await Driver.OpenWriterAsync("uploads/u/data", append: true, None))
        {
            await writer.WriteAsync(first, None);
        }

        Assert.Equal(first.Length, (await Driver.StatAsync("uploads/u/data", None))!.Size);

        await using (var writer = await Driver.OpenWriterAsync("uploads/u/data", append: true, None))
        {
            Assert.Equal(first.Length, writer.Size);
            await writer.WriteAsync(second, None);
            await writer.CommitAsync(None);
        }

        byte[] expected = [.. first, .. second];
        Assert.Equal(expected, await Driver.GetContentAsync("uploads/u/data", None));
    }

    [Fact]
    public async Task WriterCancel_RemovesFile()
    {
        await using (var writer = await Driver.OpenWriterAsync("d/f", append: false, None))
        {
            await writer.WriteAsync(Bytes("doomed"), None);
            await writer.CancelAsync(None);
        }

        Assert.Null(await Driver.StatAsync("d/f", None));
        Assert.Null(await Driver.GetContentAsync("d/f", None));
    }

    [Fact]
    public async Task WriterCancel_AfterResume_RemovesWholeFile()
    {
        await Driver.PutContentAsync("f", Bytes("earlier"), None);

        await using (var writer = await Driver.OpenWriterAsync("f", append: true, None))
        {
            await writer.WriteAsync(Bytes("later"), None);
            await writer.CancelAsync(None);
        }

        Assert.Null(await Driver.StatAsync("f", None));
    }

    [Fact]
    public async Task WriterWrite_AfterCommit_ThrowsInvalidOperation()
    {
        await using var writer = await Driver.OpenWriterAsync("f", append: false, None);
        await writer.CommitAsync(None);

        await Assert.ThrowsAnyAsync<InvalidOperationException>(async () => await writer.WriteAsync(Bytes("x"), None));
        await Assert.ThrowsAnyAsync<InvalidOperationException>(() => writer.CommitAsync(None));
    }

    [Fact]
    public async Task WriterWrite_LargeStreamInChunks_ReadsBackSameSha256()
    {
        const int chunkSize = 64 * 1024;
        const int chunks = 320; // 20 MiB
        using var expectedHash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var chunk = new byte[chunkSize];
        var random = new Random(42);

        await using (var writer = await Driver.OpenWriterAsync("blobs/big", append: false, None))
        {
            for (var i = 0; i < chunks; i++)
            {
                random.NextBytes(chunk);
                expectedHash.AppendData(chunk);
                await writer.WriteAsync(chunk, None);
            }

            Assert.Equal((long)chunkSize * chunks, writer.Size);
            await writer.CommitAsync(None);
        }

        Assert.Equal((long)chunkSize * chunks, (await Driver.StatAsync("blobs/big", None))!.Size);
        await using var stream = await Driver.OpenReadAsync("blobs/big", 0, None);
        Assert.Equal(expectedHash.GetHashAndReset(), await SHA256.HashDataAsync(stream!));
    }

    [Fact]
    public async Task WriterAppend_TwentyMiBInOneMiBChunksAcrossReopens_SizeAndBytesExactAtEveryStep()
    {
        // A chunked upload: every chunk arrives in its own request, through a new writer, never committed until the end.
        const int chunkSize = 1024 * 1024;
        const int chunks = 20;
        var data = RandomBytes(chunkSize * chunks, seed: 11);
        for (var i = 0; i < chunks; i++)
        {
            await using (var writer = await Driver.OpenWriterAsync("uploads/u/data", append: true, None))
            {
                Assert.Equal((long)i * chunkSize, writer.Size);
                await writer.WriteAsync(data.AsMemory(i * chunkSize, chunkSize), None);
                Assert.Equal((long)(i + 1) * chunkSize, writer.Size);
            }

            var size = (i + 1) * chunkSize;
            Assert.Equal(size, (await Driver.StatAsync("uploads/u/data", None))!.Size);
            if (i % 4 == 3)
            {
                // Uncommitted bytes are readable by offset (another replica re-hashes them), across internal boundaries.
                var from = size - chunkSize - 4096;
                await using var stream = await Driver.OpenReadAsync("uploads/u/data", from, None);
                Assert.Equal(size, stream!.Length);
                Assert.Equal(data.AsSpan(from, size - from).ToArray(), await ReadAllAsync(stream));
            }
        }

        await using (var writer = await Driver.OpenWriterAsync("uploads/u/data", append: true, None))
        {
            await writer.CommitAsync(None);
        }

        Assert.Equal(data.Length, (await Driver.StatAsync("uploads/u/data", None))!.Size);
        await using var all = await Driver.OpenReadAsync("uploads/u/data", 0, None);
        Assert.Equal(SHA256.HashData(data), await SHA256.HashDataAsync(all!));
    }

    [Fact]
    public async Task WriterAppend_UncommittedRead_FromZeroMatchesWrittenPrefix()
    {
        var data = RandomBytes((6 * 1024 * 1024) + 777, seed: 12);
        await using (var writer = await Driver.OpenWriterAsync("uploads/u/data", append: true, None))
        {
            await writer.WriteAsync(data, None);
        }

        Assert.Equal(data, await Driver.GetContentAsync("uploads/u/data", None));
        await using var stream = await Driver.OpenReadAsync("uploads/u/data", 0, None);
        stream!.Position = data.Length - 10;
        Assert.Equal(data.AsSpan(data.Length - 10).ToArray(), await ReadAllAsync(stream));
    }

    [Fact]
    public async Task WriterAppend_OntoCommittedLargeFile_ContinuesIt()
    {
        var head = RandomBytes((6 * 1024 * 1024) + 3, seed: 13);
        var tail = RandomBytes(1024 * 1024, seed: 14);
        await Driver.PutContentAsync("f", head, None);

        await using (var writer = await Driver.OpenWriterAsync("f", append: true, None))
        {
            Assert.Equal(head.Length, writer.Size);
            await writer.WriteAsync(tail, None);
            await writer.CommitAsync(None);
        }

        byte[] expected = [.. head, .. tail];
        Assert.Equal(expected, await Driver.GetContentAsync("f", None));
        Assert.Equal(["f"], await ListSortedAsync(string.Empty));
    }

    [Fact]
    public async Task WriterDispose_UncommittedFile_IsListedAndDeletedWithItsDirectory()
    {
        await Driver.PutContentAsync("uploads/u/info", Bytes("i"), None);
        await using (var writer = await Driver.OpenWriterAsync("uploads/u/data", append: true, None))
        {
            await writer.WriteAsync(Bytes("partial"), None);
        }

        Assert.Equal(["uploads/u/data", "uploads/u/info"], await ListSortedAsync("uploads/u"));
        Assert.True(await Driver.DeleteAsync("uploads/u", None));

        Assert.Null(await Driver.StatAsync("uploads/u/data", None));
        Assert.Null(await Driver.StatAsync("uploads/u", None));
        Assert.Empty(await ListSortedAsync(string.Empty));
    }

    [Fact]
    public async Task Move_UncommittedFile_MovesItsBytes()
    {
        var data = RandomBytes((5 * 1024 * 1024) + 99, seed: 15);
        await using (var writer = await Driver.OpenWriterAsync("uploads/u/data", append: true, None))
        {
            await writer.WriteAsync(data, None);
        }

        await Driver.MoveAsync("uploads/u/data", "blobs/b", None);

        Assert.Equal(data, await Driver.GetContentAsync("blobs/b", None));
        Assert.Null(await Driver.StatAsync("uploads/u/data", None));
    }

    // Move

    [Fact]
    public async Task Move_ToNewPath_MovesAndSourceDisappears()
    {
        await Driver.PutContentAsync("uploads/u/data", Bytes("blob"), None);

        await Driver.MoveAsync("uploads/u/data", "blobs/sha256/ab/abcd", None);

        Assert.Null(await Driver.StatAsync("uploads/u/data", None));
        Assert.Equal(Bytes("blob"), await Driver.GetContentAsync("blobs/sha256/ab/abcd", None));
    }

    [Fact]
    public async Task Move_OntoExisting_ReplacesDestination()
    {
        await Driver.PutContentAsync("src", Bytes("new"), None);
        await Driver.PutContentAsync("dst", Bytes("old and longer"), None);

        await Driver.MoveAsync("src", "dst", None);

        Assert.Null(await Driver.StatAsync("src", None));
        Assert.Equal(Bytes("new"), await Driver.GetContentAsync("dst", None));
    }

    [Fact]
    public async Task Move_MissingSource_ThrowsFileNotFound()
    {
        await Driver.PutContentAsync("dst", Bytes("kept"), None);

        await Assert.ThrowsAsync<FileNotFoundException>(() => Driver.MoveAsync("missing", "dst", None));
        Assert.Equal(Bytes("kept"), await Driver.GetContentAsync("dst", None));
    }

    [Fact]
    public async Task Move_DirectorySource_ThrowsFileNotFound()
    {
        await Driver.PutContentAsync("dir/file", Bytes("x"), None);

        await Assert.ThrowsAsync<FileNotFoundException>(() => Driver.MoveAsync("dir", "elsewhere", None));
    }

    [Fact]
    public async Task Move_OntoItself_KeepsFile()
    {
        await Driver.PutContentAsync("f", Bytes("same"), None);

        await Driver.MoveAsync("f", "f", None);

        Assert.Equal(Bytes("same"), await Driver.GetContentAsync("f", None));
    }

    [Fact]
    public async Task Move_OntoDirectory_ThrowsIOExceptionAndKeepsBoth()
    {
        await Driver.PutContentAsync("src", Bytes("s"), None);
        await Driver.PutContentAsync("dir/file", Bytes("d"), None);

        await Assert.ThrowsAnyAsync<IOException>(() => Driver.MoveAsync("src", "dir", None));

        Assert.Equal(Bytes("s"), await Driver.GetContentAsync("src", None));
        Assert.Equal(Bytes("d"), await Driver.GetContentAsync("dir/file", None));
    }

    [Fact]
    public async Task Move_ReaderOpenedBefore_KeepsReadingOldContent()
    {
        var oldContent = RandomBytes(300_000, seed: 4);
        await Driver.PutContentAsync("dst", oldContent, None);
        await Driver.PutContentAsync("src", Bytes("replacement"), None);

        await using var stream = await Driver.OpenReadAsync("dst", 0, None);
        await Driver.MoveAsync("src", "dst", None);

        Assert.Equal(oldContent, await ReadAllAsync(stream!));
        Assert.Equal(Bytes("replacement"), await Driver.GetContentAsync("dst", None));
    }

    [Fact]
    public async Task Move_WhileConcurrentReaders_ReadersSeeWholeOldOrWholeNew()
    {
        // Each version is a different length filled with one byte value, so any mix is detectable.
        const int rounds = 10;
        var versions = Enumerable.Range(0, rounds + 1).Select(v => Filled(200_000 + (v * 10_007), (byte)v)).ToArray();
        await Driver.PutContentAsync("blob", versions[0], None);

        using var stop = new CancellationTokenSource();
        var readsSeen = 0;
        var readers = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await using var stream = await Driver.OpenReadAsync("blob", 0, None);
                Assert.NotNull(stream);
                var read = await ReadAllAsync(stream);
                Assert.NotEmpty(read);
                var version = read[0];
                Assert.Equal(versions[version].Length, read.Length);
                Assert.True(read.AsSpan().IndexOfAnyExcept(version) < 0, "Reader saw a mix of two versions.");
                Interlocked.Increment(ref readsSeen);

                // In-memory reads complete synchronously; without yielding the readers starve the mover of threads.
                await Task.Yield();
            }
        })).ToArray();

        for (var v = 1; v <= rounds; v++)
        {
            await Driver.PutContentAsync($"staging/{v}", versions[v], None);
            await Driver.MoveAsync($"staging/{v}", "blob", None);
            await Task.Delay(5);
        }

        await stop.CancelAsync();
        await Task.WhenAll(readers);

        Assert.True(readsSeen > 0);
        Assert.Equal(versions[rounds], await Driver.GetContentAsync("blob", None));
    }

    // Delete

    [Fact]
    public async Task Delete_File_RemovesAndReturnsTrue()
    {
        await Driver.PutContentAsync("a/f", Bytes("x"), None);
        await Driver.PutContentAsync("a/g", Bytes("y"), None);

        Assert.True(await Driver.DeleteAsync("a/f", None));

        Assert.Null(await Driver.StatAsync("a/f", None));
        Assert.Equal(Bytes("y"), await Driver.GetContentAsync("a/g", None));
    }

    [Fact]
    public async Task Delete_Subtree_RemovesEverythingBelowOnly()
    {
        await Driver.PutContentAsync("uploads/u1/info", Bytes("i"), None);
        await Driver.PutContentAsync("uploads/u1/data", Bytes("d"), None);
        await Driver.PutContentAsync("uploads/u1/nested/deep", Bytes("n"), None);
        await Driver.PutContentAsync("uploads/u10/info", Bytes("other"), None);

        Assert.True(await Driver.DeleteAsync("uploads/u1", None));

        Assert.Null(await Driver.StatAsync("uploads/u1", None));
        Assert.Null(await Driver.StatAsync("uploads/u1/nested/deep", None));
        Assert.Equal(Bytes("other"), await Driver.GetContentAsync("uploads/u10/info", None));
        Assert.Equal(["uploads/u10"], await ListSortedAsync("uploads"));
    }

    [Fact]
    public async Task Delete_Missing_ReturnsFalse()
    {
        Assert.False(await Driver.DeleteAsync("missing", None));
        Assert.False(await Driver.DeleteAsync("missing/deeper", None));
    }

    [Fact]
    public async Task Delete_Twice_SecondReturnsFalse()
    {
        await Driver.PutContentAsync("f", Bytes("x"), None);

        Assert.True(await Driver.DeleteAsync("f", None));
        Assert.False(await Driver.DeleteAsync("f", None));
    }

    [Fact]
    public async Task Delete_LastFileInDirectory_DirectoryNoLongerListed()
    {
        await Driver.PutContentAsync("blobs/sha256/ab/abcd", Bytes("x"), None);
        await Driver.PutContentAsync("blobs/sha256/cd/cdef", Bytes("y"), None);

        Assert.True(await Driver.DeleteAsync("blobs/sha256/ab/abcd", None));

        Assert.Null(await Driver.StatAsync("blobs/sha256/ab", None));
        Assert.Equal(["blobs/sha256/cd"], await ListSortedAsync("blobs/sha256"));

        // And the directory comes back when something is written there again.
        await Driver.PutContentAsync("blobs/sha256/ab/abcd", Bytes("x"), None);
        Assert.Equal(Bytes("x"), await Driver.GetContentAsync("blobs/sha256/ab/abcd", None));
    }

    // DeleteFiles

    [Fact]
    public async Task DeleteFiles_FilesMissingAndDirectories_DeletesOnlyExistingFiles()
    {
        await Driver.PutContentAsync("a/1", Bytes("1"), None);
        await Driver.PutContentAsync("a/2", Bytes("2"), None);
        await Driver.PutContentAsync("d/x", Bytes("x"), None);

        await Driver.DeleteFilesAsync(["a/1", "a/2", "missing", "d", "a/1"], None);

        Assert.Null(await Driver.StatAsync("a/2", None));
        Assert.Null(await Driver.StatAsync("a/1", None));
        Assert.Null(await Driver.StatAsync("a", None));
        Assert.Equal(Bytes("x"), await Driver.GetContentAsync("d/x", None));
        Assert.Equal(["d"], await ListSortedAsync(string.Empty));
    }

    [Fact]
    public async Task DeleteFiles_MoreThanOneBatch_DeletesAll()
    {
        var paths = Enumerable.Range(0, 1100).Select(i => $"blobs/sha256/{i % 16:x2}/{i:x6}").ToList();
        await Parallel.ForEachAsync(paths, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (path, token) =>
            await Driver.PutContentAsync(path, Bytes(path), token));
        await Driver.PutContentAsync("blobs/sha256/keep", Bytes("k"), None);

        await Driver.DeleteFilesAsync(paths, None);

        Assert.Equal(["blobs/sha256/keep"], await ListSortedAsync("blobs/sha256"));
    }

    [Fact]
    public async Task DeleteFiles_Empty_DeletesNothing()
    {
        await Driver.PutContentAsync("f", Bytes("x"), None);

        await Driver.DeleteFilesAsync([], None);

        Assert.Equal(Bytes("x"), await Driver.GetContentAsync("f", None));
    }

    [Theory]
    [MemberData(nameof(InvalidPaths))]
    public async Task DeleteFiles_InvalidPath_ThrowsAndDeletesNothing(string path)
    {
        await Driver.PutContentAsync("f", Bytes("x"), None);

        await Assert.ThrowsAnyAsync<ArgumentException>(() => Driver.DeleteFilesAsync(["f", path], None));

        Assert.Equal(Bytes("x"), await Driver.GetContentAsync("f", None));
    }

    // List

    [Fact]
    public async Task List_Root_ReturnsTopLevelEntries()
    {
        await Driver.PutContentAsync("blobs/sha256/ab/abcd", Bytes("x"), None);
        await Driver.PutContentAsync("uploads/u/info", Bytes("y"), None);
        await Driver.PutContentAsync("top", Bytes("z"), None);

        Assert.Equal(["blobs", "top", "uploads"], await ListSortedAsync(string.Empty));
    }

    [Fact]
    public async Task List_Nested_ReturnsFullPathsOfFilesAndDirectories()
    {
        await Driver.PutContentAsync("uploads/u1/info", Bytes("1"), None);
        await Driver.PutContentAsync("uploads/u1/data", Bytes("2"), None);
        await Driver.PutContentAsync("uploads/u1/parts/p1", Bytes("3"), None);
        await Driver.PutContentAsync("uploads/u2/info", Bytes("4"), None);

        Assert.Equal(["uploads/u1", "uploads/u2"], await ListSortedAsync("uploads"));
        Assert.Equal(["uploads/u1/data", "uploads/u1/info", "uploads/u1/parts"], await ListSortedAsync("uploads/u1"));
        Assert.Equal(["uploads/u1/parts/p1"], await ListSortedAsync("uploads/u1/parts"));
    }

    [Fact]
    public async Task List_EmptyDriverRoot_ReturnsEmpty()
    {
        Assert.Empty(await ListSortedAsync(string.Empty));
    }

    [Fact]
    public async Task List_MissingDirectory_ReturnsEmpty()
    {
        Assert.Empty(await ListSortedAsync("missing"));
    }

    [Fact]
    public async Task List_File_ReturnsEmpty()
    {
        await Driver.PutContentAsync("f", Bytes("x"), None);

        Assert.Empty(await ListSortedAsync("f"));
    }

    // Path validation

    [Theory]
    [MemberData(nameof(InvalidPaths))]
    public async Task AllMethods_InvalidPath_ThrowArgumentException(string path)
    {
        await Driver.PutContentAsync("valid", Bytes("x"), None);

        await Assert.ThrowsAnyAsync<ArgumentException>(() => Driver.StatAsync(path, None));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Driver.OpenReadAsync(path, 0, None));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Driver.OpenWriterAsync(path, append: false, None));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Driver.OpenWriterAsync(path, append: true, None));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Driver.GetContentAsync(path, None));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Driver.PutContentAsync(path, Bytes("x"), None));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Driver.MoveAsync(path, "valid2", None));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Driver.MoveAsync("valid", path, None));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Driver.DeleteAsync(path, None));
        if (path.Length != 0)
        {
            // "" is the one valid directory for listing: the root. Validation is eager, before enumeration.
            Assert.ThrowsAny<ArgumentException>(() => Driver.ListAsync(path, None));
        }

        // Nothing was touched.
        Assert.Equal(["valid"], await ListSortedAsync(string.Empty));
        Assert.Equal(Bytes("x"), await Driver.GetContentAsync("valid", None));
    }

    [Fact]
    public async Task AllMethods_NullPath_ThrowArgumentNullException()
    {
        await Assert.ThrowsAsync<ArgumentNullException>(() => Driver.StatAsync(null!, None));
        await Assert.ThrowsAsync<ArgumentNullException>(() => Driver.OpenReadAsync(null!, 0, None));
        await Assert.ThrowsAsync<ArgumentNullException>(() => Driver.OpenWriterAsync(null!, append: false, None));
        await Assert.ThrowsAsync<ArgumentNullException>(() => Driver.GetContentAsync(null!, None));
        await Assert.ThrowsAsync<ArgumentNullException>(() => Driver.PutContentAsync(null!, Bytes("x"), None));
        await Assert.ThrowsAsync<ArgumentNullException>(() => Driver.MoveAsync(null!, "x", None));
        await Assert.ThrowsAsync<ArgumentNullException>(() => Driver.DeleteAsync(null!, None));
        await Assert.ThrowsAsync<ArgumentNullException>(() => Driver.DeleteFilesAsync(null!, None));
        await Assert.ThrowsAsync<ArgumentNullException>(() => Driver.DeleteFilesAsync([null!], None));
        Assert.Throws<ArgumentNullException>(() => Driver.ListAsync(null!, None));
    }

    protected static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    protected async Task<List<string>> ListSortedAsync(string directory)
    {
        var entries = new List<string>();
        await foreach (var entry in Driver.ListAsync(directory, None))
        {
            entries.Add(entry);
        }

        entries.Sort(StringComparer.Ordinal);
        return entries;
    }

    private static async Task<byte[]> ReadAllAsync(Stream stream)
    {
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer);
        return buffer.ToArray();
    }

    private static byte[] RandomBytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private static byte[] Filled(int length, byte value)
    {
        var bytes = new byte[length];
        bytes.AsSpan().Fill(value);
        return bytes;
    }
}
