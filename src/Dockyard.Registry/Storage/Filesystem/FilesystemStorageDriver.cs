using System.Runtime.CompilerServices;

namespace Dockyard.Registry.Storage.Filesystem;

/// <summary>
/// Stores everything under one local directory. Storage paths map one-to-one onto files below the root.
/// </summary>
/// <remarks>
/// Durability comes from fsync of the file and of the directory holding its entry; atomic replacement
/// from rename(2) within one filesystem. Readers open with <see cref="FileShare.Delete"/>, so on Unix a
/// file moved over or deleted under a reader keeps serving the reader the bytes it opened. Directories
/// are pruned when a delete empties them, so they behave like the implicit directories of object stores.
/// Everything is created private to the account running the registry (directories 0700, files 0600, whatever the
/// umask): blobs of private repositories are no business of other local accounts.
/// </remarks>
public sealed class FilesystemStorageDriver : IStorageDriver
{
    /// <summary>Temp files of <see cref="PutContentAsync"/> end with this; listings hide them.</summary>
    internal const string TempSuffix = ".dockyard-tmp";

    private const int ReadBufferSize = 64 * 1024;

    // A delete can prune a directory between our CreateDirectory and the create/rename inside it.
    private const int CreateAttempts = 5;

    private const UnixFileMode PrivateDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode PrivateFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private readonly string _root;

    /// <summary>Uses <paramref name="rootDirectory"/> as the storage root, creating it when missing.</summary>
    public FilesystemStorageDriver(string rootDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(rootDirectory);
        _root = Path.GetFullPath(rootDirectory);
        EnsureDirectory(_root, []);
    }

    /// <summary>The absolute root directory.</summary>
    public string RootDirectory => _root;

    /// <inheritdoc />
    public Task<StorageFileInfo?> StatAsync(string path, CancellationToken cancellationToken)
    {
        var full = FullPath(path);
        cancellationToken.ThrowIfCancellationRequested();

        var file = new FileInfo(full);
        if (file.Exists)
        {
            return Task.FromResult<StorageFileInfo?>(new StorageFileInfo(path, file.Length, file.LastWriteTimeUtc, IsDirectory: false));
        }

        var directory = new DirectoryInfo(full);
        if (directory.Exists)
        {
            return Task.FromResult<StorageFileInfo?>(new StorageFileInfo(path, 0, directory.LastWriteTimeUtc, IsDirectory: true));
        }

        return Task.FromResult<StorageFileInfo?>(null);
    }

    /// <inheritdoc />
    public Task<Stream?> OpenReadAsync(string path, long offset, CancellationToken cancellationToken)
    {
        var full = FullPath(path);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        cancellationToken.ThrowIfCancellationRequested();

        FileStream stream;
        try
        {
            // ReadWrite|Delete: a writer may still be appending, and a move or delete must not fail
            // (Windows) or disturb (Unix) a reader that is streaming a blob out.
            stream = new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, ReadBufferSize, FileOptions.Asynchronous | FileOptions.SequentialScan);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException || (ex is UnauthorizedAccessException && Directory.Exists(full)))
        {
            // A directory has no bytes to read: same answer as nothing at all.
            return Task.FromResult<Stream?>(null);
        }

        if (offset > stream.Length)
        {
            var length = stream.Length;
            stream.Dispose();
            throw new ArgumentOutOfRangeException(nameof(offset), offset, $"Offset is beyond the end of '{path}' ({length} bytes).");
        }

