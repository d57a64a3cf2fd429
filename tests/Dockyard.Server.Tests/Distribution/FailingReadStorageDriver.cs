using Dockyard.Registry.Storage;

namespace Dockyard.Server.Tests.Distribution;

/// <summary>
/// A storage driver whose blob reads fail with an unexpected exception once <see cref="Failing"/> is set: a disk or
/// bucket gone bad under a running server (or, with <see cref="FailingMidStream"/>, while a response is under way). The exception's message stands for internals no client may see.
/// </summary>
internal sealed class FailingReadStorageDriver(IStorageDriver inner) : IStorageDriver
{
    public const string SecretMessage = "disk /srv/secret-volume-7 exploded";

    public volatile bool Failing;

    /// <summary>Blob reads open, return their first chunk, then fail (<see cref="FailingAfterFirstReadStream"/>).</summary>
    public volatile bool FailingMidStream;

    public Task<StorageFileInfo?> StatAsync(string path, CancellationToken cancellationToken) => inner.StatAsync(path, cancellationToken);

    public async Task<Stream?> OpenReadAsync(string path, long offset, CancellationToken cancellationToken)
    {
        var blob = path.StartsWith(StoragePaths.BlobsRoot + "/", StringComparison.Ordinal);
        if (Failing && blob)
        {
            throw new InvalidOperationException(SecretMessage);
        }

        var stream = await inner.OpenReadAsync(path, offset, cancellationToken);
        return FailingMidStream && blob && stream is not null ? new FailingAfterFirstReadStream(stream) : stream;
    }

    public Task<IStorageWriter> OpenWriterAsync(string path, bool append, CancellationToken cancellationToken) => inner.OpenWriterAsync(path, append, cancellationToken);

    public Task<byte[]?> GetContentAsync(string path, CancellationToken cancellationToken) => inner.GetContentAsync(path, cancellationToken);

    public Task PutContentAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken) => inner.PutContentAsync(path, content, cancellationToken);

    public Task MoveAsync(string sourcePath, string destinationPath, CancellationToken cancellationToken) => inner.MoveAsync(sourcePath, destinationPath, cancellationToken);

    public Task<bool> DeleteAsync(string path, CancellationToken cancellationToken) => inner.DeleteAsync(path, cancellationToken);

    public Task DeleteFilesAsync(IReadOnlyList<string> paths, CancellationToken cancellationToken) => inner.DeleteFilesAsync(paths, cancellationToken);

    public IAsyncEnumerable<string> ListAsync(string directoryPath, CancellationToken cancellationToken) => inner.ListAsync(directoryPath, cancellationToken);
}
