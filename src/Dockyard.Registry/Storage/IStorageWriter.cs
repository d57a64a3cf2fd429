namespace Dockyard.Registry.Storage;

/// <summary>
/// An append-only writer returned by <see cref="IStorageDriver.OpenWriterAsync"/>. Dispose without
/// commit leaves whatever was flushed in place (so an interrupted upload can resume); cancel removes it.
/// </summary>
public interface IStorageWriter : IAsyncDisposable
{
    /// <summary>Total size of the file including bytes written through this writer.</summary>
    long Size { get; }

    ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken);

    /// <summary>Flushes and makes everything written durable (fsync on disk). The writer is finished afterwards.</summary>
    Task CommitAsync(CancellationToken cancellationToken);

    /// <summary>Discards the file. The writer is finished afterwards.</summary>
    Task CancelAsync(CancellationToken cancellationToken);
}
