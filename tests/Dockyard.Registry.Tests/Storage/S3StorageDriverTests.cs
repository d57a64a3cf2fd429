using System.Diagnostics;
using Amazon.S3.Model;
using Dockyard.Registry.Storage;
using Dockyard.Registry.Storage.S3;
using Dockyard.Tests.Shared;
using Xunit.Abstractions;

namespace Dockyard.Registry.Tests.Storage;

/// <summary>The conformance suite against a real Ceph RGW, each test under its own key prefix in a shared bucket.</summary>
[Collection(CephRgwCollection.Name)]
public sealed class S3StorageDriverTests(CephRgwFixture ceph, ITestOutputHelper output) : StorageDriverConformanceTests, IAsyncLifetime
{
    private static readonly SemaphoreSlim BucketLock = new(1, 1);
    private static string? _bucket;
    private readonly string _prefix = "t-" + Guid.NewGuid().ToString("N")[..12] + "/";
    private readonly List<S3StorageDriver> _drivers = [];

    public async Task InitializeAsync()
    {
        await BucketLock.WaitAsync();
        try
        {
            _bucket ??= await ceph.CreateBucketAsync();
        }
        finally
        {
            BucketLock.Release();
        }
    }

    public async Task DisposeAsync()
    {
        // memstore keeps everything in RAM: leave nothing behind.
        var keys = new List<string>();
        var request = new ListObjectsV2Request { BucketName = _bucket, Prefix = _prefix };
        ListObjectsV2Response response;
        do
        {
            response = await ceph.Client.ListObjectsV2Async(request);
            keys.AddRange((response.S3Objects ?? []).Select(o => o.Key));
            request.ContinuationToken = response.NextContinuationToken;
        }
        while (response.IsTruncated == true);

        foreach (var batch in keys.Chunk(1000))
        {
            await ceph.Client.DeleteObjectsAsync(new DeleteObjectsRequest { BucketName = _bucket, Quiet = true, Objects = [.. batch.Select(k => new KeyVersion { Key = k })] });
        }

        foreach (var driver in _drivers)
        {
            driver.Dispose();
        }
    }

    protected override IStorageDriver CreateDriver() => NewDriver(S3StorageOptions.MinimumPartSize);

