using Dockyard.Server.Tests.Hosting;
using Dockyard.Server.Tests.Infrastructure;

namespace Dockyard.Server.Tests.Cli;

/// <summary>
/// <c>dockyard migrate</c> (the real binary) against each provider, and start-up with automatic migration off.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class MigrateCommandTests(PostgresFixture postgres) : IDisposable
{
    private readonly TempDirectory _data = new("migrate");

    public void Dispose() => _data.Dispose();

    public static TheoryData<string> Providers => ["Sqlite", "Postgres"];

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Migrate_FreshDatabase_ListsPendingAppliesWithProgressThenReportsCurrent(string provider)
    {
        var environment = await EnvironmentAsync(provider);
        if (provider == "Sqlite")
        {
            // `--list` reads only, so it needs an existing database: an empty file is an empty SQLite database.
            await File.WriteAllBytesAsync(_data.Combine("dockyard.db"), []);
        }

        var listed = await RunAsync(environment, "migrate", "--list");
        Assert.True(listed.ExitCode == 0, listed.Describe());
        Assert.Contains("pending  ", listed.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("_Initial", listed.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("0 applied, ", listed.StandardOutput, StringComparison.Ordinal);

        var migrated = await RunAsync(environment, "migrate");
        Assert.True(migrated.ExitCode == 0, migrated.Describe());
        Assert.Matches(@"migrate: \[1/\d+\] applying \d+_Initial", migrated.StandardOutput);
        Assert.Matches(@"migrate: \[1/\d+\] \d+_Initial applied in \d+ ms", migrated.StandardOutput);
        Assert.Contains("migrate done: ", migrated.StandardOutput, StringComparison.Ordinal);

        var again = await RunAsync(environment, "migrate", "--list");
        Assert.True(again.ExitCode == 0, again.Describe());
        Assert.DoesNotContain("pending  ", again.StandardOutput, StringComparison.Ordinal);
        Assert.Contains(" pending", again.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("applied  ", again.StandardOutput, StringComparison.Ordinal);

        var current = await RunAsync(environment, "migrate");
        Assert.True(current.ExitCode == 0, current.Describe());
        Assert.Contains("schema is current", current.StandardOutput, StringComparison.Ordinal);

        // With automatic migration off, a migrated database starts.
        await using var server = await InProcessDockyard.StartAsync(dataDirectory: _data.Combine("server"), settings: Settings(environment, migrateOnStart: false));
        using var http = server.CreateClient();
        Assert.Equal(System.Net.HttpStatusCode.OK, (await http.GetAsync("/v2/_catalog")).StatusCode);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Start_MigrateOnStartOffWithPendingMigrations_FailsNamingTheMigrateVerb(string provider)
    {
        var environment = await EnvironmentAsync(provider);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            InProcessDockyard.StartAsync(dataDirectory: _data.Combine("server"), settings: Settings(environment, migrateOnStart: false)));

        Assert.Contains("dockyard migrate", error.Message, StringComparison.Ordinal);
        Assert.Contains("_Initial", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task NewerSchema_ListShowsItUnknown_MigrateVerbsAndServeRefuseNamingBothVersions(string provider)
    {
        const string Future = "20991231000000_FromTheFuture";
        var environment = await EnvironmentAsync(provider);
        var migrated = await RunAsync(environment, "migrate");
        Assert.True(migrated.ExitCode == 0, migrated.Describe());
        var latest = Lines((await RunAsync(environment, "migrate", "--list")).StandardOutput).Last(l => l.StartsWith("applied  ", StringComparison.Ordinal))["applied  ".Length..];
        await InsertHistoryRowAsync(environment, Future);

        var listed = await RunAsync(environment, "migrate", "--list");

        Assert.True(listed.ExitCode == 0, listed.Describe());
        Assert.Contains($"unknown (newer than this build)  {Future}", Lines(listed.StandardOutput));
        Assert.DoesNotContain($"applied  {Future}", Lines(listed.StandardOutput));
        var expected = $"dockyard: the database schema is {Future} (newer than this build's {latest}, Dockyard {Dockyard.Server.Observability.BuildInfo.Current.Version}); " +
            "run the newer Dockyard or restore the backup taken before the upgrade";
        string[][] refusing =
        [
            ["migrate"],
            ["audit", "verify"],
            ["serve", "--urls", $"http://127.0.0.1:{LoopbackPorts.Free()}"],
        ];
        foreach (var verb in refusing)
        {
            var result = await RunAsync(environment, verb);
            Assert.True(result.ExitCode == 2, $"{string.Join(' ', verb)}: {result.Describe()}");
            Assert.Equal([expected], Lines(result.StandardError));
        }
    }

    [Fact]
    public async Task Migrate_UnreachableDatabase_ExitsNonZeroWithOneLineError()
    {
        // A loopback port nobody listens on (taken from the kernel and released), and a wrong password on the real one.
        int closedPort;
        using (var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0))
        {
            listener.Start();
            closedPort = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        }

        var environment = new Dictionary<string, string?>
        {
            ["Dockyard__Database__Provider"] = "Postgres",
            ["Dockyard__Database__ConnectionString"] = $"Host=127.0.0.1;Port={closedPort};Database=dockyard;Username=postgres;Timeout=5",
        };

        var result = await RunAsync(environment, "migrate");

        Assert.True(result.ExitCode == 1, result.Describe());
        Assert.Contains("migrate failed:", result.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.StandardError, StringComparison.Ordinal);
    }

    private async Task<Dictionary<string, string?>> EnvironmentAsync(string provider)
    {
        var environment = new Dictionary<string, string?>();
        if (provider == "Postgres")
        {
            foreach (var (key, value) in await TestDatabase.Postgres(postgres).CreateAsync())
            {
                environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
            }
        }
        else
        {
            // SQLite lives in the data directory: point the verb and the server at the same file.
            environment["Dockyard__Database__ConnectionString"] = $"Data Source={_data.Combine("dockyard.db")}";
        }

        return environment;
    }

    private Task<ProcessResult> RunAsync(IReadOnlyDictionary<string, string?> environment, params string[] arguments) =>
        DockyardProcess.RunVerbAsync([.. arguments, "--data", Directory.CreateDirectory(_data.Combine("cli")).FullName], environment, TimeSpan.FromSeconds(90));

    private static async Task InsertHistoryRowAsync(Dictionary<string, string?> environment, string migration)
    {
        var connectionString = environment["Dockyard__Database__ConnectionString"]!;
        const string Insert = "INSERT INTO \"__EFMigrationsHistory\" (\"MigrationId\", \"ProductVersion\") VALUES (@id, '99.0.0')";
        if (environment.TryGetValue("Dockyard__Database__Provider", out var provider) && provider == "Postgres")
        {
            await using var connection = new Npgsql.NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            await using var command = new Npgsql.NpgsqlCommand(Insert, connection);
            command.Parameters.AddWithValue("id", migration);
            await command.ExecuteNonQueryAsync();
            return;
        }

        await using (var sqlite = new Microsoft.Data.Sqlite.SqliteConnection(connectionString + ";Pooling=false"))
        {
            await sqlite.OpenAsync();
            await using var command = sqlite.CreateCommand();
            command.CommandText = Insert;
            command.Parameters.AddWithValue("@id", migration);
            await command.ExecuteNonQueryAsync();
        }
    }

    private static List<string> Lines(string text) => [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r'))];

    private static Dictionary<string, string?> Settings(Dictionary<string, string?> environment, bool migrateOnStart)
    {
        var settings = environment.ToDictionary(e => e.Key.Replace("__", ":", StringComparison.Ordinal), e => e.Value);
        settings["Dockyard:Database:MigrateOnStart"] = migrateOnStart ? "true" : "false";
        return settings;
    }
}
