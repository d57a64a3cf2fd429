namespace Dockyard.Server.Data;

/// <summary>Free and total bytes of the file system holding a directory (<c>statvfs</c>: free = what a non-root user may still use).</summary>
internal readonly record struct DataVolume(long FreeBytes, long TotalBytes)
{
    /// <summary>The volume's figures; null when the directory cannot be examined (gone, not permitted).</summary>
    public static DataVolume? TryRead(string directory)
    {
        try
        {
            var drive = new DriveInfo(directory);
            return new DataVolume(drive.AvailableFreeSpace, drive.TotalSize);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return null;
        }
    }
}
