using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Dockyard.Registry.Storage.Filesystem;

/// <summary>
/// Starts the disk write of a big file's dirty pages while more data is still arriving, so that the fsync at commit
/// only has the tail left. Without it a machine with plenty of RAM keeps a whole multi-hundred-MiB blob dirty in the
/// page cache (writeback starts at <c>dirty_background_ratio</c>, 10 % of RAM) and the commit's fsync then writes all
/// of it while the client waits: receive and disk write ran one after the other instead of side by side. Linux only
/// (<c>sync_file_range(SYNC_FILE_RANGE_WRITE)</c>, which queues the write and does not wait for it); elsewhere, and
/// on filesystems that refuse it, nothing happens. Durability is unchanged: the commit still fsyncs.
/// </summary>
internal sealed partial class EarlyWriteback(SafeFileHandle handle, long start)
{
    /// <summary>Dirty bytes that trigger a write-out; small enough to overlap, large enough for few syscalls.</summary>
    public const long Threshold = 8 * 1024 * 1024;

    private const uint SyncFileRangeWrite = 2;

    private static bool _unsupported = !OperatingSystem.IsLinux();

    private long _from = start;

    /// <summary>True when at least <see cref="Threshold"/> bytes past the last write-out are in the page cache.</summary>
    public bool IsDue(long written) => !_unsupported && written - _from >= Threshold;

    /// <summary>Queues the write-out of bytes [last, <paramref name="written"/>); call after the stream was flushed.</summary>
    public void Start(long written)
    {
        if (_unsupported || handle.IsClosed)
        {
            return;
        }

        try
        {
            if (SyncFileRange(handle, _from, written - _from, SyncFileRangeWrite) != 0)
            {
                // ENOSYS, EINVAL (some FUSE and network filesystems), ESPIPE: only a hint, the fsync at commit decides.
                _unsupported = true;
            }
        }
        catch (EntryPointNotFoundException)
        {
            _unsupported = true;
        }

        _from = written;
    }

    [LibraryImport("libc", EntryPoint = "sync_file_range", SetLastError = true)]
    private static partial int SyncFileRange(SafeFileHandle fd, long offset, long count, uint flags);
}
