namespace Dockyard.Server.Data;

/// <summary>
/// Files and directories only the account running Dockyard may read: directories 0700, files 0600, set when they are
/// created (<c>mkdir</c>/<c>open</c> modes), so the process umask can only narrow them. Key material, the database and
/// blobs of private repositories must never be readable by other local accounts (docs/security.md).
/// </summary>
internal static class PrivateFiles
{
    public const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private const UnixFileMode GroupOrOther =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>Creates <paramref name="path"/> and any missing parents 0700; an existing directory keeps its mode.</summary>
    public static void CreateDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return;
        }

        // Top-down, one at a time: Directory.CreateDirectory's mode applies only to the last directory it creates.
        var missing = new Stack<string>();
        for (var current = Path.GetFullPath(path); !Directory.Exists(current); current = Path.GetDirectoryName(current)!)
        {
            missing.Push(current);
        }

        foreach (var directory in missing)
        {
            Directory.CreateDirectory(directory, DirectoryMode);
        }
    }

    /// <summary>Options for a <see cref="FileStream"/> that creates its file 0600 (an existing file keeps its mode).</summary>
    public static FileStreamOptions Options(System.IO.FileMode mode, FileAccess access, FileShare share)
    {
        var options = new FileStreamOptions { Mode = mode, Access = access, Share = share };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = FileMode;
        }

        return options;
    }

    /// <summary>
    /// Creates <paramref name="path"/> empty and 0600 unless it exists. SQLite gives its <c>-wal</c>, <c>-shm</c> and
    /// <c>-journal</c> files the mode of the database file, so creating that first makes them all private.
    /// </summary>
    public static void CreateEmptyFileIfMissing(string path)
    {
        if (File.Exists(path))
        {
            return;
        }

        try
        {
            using var _ = new FileStream(path, Options(System.IO.FileMode.CreateNew, FileAccess.Write, FileShare.ReadWrite));
        }
        catch (IOException) when (File.Exists(path))
        {
            // Created by someone else meanwhile: theirs is used.
        }
    }

    /// <summary>
    /// <paramref name="root"/> and every file and directory below it that grants any access to group or others, with
    /// its mode in octal, in no particular order. Symbolic links are neither reported (their own mode means nothing)
    /// nor followed; entries that cannot be read are skipped.
    /// </summary>
    public static IEnumerable<(string Path, string Mode)> GroupOrOtherAccessibleUnder(string root)
    {
        if (IsGroupOrOtherAccessible(root, out var rootMode))
        {
            yield return (root, rootMode);
        }

        if (OperatingSystem.IsWindows() || !Directory.Exists(root))
        {
            yield break;
        }

        var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.ReparsePoint };
        foreach (var path in Directory.EnumerateFileSystemEntries(root, "*", options))
        {
            string? open = null;
            try
            {
                open = IsGroupOrOtherAccessible(path, out var mode) ? mode : null;
            }
            catch (Exception error) when (error is IOException or UnauthorizedAccessException)
            {
                // Removed or made unreadable while the walk ran (a finished upload, a collected blob): nothing to report.
            }

            if (open is not null)
            {
                yield return (path, open);
            }
        }
    }

    /// <summary>
    /// Whether the file or directory at <paramref name="path"/> exists and grants any access to group or others;
    /// <paramref name="mode"/> is its mode in octal.
    /// </summary>
    public static bool IsGroupOrOtherAccessible(string path, out string mode)
    {
        mode = string.Empty;
        if (OperatingSystem.IsWindows() || !(File.Exists(path) || Directory.Exists(path)))
        {
            return false;
        }

        var unixMode = File.GetUnixFileMode(path);
        mode = Convert.ToString((int)unixMode, 8).PadLeft(4, '0');
        return (unixMode & GroupOrOther) != 0;
    }
}
