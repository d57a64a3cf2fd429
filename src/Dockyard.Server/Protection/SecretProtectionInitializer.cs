using Dockyard.Server.Data;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace Dockyard.Server.Protection;

/// <summary>
/// At start, once the schema is current: loads (or creates) the secrets key — failing the start when the key file is
/// missing but sealed values exist —, seals the values each store still holds in clear (idempotent, so every replica
/// may do it), and warns when the data directory, the SQLite database or the key file is open to group or others.
/// </summary>
internal sealed partial class SecretProtectionInitializer(
    DatabaseInitializer database,
    SecretKeyFile keyFile,
    SecretProtector protector,
    IEnumerable<IProtectedSecretStore> stores,
    IOptions<DataDirectoryOptions> dataDirectory,
    IOptions<DatabaseOptions> databaseOptions,
    ILogger<SecretProtectionInitializer> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await database.Begin().WaitAsync(cancellationToken);
        await Task.Run(() => keyFile.Key, cancellationToken);
        foreach (var store in stores)
        {
            var count = await store.ProtectClearValuesAsync(protector, cancellationToken);
            if (count > 0)
            {
                LogSealed(logger, count, store.Name);
            }
        }

        foreach (var path in PrivatePaths())
        {
            if (PrivateFiles.IsGroupOrOtherAccessible(path, out var mode))
            {
                LogOpenToOthers(logger, path, mode);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>The paths that must be private: the data directory, the SQLite database file and the key file.</summary>
    internal IEnumerable<string> PrivatePaths()
    {
        yield return dataDirectory.Value.FullPath;
        if (databaseOptions.Value.Provider == DatabaseProvider.Sqlite)
        {
            var source = string.IsNullOrWhiteSpace(databaseOptions.Value.ConnectionString)
                ? Path.Combine(dataDirectory.Value.FullPath, "dockyard.db")
                : new SqliteConnectionStringBuilder(databaseOptions.Value.ConnectionString).DataSource;
            if (source.Length > 0 && source != ":memory:" && !source.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
            {
                yield return Path.GetFullPath(source);
            }
        }

        yield return keyFile.Path;
    }

    [LoggerMessage(EventId = 5201, Level = LogLevel.Information, Message = "Encrypted {Count} {Store} that were stored in clear")]
    private static partial void LogSealed(ILogger logger, int count, string store);

    [LoggerMessage(EventId = 5202, Level = LogLevel.Warning, Message = "{Path} is accessible to other local accounts (mode {Mode}); make it private (chmod go=)")]
    private static partial void LogOpenToOthers(ILogger logger, string path, string mode);
}
