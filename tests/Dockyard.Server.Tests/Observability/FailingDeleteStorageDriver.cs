using Dockyard.Registry.Storage;

namespace Dockyard.Server.Tests.Observability;

/// <summary>A storage driver whose deletes fail once <see cref="Failing"/> is set: a garbage collection that cannot finish.</summary>
internal sealed class FailingDeleteStorageDriver(IStorageDriver inner) : IStorageDriver
{
    public volatile bool Failing;

    public Task<StorageFileInfo?> StatAsync(string path, CancellationToken cancellationToken) => inner.StatAsync(path, cancellationToken);

    public Task<Stream?> OpenReadAsync(string path, long offset, CancellationToken cancellationToken) => inner.OpenReadAsync(path, offset, cancellationToken);

    public Task<IStorageWriter> OpenWriterAsync(string path, bool append, CancellationToken cancellationToken) => inner.OpenWriterAsync(path, append, cancellationToken);

    public Task<byte[]?> GetContentAsync(string path, CancellationToken cancellationToken) => inner.GetContentAsync(path, cancellationToken);

    public Task PutContentAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken) => inner.PutContentAsync(path, content, cancellationToken);

    public Task MoveAsync(string sourcePath, string destinationPath, CancellationToken cancellationToken) => inner.MoveAsync(sourcePath, destinationPath, cancellationToken);

    public Task<bool> DeleteAsync(string path, CancellationToken cancellationToken) =>
        Failing ? throw new IOException("storage refused the delete") : inner.DeleteAsync(path, cancellationToken);

    public Task DeleteFilesAsync(IReadOnlyList<string> paths, CancellationToken cancellationToken) =>
        Failing ? throw new IOException("storage refused the delete") : inner.DeleteFilesAsync(paths, cancellationToken);

    public IAsyncEnumerable<string> ListAsync(string directoryPath, CancellationToken cancellationToken) => inner.ListAsync(directoryPath, cancellationToken);
}
