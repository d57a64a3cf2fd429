using System.Buffers;
using System.Security.Cryptography;
using Dockyard.Registry.Coordination;
using Dockyard.Registry.Errors;
using Dockyard.Registry.Events;
using Dockyard.Registry.Metadata;
using Dockyard.Registry.Policies;
using Dockyard.Registry.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Dockyard.Registry.Content;

/// <summary>
/// Blob upload sessions: start, append chunks, report status, complete, cancel, expire.
/// </summary>
/// <remarks>
/// Invariants: bytes stream straight from the request to the upload's data file while being hashed
/// (never buffered whole); a session's state is its info file plus its data file's size, so it
/// survives restarts and can be continued by any replica; a blob becomes visible only after its
/// digest and size are verified, the data is fsynced, and it is atomically renamed into place.
/// </remarks>
public sealed partial class UploadService
{
    private const int CopyBufferSize = 256 * 1024;

    private readonly IStorageDriver _storage;
    private readonly IBlobIndex _index;
    private readonly IRegistryEventSink _events;
    private readonly TimeProvider _time;
    private readonly RegistryOptions _options;
    private readonly ILogger<UploadService> _logger;
    private readonly IRegistryWritePolicy _policy;
    private readonly IRegistryLocks _locks;
    private readonly UploadHasherCache _hashers = new();

    public UploadService(
        IStorageDriver storage,
        IBlobIndex index,
        IRegistryEventSink events,
        IRegistryLocks locks,
        TimeProvider time,
        IOptions<RegistryOptions> options,
        ILogger<UploadService> logger,
        IRegistryWritePolicy policy)
    {
        _policy = policy;
        _storage = storage;
        _index = index;
        _events = events;
        _locks = locks;
        _time = time;
        _options = options.Value;
        _logger = logger;
    }

    public async Task<UploadStatus> StartAsync(RepositoryName repository, CancellationToken cancellationToken)
    {
        var id = Guid.CreateVersion7().ToString("D");
        var startedAt = _time.GetUtcNow();
        try
        {
            // Not fsynced (three of a small blob's fsyncs were here): a session lost to a power cut is one the client starts
            // again (BLOB_UPLOAD_UNKNOWN), as it must for chunks that were not fsynced either; a process crash loses nothing.
            await _storage.PutContentVolatileAsync(StoragePaths.UploadInfo(id), new UploadInfo(repository.Value, startedAt, startedAt).Serialize(), cancellationToken);
        }
        catch (Exception error) when (StorageFull.IsOutOfSpace(error))
        {
            await DiscardAsync(id);
            throw;
        }

        return new UploadStatus(id, repository, 0, startedAt);
    }

    public async Task<UploadStatus> GetStatusAsync(RepositoryName repository, string uploadId, CancellationToken cancellationToken) =>
        (await LoadSessionAsync(repository, uploadId, cancellationToken)).Status;

    /// <summary>
    /// Appends one chunk. <paramref name="rangeStart"/> (from Content-Range) must equal the bytes received so
    /// far; <paramref name="expectedLength"/> (from Content-Range or Content-Length) must match what arrives.
    /// </summary>
    public async Task<UploadStatus> AppendAsync(
        RepositoryName repository,
        string uploadId,
        Stream body,
        long? rangeStart,
        long? expectedLength,
        CancellationToken cancellationToken)
    {
        await using var held = await LockAsync(uploadId, cancellationToken);
        var (info, status) = await LoadSessionAsync(repository, uploadId, cancellationToken);
        CheckRange(status, rangeStart);

        var hasher = await TakeHasherAsync(uploadId, status.Size, cancellationToken);
        long size;
        try
        {
            await using var writer = await _storage.OpenWriterAsync(StoragePaths.UploadData(uploadId), append: true, cancellationToken);
            size = await AppendCoreAsync(writer, hasher, body, status.Size, expectedLength, cancellationToken);
        }
        catch (Exception error) when (StorageFull.IsOutOfSpace(error))
        {
            // Out of space: the session and whatever arrived are deleted now, not at expiry, or a retry fills the disk again.
            hasher.Dispose();
            await DiscardAsync(uploadId);
            throw;
        }
        catch
        {
            // Whatever arrived stays (the client resumes from the reported offset); the hasher no longer matches it.
            hasher.Dispose();
            throw;
        }

        _hashers.Put(uploadId, hasher, size);

        // The activity stamp is rewritten at most once per 1 % of the expiry, not per chunk: rewriting it is an fsync,
        // and on ext4 (data=ordered) that fsync also waited for the chunk just written (chunked pushes ~17 % slower).
        var now = _time.GetUtcNow();
        if (now - info.LastActivityAt >= _options.UploadExpiry / 100)
        {
            await _storage.PutContentAsync(StoragePaths.UploadInfo(uploadId), (info with { LastActivityAt = now }).Serialize(), cancellationToken);
        }

        return status with { Size = size };
    }

