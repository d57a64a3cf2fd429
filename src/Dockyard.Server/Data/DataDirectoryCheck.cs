namespace Dockyard.Server.Data;

/// <summary>
/// Checks the data directory before anything opens it, so that a mistyped path, a read-only mount, a directory the
/// account cannot write, or root working on another account's directory ends the command with one sentence
/// (<see cref="DataRefusedException"/>) instead of a new empty database reported as "OK", a server that starts
/// "healthy" and fails every request, or root-owned files that the service account can no longer write.
/// </summary>
internal static class DataDirectoryCheck
{
    private const string WriteProbePrefix = ".dockyard-write-check-";

    /// <summary>Runs the checks <paramref name="access"/> calls for; throws <see cref="DataRefusedException"/> on the first that fails.</summary>
    /// <param name="path">The data directory, full path.</param>
    /// <param name="access">What the command needs.</param>
    /// <param name="databaseFile">The SQLite database file (full path), or null when the database is not a local file.</param>
    /// <param name="command">The command as typed after <c>dockyard</c>, for the suggestion to run it as the directory's owner.</param>
    public static void Run(string path, DataDirectoryAccess access, string? databaseFile, string command)
    {
        if (OperatingSystem.IsWindows())
        {
            if (access == DataDirectoryAccess.Write)
            {
                PrivateFiles.CreateDirectory(path);
            }

            return;
        }

        if (File.Exists(path))
        {
            throw new DataRefusedException($"the data directory {path} is a file, not a directory");
        }

        RefuseRootOnAnotherAccountsDirectory(path, command);
        if (access == DataDirectoryAccess.Existing)
        {
            RequireExisting(path, databaseFile, command);
            return;
        }

        CreateIfMissing(path);
        ProbeWrite(path);
        RequireWritableEntries(path, databaseFile);
    }

    /// <summary>
    /// Root could read and write there, but every file it created (a database journal, a key, a directory of blobs)
    /// would belong to root and break the service account's next write: the command must run as the owner.
    /// </summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static void RefuseRootOnAnotherAccountsDirectory(string path, string command)
    {
        if (!Environment.IsPrivilegedProcess || UnixAccounts.OwnerId(path) is not { } owner || owner == 0)
        {
            return;
        }

        var name = UnixAccounts.UserName(owner);
        throw new DataRefusedException(
            $"the data directory {path} belongs to {name} (uid {owner}), not root: files root creates there would break Dockyard " +
            $"running as {name}, so run this as {name}: sudo -u {name} dockyard {command} (or runuser -u {name} -- dockyard {command})");
    }

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static void RequireExisting(string path, string? databaseFile, string command)
    {
        if (!Directory.Exists(path))
        {
            throw new DataRefusedException(
                $"no Dockyard data directory at {path} (this command creates nothing; check --data or {DataDirectoryOptions.Key})");
        }

        if (!UnixAccounts.CanReadDirectory(path))
        {
            var owner = UnixAccounts.OwnerId(path) is { } uid ? UnixAccounts.UserName(uid) : "its owner";
            throw new DataRefusedException(
                $"cannot read the data directory {path} ({UnixAccounts.Describe(path)}) as user {UnixAccounts.CurrentUserName()}: " +
                $"permission denied; run this as {owner}: sudo -u {owner} dockyard {command}");
        }

        if (databaseFile is not null && !File.Exists(databaseFile))
        {
            throw new DataRefusedException(
                $"no Dockyard database at {databaseFile} (this command creates nothing; check --data, or start the server once to create it)");
        }
    }

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static void CreateIfMissing(string path)
    {
        if (Directory.Exists(path))
        {
            return;
        }

        try
        {
            PrivateFiles.CreateDirectory(path);
        }
        catch (Exception error) when (error is UnauthorizedAccessException or IOException)
        {
            var parent = NearestExistingAncestor(path);
            var user = UnixAccounts.CurrentUserName();
            throw new DataRefusedException(
                $"cannot create the data directory {path}: {parent} ({UnixAccounts.Describe(parent)}) is not writable by user {user} " +
                $"({Reason(error)}); create it for that user first, e.g. as root: install -d -m 0700 -o {user} {path}");
        }
    }