        stream.Position = offset;
        return Task.FromResult<Stream?>(stream);
    }

    /// <inheritdoc />
    public Task<IStorageWriter> OpenWriterAsync(string path, bool append, CancellationToken cancellationToken)
    {
        var full = FullPath(path);
        cancellationToken.ThrowIfCancellationRequested();

        var createdDirectories = new List<string>();
        var stream = InDirectory(full, createdDirectories, () =>
        {
            // Racy by design: it only decides whether commit also fsyncs the parent directory, and whoever
            // really created the file fsyncs it on their commit.
            var created = !File.Exists(full);
            var mode = append ? FileMode.Append : FileMode.Create;
            return (Stream: new FileStream(full, PrivateFileOptions(mode, FileShare.Read | FileShare.Delete, FilesystemStorageWriter.BufferSize)), Created: created);
        });

        if (stream.Created)
        {
            createdDirectories.Add(Path.GetDirectoryName(full)!);
        }

        return Task.FromResult<IStorageWriter>(new FilesystemStorageWriter(full, stream.Stream, createdDirectories));
    }

    /// <inheritdoc />
    public async Task<byte[]?> GetContentAsync(string path, CancellationToken cancellationToken)
    {
        var full = FullPath(path);
        try
        {
            return await File.ReadAllBytesAsync(full, cancellationToken);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException || (ex is UnauthorizedAccessException && Directory.Exists(full)))
        {
            return null;
        }
    }

    /// <inheritdoc />
    public Task PutContentAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken) =>
        WriteContentAsync(path, content, durable: true, cancellationToken);

    /// <inheritdoc />
    public Task PutContentVolatileAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken) =>
        WriteContentAsync(path, content, durable: false, cancellationToken);

    private async Task WriteContentAsync(string path, ReadOnlyMemory<byte> content, bool durable, CancellationToken cancellationToken)
    {
        var full = FullPath(path);
        var directory = Path.GetDirectoryName(full)!;
        var createdDirectories = new List<string>();

        for (var attempt = 1; ; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            EnsureDirectory(directory, createdDirectories);

            // Same directory as the target, so the rename stays within one filesystem and is atomic.
            var temp = Path.Combine(directory, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}{TempSuffix}");
            try
            {
                var stream = new FileStream(temp, PrivateFileOptions(FileMode.CreateNew, FileShare.None, bufferSize: 0));
                await using (stream)
                {
                    await stream.WriteAsync(content, cancellationToken);
                    stream.Flush(flushToDisk: durable);
                }

                File.Move(temp, full, overwrite: true);
                break;
            }
            catch (IOException) when (attempt < CreateAttempts && !Directory.Exists(directory))
            {
                // Pruned by a concurrent delete; recreate and try again.
            }
            catch
            {
                TryDeleteFile(temp);
                throw;
            }
        }

        if (durable)
        {
            SyncDirectories(createdDirectories);
            DirectorySync.Sync(directory);
        }
    }

    /// <inheritdoc />
    public Task MoveAsync(string sourcePath, string destinationPath, CancellationToken cancellationToken)
    {
        var source = FullPath(sourcePath, nameof(sourcePath));
        var destination = FullPath(destinationPath, nameof(destinationPath));
        cancellationToken.ThrowIfCancellationRequested();

        if (!File.Exists(source))
        {
            throw new FileNotFoundException($"Cannot move '{sourcePath}': it does not exist.", sourcePath);
        }

        var createdDirectories = new List<string>();
        InDirectory(destination, createdDirectories, () =>
        {
            File.Move(source, destination, overwrite: true);
            return true;
        });

        SyncDirectories(createdDirectories);
        DirectorySync.Sync(Path.GetDirectoryName(destination)!);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<bool> DeleteAsync(string path, CancellationToken cancellationToken)
    {
        var full = FullPath(path);
        cancellationToken.ThrowIfCancellationRequested();

        bool deleted;
        if (File.Exists(full))
        {
            File.Delete(full);
            deleted = true;
        }
        else if (Directory.Exists(full))
        {
            try
            {
                Directory.Delete(full, recursive: true);
            }
            catch (DirectoryNotFoundException)
            {
                // Someone else deleted it first; it is gone either way.
            }

            deleted = true;
        }
        else
        {
            deleted = false;
        }

        if (deleted)
        {
            PruneEmptyParents(Path.GetDirectoryName(full)!);
        }

        return Task.FromResult(deleted);
    }

    /// <inheritdoc />
    public Task DeleteFilesAsync(IReadOnlyList<string> paths, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var fullPaths = paths.Select(path => FullPath(path, nameof(paths))).Distinct(StringComparer.Ordinal).ToList();
        foreach (var full in fullPaths)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!File.Exists(full))
            {
                continue;
            }

            try
            {
                File.Delete(full);
            }
            catch (DirectoryNotFoundException)
            {
                // Deleted (and its directory pruned) by someone else meanwhile.
                continue;
            }

            PruneEmptyParents(Path.GetDirectoryName(full)!);
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public IAsyncEnumerable<string> ListAsync(string directoryPath, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(directoryPath);
        var full = directoryPath.Length == 0 ? _root : FullPath(directoryPath, nameof(directoryPath));
        var prefix = directoryPath.Length == 0 ? string.Empty : directoryPath + "/";

        string[] names;
        try
        {
            // Missing, or a file rather than a directory: no children.
            names = Directory.Exists(full) ? Directory.GetFileSystemEntries(full) : [];
        }
        catch (DirectoryNotFoundException)
        {
            // Deleted between the check and the read.
            names = [];
        }

        return Enumerate(names, prefix, cancellationToken);
    }

    private static async IAsyncEnumerable<string> Enumerate(string[] entries, string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var entry in entries)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var name = Path.GetFileName(entry);
            if (!name.EndsWith(TempSuffix, StringComparison.Ordinal))
            {
                yield return prefix + name;
            }
        }
    }

    private string FullPath(string path, string parameterName = "path")
    {
        try
        {
            StoragePath.Validate(path);
        }
        catch (ArgumentException ex) when (ex is not ArgumentNullException)
        {
            throw new ArgumentException(ex.Message, parameterName, ex);
        }

        return Path.Join(_root, path.Replace('/', Path.DirectorySeparatorChar));
    }

    /// <summary>Runs <paramref name="action"/> that creates an entry in the parent of <paramref name="fullPath"/>, creating that parent first.</summary>
    private static T InDirectory<T>(string fullPath, List<string> createdDirectories, Func<T> action)
    {
        var directory = Path.GetDirectoryName(fullPath)!;
        for (var attempt = 1; ; attempt++)
        {
            EnsureDirectory(directory, createdDirectories);
            try
            {
                return action();
            }
            catch (IOException) when (attempt < CreateAttempts && !Directory.Exists(directory))
            {
                // Pruned by a concurrent delete (whatever exception type the failed call chose); recreate and retry.
            }
        }
    }

    /// <summary>Creates <paramref name="directory"/> and records each parent whose entries changed, for fsync.</summary>
    private static void EnsureDirectory(string directory, List<string> changedParents)
    {
        if (Directory.Exists(directory))
        {
            return;
        }

        var missing = new Stack<string>();
        for (var current = directory; current is not null && !Directory.Exists(current); current = Path.GetDirectoryName(current))
        {
            missing.Push(current);
        }

        foreach (var created in missing)
        {
            CreatePrivateDirectory(created);
            var parent = Path.GetDirectoryName(created)!;
            if (!changedParents.Contains(parent))
            {
                changedParents.Add(parent);
            }
        }
    }

    /// <summary>Creates one directory whose parent exists (the mode applies to the directory created, not to parents).</summary>
    private static void CreatePrivateDirectory(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(directory);
        }
        else
        {
            Directory.CreateDirectory(directory, PrivateDirectory);
        }
    }

    private static FileStreamOptions PrivateFileOptions(FileMode mode, FileShare share, int bufferSize)
    {
        var options = new FileStreamOptions { Mode = mode, Access = FileAccess.Write, Share = share, BufferSize = bufferSize, Options = FileOptions.Asynchronous };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = PrivateFile;
        }

        return options;
    }

    private static void SyncDirectories(List<string> directories)
    {
        foreach (var directory in directories)
        {
            DirectorySync.Sync(directory);
        }
    }

    /// <summary>Removes directories left empty by a delete, up to but not including the root.</summary>
    private void PruneEmptyParents(string directory)
    {
        var root = Path.TrimEndingDirectorySeparator(_root);
        for (var current = directory; current.Length > root.Length && current.StartsWith(root, StringComparison.Ordinal); current = Path.GetDirectoryName(current)!)
        {
            try
            {
                // Non-recursive: fails (and stops the walk) as soon as a directory has other entries.
                Directory.Delete(current, recursive: false);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return;
            }
        }
    }

    private static void TryDeleteFile(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Best effort: listings hide temp files anyway.
        }
    }
}