    /// <summary>
    /// Appends an optional last chunk, verifies the digest, makes the blob durable and visible, links it
    /// into the repository and ends the session. A digest mismatch discards the upload.
    /// </summary>
    public async Task<Descriptor> CompleteAsync(
        RepositoryName repository,
        string uploadId,
        Digest digest,
        Stream? body,
        long? rangeStart,
        long? expectedLength,
        CancellationToken cancellationToken)
    {
        await using var held = await LockAsync(uploadId, cancellationToken);
        var (info, status) = await LoadSessionAsync(repository, uploadId, cancellationToken);
        var dataPath = StoragePaths.UploadData(uploadId);
        if (info.Completing is not null && await _storage.StatAsync(dataPath, cancellationToken) is null)
        {
            // A completion that died after moving the bytes (nginx re-sent its PUT here): finish it.
            return await FinishMovedAsync(repository, uploadId, info.Completing, digest, cancellationToken);
        }

        CheckRange(status, rangeStart);
        var hasher = await TakeHasherAsync(uploadId, status.Size, cancellationToken);
        long size;
        byte[] hash;
        try
        {
            var writer = await _storage.OpenWriterAsync(dataPath, append: true, cancellationToken);
            await using (writer)
            {
                size = body is null
                    ? status.Size
                    : await AppendCoreAsync(writer, hasher, body, status.Size, expectedLength, cancellationToken);
                await writer.CommitAsync(cancellationToken);
            }

            hash = hasher.GetHashAndReset();
        }
        catch (Exception error) when (StorageFull.IsOutOfSpace(error))
        {
            await DiscardAsync(uploadId);
            throw;
        }
        finally
        {
            hasher.Dispose();
        }

        var actual = digest.Algorithm == DigestAlgorithm.Sha256
            ? Digest.FromHash(DigestAlgorithm.Sha256, hash)
            : await HashStoredAsync(dataPath, digest.Algorithm, cancellationToken);
        if (actual != digest)
        {
            await _storage.DeleteAsync(StoragePaths.UploadDirectory(uploadId), cancellationToken);
            throw new RegistryException(
                RegistryErrorCode.DigestInvalid,
                "The uploaded content does not match the digest given; the upload was discarded.",
                new { expected = digest.Value, actual = actual.Value });
        }

        // Garbage-collection protocol: reserve the digest before its bytes reach the blob path, so a collection that is
        // deleting the same content finishes first, and one that has not started yet sees it as recent and keeps it.
        await BlobReservation.ReserveAsync(_index, _time, digest, size, cancellationToken);

        // Admitted (quota) only now that the size is proven; a refused upload is discarded, never made a blob.
        IAsyncDisposable? admitted;
        try
        {
            admitted = await _policy.AdmitContentAsync(repository, digest, size, cancellationToken);
        }
        catch (RegistryException)
        {
            await _storage.DeleteAsync(StoragePaths.UploadDirectory(uploadId), cancellationToken);
            throw;
        }

        await using (admitted)
        {
            // The info records the verified digest before the bytes move: a replica that dies between the move and the
            // clean-up leaves a session whose data is gone, and a retried PUT (nginx re-sends it to another replica)
            // must neither complete it as an empty upload (DIGEST_INVALID) nor call it unknown (docker 20.10 does not
            // start the layer over then: the push fails). It finishes the link (FinishMovedAsync) instead.
            await _storage.PutContentAsync(StoragePaths.UploadInfo(uploadId), (info with { Completing = digest.Value }).Serialize(), cancellationToken);
            try
            {
                await _storage.MoveAsync(dataPath, StoragePaths.Blob(digest), cancellationToken);
            }
            catch (Exception error) when (StorageFull.IsOutOfSpace(error))
            {
                // The blob's directory could not be created: the session has ended, its bytes go too.
                await DiscardAsync(uploadId);
                throw;
            }

            return await LinkAndEndAsync(repository, uploadId, digest, size, cancellationToken);
        }
    }

