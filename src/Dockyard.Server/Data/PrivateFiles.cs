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
    /// nor followed. A directory that cannot be listed is passed to <paramref name="unreadable"/> with the reason
    /// (what it holds went unchecked, so a caller must not call the tree private); one removed while the walk runs
    /// (a finished upload, a collected blob) is not.
    /// </summary>
    public static IEnumerable<(string Path, string Mode)> GroupOrOtherAccessibleUnder(string root, Action<string, string> unreadable)
    {
        if (IsGroupOrOtherAccessible(root, out var rootMode))
        {
            yield return (root, rootMode);
        }

        if (OperatingSystem.IsWindows() || !Directory.Exists(root))
        {
            yield break;
        }

        var pending = new Stack<string>();
        pending.Push(root);
        while (pending.TryPop(out var directory))
        {
            foreach (var entry in List(directory, unreadable))
            {
                if (Mode(entry, unreadable) is not { } mode)
                {
                    continue;
                }

                if (entry.Attributes.HasFlag(FileAttributes.Directory))
                {
                    pending.Push(entry.FullName);
                }

                if ((mode & GroupOrOther) != 0)
                {
                    yield return (entry.FullName, Octal(mode));
                }
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
        mode = Octal(unixMode);
        return (unixMode & GroupOrOther) != 0;
    }

    /// <summary>The entries of <paramref name="directory"/>; none, after telling <paramref name="unreadable"/>, when it cannot be listed.</summary>
    private static List<FileSystemInfo> List(string directory, Action<string, string> unreadable)
    {
        try
        {
            // The overload without options enumerates everything (hidden and system entries too) and throws for a
            // directory that cannot be opened, instead of making it look empty.
            return [.. new DirectoryInfo(directory).EnumerateFileSystemInfos()];
        }
        catch (DirectoryNotFoundException)
        {
            return [];
        }
        catch (UnauthorizedAccessException)
        {
            unreadable(directory, "permission denied");
            return [];
        }
        catch (IOException error) when (Directory.Exists(directory))
        {
            unreadable(directory, error.Message);
            return [];
        }
        catch (IOException)
        {
            return [];
        }
    }

    /// <summary>
    /// The mode of <paramref name="entry"/>; none for a symbolic link, an entry removed meanwhile, or one whose mode
    /// cannot be read (its directory is not searchable), which <paramref name="unreadable"/> is told.
    /// </summary>
    private static UnixFileMode? Mode(FileSystemInfo entry, Action<string, string> unreadable)
    {
        try
        {
            // The mode first: it throws when the entry cannot be examined, where Attributes would answer -1 (all flags).
            var mode = entry.UnixFileMode;
            return entry.Attributes.HasFlag(FileAttributes.ReparsePoint) ? null : mode;
        }
        catch (UnauthorizedAccessException)
        {
            unreadable(entry.FullName, "permission denied");
            return null;
        }
        catch (IOException)
        {
            // Removed while the walk ran: nothing to report.
            return null;
        }
    }

    private static string Octal(UnixFileMode mode) => Convert.ToString((int)mode, 8).PadLeft(4, '0');
}
