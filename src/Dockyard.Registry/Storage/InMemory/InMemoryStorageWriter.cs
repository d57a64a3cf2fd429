namespace Dockyard.Registry.Storage.InMemory;

/// <summary>Appends to one <see cref="InMemoryFile"/> for <see cref="InMemoryStorageDriver"/>.</summary>
internal sealed class InMemoryStorageWriter(InMemoryStorageDriver driver, string path, InMemoryFile file) : IStorageWriter
{
    private bool _finished;

    public long Size
    {
        get
        {
            lock (driver.SyncRoot)
            {
                return file.Length;
            }
        }
    }

    public ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        ThrowIfFinished();
        cancellationToken.ThrowIfCancellationRequested();
        lock (driver.SyncRoot)
        {
            file.Append(data.Span, driver.Now);
        }

        return ValueTask.CompletedTask;
    }

    public Task CommitAsync(CancellationToken cancellationToken)
    {
        ThrowIfFinished();
        cancellationToken.ThrowIfCancellationRequested();
        _finished = true;
        return Task.CompletedTask;
    }

    public Task CancelAsync(CancellationToken cancellationToken)
    {
        ThrowIfFinished();
        _finished = true;
        driver.RemoveIfSame(path, file);
        return Task.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        // Writes land immediately, so what was written stays for a resumed upload.
        _finished = true;
        return ValueTask.CompletedTask;
    }

    private void ThrowIfFinished() => ObjectDisposedException.ThrowIf(_finished, this);
}
