namespace Dockyard.Server.Data;

/// <summary>What a command needs of the data directory; <see cref="DataDirectoryCheck"/> enforces it before anything opens it.</summary>
internal enum DataDirectoryAccess
{
    /// <summary>
    /// Writes (<c>serve</c> and the verbs that change data): the directory is created when missing and must be writable,
    /// and the database is created or migrated.
    /// </summary>
    Write,

    /// <summary>
    /// Works on existing data only (<c>audit verify</c>, <c>fsck</c>, <c>migrate --list</c>, dry runs, …): the directory and
    /// the database must exist; nothing is created and no migration is applied.
    /// </summary>
    Existing,
}
