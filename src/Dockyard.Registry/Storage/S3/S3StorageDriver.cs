using System.Globalization;
using System.Net;
using Amazon.S3;
using Amazon.S3.Model;

namespace Dockyard.Registry.Storage.S3;

/// <summary>
/// Stores files as objects in one S3 bucket (AWS S3, Ceph RGW, MinIO, …) under an optional key prefix.
/// </summary>
/// <remarks>
/// <para>Layout: the committed file at path <c>p</c> is the object <c>{prefix}p</c> ("K"). Directories are implicit
/// (a key below <c>p/</c>). An append writer that has not committed keeps its bytes next to K:</para>
/// <code>
/// {prefix}p                                         K: the committed file
/// {prefix}p.~dockyard-writer                        S: state object — segment sizes + the tail bytes (&lt; 5 MiB)
/// {prefix}p.~dockyard-writer.{generation}.000001    segment objects, PartSize bytes each (≥ 5 MiB)
/// </code>
/// <para>Invariants:</para>
/// <list type="bullet">
/// <item>K wins: when K exists it is the file; S and segments describe the file only while K is absent. Every
/// step keeps this true: a writer converting K into S writes S (same bytes) before deleting K; commit composes K
/// before deleting S; a put or move onto p writes K, leaving any S stale but shadowed.</item>
/// <item>An uncommitted file's size is the sum of its segments plus its tail, recorded in S's metadata, so Stat is
/// one HEAD; its bytes are readable by offset (segments, then tail), so an upload's digest can be recomputed by any
/// replica. S is replaced whole by one PutObject, so the segment list and the tail never disagree.</item>
/// <item>Every segment is ≥ 5 MiB and written once under a name unique to the writer's generation, so commit can
/// turn segments into multipart parts server-side (UploadPartCopy) and upload the tail as the last part.
/// Segments beyond S's list (a writer that died between flushing and saving S) are overwritten or deleted later.</item>
/// <item>No multipart upload outlives one Commit or Move call; a failed one is aborted. Only a crash inside such a
/// call leaves one behind, which a bucket lifecycle rule cleans up (docs/operations.md).</item>
/// <item>A move is CopyObject (multipart copy above 5 GiB) then delete: the destination is replaced atomically.
/// Readers hold an open response pinned to an ETag, so they see the old or the whole new object.</item>
/// <item>One writer per path at a time; the upload protocol serializes chunks of one upload.</item>
/// </list>
/// Paths containing <c>.~dockyard-writer</c> are reserved and rejected.
/// </remarks>
public sealed class S3StorageDriver : IStorageDriver, IPresignedUrlSource, IDisposable
{
    /// <summary>DeleteObjects accepts at most this many keys per request.</summary>
    internal const int DeleteBatchSize = 1000;

    internal const string WriterMarker = ".~dockyard-writer";
    internal const string SizeMetadata = "x-amz-meta-dockyard-size";

    private readonly IAmazonS3 _client;
    private readonly bool _ownsClient;
    private readonly S3StorageOptions _options;
    private readonly TimeProvider _time;
    private readonly string _bucket;
    private readonly string _prefix;
    private readonly S3Composer _composer;

    /// <summary>Creates the driver with its own S3 client built from <paramref name="options"/>.</summary>
    /// <exception cref="ArgumentException">The options are invalid (see <see cref="S3StorageOptions.Validate"/>).</exception>
    public S3StorageDriver(S3StorageOptions options, TimeProvider timeProvider)
        : this(S3ClientFactory.Create(options), options, timeProvider, ownsClient: true)
    {
    }

    internal S3StorageDriver(IAmazonS3 client, S3StorageOptions options, TimeProvider timeProvider, bool ownsClient)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        if (options.Validate() is { Count: > 0 } errors)
        {
            throw new ArgumentException(string.Join(" ", errors), nameof(options));
        }

