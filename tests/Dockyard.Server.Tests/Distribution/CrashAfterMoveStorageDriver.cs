using Dockyard.Registry.Storage;

namespace Dockyard.Server.Tests.Distribution;

/// <summary>
/// A storage driver that behaves like a replica dying right after an upload's data moved to its blob path: the move
/// happens, then the request fails (once), so whatever the completion does after the move never runs.
/// </summary>
internal sealed class CrashAfterMoveStorageDriver(IStorageDriver inner) : IStorageDriver
{
    private int _crashed;

    public Task<StorageFileInfo?> StatAsync(string path, CancellationToken cancellationToken) => inner.StatAsync(path, cancellationToken);

    public Task<Stream?> OpenReadAsync(string path, long offset, CancellationToken cancellationToken) => inner.OpenReadAsync(path, offset, cancellationToken);

    public Task<IStorageWriter> OpenWriterAsync(string path, bool append, CancellationToken cancellationToken) => inner.OpenWriterAsync(path, append, cancellationToken);

    public Task<byte[]?> GetContentAsync(string path, CancellationToken cancellationToken) => inner.GetContentAsync(path, cancellationToken);

    public Task PutContentAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken) => inner.PutContentAsync(path, content, cancellationToken);

    public async Task MoveAsync(string sourcePath, string destinationPath, CancellationToken cancellationToken)
    {
        await inner.MoveAsync(sourcePath, destinationPath, cancellationToken);
        if (destinationPath.StartsWith(StoragePaths.BlobsRoot + "/", StringComparison.Ordinal) && Interlocked.Exchange(ref _crashed, 1) == 0)
        {
            throw new IOException("simulated crash right after the upload's data moved to its blob path");
        }
    }

    public Task<bool> DeleteAsync(string path, CancellationToken cancellationToken) => inner.DeleteAsync(path, cancellationToken);

    public Task DeleteFilesAsync(IReadOnlyList<string> paths, CancellationToken cancellationToken) => inner.DeleteFilesAsync(paths, cancellationToken);

    public IAsyncEnumerable<string> ListAsync(string directoryPath, CancellationToken cancellationToken) => inner.ListAsync(directoryPath, cancellationToken);
}