    /// <summary>
    /// The rest of a completion whose bytes already moved to <paramref name="completing"/>'s blob path (verified against
    /// that digest before the move). Only the same digest finishes it; the blob must still be there after a fresh
    /// reservation (a collection that deleted it in between makes the session unknown: the client uploads again).
    /// </summary>
    private async Task<Descriptor> FinishMovedAsync(RepositoryName repository, string uploadId, string completing, Digest digest, CancellationToken cancellationToken)
    {
        _hashers.Remove(uploadId);
        if (!string.Equals(completing, digest.Value, StringComparison.Ordinal))
        {
            throw UnknownUpload(uploadId);
        }

        var stored = await _storage.StatAsync(StoragePaths.Blob(digest), cancellationToken) ?? throw UnknownUpload(uploadId);
        await BlobReservation.ReserveAsync(_index, _time, digest, stored.Size, cancellationToken);
        if (await _storage.StatAsync(StoragePaths.Blob(digest), cancellationToken) is null)
        {
            throw UnknownUpload(uploadId);
        }

        await using (await _policy.AdmitContentAsync(repository, digest, stored.Size, cancellationToken))
        {
            return await LinkAndEndAsync(repository, uploadId, digest, stored.Size, cancellationToken);
        }
    }

    /// <summary>
    /// Links the stored blob into the repository, then ends the session (link first: a crash between the two leaves a
    /// session a retry finishes), and announces the blob.
    /// </summary>
    private async Task<Descriptor> LinkAndEndAsync(RepositoryName repository, string uploadId, Digest digest, long size, CancellationToken cancellationToken)
    {
        if (!await _index.LinkBlobAsync(repository, digest, size, cancellationToken))
        {
            // Only possible when the grace period is shorter than this request: a collection marked it after our reservation.
            throw BlobReservation.Collecting(digest);
        }

        await _storage.DeleteAsync(StoragePaths.UploadDirectory(uploadId), cancellationToken);
        _events.Publish(new BlobStored { Repository = repository, OccurredAt = _time.GetUtcNow(), Digest = digest, Size = size });
        return new Descriptor { MediaType = MediaTypes.OctetStream, Digest = digest, Size = size };
    }

    public async Task CancelAsync(RepositoryName repository, string uploadId, CancellationToken cancellationToken)
    {
        await using var held = await LockAsync(uploadId, cancellationToken);
        await LoadInfoAsync(repository, uploadId, cancellationToken);
        _hashers.Remove(uploadId);
        await _storage.DeleteAsync(StoragePaths.UploadDirectory(uploadId), cancellationToken);
    }

    /// <summary>
    /// Deletes a session that ran out of space, with its bytes. Not cancellable: the client may have hung up, the
    /// space must still be freed. A failure to delete is logged; the expiry purge removes what is left.
    /// </summary>
    private async Task DiscardAsync(string uploadId)
    {
        _hashers.Remove(uploadId);
        try
        {
            await _storage.DeleteAsync(StoragePaths.UploadDirectory(uploadId), CancellationToken.None);
            LogDiscarded(uploadId);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            LogDiscardFailed(uploadId, error.Message);
        }
    }

