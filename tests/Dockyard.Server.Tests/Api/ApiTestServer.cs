using System.Net.Http.Headers;
using Dockyard.Server.Access;
using Dockyard.Server.Accounts;
using Dockyard.Server.Data;
using Dockyard.Server.Data.Entities;
using Dockyard.Server.Identity;
using Dockyard.Server.Tests.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;

namespace Dockyard.Server.Tests.Api;

/// <summary>
/// A Dockyard with authentication on and a known first administrator, plus seeding shortcuts. Callers
/// authenticate with unscoped personal access tokens (Bearer): same rights as a password, without paying for
/// a password hash on every request.
/// </summary>
internal sealed class ApiTestServer : IAsyncDisposable
{
    public const string AdminPassword = "correct horse battery staple";

    private readonly List<HttpClient> _clients = [];

    private ApiTestServer(InProcessDockyard server) => Server = server;

    public InProcessDockyard Server { get; }

    public static async Task<ApiTestServer> StartAsync(IReadOnlyDictionary<string, string?>? settings = null, Action<WebApplicationBuilder>? configure = null)
    {
        var all = new Dictionary<string, string?>
        {
            ["Dockyard:Auth:Enabled"] = "true",
            [AdminBootstrapper.PasswordVariable] = AdminPassword,
            [Webhooks.WebhookTestNetworks.AllowedNetworksKey] = Webhooks.WebhookTestNetworks.Loopback,
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        return new ApiTestServer(await InProcessDockyard.StartAsync(configure, settings: all));
    }

    public T Get<T>()
        where T : notnull => Server.GetRequiredService<T>();

    public HttpClient Anonymous() => Track(Server.CreateClient());

    public HttpClient WithBearer(string secret)
    {
        var client = Server.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        return Track(client);
    }

    public HttpClient WithBasic(string username, string password)
    {
        var client = Server.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{username}:{password}")));
        return Track(client);
    }

    public async Task<long> UserIdAsync(string username) =>
        (await Get<UserService>().FindAsync(username, CancellationToken.None))!.Id;

    public async Task<HttpClient> AdminAsync() => await ClientForAsync(await UserIdAsync(AdminBootstrapper.AdminUsername));

    /// <summary>Creates a local user (password = name + "-password!") and returns their id.</summary>
    public async Task<long> CreateUserAsync(string username, bool admin = false) =>
        (await Get<UserService>().CreateLocalAsync(Dockyard.Server.Audit.Caller.System, new NewUser(username, username + "-password!", IsAdmin: admin), CancellationToken.None)).Id;

    public async Task<HttpClient> ClientForAsync(long userId, IReadOnlyList<TokenScope>? scopes = null)
    {
        var (_, secret) = await Get<AccessTokenService>().CreateForUserAsync(userId, "test", scopes, null, CancellationToken.None);
        return WithBearer(secret);
    }

    public async Task<(long UserId, HttpClient Client)> UserAsync(string username, bool admin = false)
    {
        var id = await CreateUserAsync(username, admin);
        return (id, await ClientForAsync(id));
    }

    public async Task<long> CreateOrganizationAsync(string name, long ownerUserId, RepositoryRole defaultRole = RepositoryRole.None) =>
        (await Get<OrganizationService>().CreateAsync(Dockyard.Server.Audit.Caller.System, name, null, RoleNames.Of(defaultRole), ownerUserId, CancellationToken.None)).Id;

    public async Task AddMemberAsync(long organizationId, string username, bool owner = false)
    {
        await using var db = await Get<IDbContextFactory<DockyardDbContext>>().CreateDbContextAsync();
        var organization = await db.Organizations.Where(o => o.Id == organizationId).Select(o => o.Name).SingleAsync();
        await Get<OrganizationService>().AddMemberAsync(Dockyard.Server.Audit.Caller.System, organization, username, owner, CancellationToken.None);
    }

    /// <summary>Stands in for a first push: the repository row the registry would create.</summary>
    public async Task CreateRepositoryAsync(string name, RepositoryVisibility visibility = RepositoryVisibility.Private)
    {
        await using var db = await Get<IDbContextFactory<DockyardDbContext>>().CreateDbContextAsync();
        db.Repositories.Add(new RepositoryEntity { Name = name, Visibility = visibility, CreatedAt = DateTimeOffset.UtcNow });
        await db.SaveChangesAsync();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }

        await Server.DisposeAsync();
    }

    private HttpClient Track(HttpClient client)
    {
        _clients.Add(client);
        return client;
    }
}