    /// <summary>
    /// Creates and removes an empty file: the kernel's own answer, which mode bits are not (a read-only mount refuses
    /// even root). Nothing is written into it, so a full disk does not stop a start (reads can still be served).
    /// </summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static void ProbeWrite(string path)
    {
        var probe = Path.Combine(path, WriteProbePrefix + Guid.NewGuid().ToString("N"));
        try
        {
            var options = PrivateFiles.Options(FileMode.CreateNew, FileAccess.Write, FileShare.None);
            options.Options = FileOptions.DeleteOnClose;
            using var _ = new FileStream(probe, options);
        }
        catch (Exception error) when (error is UnauthorizedAccessException or IOException)
        {
            throw new DataRefusedException(
                $"cannot write to the data directory {path} ({UnixAccounts.Describe(path)}) as user {UnixAccounts.CurrentUserName()}: {Reason(error)}");
        }
    }

    /// <summary>
    /// The files and directories Dockyard writes right under the data directory (the database and its journals, the
    /// secrets key, the storage directories) must be writable too: one left behind by root breaks every write later.
    /// </summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static void RequireWritableEntries(string path, string? databaseFile)
    {
        var files = new List<string> { Path.Combine(path, "secrets.key") };
        if (databaseFile is not null)
        {
            files.AddRange([databaseFile, databaseFile + "-wal", databaseFile + "-shm", databaseFile + "-journal"]);
        }

        var directories = new List<string>();
        var storage = Path.Combine(path, "storage");
        if (Directory.Exists(storage))
        {
            directories.Add(storage);
            try
            {
                directories.AddRange(Directory.EnumerateDirectories(storage));
            }
            catch (Exception error) when (error is UnauthorizedAccessException or IOException)
            {
                // Not listable: the storage directory itself is reported below.
            }
        }

        var user = UnixAccounts.CurrentUserName();
        // Existence is asked again after a refusal: a running server (backup and other verbs run beside it) removes
        // journals and upload directories at any moment, and an entry that is gone cannot be the problem.
        var unwritable = files.Where(f => File.Exists(f) && !UnixAccounts.CanWriteFile(f) && File.Exists(f))
            .Concat(directories.Where(d => (!UnixAccounts.CanWriteDirectory(d) || !UnixAccounts.CanReadDirectory(d)) && Directory.Exists(d)))
            .FirstOrDefault();
        if (unwritable is not null)
        {
            throw new DataRefusedException(
                $"cannot write to {unwritable} ({UnixAccounts.Describe(unwritable)}) in the data directory as user {user}; " +
                $"give the data directory back to that user, e.g. as root: chown -R {user}: {path}");
        }
    }

    /// <summary>
    /// The SQLite database file the configuration names (full path): <c>dockyard.db</c> in the data directory unless a
    /// connection string names another; null for PostgreSQL or an in-memory database.
    /// </summary>
    public static string? SqliteDatabaseFile(string? provider, string? connectionString, DataDirectoryOptions dataDirectory)
    {
        if (Enum.TryParse<DatabaseProvider>(provider, ignoreCase: true, out var parsed) && parsed != DatabaseProvider.Sqlite)
        {
            return null;
        }

        if (string.IsNullOrWhiteSpace(connectionString))
        {
            return Path.Combine(dataDirectory.FullPath, "dockyard.db");
        }

        var builder = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(connectionString);
        return builder.Mode == Microsoft.Data.Sqlite.SqliteOpenMode.Memory || string.IsNullOrEmpty(builder.DataSource) || builder.DataSource == ":memory:"
            ? null
            : Path.GetFullPath(builder.DataSource);
    }

    /// <summary>This process's command line after the program, as an operator would retype it.</summary>
    public static string CurrentCommand()
    {
        var arguments = Environment.GetCommandLineArgs().Skip(1)
            .Select(a => a.Length > 0 && a.All(c => char.IsAsciiLetterOrDigit(c) || "-_./:=@,+".Contains(c, StringComparison.Ordinal)) ? a : $"'{a.Replace("'", "'\\''", StringComparison.Ordinal)}'");
        return string.Join(' ', arguments);
    }

    private static string NearestExistingAncestor(string path)
    {
        var current = Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(path));
        while (current is not null && !Directory.Exists(current))
        {
            current = Path.GetDirectoryName(current);
        }

        return current ?? Path.GetPathRoot(path) ?? "/";
    }

    /// <summary>The cause in a few words: "permission denied", "read-only file system", … (not the exception's path).</summary>
    private static string Reason(Exception error)
    {
        if (error is UnauthorizedAccessException)
        {
            return "permission denied";
        }

        // .NET words a failed system call as "<strerror> : '<path>'".
        var message = error.Message;
        var cut = message.IndexOf(" : '", StringComparison.Ordinal);
        var reason = cut > 0 ? message[..cut] : message;
        return reason.Length > 1 && char.IsUpper(reason[0]) && !char.IsUpper(reason[1]) ? char.ToLowerInvariant(reason[0]) + reason[1..] : reason;
    }
}
