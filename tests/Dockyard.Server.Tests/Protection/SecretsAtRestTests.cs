using System.Net;
using System.Security.Cryptography;
using System.Text;
using Dockyard.Server.Access;
using Dockyard.Server.Accounts;
using Dockyard.Server.Ldap;
using Dockyard.Server.Protection;
using Dockyard.Server.Tests.Infrastructure;
using Dockyard.Server.Tokens;
using Microsoft.Data.Sqlite;

namespace Dockyard.Server.Tests.Protection;

/// <summary>
/// Issue 14: a local account read the token-signing private key from <c>dockyard.db</c> and forged a JWT that pulled a
/// private repository. What a copy of the database files reveals, and what the secrets key file changes.
/// </summary>
public sealed class SecretsAtRestTests : IDisposable
{
    private const string Repository = "admin/private-app";

    private readonly TempDirectory _root = new("secrets");

    private string Data => _root.Combine("data");

    public void Dispose() => _root.Dispose();

    [Fact]
    public async Task DatabaseFiles_ReadByAnotherAccount_HoldNoSecretInClearAndNoKeyThatSignsATokenTheRegistryAccepts()
    {
        await using var server = await SecretsTestServer.StartAsync(Data);
        await server.StoreEverySecretAsync(Repository);

        // What another local account would copy: the database and its write-ahead log, byte for byte.
        var raw = string.Concat(new[] { "dockyard.db", "dockyard.db-wal" }
            .Select(name => Path.Combine(Data, name)).Where(File.Exists)
            .Select(path => Encoding.Latin1.GetString(ReadShared(path))));
        Assert.DoesNotContain("PRIVATE KEY", raw, StringComparison.Ordinal);
        Assert.DoesNotContain(SecretsTestServer.WebhookSecret, raw, StringComparison.Ordinal);
        Assert.DoesNotContain(SecretsTestServer.BindPassword, raw, StringComparison.Ordinal);
        Assert.DoesNotContain("<masterKey", raw, StringComparison.Ordinal);

        // The attack: sign a token granting pull on the private repository with each key found in signing_keys.
        var admin = (await server.Get<UserService>().FindAsync(AdminBootstrapper.AdminUsername, CancellationToken.None))!;
        using var anonymous = server.Server.CreateClient();
        using (var refused = await anonymous.GetAsync($"/v2/{Repository}/manifests/1.0"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        var rows = await QueryAsync("SELECT kid, private_key_pem FROM signing_keys");
        Assert.NotEmpty(rows);
        foreach (var row in rows)
        {
            using var key = ImportOrGuess(row[1]);
            var token = CompactJws.Sign(RegistryTokenSerializer.Serialize(ForgedClaims(admin.Id)), row[0], key);
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/v2/{Repository}/manifests/1.0");
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
            using var response = await anonymous.SendAsync(request);
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"A token signed with what signing_keys holds for {row[0]} pulled the private repository ({(int)response.StatusCode}).");
        }

        // Every value is a sealed envelope, and the server itself still reads each one.
        var protector = server.Get<SecretProtector>();
        Assert.All(await SecretColumnsAsync(), value => Assert.True(SecretProtector.IsProtected(value), $"Stored in clear: {Shorten(value)}"));
        Assert.Equal(SecretsTestServer.BindPassword, (await server.Get<LdapSettingsStore>().GetAsync(CancellationToken.None)).BindPassword);
        Assert.Equal(SecretsTestServer.WebhookSecret, protector.Unprotect(Assert.Single(await QueryAsync("SELECT secret FROM webhooks"))[0]));
    }

    [Fact]
    public async Task Restart_ValuesStoredInClearByAnOlderVersion_AreSealedAndStillWork()
    {
        string[] sealedBefore;
        await using (var first = await SecretsTestServer.StartAsync(Data))
        {
            await first.StoreEverySecretAsync(Repository);
            sealedBefore = [.. await SecretColumnsAsync()];
            var protector = first.Get<SecretProtector>();
            await first.Server.DisposeAsync();

            // As a version without encryption at rest left them: every secret in clear.
            await ExecuteAsync("UPDATE signing_keys SET private_key_pem = $0 WHERE kid = $1", row => [protector.Unprotect(row[1]), row[0]], "SELECT kid, private_key_pem FROM signing_keys");
            await ExecuteAsync("UPDATE settings SET value_json = $0 WHERE key = $1", row => [protector.Unprotect(row[1]), row[0]], "SELECT key, value_json FROM settings WHERE key LIKE 'data-protection/%'");
            await ExecuteAsync("UPDATE webhooks SET secret = $0 WHERE id = $1", row => [protector.Unprotect(row[1]), row[0]], "SELECT id, secret FROM webhooks");
            await ExecuteAsync("UPDATE settings SET value_json = json_set(value_json, '$.bindPassword', $0) WHERE key = $1", row => [SecretsTestServer.BindPassword, row[0]], "SELECT key FROM settings WHERE key = 'ldap'");
            Assert.All(await SecretColumnsAsync(), value => Assert.False(SecretProtector.IsProtected(value)));
        }

        await using var second = await SecretsTestServer.StartAsync(Data);
        var after = await SecretColumnsAsync();
        Assert.Equal(sealedBefore.Length, after.Count);
        Assert.All(after, value => Assert.True(SecretProtector.IsProtected(value), $"Still in clear after a restart: {Shorten(value)}"));

        // The sealed keys and secrets are the same ones: old tokens' key still signs, the UI's keys still unprotect.
        var registry = await second.RegistryAsync(Repository);
        Assert.Equal(HttpStatusCode.OK, await registry.StatusOfAsync(HttpMethod.Get, $"/v2/{Repository}/manifests/1.0"));
        Assert.Equal(SecretsTestServer.BindPassword, (await second.Get<LdapSettingsStore>().GetAsync(CancellationToken.None)).BindPassword);
        Assert.Equal(SecretsTestServer.WebhookSecret, second.Get<SecretProtector>().Unprotect(Assert.Single(await QueryAsync("SELECT secret FROM webhooks"))[0]));

        // Sealed values are left alone by the next start.
        await second.Server.RestartAsync();
        Assert.Equal(after, await SecretColumnsAsync());
    }

    [Fact]
    public async Task Start_KeyFileMissingWhileSealedValuesExist_FailsAndSaysSo()
    {
        await using (var first = await SecretsTestServer.StartAsync(Data))
        {
            await first.RegistryAsync(Repository);
        }

        File.Delete(Path.Combine(Data, "secrets.key"));

        var error = await Assert.ThrowsAnyAsync<Exception>(() => SecretsTestServer.StartAsync(Data));
        Assert.Contains("secrets key file", error.Message, StringComparison.Ordinal);
        Assert.Contains("token-signing keys", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(Data, "secrets.key")), "A second key was created.");
    }