    /// <summary>Deletes sessions whose last activity is older than the configured expiry. Returns how many were removed.</summary>
    public async Task<int> PurgeExpiredAsync(CancellationToken cancellationToken)
    {
        var cutoff = _time.GetUtcNow() - _options.UploadExpiry;
        var purged = 0;
        await foreach (var directory in _storage.ListAsync(StoragePaths.UploadsRoot, cancellationToken))
        {
            var uploadId = directory[(directory.LastIndexOf('/') + 1)..];
            if (!Guid.TryParseExact(uploadId, "D", out _))
            {
                continue; // not a session of ours
            }

            if (!await IsExpiredAsync(directory, uploadId, cutoff, cancellationToken))
            {
                continue;
            }

            // Decide again under the session's lock: a chunk that was streaming while we looked has refreshed it.
            await using var held = await LockAsync(uploadId, cancellationToken);
            if (!await IsExpiredAsync(directory, uploadId, cutoff, cancellationToken))
            {
                continue;
            }

            _hashers.Remove(uploadId);
            if (await _storage.DeleteAsync(directory, cancellationToken))
            {
                purged++;
            }
        }

        if (purged > 0)
        {
            LogPurged(purged);
        }

        return purged;
    }

    private async Task<bool> IsExpiredAsync(string directory, string uploadId, DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        var infoBytes = await _storage.GetContentAsync(StoragePaths.UploadInfo(uploadId), cancellationToken);
        var info = infoBytes is null ? null : UploadInfo.TryDeserialize(infoBytes);
        // The info file's own stamp when readable: the same clock as the cutoff. Without one, the data
        // file's mtime is the only evidence of activity left.
        var lastActivity = info?.LastActivityAt
            ?? (await _storage.StatAsync(StoragePaths.UploadData(uploadId), cancellationToken))?.ModifiedAt;
        if (lastActivity is not null)
        {
            return lastActivity < cutoff;
        }

        // An upload being started right now may not have its info file yet; the directory's own age protects it.
        var directoryInfo = await _storage.StatAsync(directory, cancellationToken);
        return directoryInfo is null || directoryInfo.ModifiedAt < cutoff;
    }

    /// <summary>Holds the session against concurrent requests on this or any other replica (see <see cref="IRegistryLocks"/>).</summary>
    private ValueTask<IAsyncDisposable> LockAsync(string uploadId, CancellationToken cancellationToken)
    {
        // The id comes from a URL and becomes a lock key and a storage path: accept only the GUIDs we hand out.
        if (!Guid.TryParseExact(uploadId, "D", out _))
        {
            throw UnknownUpload(uploadId);
        }

        return _locks.AcquireAsync("upload:" + uploadId, cancellationToken);
    }

    private static void CheckRange(UploadStatus status, long? rangeStart)
    {
        if (rangeStart is { } start && start != status.Size)
        {
            throw new RegistryException(
                RegistryErrorCode.RangeInvalid,
                $"Chunk starts at byte {start} but the upload has {status.Size} bytes; send the chunk starting at {status.Size}.",
                new { expectedOffset = status.Size, receivedOffset = start });
        }
    }

    private async Task<(UploadInfo Info, UploadStatus Status)> LoadSessionAsync(RepositoryName repository, string uploadId, CancellationToken cancellationToken)
    {
        var info = await LoadInfoAsync(repository, uploadId, cancellationToken);
        var data = await _storage.StatAsync(StoragePaths.UploadData(uploadId), cancellationToken);
        return (info, new UploadStatus(uploadId, repository, data?.Size ?? 0, info.StartedAt));
    }

