namespace Dockyard.Registry.Storage.Filesystem;

/// <summary>Appends to one file for <see cref="FilesystemStorageDriver"/>.</summary>
internal sealed class FilesystemStorageWriter : IStorageWriter
{
    /// <summary>Large enough that chunked uploads turn into few, big write(2) calls.</summary>
    internal const int BufferSize = 256 * 1024;

    private readonly string _path;
    private readonly FileStream _stream;
    private readonly List<string> _directoriesToSync;
    private readonly EarlyWriteback _writeback;
    private bool _finished;

    /// <param name="path">Absolute path of the file, for <see cref="CancelAsync"/>.</param>
    /// <param name="stream">Opened for writing, positioned at the end.</param>
    /// <param name="directoriesToSync">Directories whose entries this writer created; synced on commit.</param>
    public FilesystemStorageWriter(string path, FileStream stream, List<string> directoriesToSync)
    {
        _path = path;
        _stream = stream;
        _directoriesToSync = directoriesToSync;
        Size = stream.Length;
        _writeback = new EarlyWriteback(stream.SafeFileHandle, Size);
    }

    public long Size { get; private set; }

    public async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        ThrowIfFinished();
        await _stream.WriteAsync(data, cancellationToken);
        Size += data.Length;
        if (_writeback.IsDue(Size))
        {
            await _stream.FlushAsync(cancellationToken);
            _writeback.Start(Size);
        }
    }

    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        ThrowIfFinished();
        _finished = true;
        await using (_stream)
        {
            await _stream.FlushAsync(cancellationToken);
            _stream.Flush(flushToDisk: true);
        }

        // The file's data is durable; a new file also needs its directory entry (and new parents theirs).
        foreach (var directory in _directoriesToSync)
        {
            DirectorySync.Sync(directory);
        }
    }

    public async Task CancelAsync(CancellationToken cancellationToken)
    {
        ThrowIfFinished();
        _finished = true;

        // Dispose first: Windows cannot delete an open file, and the bytes are being thrown away anyway.
        await _stream.DisposeAsync();
        File.Delete(_path);
    }

    public async ValueTask DisposeAsync()
    {
        if (_finished)
        {
            return;
        }

        _finished = true;

        // FileStream's dispose flushes its buffer: what was written stays (not fsynced) so an upload can resume.
        await _stream.DisposeAsync();
    }

    private void ThrowIfFinished() => ObjectDisposedException.ThrowIf(_finished, this);
}