    [Fact]
    public async Task Unprotect_ValueSealedWithAnotherKey_SaysWhichKeyItNeeds()
    {
        string sealedValue;
        await using (var first = await SecretsTestServer.StartAsync(Data))
        {
            sealedValue = first.Get<SecretProtector>().Protect("hello");
        }

        File.Delete(Path.Combine(Data, "secrets.key"));
        await using var second = await SecretsTestServer.StartAsync(Data);

        var error = Assert.Throws<CryptographicException>(() => second.Get<SecretProtector>().Unprotect(sealedValue));
        Assert.Contains(sealedValue[4..12], error.Message, StringComparison.Ordinal);
        Assert.Equal("hello", second.Get<SecretProtector>().Unprotect("hello"));
    }

    internal static RegistryTokenClaims ForgedClaims(long adminId)
    {
        var now = DateTimeOffset.UtcNow;
        return new RegistryTokenClaims
        {
            Issuer = "dockyard",
            Audience = "dockyard",
            Id = Guid.NewGuid().ToString("N"),
            IssuedAt = now,
            NotBefore = now,
            ExpiresAt = now.AddMinutes(5),
            Access = [new ResourceScope("repository", Repository, ["pull"])],
            Principal = new Principal { Kind = PrincipalKind.User, Name = AdminBootstrapper.AdminUsername, UserId = adminId, IsAdmin = true, AuthMethod = AuthMethods.Password },
        };
    }

    /// <summary>The key a PEM column holds; failing that, a key of the attacker's own (the best guess left).</summary>
    internal static ECDsa ImportOrGuess(string column)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        try
        {
            key.ImportFromPem(column);
        }
        catch (ArgumentException)
        {
            // No PEM in the column.
        }

        return key;
    }

    private static string Shorten(string value) => value.Length > 40 ? value[..40] + "…" : value;

    private static byte[] ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    /// <summary>Every stored secret: signing keys, data-protection keys, webhook secrets, the LDAP bind password.</summary>
    private async Task<List<string>> SecretColumnsAsync() =>
    [
        .. (await QueryAsync("SELECT private_key_pem FROM signing_keys ORDER BY kid")).Select(r => r[0]),
        .. (await QueryAsync("SELECT value_json FROM settings WHERE key LIKE 'data-protection/%' ORDER BY key")).Select(r => r[0]),
        .. (await QueryAsync("SELECT secret FROM webhooks ORDER BY id")).Select(r => r[0]),
        .. (await QueryAsync("SELECT json_extract(value_json, '$.bindPassword') FROM settings WHERE key = 'ldap'")).Select(r => r[0]),
    ];

    private async Task<List<string[]>> QueryAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(Data, "dockyard.db")};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string[]>();
        while (await reader.ReadAsync())
        {
            rows.Add([.. Enumerable.Range(0, reader.FieldCount).Select(i => Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture)!)]);
        }

        return rows;
    }

    private async Task ExecuteAsync(string update, Func<string[], string[]> parameters, string select)
    {
        var rows = await QueryAsync(select);
        Assert.NotEmpty(rows);
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(Data, "dockyard.db")};Pooling=False");
        await connection.OpenAsync();
        foreach (var row in rows)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = update;
            var values = parameters(row);
            for (var i = 0; i < values.Length; i++)
            {
                command.Parameters.AddWithValue($"${i}", values[i]);
            }

            Assert.Equal(1, await command.ExecuteNonQueryAsync());
        }
    }
}
