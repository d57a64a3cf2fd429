namespace Dockyard.Registry.Storage;

/// <summary>
/// A small filesystem-like contract over the place bytes live (local disk, S3, memory). Drivers only
/// move bytes; what the bytes mean (digests, repositories, uploads) lives once, above them.
/// </summary>
/// <remarks>
/// Paths are relative, '/'-separated, and validated by <see cref="StoragePath"/>. Every driver passes the
/// shared conformance suite in the tests.
/// </remarks>
public interface IStorageDriver
{
    /// <summary>Size and modification time of a file, or null when nothing is stored at <paramref name="path"/>.</summary>
    Task<StorageFileInfo?> StatAsync(string path, CancellationToken cancellationToken);

    /// <summary>Opens a file for reading from <paramref name="offset"/>; null when it does not exist.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The offset is negative or beyond the end of the file.</exception>
    Task<Stream?> OpenReadAsync(string path, long offset, CancellationToken cancellationToken);

    /// <summary>
    /// Opens a writer. With <paramref name="append"/> the writer continues an existing file (creating it if
    /// absent); otherwise it truncates. Bytes are durable only after <see cref="IStorageWriter.CommitAsync"/>.
    /// </summary>
    Task<IStorageWriter> OpenWriterAsync(string path, bool append, CancellationToken cancellationToken);

    /// <summary>Reads a small file whole (upload state, links); null when absent. Never use for blobs.</summary>
    Task<byte[]?> GetContentAsync(string path, CancellationToken cancellationToken);

    /// <summary>Writes a small file atomically and durably, replacing any previous content.</summary>
    Task PutContentAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken);

    /// <summary>
    /// As <see cref="PutContentAsync(string, ReadOnlyMemory{byte}, CancellationToken)"/>, atomically, but without waiting
    /// for the disk: after a power loss the file may be absent or empty. For state a client can recreate (a new upload
    /// session's info). Drivers without a cheaper way store it durably.
    /// </summary>
    Task PutContentVolatileAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken) =>
        PutContentAsync(path, content, cancellationToken);

    /// <summary>
    /// Moves a file atomically and durably, replacing the destination. Readers see either the old
    /// destination or the whole new file, never a partial one.
    /// </summary>
    /// <exception cref="FileNotFoundException">The source does not exist.</exception>
    Task MoveAsync(string sourcePath, string destinationPath, CancellationToken cancellationToken);

    /// <summary>Deletes a file or a whole directory subtree. Returns false when nothing was there.</summary>
    Task<bool> DeleteAsync(string path, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes the given files (directories are left alone, missing paths ignored). For garbage collection: backends
    /// batch it (S3 DeleteObjects, 1000 keys a request). No count comes back: DeleteObjects does not say whether a
    /// key existed, and asking would cost one HEAD per key — doubling the requests of a 100,000-blob collection.
    /// </summary>
    /// <exception cref="ArgumentException">A path is invalid; nothing was deleted.</exception>
    /// <exception cref="IOException">The backend refused to delete some files (the first error is reported).</exception>
    Task DeleteFilesAsync(IReadOnlyList<string> paths, CancellationToken cancellationToken);

    /// <summary>Lists the direct children (files and directories) of a directory as full paths; empty when absent. "" lists the root.</summary>
    IAsyncEnumerable<string> ListAsync(string directoryPath, CancellationToken cancellationToken);
}
