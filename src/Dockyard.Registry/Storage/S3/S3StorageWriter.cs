using System.Buffers;

namespace Dockyard.Registry.Storage.S3;

/// <summary>
/// Appends to one file for <see cref="S3StorageDriver"/>: bytes collect in a buffer of <see cref="S3StorageOptions.PartSize"/>;
/// a full buffer becomes a segment object. Dispose saves the state object (segments + tail) so any replica can
/// resume; commit composes the segments and the tail into the committed object.
/// </summary>
/// <remarks>Memory per writer is bounded by the part size; the tail kept in the state object is below 5 MiB.</remarks>
internal sealed class S3StorageWriter : IStorageWriter
{
    private readonly S3StorageDriver _driver;
    private readonly string _key;
    private readonly string _generation;
    private readonly List<long> _segments;
    private readonly byte[] _buffer;
    private int _buffered;
    private bool _dirty;
    private bool _finished;

    /// <param name="driver">The owning driver (client, bucket, part size).</param>
    /// <param name="key">The committed object's key.</param>
    /// <param name="state">What is stored so far: segments and tail.</param>
    /// <param name="isNew">Nothing is stored for this file yet: dispose must create it even without writes.</param>
    public S3StorageWriter(S3StorageDriver driver, string key, S3WriterState state, bool isNew)
    {
        _driver = driver;
        _key = key;
        _generation = state.Generation;
        _segments = [.. state.Segments];
        _buffer = ArrayPool<byte>.Shared.Rent((int)driver.Options.PartSize);
        state.Tail.Span.CopyTo(_buffer);
        _buffered = state.Tail.Length;
        _dirty = isNew;
    }

    public long Size => _segments.Sum() + _buffered;

    public async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        ThrowIfFinished();
        var partSize = (int)_driver.Options.PartSize;
        while (data.Length > 0)
        {
            var take = Math.Min(data.Length, partSize - _buffered);
            data.Span[..take].CopyTo(_buffer.AsSpan(_buffered));
            _buffered += take;
            data = data[take..];
            _dirty = true;
            if (_buffered == partSize)
            {
                await FlushSegmentAsync(cancellationToken);
            }
        }
    }

    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        ThrowIfFinished();
        _finished = true;
        try
        {
            var pieces = _driver.Pieces(_key, State());
            await _driver.Composer.ComposeAsync(pieces, _key, cancellationToken);

            // K exists now and wins; the state and segments are leftovers.
            await S3Requests.DeleteKeysAsync(_driver.Client, _driver.BucketName, [.. pieces.Where(p => p.Key is not null).Select(p => p.Key!), _key + S3StorageDriver.WriterMarker], cancellationToken);
        }
        finally
        {
            ReturnBuffer();
        }
    }

    public async Task CancelAsync(CancellationToken cancellationToken)
    {
        ThrowIfFinished();
        _finished = true;
        ReturnBuffer();
        await _driver.DeleteFileKeysAsync(_key, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (_finished)
        {
            return;
        }

        _finished = true;
        try
        {
            if (_dirty)
            {
                // The writer's owner has gone (request finished or aborted): its token is no use here.
                if (_buffered >= S3StorageOptions.MinimumPartSize)
                {
                    await FlushSegmentAsync(CancellationToken.None);
                }

                await _driver.SaveStateAsync(_key, State(), CancellationToken.None);
            }
        }
        finally
        {
            ReturnBuffer();
        }
    }

    private S3WriterState State() => new() { Generation = _generation, Segments = [.. _segments], Tail = _buffer.AsMemory(0, _buffered) };

    private async Task FlushSegmentAsync(CancellationToken cancellationToken)
    {
        var key = _driver.SegmentKey(_key, _generation, _segments.Count + 1);
        await S3Requests.PutBytesAsync(_driver.Client, _driver.BucketName, key, _buffer.AsMemory(0, _buffered), metadata: null, cancellationToken);
        _segments.Add(_buffered);
        _buffered = 0;
    }

    private void ReturnBuffer() => ArrayPool<byte>.Shared.Return(_buffer);

    private void ThrowIfFinished() => ObjectDisposedException.ThrowIf(_finished, this);
}
