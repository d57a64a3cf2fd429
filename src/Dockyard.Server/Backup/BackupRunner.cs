using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Dockyard.Registry;
using Dockyard.Registry.Maintenance;
using Dockyard.Registry.Storage;
using Dockyard.Server.Audit;
using Dockyard.Server.Data;
using Dockyard.Server.Errors;
using Dockyard.Server.Observability;
using Dockyard.Server.Protection;
using Dockyard.Server.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Dockyard.Server.Backup;

/// <summary>
/// <c>dockyard backup DEST</c>, online: holds the garbage-collection lease for the whole run (no collection deletes
/// a blob the snapshot references while it is copied; the lease is a database row, so the server's collector sees
/// it), takes a consistent snapshot of the database (SQLite's online-backup API; <c>pg_dump</c> for PostgreSQL), then
/// copies each blob the snapshot references that DEST lacks (hashed while copied), writes the repository links the
/// snapshot's manifests and tags need (so <c>reindex</c> works on the copy), the key and config files, and
/// <c>backup.json</c> last. Pushes continue meanwhile; what they add after the snapshot is in the next backup.
/// Recorded as <c>system.backup</c> (also when it fails).
/// </summary>
internal sealed class BackupRunner(
    IOptions<DataDirectoryOptions> dataDirectory,
    IOptions<DatabaseOptions> database,
    IOptions<StorageOptions> storageOptions,
    IDbContextFactory<DockyardDbContext> contexts,
    IStorageDriver storage,
    IGarbageCollectionLease lease,
    SecretKeyFile secretKey,
    IHostEnvironment environment,
    AuditedOperations audited,
    TimeProvider time)
{
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(1);

    public async Task<BackupResult> RunAsync(string destination, TimeSpan gcWait, TextWriter progress, CancellationToken cancellationToken)
    {
        var target = Path.GetFullPath(destination);
        return await audited.RunAsync(
            Caller.System.With("via", "cli"),
            new AuditedAction(AuditActions.SystemBackup, "system/backup").WithFields(("destination", target)),
            _ => Task.FromResult(AccessDecision.Allowed),
            token => BackupAsync(target, gcWait, progress, token),
            cancellationToken,
            resultOf: r => AuditedResult.Of(
                ("blobs", r.Manifest.Counts.Blobs), ("bytes", r.Manifest.Counts.Bytes), ("blobsCopied", r.BlobsCopied), ("bytesCopied", r.BytesCopied),
                ("repositories", r.Manifest.Counts.Repositories), ("manifests", r.Manifest.Counts.Manifests), ("tags", r.Manifest.Counts.Tags),
                ("lastAuditId", r.Manifest.Counts.LastAuditId)));
    }

    private async Task<BackupResult> BackupAsync(string target, TimeSpan gcWait, TextWriter progress, CancellationToken cancellationToken)
    {
        var data = dataDirectory.Value.FullPath;
        if (IsSameOrUnder(target, data) || IsSameOrUnder(data, target))
        {
            throw DomainException.Conflict($"The backup destination {target} and the data directory {data} must not contain each other.");
        }

        PrivateFiles.CreateDirectory(target);

        // Until backup.json is written again the directory is not a complete backup.
        File.Delete(Path.Combine(target, BackupManifest.FileName));
        await using var fence = await FenceGarbageCollectionAsync(gcWait, progress, cancellationToken);
        var started = time.GetUtcNow();
        var provider = database.Value.Provider;
        var databaseFile = provider == DatabaseProvider.Sqlite ? BackupManifest.SqliteDatabaseFile : BackupManifest.PostgresDumpFile;
        var partial = Path.Combine(target, $".{databaseFile}.partial");
        File.Delete(partial);
        progress.WriteLine($"backup: snapshot of the {provider} database");
        var snapshot = provider == DatabaseProvider.Sqlite
            ? await SnapshotSqliteAsync(partial, cancellationToken)
            : await DumpPostgresAsync(partial, cancellationToken);

        var blobsIncluded = storageOptions.Value.Driver == StorageDriverKind.Filesystem;
        long copied = 0, copiedBytes = 0, beingDeleted = 0;
        if (blobsIncluded)
        {
            (copied, copiedBytes, beingDeleted) = await CopyBlobsAsync(snapshot, target, progress, cancellationToken);
            await WriteLinksAsync(snapshot, target, cancellationToken);
        }

        var keys = await CopyKeysAsync(target, cancellationToken);
        var config = await CopyConfigAsync(target, cancellationToken);
        File.Move(partial, Path.Combine(target, databaseFile), overwrite: true);
        var manifest = new BackupManifest
        {
            Version = BuildInfo.Current.Version,
            Commit = BuildInfo.Current.Commit,
            Time = started,
            SchemaVersion = snapshot.SchemaVersion,
            DatabaseProvider = provider.ToString(),
            Database = databaseFile,
            StorageDriver = storageOptions.Value.Driver.ToString(),
            BlobsIncluded = blobsIncluded,
            Counts = snapshot.Counts,
            KeyFiles = keys,
            ConfigFiles = config,
            Blobs = snapshot.Blobs,
        };
        await VerifiedCopy.WriteAsync(Path.Combine(target, BackupManifest.FileName), JsonSerializer.SerializeToUtf8Bytes(manifest, BackupManifest.Json), cancellationToken);
        return new BackupResult(target, manifest, copied, copiedBytes, beingDeleted);
    }

    /// <summary>Takes the collection lease, waiting up to <paramref name="wait"/> for a running collection to finish.</summary>
    private async Task<IAsyncDisposable> FenceGarbageCollectionAsync(TimeSpan wait, TextWriter progress, CancellationToken cancellationToken)
    {
        var waited = Stopwatch.StartNew();
        var told = false;
        while (true)
        {
            if (await lease.TryAcquireAsync(cancellationToken) is { } held)
            {
                return held;
            }

            if (waited.Elapsed >= wait)
            {
                throw DomainException.Conflict($"A garbage collection kept running for {wait.TotalSeconds:0} s; the backup did not start. Run it again when the collection has finished (or give --gc-wait).");
            }

            if (!told)
            {
                progress.WriteLine("backup: waiting for a running garbage collection to finish");
                told = true;
            }

            await Task.Delay(TimeSpan.FromSeconds(1), time, cancellationToken);
        }
    }

    private async Task<DatabaseSnapshot> SnapshotSqliteAsync(string partial, CancellationToken cancellationToken)
    {
        string source;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            source = db.Database.GetConnectionString()!;
        }

        PrivateFiles.CreateEmptyFileIfMissing(partial);
        await using (var live = new SqliteConnection(new SqliteConnectionStringBuilder(source) { Mode = SqliteOpenMode.ReadWrite, Pooling = false }.ToString()))
        await using (var copy = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = partial, Pooling = false }.ToString()))
        {
            await live.OpenAsync(cancellationToken);
            await copy.OpenAsync(cancellationToken);

            // One step under one read transaction: a consistent snapshot; WAL readers do not block the server's writers.
            live.BackupDatabase(copy);
            await using var journal = copy.CreateCommand();
            journal.CommandText = "PRAGMA journal_mode=DELETE";
            await journal.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var reader = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = partial, Mode = SqliteOpenMode.ReadWrite, Pooling = false }.ToString());
        await reader.OpenAsync(cancellationToken);
        return await DatabaseSnapshot.ReadAsync(reader, cancellationToken);
    }

    /// <summary>
    /// pg_dump (custom format) of the database, then its listing read from the live database: collection is fenced, so
    /// no blob the dump references has gone, and a blob pushed since is merely listed in addition.
    /// </summary>
    private async Task<DatabaseSnapshot> DumpPostgresAsync(string partial, CancellationToken cancellationToken)
    {
        var settings = new NpgsqlConnectionStringBuilder(database.Value.ConnectionString);
        var start = new ProcessStartInfo("pg_dump") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in new[] { "--format=custom", "--no-owner", $"--file={partial}" })
        {
            start.ArgumentList.Add(argument);
        }

        // libpq reads these; the password never appears on a command line.
        start.Environment["PGHOST"] = settings.Host;
        start.Environment["PGPORT"] = settings.Port.ToString(CultureInfo.InvariantCulture);
        start.Environment["PGDATABASE"] = settings.Database;
        start.Environment["PGUSER"] = settings.Username;
        start.Environment["PGPASSWORD"] = settings.Password;
        PrivateFiles.CreateEmptyFileIfMissing(partial);
        using (var process = Process.Start(start) ?? throw new InvalidOperationException("pg_dump did not start"))
        {
            var errors = process.StandardError.ReadToEndAsync(cancellationToken);
            await process.StandardOutput.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken);
            if (process.ExitCode != 0)
            {
                throw DomainException.Conflict($"pg_dump failed with exit code {process.ExitCode}: {(await errors).Trim()}");
            }
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync(cancellationToken);
        return await DatabaseSnapshot.ReadAsync(connection, cancellationToken);
    }

    private async Task<(long Copied, long Bytes, long BeingDeleted)> CopyBlobsAsync(DatabaseSnapshot snapshot, string target, TextWriter progress, CancellationToken cancellationToken)
    {
        long done = 0, copied = 0, bytes = 0, present = 0, beingDeleted = 0;
        var missing = new List<string>();
        var total = snapshot.Blobs.Count;
        var lastReport = Stopwatch.StartNew();
        foreach (var blob in snapshot.Blobs)
        {
            var relative = StoragePaths.Blob(Digest.Parse(blob.Digest));
            var path = Path.Combine(target, BackupManifest.StorageDirectory, relative);
            if (new FileInfo(path) is { Exists: true } existing && existing.Length == blob.Size)
            {
                present++;
            }
            else
            {
                await using var source = await storage.OpenReadAsync(relative, 0, cancellationToken);
                if (source is null)
                {
                    if (snapshot.BlobsBeingDeleted.Contains(blob.Digest))
                    {
                        beingDeleted++;
                    }
                    else
                    {
                        missing.Add(blob.Digest);
                    }
                }
                else
                {
                    bytes += await VerifiedCopy.CopyBlobAsync(source, path, blob, cancellationToken);
                    copied++;
                }
            }

            done++;
            if (lastReport.Elapsed >= ProgressInterval || done == total)
            {
                progress.WriteLine($"backup: blobs {done}/{total} ({copied} copied, {present} already in the backup), {Mebibytes(bytes)} copied");
                lastReport.Restart();
            }
        }

        if (missing.Count > 0)
        {
            throw DomainException.Conflict($"{missing.Count} blobs the database references are missing from storage (first: {missing[0]}); run dockyard fsck. The backup is incomplete.");
        }

        return (copied, bytes, beingDeleted);
    }

    /// <summary>Writes the snapshot's manifest and tag links afresh (tags move; links of the live storage may be newer than the snapshot).</summary>
    private static async Task WriteLinksAsync(DatabaseSnapshot snapshot, string target, CancellationToken cancellationToken)
    {
        var root = Path.Combine(target, BackupManifest.StorageDirectory);
        var partial = Path.Combine(root, $".{StoragePaths.RepositoriesRoot}.partial");
        if (Directory.Exists(partial))
        {
            Directory.Delete(partial, recursive: true);
        }

        foreach (var (repository, digest, mediaType) in snapshot.Manifests)
        {
            var link = StoragePaths.ManifestLink(RepositoryName.Parse(repository), Digest.Parse(digest));
            await VerifiedCopy.WriteAsync(Path.Combine(partial, link[(StoragePaths.RepositoriesRoot.Length + 1)..]), Encoding.UTF8.GetBytes(mediaType), cancellationToken);
        }

        foreach (var (repository, tag, digest) in snapshot.Tags)
        {
            var link = StoragePaths.TagLink(RepositoryName.Parse(repository), tag);
            await VerifiedCopy.WriteAsync(Path.Combine(partial, link[(StoragePaths.RepositoriesRoot.Length + 1)..]), Encoding.UTF8.GetBytes(digest), cancellationToken);
        }

        PrivateFiles.CreateDirectory(partial);
        var final = Path.Combine(root, StoragePaths.RepositoriesRoot);
        if (Directory.Exists(final))
        {
            Directory.Delete(final, recursive: true);
        }

        Directory.Move(partial, final);
    }

    /// <summary>The secrets key (wherever it is configured) and the key and certificate files at the top of the data directory.</summary>
    private async Task<IReadOnlyList<BackupFile>> CopyKeysAsync(string target, CancellationToken cancellationToken)
    {
        var data = dataDirectory.Value.FullPath;
        var files = new List<BackupFile>();
        var keyPath = secretKey.Path;
        if (File.Exists(keyPath))
        {
            await VerifiedCopy.CopyFileAsync(keyPath, Path.Combine(target, BackupManifest.KeysDirectory, SecretKeyFile.DefaultFileName), cancellationToken);
            files.Add(new BackupFile(SecretKeyFile.DefaultFileName, keyPath, Path.GetDirectoryName(keyPath) == data));
        }

        foreach (var path in Directory.EnumerateFiles(data).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(path);
            if (path != keyPath && name != SecretKeyFile.DefaultFileName && Path.GetExtension(path) is ".key" or ".pem" or ".crt")
            {
                await VerifiedCopy.CopyFileAsync(path, Path.Combine(target, BackupManifest.KeysDirectory, name), cancellationToken);
                files.Add(new BackupFile(name, path, InDataDirectory: true));
            }
        }

        return files;
    }

    /// <summary>The configuration files in use: appsettings(.ENVIRONMENT).json of the content root, and DOCKYARD_CONFIG's file.</summary>
    private async Task<IReadOnlyList<BackupFile>> CopyConfigAsync(string target, CancellationToken cancellationToken)
    {
        var candidates = new List<string>
        {
            Path.Combine(environment.ContentRootPath, "appsettings.json"),
            Path.Combine(environment.ContentRootPath, $"appsettings.{environment.EnvironmentName}.json"),
        };
        if (Environment.GetEnvironmentVariable("DOCKYARD_CONFIG") is { Length: > 0 } configured)
        {
            candidates.Add(Path.GetFullPath(configured));
        }

        var files = new List<BackupFile>();
        foreach (var path in candidates.Distinct(StringComparer.Ordinal).Where(File.Exists))
        {
            var name = $"{files.Count}-{Path.GetFileName(path)}";
            await VerifiedCopy.CopyFileAsync(path, Path.Combine(target, BackupManifest.ConfigDirectory, name), cancellationToken);
            files.Add(new BackupFile(name, path, IsSameOrUnder(path, dataDirectory.Value.FullPath)));
        }

        return files;
    }

    private static bool IsSameOrUnder(string path, string directory)
    {
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory));
        return full == root || full.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal);
    }

    internal static string Mebibytes(long bytes) => (bytes / (1024.0 * 1024.0)).ToString("0.0", CultureInfo.InvariantCulture) + " MiB";
}
