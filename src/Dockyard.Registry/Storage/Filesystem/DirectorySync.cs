using System.Runtime.InteropServices;

namespace Dockyard.Registry.Storage.Filesystem;

/// <summary>
/// fsync for directories. A rename or a new file is only durable once the directory entry is, and .NET
/// cannot open a directory as a file handle, so this goes to libc directly.
/// </summary>
internal static partial class DirectorySync
{
    // O_RDONLY is 0 on every Unix. O_DIRECTORY would be a nice guard but its value differs between
    // Linux architectures (x64 vs arm64) and macOS, and callers only ever pass directories.
    private const int ORdOnly = 0;
    private const int EIntr = 4;
    private const int EInval = 22;

    /// <summary>Makes the entries of <paramref name="directory"/> durable. A no-op on Windows, which has no directory fsync.</summary>
    /// <exception cref="IOException">The directory could not be opened or synced.</exception>
    public static void Sync(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var fd = Open(directory, ORdOnly);
        if (fd < 0)
        {
            throw new IOException($"Cannot open directory '{directory}' to fsync it (errno {Marshal.GetLastPInvokeError()}).");
        }

        try
        {
            int result;
            do
            {
                result = FSync(fd);
            }
            while (result < 0 && Marshal.GetLastPInvokeError() == EIntr);

            // EINVAL: the filesystem cannot sync directories (some FUSE/network mounts); nothing more we can do there.
            if (result < 0 && Marshal.GetLastPInvokeError() is var errno && errno != EInval)
            {
                throw new IOException($"fsync of directory '{directory}' failed (errno {errno}).");
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int FSync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
