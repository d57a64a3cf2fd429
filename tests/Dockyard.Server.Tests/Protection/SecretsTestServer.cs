using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dockyard.Server.Accounts;
using Dockyard.Server.Identity;
using Dockyard.Server.Tests.Hosting;
using Dockyard.Server.Tests.Tokens;
using Microsoft.AspNetCore.DataProtection;

namespace Dockyard.Server.Tests.Protection;

/// <summary>
/// A Dockyard with authentication on, on a data directory the test owns (so it can stop it, tamper with its files and
/// start it again), and shortcuts that make it hold each kind of secret it keeps in its database.
/// </summary>
internal sealed class SecretsTestServer : IAsyncDisposable
{
    public const string AdminPassword = "correct horse battery staple";
    public const string WebhookSecret = "webhook-secret-7f3c9a1e5b2d4c6a";
    public const string BindPassword = "ldap-bind-password-2b8e4f6a9c1d";

    private SecretsTestServer(InProcessDockyard server) => Server = server;

    public InProcessDockyard Server { get; }

    public static async Task<SecretsTestServer> StartAsync(string dataDirectory, IReadOnlyDictionary<string, string?>? settings = null, TestDatabase? database = null)
    {
        var all = new Dictionary<string, string?>
        {
            ["Dockyard:Auth:Enabled"] = "true",
            [AdminBootstrapper.PasswordVariable] = AdminPassword,
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        return new SecretsTestServer(await InProcessDockyard.StartAsync(dataDirectory: dataDirectory, settings: all, database: database));
    }

    public T Get<T>()
        where T : notnull => Server.GetRequiredService<T>();

    /// <summary>A management API client for the administrator (an unscoped personal access token).</summary>
    public async Task<HttpClient> AdminAsync()
    {
        var admin = (await Get<UserService>().FindAsync(AdminBootstrapper.AdminUsername, CancellationToken.None))!;
        var (_, secret) = await Get<AccessTokenService>().CreateForUserAsync(admin.Id, "test", null, null, CancellationToken.None);
        var client = Server.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        return client;
    }

    /// <summary>A /v2 client with a registry token for pull and push on <paramref name="repository"/>, got as docker does.</summary>
    public async Task<RegistryTestClient> RegistryAsync(string repository)
    {
        using var http = Server.CreateClient();
        using var challenge = await http.GetAsync("/v2/");
        Assert.Equal(HttpStatusCode.Unauthorized, challenge.StatusCode);
        var parameters = DockerStyleClient.ParseChallenge(challenge.Headers.WwwAuthenticate.Single().Parameter!);
        var url = $"{parameters["realm"]}?service={Uri.EscapeDataString(parameters["service"])}&scope={Uri.EscapeDataString($"repository:{repository}:pull,push")}";
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{AdminBootstrapper.AdminUsername}:{AdminPassword}")));
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var client = Server.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", document.RootElement.GetProperty("token").GetString());
        return new RegistryTestClient(client);
    }

    /// <summary>
    /// Makes the server hold every kind of secret: a token-signing key (a registry token for <paramref name="repository"/>,
    /// into which an image is pushed), a data-protection key, a webhook with <see cref="WebhookSecret"/> (disabled:
    /// nothing is ever sent) and LDAP settings with <see cref="BindPassword"/> (disabled: no directory is asked).
    /// </summary>
    public async Task<RegistryTestClient> StoreEverySecretAsync(string repository)
    {
        var registry = await RegistryAsync(repository);
        await registry.PushImageAsync(repository, "1.0");
        Get<IDataProtectionProvider>().CreateProtector("test").Protect("x");

        using var admin = await AdminAsync();
        using (var org = await admin.PostAsJsonAsync("/api/v1/orgs", new { name = "hooks" }))
        {
            Assert.Equal(HttpStatusCode.Created, org.StatusCode);
        }

        using (var webhook = await admin.PostAsJsonAsync("/api/v1/orgs/hooks/webhooks", new { url = "https://hooks.example.com/dockyard", secret = WebhookSecret, enabled = false }))
        {
            Assert.Equal(HttpStatusCode.Created, webhook.StatusCode);
        }

        using (var ldap = await admin.PutAsJsonAsync("/api/v1/ldap/settings", new
        {
            enabled = false,
            url = "ldap://ldap.example.com",
            bindDn = "cn=search,dc=example,dc=com",
            bindPassword = BindPassword,
            userSearchBase = "ou=people,dc=example,dc=com",
        }))
        {
            Assert.Equal(HttpStatusCode.OK, ldap.StatusCode);
        }

        return registry;
    }

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}
