using System.Runtime.CompilerServices;

namespace Dockyard.Registry.Storage.InMemory;

/// <summary>
/// A thread-safe <see cref="IStorageDriver"/> that keeps everything in memory, for unit tests of logic
/// built on drivers. Directories are implicit: one exists while a file is stored below it.
/// </summary>
/// <remarks>
/// Nothing is durable, and files are limited to 2 GiB. Like the filesystem driver, a reader sees the bytes
/// present when it opened, and a writer keeps writing to its file even if the path is moved or deleted.
/// </remarks>
public sealed class InMemoryStorageDriver : IStorageDriver
{
    private readonly Dictionary<string, InMemoryFile> _files = new(StringComparer.Ordinal);
    private readonly TimeProvider _timeProvider;

    /// <summary>Creates an empty driver on the system clock.</summary>
    public InMemoryStorageDriver()
        : this(TimeProvider.System)
    {
    }

    /// <summary>Creates an empty driver whose modification times come from <paramref name="timeProvider"/>.</summary>
    public InMemoryStorageDriver(TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        _timeProvider = timeProvider;
    }

    internal object SyncRoot { get; } = new();

    internal DateTimeOffset Now => _timeProvider.GetUtcNow();

    /// <inheritdoc />
    public Task<StorageFileInfo?> StatAsync(string path, CancellationToken cancellationToken)
    {
        StoragePath.Validate(path);
        cancellationToken.ThrowIfCancellationRequested();
        lock (SyncRoot)
        {
            if (_files.TryGetValue(path, out var file))
            {
                return Task.FromResult<StorageFileInfo?>(new StorageFileInfo(path, file.Length, file.ModifiedAt, IsDirectory: false));
            }

            // A directory's time is its newest file's, the closest thing to "last changed" without real directories.
            var prefix = path + "/";
            DateTimeOffset? newest = null;
            foreach (var (key, child) in _files)
            {
                if (key.StartsWith(prefix, StringComparison.Ordinal) && (newest is null || child.ModifiedAt > newest))
                {
                    newest = child.ModifiedAt;
                }
            }

            return Task.FromResult(newest is { } modifiedAt ? new StorageFileInfo(path, 0, modifiedAt, IsDirectory: true) : null);
        }
    }

    /// <inheritdoc />
    public Task<Stream?> OpenReadAsync(string path, long offset, CancellationToken cancellationToken)
    {
        StoragePath.Validate(path);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        cancellationToken.ThrowIfCancellationRequested();

        MemoryStream stream;
        lock (SyncRoot)
        {
            if (!_files.TryGetValue(path, out var file))
            {
                return Task.FromResult<Stream?>(null);
            }

            stream = file.OpenSnapshot();
        }

        if (offset > stream.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(offset), offset, $"Offset is beyond the end of '{path}' ({stream.Length} bytes).");
        }

