using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Dockyard.Server.Data;
using Dockyard.Server.Data.Entities;
using Dockyard.Server.Identity;
using Dockyard.Server.Ldap;
using Dockyard.Server.Tests.Hosting;
using Dockyard.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Dockyard.Server.Tests.Ldap;

/// <summary>A Dockyard with authentication on, a local system administrator, and LDAP pointed at the slapd fixture.</summary>
internal sealed class LdapTestServer : IAsyncDisposable
{
    public const string AdminName = "root";
    public const string AdminPassword = "Admin-Password-1";

    private static int _counter;

    private LdapTestServer(InProcessDockyard server)
    {
        Server = server;
    }

    public InProcessDockyard Server { get; }

    /// <summary>A name no other test uses (directory entries are shared by the whole collection).</summary>
    public static string Unique(string prefix) =>
        string.Create(CultureInfo.InvariantCulture, $"{prefix}{Interlocked.Increment(ref _counter)}x{Guid.NewGuid():N}")[..Math.Min(prefix.Length + 12, 40)];

    /// <summary>Settings for the OpenLDAP-style suffix: uid login, groups found by searching groupOfNames.</summary>
    public static LdapSettings OpenLdapSettings(SlapdFixture slapd) => new()
    {
        Enabled = true,
        Url = slapd.Url,
        BindDn = SlapdFixture.BindDn,
        BindPassword = SlapdFixture.BindPassword,
        UserSearchBase = SlapdFixture.PeopleDn,
        UserFilter = "(&(objectClass=inetOrgPerson)(uid={0}))",
        UsernameAttribute = "uid",
        GroupSearchBase = SlapdFixture.GroupsDn,
        GroupMemberAttribute = "member",
        SyncInterval = TimeSpan.Zero,
    };

    /// <summary>Settings for the AD-shaped suffix: sAMAccountName login, groups from the user's memberOf.</summary>
    public static LdapSettings ActiveDirectorySettings(SlapdFixture slapd) => new()
    {
        Enabled = true,
        Url = slapd.Url,
        BindDn = SlapdFixture.BindDn,
        BindPassword = SlapdFixture.BindPassword,
        UserSearchBase = SlapdFixture.AdBase,
        UserFilter = "(&(objectClass=user)(sAMAccountName={0}))",
        UsernameAttribute = "sAMAccountName",
        UserGroupsAttribute = "memberOf",
        SyncInterval = TimeSpan.Zero,
    };

    public static async Task<LdapTestServer> StartAsync(
        LdapSettings? settings,
        TimeProvider? time = null,
        IReadOnlyDictionary<string, string?>? extraSettings = null)
    {
        var configuration = new Dictionary<string, string?> { ["Dockyard:Auth:Enabled"] = "true" };
        foreach (var (key, value) in extraSettings ?? new Dictionary<string, string?>())
        {
            configuration[key] = value;
        }

        Action<WebApplicationBuilder>? configure = time is null ? null : builder => builder.Services.AddSingleton(time);
        var server = await InProcessDockyard.StartAsync(configure, settings: configuration);
        var host = new LdapTestServer(server);
        await using (var db = await host.CreateDbContextAsync())
        {
            db.Users.Add(new UserEntity
            {
                Username = AdminName,
                PasswordHash = PasswordHasher.Hash(AdminPassword),
                IsAdmin = true,
                CreatedAt = DateTimeOffset.UtcNow,
            });
            await db.SaveChangesAsync();
        }

        if (settings is not null)
        {
            await server.GetRequiredService<LdapSettingsStore>().SaveAsync(settings, CancellationToken.None);
        }

        return host;
    }

    public HttpClient CreateClient(string? username = null, string? password = null)
    {
        var client = Server.CreateClient();
        if (username is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
                "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{username}:{password}")));
        }

        return client;
    }

    public HttpClient CreateAdminClient() => CreateClient(AdminName, AdminPassword);

    /// <summary>GET /api/v1/me with Basic credentials: 200 when they are accepted.</summary>
    public async Task<HttpResponseMessage> LoginAsync(string username, string password)
    {
        using var client = CreateClient(username, password);
        return await client.GetAsync(new Uri("/api/v1/me", UriKind.Relative));
    }

    public async Task<DockyardDbContext> CreateDbContextAsync() =>
        await Server.GetRequiredService<IDbContextFactory<DockyardDbContext>>().CreateDbContextAsync();

    /// <summary>Creates the organization (if needed) and a team in it; returns the team id.</summary>
    public async Task<long> CreateTeamAsync(string organization, string team, string? ldapGroup = null)
    {
        await using var db = await CreateDbContextAsync();
        var org = await db.Organizations.FirstOrDefaultAsync(o => o.Name == organization);
        if (org is null)
        {
            org = new OrganizationEntity { Name = organization, CreatedAt = DateTimeOffset.UtcNow };
            db.Organizations.Add(org);
            await db.SaveChangesAsync();
        }

        var entity = new TeamEntity { OrganizationId = org.Id, Name = team, LdapGroup = ldapGroup, CreatedAt = DateTimeOffset.UtcNow };
        db.Teams.Add(entity);
        await db.SaveChangesAsync();
        return entity.Id;
    }

    public async Task<UserEntity?> FindUserAsync(string username)
    {
        await using var db = await CreateDbContextAsync();
        return await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Username == username);
    }

    /// <summary>The user's team memberships as <c>team-name:source</c>, sorted.</summary>
    public async Task<IReadOnlyList<string>> TeamsOfAsync(string username)
    {
        await using var db = await CreateDbContextAsync();
        var rows = await (
            from m in db.TeamMembers.AsNoTracking()
            join u in db.Users.AsNoTracking() on m.UserId equals u.Id
            join t in db.Teams.AsNoTracking() on m.TeamId equals t.Id
            where u.Username == username
            select new { t.Name, m.Source }).ToListAsync();
        return [.. rows.Select(r => $"{r.Name}:{r.Source.ToString().ToLowerInvariant()}").Order(StringComparer.Ordinal)];
    }

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}