    [Fact]
    public async Task Writer_DisposeWithoutCommit_LeavesNoMultipartUploadAndStoresSegments()
    {
        var driver = NewDriver(S3StorageOptions.MinimumPartSize);
        await using (var writer = await driver.OpenWriterAsync("uploads/u/data", append: true, CancellationToken.None))
        {
            await writer.WriteAsync(new byte[(6 * 1024 * 1024) + 5], CancellationToken.None);
        }

        var uploads = await ceph.Client.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = _bucket, Prefix = _prefix });
        Assert.Empty(uploads.MultipartUploads ?? []);
        var keys = (await ceph.Client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = _bucket, Prefix = _prefix + "uploads/u/" })).S3Objects.Select(o => o.Key[_prefix.Length..]).ToList();
        Assert.Equal(2, keys.Count);
        Assert.Contains("uploads/u/data" + S3StorageDriver.WriterMarker, keys);
        Assert.Equal(["uploads/u/data"], await ListSortedAsync("uploads/u"));
    }

    [Fact]
    public async Task Writer_PathWithReservedMarker_ThrowsArgumentException()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Driver.OpenWriterAsync("a" + S3StorageDriver.WriterMarker, append: true, CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => Driver.PutContentAsync("x" + S3StorageDriver.WriterMarker + "/y", new byte[1], CancellationToken.None));
    }

    [Fact]
    public async Task Commit_CompletesOneObjectWithExactSize()
    {
        var data = new byte[(11 * 1024 * 1024) + 123];
        new Random(7).NextBytes(data);
        await using (var writer = await Driver.OpenWriterAsync("blob", append: false, CancellationToken.None))
        {
            await writer.WriteAsync(data, CancellationToken.None);
            await writer.CommitAsync(CancellationToken.None);
        }

        var head = await ceph.Client.GetObjectMetadataAsync(_bucket, _prefix + "blob");
        Assert.Equal(data.Length, head.ContentLength);
        Assert.Equal(["blob"], await ListSortedAsync(string.Empty));
    }

    [Fact]
    public async Task Compose_ObjectLargerThanMaximumCopy_SplitsIntoRangedPartCopies()
    {
        // The > 5 GiB path (multipart copy in ranges) with a 12 MiB limit instead, so it runs in memory: 2 ranges of 6.5 MiB.
        var data = new byte[(13 * 1024 * 1024) + 1];
        new Random(21).NextBytes(data);
        await Driver.PutContentAsync("big", data, CancellationToken.None);
        var composer = new S3Composer(ceph.Client, _bucket!, maxConcurrency: 4, maximumPartSize: 12 * 1024 * 1024);

        await composer.ComposeAsync([S3Piece.Object(_prefix + "big", data.Length), S3Piece.Memory("tail"u8.ToArray())], _prefix + "copy", CancellationToken.None);

        byte[] expected = [.. data, .. "tail"u8.ToArray()];
        Assert.Equal(expected, await Driver.GetContentAsync("copy", CancellationToken.None));
        var head = await ceph.Client.GetObjectMetadataAsync(_bucket, _prefix + "copy");
        Assert.EndsWith("-3", head.ETag.Trim('"'), StringComparison.Ordinal); // two ranged copies and the tail
    }

    [Fact]
    public async Task PresignedUrl_WhenEnabled_ServesTheObject()
    {
        var driver = NewDriver(S3StorageOptions.MinimumPartSize, redirect: true);
        await driver.PutContentAsync("blobs/x", "presigned"u8.ToArray(), CancellationToken.None);

        var url = await driver.GetReadUrlAsync("blobs/x", CancellationToken.None);

        Assert.NotNull(url);
        using var http = new HttpClient();
        Assert.Equal("presigned", await http.GetStringAsync(url));
        Assert.Null(await NewDriver(S3StorageOptions.MinimumPartSize).GetReadUrlAsync("blobs/x", CancellationToken.None));
    }

    /// <summary>Not a timed assertion: prints how long a GC-sized batch delete takes, to extrapolate to 100,000 blobs.</summary>
    [Fact]
    public async Task DeleteFiles_TenThousandObjects_DeletesAllAndReportsTime()
    {
        const int count = 10_000;
        var paths = Enumerable.Range(0, count).Select(i => $"blobs/sha256/{i % 256:x2}/{i:x8}").ToList();
        var put = Stopwatch.StartNew();
        await Parallel.ForEachAsync(paths, new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (path, token) =>
            await ceph.Client.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = _prefix + path, ContentBody = "x" }, token));
        put.Stop();

        var delete = Stopwatch.StartNew();
        await Driver.DeleteFilesAsync([.. paths, "blobs/sha256/00/missing"], CancellationToken.None);
        delete.Stop();

        Assert.Empty(await ListSortedAsync("blobs/sha256"));
        output.WriteLine($"PUT {count} objects (32 parallel, test setup): {put.Elapsed.TotalSeconds:F1} s; DeleteFilesAsync of {count}: {delete.Elapsed.TotalSeconds:F1} s");
    }

    private S3StorageDriver NewDriver(long partSize, bool redirect = false)
    {
        var driver = new S3StorageDriver(
            new S3StorageOptions
            {
                Endpoint = ceph.Endpoint,
                Bucket = _bucket!,
                Prefix = _prefix,
                AccessKey = ceph.AccessKey,
                SecretKey = ceph.SecretKey,
                ForcePathStyle = true,
                PartSize = partSize,
                RedirectBlobDownloads = redirect,
            },
            TimeProvider.System);
        _drivers.Add(driver);
        return driver;
    }
}