        stream.Position = offset;
        return Task.FromResult<Stream?>(stream);
    }

    /// <inheritdoc />
    public Task<IStorageWriter> OpenWriterAsync(string path, bool append, CancellationToken cancellationToken)
    {
        StoragePath.Validate(path);
        cancellationToken.ThrowIfCancellationRequested();
        lock (SyncRoot)
        {
            ThrowIfCannotCreateFile(path);
            if (!append || !_files.TryGetValue(path, out var file))
            {
                // Truncation is a new object, so readers of the old bytes keep their snapshot intact.
                file = new InMemoryFile(Now);
                _files[path] = file;
            }

            return Task.FromResult<IStorageWriter>(new InMemoryStorageWriter(this, path, file));
        }
    }

    /// <inheritdoc />
    public Task<byte[]?> GetContentAsync(string path, CancellationToken cancellationToken)
    {
        StoragePath.Validate(path);
        cancellationToken.ThrowIfCancellationRequested();
        lock (SyncRoot)
        {
            return Task.FromResult(_files.TryGetValue(path, out var file) ? file.ToArray() : null);
        }
    }

    /// <inheritdoc />
    public Task PutContentAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        StoragePath.Validate(path);
        cancellationToken.ThrowIfCancellationRequested();
        lock (SyncRoot)
        {
            ThrowIfCannotCreateFile(path);
            _files[path] = InMemoryFile.FromContent(content.Span, Now);
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task MoveAsync(string sourcePath, string destinationPath, CancellationToken cancellationToken)
    {
        StoragePath.Validate(sourcePath);
        StoragePath.Validate(destinationPath);
        cancellationToken.ThrowIfCancellationRequested();
        lock (SyncRoot)
        {
            if (!_files.TryGetValue(sourcePath, out var file))
            {
                throw new FileNotFoundException($"Cannot move '{sourcePath}': it does not exist.", sourcePath);
            }

            if (sourcePath == destinationPath)
            {
                return Task.CompletedTask;
            }

            ThrowIfCannotCreateFile(destinationPath);
            _files.Remove(sourcePath);
            _files[destinationPath] = file;
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<bool> DeleteAsync(string path, CancellationToken cancellationToken)
    {
        StoragePath.Validate(path);
        cancellationToken.ThrowIfCancellationRequested();
        lock (SyncRoot)
        {
            var deleted = _files.Remove(path);
            var prefix = path + "/";
            foreach (var key in _files.Keys.Where(key => key.StartsWith(prefix, StringComparison.Ordinal)).ToList())
            {
                deleted |= _files.Remove(key);
            }

            return Task.FromResult(deleted);
        }
    }

    /// <inheritdoc />
    public Task DeleteFilesAsync(IReadOnlyList<string> paths, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(paths);
        foreach (var path in paths)
        {
            StoragePath.Validate(path);
        }

        cancellationToken.ThrowIfCancellationRequested();
        lock (SyncRoot)
        {
            foreach (var path in paths)
            {
                _files.Remove(path);
            }

            return Task.CompletedTask;
        }
    }

    /// <inheritdoc />
    public IAsyncEnumerable<string> ListAsync(string directoryPath, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(directoryPath);
        if (directoryPath.Length != 0)
        {
            StoragePath.Validate(directoryPath);
        }

        var prefix = directoryPath.Length == 0 ? string.Empty : directoryPath + "/";
        var children = new HashSet<string>(StringComparer.Ordinal);
        lock (SyncRoot)
        {
            foreach (var key in _files.Keys)
            {
                if (key.StartsWith(prefix, StringComparison.Ordinal))
                {
                    var end = key.IndexOf('/', prefix.Length);
                    children.Add(end < 0 ? key : key[..end]);
                }
            }
        }

        return Enumerate(children, cancellationToken);
    }

    /// <summary>Removes <paramref name="path"/> only if it still names <paramref name="file"/> (a cancelled writer's file may have moved on).</summary>
    internal void RemoveIfSame(string path, InMemoryFile file)
    {
        lock (SyncRoot)
        {
            if (_files.TryGetValue(path, out var current) && ReferenceEquals(current, file))
            {
                _files.Remove(path);
            }
        }
    }

    private static async IAsyncEnumerable<string> Enumerate(IEnumerable<string> children, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var child in children)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return child;
        }
    }

    /// <summary>Mirrors the filesystem: a file cannot replace a directory, nor live below another file.</summary>
    private void ThrowIfCannotCreateFile(string path)
    {
        var prefix = path + "/";
        if (_files.Keys.Any(key => key.StartsWith(prefix, StringComparison.Ordinal)))
        {
            throw new IOException($"Cannot create file '{path}': a directory of that name exists.");
        }

        for (var slash = path.IndexOf('/'); slash >= 0; slash = path.IndexOf('/', slash + 1))
        {
            if (_files.ContainsKey(path[..slash]))
            {
                throw new IOException($"Cannot create file '{path}': '{path[..slash]}' is a file.");
            }
        }
    }
}
