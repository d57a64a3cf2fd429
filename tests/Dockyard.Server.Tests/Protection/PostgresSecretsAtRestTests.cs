using System.Net;
using Dockyard.Server.Data;
using Dockyard.Server.Ldap;
using Dockyard.Server.Protection;
using Dockyard.Server.Tests.Hosting;
using Dockyard.Server.Tests.Infrastructure;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Dockyard.Server.Tests.Protection;

/// <summary>
/// <see cref="SecretsAtRestTests"/> checks the SQLite files; here the same secrets kept in PostgreSQL: every signing
/// key, data-protection key, webhook secret and the LDAP bind password is a sealed <c>dy1:</c> envelope in its table,
/// read as another database client (a dump, a replica, a backup) would.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresSecretsAtRestTests(PostgresFixture postgres) : IDisposable
{
    private readonly TempDirectory _root = new("pg-secrets");

    public void Dispose() => _root.Dispose();

    [Fact]
    public async Task SecretsStoredInPostgres_AreSealedEnvelopes_ThatTheServerStillReads()
    {
        await using var server = await SecretsTestServer.StartAsync(_root.Combine("data"), database: TestDatabase.Postgres(postgres));
        await server.StoreEverySecretAsync("admin/app");
        var database = server.Get<IOptions<DatabaseOptions>>().Value;
        Assert.Equal(DatabaseProvider.Postgres, database.Provider);
        var connectionString = database.ConnectionString!;

        var signingKeys = await QueryAsync(connectionString, "SELECT private_key_pem FROM signing_keys");
        var dataProtectionKeys = await QueryAsync(connectionString, "SELECT value_json FROM settings WHERE key LIKE 'data-protection/%'");
        var webhookSecrets = await QueryAsync(connectionString, "SELECT secret FROM webhooks");
        var bindPasswords = await QueryAsync(connectionString, "SELECT value_json::json ->> 'bindPassword' FROM settings WHERE key = 'ldap'");
        foreach (var (kind, values) in new[] { ("signing key", signingKeys), ("data-protection key", dataProtectionKeys), ("webhook secret", webhookSecrets), ("LDAP bind password", bindPasswords) })
        {
            Assert.True(values.Count > 0, $"no {kind} stored");
            Assert.All(values, value => Assert.True(value.StartsWith("dy1:", StringComparison.Ordinal) && SecretProtector.IsProtected(value), $"{kind} stored in clear"));
        }

        var everything = string.Concat(signingKeys.Concat(dataProtectionKeys).Concat(webhookSecrets).Concat(bindPasswords));
        Assert.DoesNotContain("PRIVATE KEY", everything, StringComparison.Ordinal);
        Assert.DoesNotContain(SecretsTestServer.WebhookSecret, everything, StringComparison.Ordinal);
        Assert.DoesNotContain(SecretsTestServer.BindPassword, everything, StringComparison.Ordinal);

        // Sealed, not lost: the server opens each one.
        var protector = server.Get<SecretProtector>();
        Assert.Equal(SecretsTestServer.WebhookSecret, protector.Unprotect(Assert.Single(webhookSecrets)));
        Assert.Equal(SecretsTestServer.BindPassword, (await server.Get<LdapSettingsStore>().GetAsync(CancellationToken.None)).BindPassword);
        Assert.All(signingKeys, value => Assert.Contains("PRIVATE KEY", protector.Unprotect(value), StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.OK, await (await server.RegistryAsync("admin/app")).StatusOfAsync(HttpMethod.Get, "/v2/admin/app/manifests/1.0"));
    }

    private static async Task<List<string>> QueryAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<string>();
        while (await reader.ReadAsync())
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }
}
