using System.Text.Json;
using System.Text.Json.Serialization;

namespace Dockyard.Server.Backup;

/// <summary>
/// <c>backup.json</c>, written last: a backup directory without it is incomplete. It names the build and schema that
/// wrote the database, every blob the database references (digest and size) and the key and config files copied.
/// </summary>
internal sealed record BackupManifest
{
    public const string FileName = "backup.json";
    public const string SqliteDatabaseFile = "dockyard.db";
    public const string PostgresDumpFile = "dockyard.pgdump";
    public const string StorageDirectory = "storage";
    public const string KeysDirectory = "keys";
    public const string ConfigDirectory = "config";
    public const int CurrentFormat = 1;

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
    };

    public int Format { get; init; } = CurrentFormat;

    public required string Version { get; init; }

    public required string Commit { get; init; }

    public required DateTimeOffset Time { get; init; }

    /// <summary>The last migration applied to the backed-up database.</summary>
    public required string SchemaVersion { get; init; }

    public required string DatabaseProvider { get; init; }

    /// <summary>The database file in the backup: <see cref="SqliteDatabaseFile"/> or <see cref="PostgresDumpFile"/> (pg_dump custom format).</summary>
    public required string Database { get; init; }

    public required string StorageDriver { get; init; }

    /// <summary>Whether the blobs and repository links are in <c>storage/</c> (filesystem storage); else only listed.</summary>
    public required bool BlobsIncluded { get; init; }

    public required BackupCounts Counts { get; init; }

    public required IReadOnlyList<BackupFile> KeyFiles { get; init; }

    public required IReadOnlyList<BackupFile> ConfigFiles { get; init; }

    public required IReadOnlyList<BackupBlob> Blobs { get; init; }

    public static BackupManifest Read(string directory)
    {
        var path = Path.Combine(directory, FileName);
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"{path} does not exist: {directory} is not a complete Dockyard backup (backup.json is written last).");
        }

        return JsonSerializer.Deserialize<BackupManifest>(File.ReadAllBytes(path), Json)
            ?? throw new InvalidOperationException($"{path} is empty.");
    }
}