        _client = client;
        _ownsClient = ownsClient;
        _options = options;
        _time = timeProvider;
        _bucket = options.Bucket;
        _prefix = NormalizePrefix(options.Prefix);
        _composer = new S3Composer(client, _bucket, options.MaxConcurrency);
    }

    internal IAmazonS3 Client => _client;

    /// <summary>The bucket this driver stores in.</summary>
    public string BucketName => _bucket;

    internal S3StorageOptions Options => _options;

    internal S3Composer Composer => _composer;

    /// <summary>Creates the bucket when <see cref="S3StorageOptions.CreateBucket"/> is set and it is missing; otherwise checks that it is reachable.</summary>
    /// <exception cref="InvalidOperationException">The bucket does not exist (and may not be created) or cannot be reached.</exception>
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = _bucket, MaxKeys = 1, Prefix = _prefix }, cancellationToken);
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.NotFound && _options.CreateBucket)
        {
            try
            {
                await _client.PutBucketAsync(new PutBucketRequest { BucketName = _bucket }, cancellationToken);
            }
            catch (AmazonS3Exception created) when (created.ErrorCode is "BucketAlreadyOwnedByYou" or "BucketAlreadyExists")
            {
                // Another replica won the race.
            }
        }
        catch (AmazonS3Exception ex)
        {
            throw new InvalidOperationException($"S3 bucket '{_bucket}' is not usable: {(int)ex.StatusCode} {ex.ErrorCode} {ex.Message}".TrimEnd(), ex);
        }
    }

    /// <inheritdoc />
    public async Task<StorageFileInfo?> StatAsync(string path, CancellationToken cancellationToken)
    {
        var key = Key(path);
        if (await S3Requests.HeadAsync(_client, _bucket, key, cancellationToken) is { } head)
        {
            return new StorageFileInfo(path, head.ContentLength, ModifiedAt(head.LastModified), IsDirectory: false);
        }

        if (await S3Requests.HeadAsync(_client, _bucket, key + WriterMarker, cancellationToken) is { } state
            && long.TryParse(state.Metadata[SizeMetadata], NumberStyles.None, CultureInfo.InvariantCulture, out var size))
        {
            return new StorageFileInfo(path, size, ModifiedAt(state.LastModified), IsDirectory: false);
        }

        var child = await S3Listing.FirstObjectAsync(_client, _bucket, key + "/", cancellationToken);
        return child is null ? null : new StorageFileInfo(path, 0, ModifiedAt(child.LastModified), IsDirectory: true);
    }

    /// <inheritdoc />
    public async Task<Stream?> OpenReadAsync(string path, long offset, CancellationToken cancellationToken)
    {
        var key = Key(path);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);

        // Open the response now: the caller owns these bytes even if the object is replaced or deleted next.
        var request = new GetObjectRequest { BucketName = _bucket, Key = key };
        if (offset > 0)
        {
            request.ByteRange = new ByteRange($"bytes={offset.ToString(CultureInfo.InvariantCulture)}-");
        }

        try
        {
            var response = await _client.GetObjectAsync(request, cancellationToken);
            var length = offset > 0 ? TotalLength(response) : response.ContentLength;
            return new S3ReadStream(_client, _bucket, [S3Piece.Object(key, length, response.ETag)], offset, response);
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
        {
            // The offset is at or past the end.
            if (await S3Requests.HeadAsync(_client, _bucket, key, cancellationToken) is { } head)
            {
                ThrowIfBeyond(path, offset, head.ContentLength);
                return new S3ReadStream(_client, _bucket, [S3Piece.Object(key, head.ContentLength, head.ETag)], offset, openResponse: null);
            }
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            // Not committed; maybe an uncommitted writer's file.
        }

        if (await LoadStateAsync(key, cancellationToken) is not { } state)
        {
            return null;
        }

        ThrowIfBeyond(path, offset, state.Size);
        return new S3ReadStream(_client, _bucket, Pieces(key, state), offset, openResponse: null);
    }

    /// <inheritdoc />
    public async Task<IStorageWriter> OpenWriterAsync(string path, bool append, CancellationToken cancellationToken)
    {
        var key = Key(path);
        if (!append)
        {
            await EnsureCanCreateFileAsync(path, cancellationToken);
            await DeleteFileKeysAsync(key, cancellationToken);
            return new S3StorageWriter(this, key, S3WriterState.Empty(), isNew: true);
        }

        if (await S3Requests.HeadAsync(_client, _bucket, key, cancellationToken) is { } head)
        {
            return new S3StorageWriter(this, key, await ConvertCommittedAsync(key, head, cancellationToken), isNew: false);
        }

        if (await LoadStateAsync(key, cancellationToken) is { } state)
        {
            return new S3StorageWriter(this, key, state, isNew: false);
        }

        await EnsureCanCreateFileAsync(path, cancellationToken);
        return new S3StorageWriter(this, key, S3WriterState.Empty(), isNew: true);
    }

    /// <inheritdoc />
    public async Task<byte[]?> GetContentAsync(string path, CancellationToken cancellationToken)
    {
        var key = Key(path);
        if (await S3Requests.GetBytesAsync(_client, _bucket, key, cancellationToken) is { } bytes)
        {
            return bytes;
        }

        if (await LoadStateAsync(key, cancellationToken) is not { } state)
        {
            return null;
        }

        await using var stream = new S3ReadStream(_client, _bucket, Pieces(key, state), 0, openResponse: null);
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, cancellationToken);
        return buffer.ToArray();
    }

    /// <inheritdoc />
    public async Task PutContentAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        var key = Key(path);
        await EnsureCanCreateFileAsync(path, cancellationToken);
        await S3Requests.PutBytesAsync(_client, _bucket, key, content, metadata: null, cancellationToken);
    }

    /// <inheritdoc />
    public async Task MoveAsync(string sourcePath, string destinationPath, CancellationToken cancellationToken)
    {
        var source = Key(sourcePath, nameof(sourcePath));
        var destination = Key(destinationPath, nameof(destinationPath));

        IReadOnlyList<S3Piece> pieces;
        if (await S3Requests.HeadAsync(_client, _bucket, source, cancellationToken) is { } head)
        {
            pieces = [S3Piece.Object(source, head.ContentLength, head.ETag)];
        }
        else if (await LoadStateAsync(source, cancellationToken) is { } state)
        {
            pieces = Pieces(source, state);
        }
        else
        {
            throw new FileNotFoundException($"Cannot move '{sourcePath}': it does not exist.", sourcePath);
        }

        if (source == destination)
        {
            return;
        }

        await EnsureCanCreateFileAsync(destinationPath, cancellationToken);
        await _composer.ComposeAsync(pieces, destination, cancellationToken);
        await DeleteFileKeysAsync(source, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<bool> DeleteAsync(string path, CancellationToken cancellationToken)
    {
        var key = Key(path);
        var exists = S3Requests.HeadAsync(_client, _bucket, key, cancellationToken);
        var below = S3Listing.ListKeysAsync(_client, _bucket, key + "/", cancellationToken);
        var writer = S3Listing.ListKeysAsync(_client, _bucket, key + WriterMarker, cancellationToken);
        await Task.WhenAll(exists, below, writer);

        var keys = new List<string>(below.Result.Count + writer.Result.Count + 1);
        if (exists.Result is not null)
        {
            keys.Add(key);
        }

        keys.AddRange(writer.Result);
        keys.AddRange(below.Result);
        await S3Requests.DeleteKeysAsync(_client, _bucket, keys, cancellationToken);
        return keys.Count > 0;
    }

    /// <inheritdoc />
    /// <remarks>Existence is checked with parallel HEADs (S3's DeleteObjects reports missing keys as deleted), then the existing keys go in DeleteObjects batches of 1000 in quiet mode.</remarks>
    public async Task DeleteFilesAsync(IReadOnlyList<string> paths, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(paths);

        // Every path is validated before the first request: an invalid one deletes nothing. A "directory" path names
        // no object, and deleting a missing key is a no-op in S3, so no existence check is needed.
        var keys = paths.Select(path => Key(path, nameof(paths))).Distinct(StringComparer.Ordinal).ToList();
        await S3Requests.DeleteKeysAsync(_client, _bucket, keys, cancellationToken);
    }

    /// <inheritdoc />
    public IAsyncEnumerable<string> ListAsync(string directoryPath, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(directoryPath);
        var prefix = directoryPath.Length == 0 ? _prefix : Key(directoryPath, nameof(directoryPath)) + "/";
        var pathPrefix = directoryPath.Length == 0 ? string.Empty : directoryPath + "/";
        return S3Listing.ChildrenAsync(_client, _bucket, prefix, pathPrefix, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<Uri?> GetReadUrlAsync(string path, CancellationToken cancellationToken)
    {
        var key = Key(path);
        if (!_options.RedirectBlobDownloads)
        {
            return null;
        }

        var request = new GetPreSignedUrlRequest
        {
            BucketName = _bucket,
            Key = key,
            Verb = HttpVerb.GET,
            Expires = (_time.GetUtcNow() + _options.RedirectExpiry).UtcDateTime,
            Protocol = _options.Endpoint is { } endpoint && endpoint.StartsWith("http://", StringComparison.OrdinalIgnoreCase) ? Protocol.HTTP : Protocol.HTTPS,
        };
        return new Uri(await _client.GetPreSignedURLAsync(request));
    }

    public void Dispose()
    {
        if (_ownsClient)
        {
            _client.Dispose();
        }
    }

    internal string SegmentKey(string key, string generation, int number) =>
        string.Create(CultureInfo.InvariantCulture, $"{key}{WriterMarker}.{generation}.{number:D6}");

    internal IReadOnlyList<S3Piece> Pieces(string key, S3WriterState state)
    {
        var pieces = new List<S3Piece>(state.Segments.Count + 1);
        for (var i = 0; i < state.Segments.Count; i++)
        {
            pieces.Add(S3Piece.Object(SegmentKey(key, state.Generation, i + 1), state.Segments[i]));
        }

        pieces.Add(S3Piece.Memory(state.Tail));
        return pieces;
    }

    internal Task SaveStateAsync(string key, S3WriterState state, CancellationToken cancellationToken) =>
        S3Requests.PutBytesAsync(
            _client,
            _bucket,
            key + WriterMarker,
            state.Serialize(),
            new Dictionary<string, string> { [SizeMetadata] = state.Size.ToString(CultureInfo.InvariantCulture) },
            cancellationToken);

    /// <summary>Deletes the committed object and any writer state and segments of one file.</summary>
    internal async Task DeleteFileKeysAsync(string key, CancellationToken cancellationToken)
    {
        var keys = await S3Listing.ListKeysAsync(_client, _bucket, key + WriterMarker, cancellationToken);
        keys.Add(key);
        await S3Requests.DeleteKeysAsync(_client, _bucket, keys, cancellationToken);
    }

    private async Task<S3WriterState?> LoadStateAsync(string key, CancellationToken cancellationToken) =>
        await S3Requests.GetBytesAsync(_client, _bucket, key + WriterMarker, cancellationToken) is { } bytes ? S3WriterState.Deserialize(bytes) : null;

    /// <summary>Turns committed object K into writer state (same bytes), so appends can continue it; K is deleted last.</summary>
    private async Task<S3WriterState> ConvertCommittedAsync(string key, GetObjectMetadataResponse head, CancellationToken cancellationToken)
    {
        // Stale state left beside a newer committed file (K wins) must not leak into the new state.
        var stale = await S3Listing.ListKeysAsync(_client, _bucket, key + WriterMarker, cancellationToken);
        await S3Requests.DeleteKeysAsync(_client, _bucket, stale, cancellationToken);

        var state = S3WriterState.Empty();
        if (head.ContentLength < S3StorageOptions.MinimumPartSize)
        {
            // Small enough to become the tail (bounded by the 5 MiB minimum).
            using var response = await _client.GetObjectAsync(new GetObjectRequest { BucketName = _bucket, Key = key, EtagToMatch = head.ETag }, cancellationToken);
            var tail = new byte[head.ContentLength];
            await response.ResponseStream.ReadExactlyAsync(tail, cancellationToken);
            state = state with { Tail = tail };
        }
        else
        {
            await _composer.ComposeAsync([S3Piece.Object(key, head.ContentLength, head.ETag)], SegmentKey(key, state.Generation, 1), cancellationToken);
            state = state with { Segments = [head.ContentLength] };
        }

        await SaveStateAsync(key, state, cancellationToken);
        await _client.DeleteObjectAsync(new DeleteObjectRequest { BucketName = _bucket, Key = key }, cancellationToken);
        return state;
    }

    /// <summary>Mirrors the filesystem: a file cannot replace a directory, nor live below another file.</summary>
    private async Task EnsureCanCreateFileAsync(string path, CancellationToken cancellationToken)
    {
        var checks = new List<Task<string?>>
        {
            CheckAsync(async () => await S3Listing.FirstObjectAsync(_client, _bucket, Key(path) + "/", cancellationToken) is not null, $"Cannot create file '{path}': a directory of that name exists."),
        };
        for (var slash = path.IndexOf('/'); slash >= 0; slash = path.IndexOf('/', slash + 1))
        {
            var ancestor = path[..slash];
            checks.Add(CheckAsync(
                async () => await S3Requests.HeadAsync(_client, _bucket, Key(ancestor), cancellationToken) is not null,
                $"Cannot create file '{path}': '{ancestor}' is a file."));
        }

        foreach (var problem in await Task.WhenAll(checks))
        {
            if (problem is not null)
            {
                throw new IOException(problem);
            }
        }

        static async Task<string?> CheckAsync(Func<Task<bool>> conflict, string message) => await conflict() ? message : null;
    }

    private string Key(string path, string parameterName = "path")
    {
        try
        {
            StoragePath.Validate(path);
        }
        catch (ArgumentException ex) when (ex is not ArgumentNullException)
        {
            throw new ArgumentException(ex.Message, parameterName, ex);
        }

        if (path.Contains(WriterMarker, StringComparison.Ordinal))
        {
            throw new ArgumentException($"Invalid storage path '{path}': '{WriterMarker}' is reserved by the S3 driver.", parameterName);
        }

        return _prefix + path;
    }

    private static void ThrowIfBeyond(string path, long offset, long length)
    {
        if (offset > length)
        {
            throw new ArgumentOutOfRangeException(nameof(offset), offset, $"Offset is beyond the end of '{path}' ({length} bytes).");
        }
    }

    /// <summary>The object's full length from <c>Content-Range: bytes a-b/total</c> of a ranged GET.</summary>
    private static long TotalLength(GetObjectResponse response)
    {
        var range = response.ContentRange;
        var slash = range?.LastIndexOf('/') ?? -1;
        if (slash < 0 || !long.TryParse(range.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var total))
        {
            throw new IOException($"S3 answered a ranged GET without a usable Content-Range ('{range}').");
        }

        return total;
    }

    private static DateTimeOffset ModifiedAt(DateTime? lastModified) =>
        lastModified is { } value ? new DateTimeOffset(value.ToUniversalTime(), TimeSpan.Zero) : DateTimeOffset.UnixEpoch;

    private static string NormalizePrefix(string? prefix)
    {
        var trimmed = (prefix ?? string.Empty).Trim().TrimEnd('/');
        return trimmed.Length == 0 ? string.Empty : trimmed + "/";
    }
}
