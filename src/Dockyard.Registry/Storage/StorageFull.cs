namespace Dockyard.Registry.Storage;

/// <summary>
/// Recognises a write refused for lack of space: the file system is full (<c>ENOSPC</c>) or the writer's quota is
/// spent (<c>EDQUOT</c>). On Unix .NET reports the errno as the <see cref="Exception.HResult"/>; on Windows the
/// HRESULTs of <c>ERROR_HANDLE_DISK_FULL</c> and <c>ERROR_DISK_FULL</c>. The server's error translators answer such a
/// failure 507; the registry core discards an upload that hit it, so a retry does not fill the disk again.
/// </summary>
public static class StorageFull
{
    private const int Enospc = 28;
    private const int Edquot = 122;
    private const int WindowsHandleDiskFull = unchecked((int)0x80070027);
    private const int WindowsDiskFull = unchecked((int)0x80070070);

    /// <summary>Whether <paramref name="error"/> or one of its inner exceptions is an out-of-space I/O error.</summary>
    public static bool IsOutOfSpace(Exception? error)
    {
        for (var current = error; current is not null; current = current.InnerException)
        {
            if (current is IOException { HResult: Enospc or Edquot or WindowsHandleDiskFull or WindowsDiskFull })
            {
                return true;
            }
        }

        return false;
    }
}
