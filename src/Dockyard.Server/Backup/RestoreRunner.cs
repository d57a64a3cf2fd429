using System.Diagnostics;
using Dockyard.Registry;
using Dockyard.Registry.Storage;
using Dockyard.Server.Audit;
using Dockyard.Server.Data;
using Dockyard.Server.Protection;
using Dockyard.Server.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace Dockyard.Server.Backup;

/// <summary>
/// Copies a backup into an empty data directory: the database, the blobs listed in <c>backup.json</c> (hashed while
/// copied), the repository links and the key files. Nothing is overwritten: a target that holds anything is refused.
/// Then <c>dockyard restore</c> (Cli/RestoreCommand) opens the database (migrated if the backup is older) and a <c>system.restore</c>
/// entry opens a new audit id range (<see cref="AuditIdRange"/>).
/// </summary>
internal sealed class RestoreRunner(
    IOptions<DataDirectoryOptions> dataDirectory,
    IOptions<DatabaseOptions> database,
    IOptions<StorageOptions> storageOptions,
    SecretKeyFile secretKey)
{
    /// <summary>Copies the files; returns the manifest read. Throws <see cref="InvalidOperationException"/> for a refused restore.</summary>
    public async Task<BackupManifest> CopyAsync(string source, TextWriter progress, CancellationToken cancellationToken)
    {
        var manifest = BackupManifest.Read(source);
        if (manifest.DatabaseProvider != nameof(DatabaseProvider.Sqlite) || !manifest.BlobsIncluded)
        {
            throw new InvalidOperationException(
                $"This backup is of a {manifest.DatabaseProvider} database with {manifest.StorageDriver} storage: restore it with pg_restore and your bucket tool (docs/operations.md, \"Backup and restore\").");
        }

        if (database.Value.Provider != DatabaseProvider.Sqlite || storageOptions.Value.Driver != StorageDriverKind.Filesystem)
        {
            throw new InvalidOperationException("dockyard restore fills an embedded (SQLite and filesystem) data directory; this configuration uses PostgreSQL or S3.");
        }

        var databasePath = string.IsNullOrWhiteSpace(database.Value.ConnectionString)
            ? Path.Combine(dataDirectory.Value.FullPath, BackupManifest.SqliteDatabaseFile)
            : Path.GetFullPath(new SqliteConnectionStringBuilder(database.Value.ConnectionString).DataSource);
        var storageRoot = string.IsNullOrWhiteSpace(storageOptions.Value.Path)
            ? Path.Combine(dataDirectory.Value.FullPath, BackupManifest.StorageDirectory)
            : Path.GetFullPath(storageOptions.Value.Path);
        if (File.Exists(databasePath) || (Directory.Exists(storageRoot) && Directory.EnumerateFileSystemEntries(storageRoot).Any()))
        {
            throw new InvalidOperationException($"{databasePath} or {storageRoot} already holds data; restore only into an empty data directory.");
        }

        progress.WriteLine($"restore: database ({manifest.SchemaVersion}, backed up {manifest.Time:u} by {manifest.Version} {manifest.Commit})");
        await VerifiedCopy.CopyFileAsync(Path.Combine(source, manifest.Database), databasePath, cancellationToken);
        await CopyBlobsAsync(manifest, source, storageRoot, progress, cancellationToken);
        await CopyTreeAsync(Path.Combine(source, BackupManifest.StorageDirectory, StoragePaths.RepositoriesRoot), Path.Combine(storageRoot, StoragePaths.RepositoriesRoot), cancellationToken);
        foreach (var key in manifest.KeyFiles)
        {
            var from = Path.Combine(source, BackupManifest.KeysDirectory, key.Name);
            var to = key.Name == SecretKeyFile.DefaultFileName ? secretKey.Path : Path.Combine(dataDirectory.Value.FullPath, key.Name);
            if (File.Exists(to))
            {
                if (!File.ReadAllBytes(to).AsSpan().SequenceEqual(File.ReadAllBytes(from)))
                {
                    throw new InvalidOperationException($"{to} exists and differs from the backup's {key.Name}; move it away or point the configuration at the backup's key.");
                }

                continue;
            }

            await VerifiedCopy.CopyFileAsync(from, to, cancellationToken);
            progress.WriteLine($"restore: key file {to}");
        }

        foreach (var config in manifest.ConfigFiles)
        {
            progress.WriteLine($"restore: configuration {config.OriginalPath} is in the backup as {Path.Combine(source, BackupManifest.ConfigDirectory, config.Name)}; put it back if it is lost");
        }

        return manifest;
    }

    private static async Task CopyBlobsAsync(BackupManifest manifest, string source, string storageRoot, TextWriter progress, CancellationToken cancellationToken)
    {
        long done = 0, bytes = 0;
        var lastReport = Stopwatch.StartNew();
        foreach (var blob in manifest.Blobs)
        {
            var relative = StoragePaths.Blob(Digest.Parse(blob.Digest));
            var from = Path.Combine(source, BackupManifest.StorageDirectory, relative);
            if (File.Exists(from))
            {
                await using var input = new FileStream(from, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, useAsync: true);
                bytes += await VerifiedCopy.CopyBlobAsync(input, Path.Combine(storageRoot, relative), blob, cancellationToken);
            }

            // A blob absent from the backup was being deleted by a collection when it was taken; fsck reports it if it matters.
            done++;
            if (lastReport.Elapsed >= TimeSpan.FromSeconds(1) || done == manifest.Blobs.Count)
            {
                progress.WriteLine($"restore: blobs {done}/{manifest.Blobs.Count}, {BackupRunner.Mebibytes(bytes)}");
                lastReport.Restart();
            }
        }
    }

    private static async Task CopyTreeAsync(string from, string to, CancellationToken cancellationToken)
    {
        PrivateFiles.CreateDirectory(to);
        if (!Directory.Exists(from))
        {
            return;
        }

        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            await VerifiedCopy.CopyFileAsync(file, Path.Combine(to, Path.GetRelativePath(from, file)), cancellationToken);
        }
    }
}