    private async Task<UploadInfo> LoadInfoAsync(RepositoryName repository, string uploadId, CancellationToken cancellationToken)
    {
        // The id comes from a URL and becomes a storage path: accept only the GUIDs we hand out.
        if (!Guid.TryParseExact(uploadId, "D", out _))
        {
            throw UnknownUpload(uploadId);
        }

        var bytes = await _storage.GetContentAsync(StoragePaths.UploadInfo(uploadId), cancellationToken);
        var info = bytes is null ? null : UploadInfo.TryDeserialize(bytes);
        if (info is null || !string.Equals(info.Repository, repository.Value, StringComparison.Ordinal))
        {
            throw UnknownUpload(uploadId);
        }

        return info;
    }

    private static RegistryException UnknownUpload(string uploadId) =>
        new(RegistryErrorCode.BlobUploadUnknown, "No such upload session; it may have completed, been cancelled, or expired.", new { uploadId });

    private async Task<IncrementalHash> TakeHasherAsync(string uploadId, long offset, CancellationToken cancellationToken)
    {
        var hasher = _hashers.Take(uploadId, offset);
        if (hasher is not null)
        {
            return hasher;
        }

        hasher = Digest.CreateHasher(DigestAlgorithm.Sha256);
        if (offset > 0)
        {
            LogRehash(uploadId, offset);
            await HashPrefixAsync(StoragePaths.UploadData(uploadId), hasher, offset, cancellationToken);
        }

        return hasher;
    }

    private async Task HashPrefixAsync(string path, IncrementalHash hasher, long length, CancellationToken cancellationToken)
    {
        await using var stream = await _storage.OpenReadAsync(path, 0, cancellationToken)
            ?? throw new InvalidOperationException($"Upload data '{path}' vanished while in use.");
        var buffer = ArrayPool<byte>.Shared.Rent(CopyBufferSize);
        try
        {
            var remaining = length;
            while (remaining > 0)
            {
                var read = await stream.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, remaining)), cancellationToken);
                if (read == 0)
                {
                    throw new InvalidOperationException($"Upload data '{path}' is shorter than its recorded size.");
                }

                hasher.AppendData(buffer, 0, read);
                remaining -= read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task<Digest> HashStoredAsync(string path, DigestAlgorithm algorithm, CancellationToken cancellationToken)
    {
        using var hasher = Digest.CreateHasher(algorithm);
        var info = await _storage.StatAsync(path, cancellationToken);
        await HashPrefixAsync(path, hasher, info?.Size ?? 0, cancellationToken);
        return Digest.FromHash(algorithm, hasher.GetHashAndReset());
    }

    private static async Task<long> AppendCoreAsync(
        IStorageWriter writer,
        IncrementalHash hasher,
        Stream body,
        long startSize,
        long? expectedLength,
        CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(CopyBufferSize);
        long received = 0;
        try
        {
            int read;
            while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
            {
                received += read;
                if (expectedLength is { } limit && received > limit)
                {
                    throw LengthMismatch(limit, received);
                }

                hasher.AppendData(buffer, 0, read);
                await writer.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        if (expectedLength is { } expected && received != expected)
        {
            throw LengthMismatch(expected, received);
        }

        return startSize + received;
    }

    private static RegistryException LengthMismatch(long expected, long received) =>
        new(RegistryErrorCode.SizeInvalid, $"The request declared {expected} bytes but carried {(received > expected ? "more" : received.ToString(System.Globalization.CultureInfo.InvariantCulture))}.", new { expected });

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Purged {Count} expired upload sessions")]
    private partial void LogPurged(int count);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Debug, Message = "Re-hashing {Offset} stored bytes of upload {UploadId}")]
    private partial void LogRehash(string uploadId, long offset);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Warning, Message = "Storage full: upload {UploadId} and its bytes were discarded")]
    private partial void LogDiscarded(string uploadId);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Error, Message = "Storage full: upload {UploadId} could not be discarded ({Reason}); the upload purge removes it at expiry")]
    private partial void LogDiscardFailed(string uploadId, string reason);
}
