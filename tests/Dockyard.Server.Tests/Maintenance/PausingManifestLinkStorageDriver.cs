using Dockyard.Registry.Storage;

namespace Dockyard.Server.Tests.Maintenance;

/// <summary>
/// A storage driver that, once armed, holds the next write or delete of a repository manifest link
/// (<c>_manifests/…</c>) right after it is done, until released: a delete is then inside its index transaction (row
/// deleted, not committed), a push between its link write and its row insert. A test puts another request exactly into
/// that gap.
/// </summary>
internal sealed class PausingManifestLinkStorageDriver(IStorageDriver inner) : IStorageDriver
{
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource? _pausedDelete;
    private TaskCompletionSource? _pausedPut;

    /// <summary>Holds the next manifest link delete; the returned task completes once the link is deleted and held.</summary>
    public Task ArmDelete() => (_pausedDelete = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    /// <summary>
    /// Holds the next manifest link write, or read of a stored link (a push finding its link already there); the returned
    /// task completes once the link is written (or found) and held.
    /// </summary>
    public Task ArmPut() => (_pausedPut = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    /// <summary>Lets the held operation return (a delete's transaction then commits, a push goes on to its row).</summary>
    public void Release() => _release.TrySetResult();

    public async Task<bool> DeleteAsync(string path, CancellationToken cancellationToken)
    {
        var deleted = await inner.DeleteAsync(path, cancellationToken);
        await HoldIfArmedAsync(path, ref _pausedDelete, cancellationToken);
        return deleted;
    }

    public async Task PutContentAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        await inner.PutContentAsync(path, content, cancellationToken);
        await HoldIfArmedAsync(path, ref _pausedPut, cancellationToken);
    }

    private Task HoldIfArmedAsync(string path, ref TaskCompletionSource? armed, CancellationToken cancellationToken)
    {
        if (!path.Contains($"/{StoragePaths.ManifestLinksDirectory}/", StringComparison.Ordinal) || Interlocked.Exchange(ref armed, null) is not { } paused)
        {
            return Task.CompletedTask;
        }

        paused.SetResult();
        return _release.Task.WaitAsync(cancellationToken);
    }

    public Task<StorageFileInfo?> StatAsync(string path, CancellationToken cancellationToken) => inner.StatAsync(path, cancellationToken);

    public Task<Stream?> OpenReadAsync(string path, long offset, CancellationToken cancellationToken) => inner.OpenReadAsync(path, offset, cancellationToken);

    public Task<IStorageWriter> OpenWriterAsync(string path, bool append, CancellationToken cancellationToken) => inner.OpenWriterAsync(path, append, cancellationToken);

    public async Task<byte[]?> GetContentAsync(string path, CancellationToken cancellationToken)
    {
        // A push of a manifest whose link is already stored only reads it (no rewrite): that read is its "link written".
        var content = await inner.GetContentAsync(path, cancellationToken);
        if (content is not null)
        {
            await HoldIfArmedAsync(path, ref _pausedPut, cancellationToken);
        }

        return content;
    }

    public Task MoveAsync(string sourcePath, string destinationPath, CancellationToken cancellationToken) => inner.MoveAsync(sourcePath, destinationPath, cancellationToken);

    public Task DeleteFilesAsync(IReadOnlyList<string> paths, CancellationToken cancellationToken) => inner.DeleteFilesAsync(paths, cancellationToken);

    public IAsyncEnumerable<string> ListAsync(string directoryPath, CancellationToken cancellationToken) => inner.ListAsync(directoryPath, cancellationToken);
}
