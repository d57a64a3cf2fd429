using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Dockyard.Server.Identity;
using Dockyard.Server.Ldap;
using Dockyard.Server.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace Dockyard.Server.Tests.Ldap;

[Collection(LdapCollection.Name)]
public sealed class LdapSyncTests(SlapdFixture slapd)
{
    private static readonly Uri SyncUri = new("/api/v1/ldap/sync", UriKind.Relative);
    private static readonly Uri MeUri = new("/api/v1/me", UriKind.Relative);

    [Fact]
    public async Task ScheduledSync_UserRemovedFromGroup_LeavesTeam()
    {
        var uid = LdapTestServer.Unique("sched");
        var dn = await slapd.AddUserAsync(uid, "Pw-sched-1");
        var devs = await slapd.AddGroupAsync(SlapdFixture.GroupsDn, LdapTestServer.Unique("devs"), dn);
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var interval = TimeSpan.FromMinutes(10);
        await using var server = await LdapTestServer.StartAsync(LdapTestServer.OpenLdapSettings(slapd) with { SyncInterval = interval }, time);
        await server.CreateTeamAsync("prod", "developers", ldapGroup: devs);
        using (var login = await server.LoginAsync(uid, "Pw-sched-1"))
        {
            Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        }

        Assert.Equal(["developers:ldap"], await server.TeamsOfAsync(uid));

        await slapd.RemoveMemberAsync(devs, dn);
        var synchronizer = server.Server.GetRequiredService<LdapSynchronizer>();
        var runsBefore = synchronizer.CompletedRuns;
        Assert.Equal(["developers:ldap"], await server.TeamsOfAsync(uid)); // nothing happens until the schedule fires

        // The service may not be waiting yet when time moves: keep moving it until a run has completed.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (synchronizer.CompletedRuns == runsBefore && DateTime.UtcNow < deadline)
        {
            time.Advance(interval);
            await Task.Delay(50);
        }

        Assert.True(synchronizer.CompletedRuns > runsBefore, "the scheduled sync did not run");
        Assert.Empty(await server.TeamsOfAsync(uid));
    }

    [Fact]
    public async Task ScheduledSync_ShorterIntervalSaved_AppliesWithoutWaitingOutTheOldOne()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var settings = LdapTestServer.OpenLdapSettings(slapd) with { SyncInterval = TimeSpan.FromHours(1) };
        await using var server = await LdapTestServer.StartAsync(settings, time);
        var synchronizer = server.Server.GetRequiredService<LdapSynchronizer>();

        // Reach the steady state: one scheduled run done, the next one-hour wait under way.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (synchronizer.CompletedRuns == 0 && DateTime.UtcNow < deadline)
        {
            time.Advance(TimeSpan.FromHours(1));
            await Task.Delay(50);
        }

        Assert.True(synchronizer.CompletedRuns > 0, "the scheduled sync did not run");
        await Task.Delay(500);
        var runsBefore = synchronizer.CompletedRuns;

        using var admin = server.CreateAdminClient();
        using (var put = await admin.PutAsJsonAsync(new Uri("/api/v1/ldap/settings", UriKind.Relative), settings with { SyncInterval = TimeSpan.FromMinutes(10) }))
        {
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }

        // Well under the old hour: the new ten-minute interval must fire, counted from the last run.
        var advanced = TimeSpan.Zero;
        while (synchronizer.CompletedRuns == runsBefore && advanced < TimeSpan.FromMinutes(20))
        {
            await Task.Delay(100);
            time.Advance(TimeSpan.FromMinutes(1));
            advanced += TimeSpan.FromMinutes(1);
        }

        for (var i = 0; i < 50 && synchronizer.CompletedRuns == runsBefore; i++)
        {
            await Task.Delay(100);
        }

        Assert.True(synchronizer.CompletedRuns > runsBefore, $"no scheduled run within {advanced} of fake time after the interval became 10 min");
        Assert.True(advanced <= TimeSpan.FromMinutes(12), $"the run came only after {advanced}");
    }

    [Fact]
    public async Task Sync_UserDeletedFromDirectory_IsDeactivatedAndTheirAccessTokenStopsWorking()
    {
        var uid = LdapTestServer.Unique("gone");
        var dn = await slapd.AddUserAsync(uid, "Pw-gone-1");
        var stays = LdapTestServer.Unique("stays");
        await slapd.AddUserAsync(stays, "Pw-stays-1");
        var devs = await slapd.AddGroupAsync(SlapdFixture.GroupsDn, LdapTestServer.Unique("devs"), dn);
        await using var server = await LdapTestServer.StartAsync(LdapTestServer.OpenLdapSettings(slapd));
        await server.CreateTeamAsync("prod", "developers", ldapGroup: devs);
        foreach (var (name, password) in new[] { (uid, "Pw-gone-1"), (stays, "Pw-stays-1") })
        {
            using var login = await server.LoginAsync(name, password);
            Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        }

        var user = await server.FindUserAsync(uid);
        var (_, secret) = await server.Server.GetRequiredService<AccessTokenService>()
            .CreateForUserAsync(user!.Id, "docker", scopes: null, expiresAt: null, CancellationToken.None);
        using var withToken = server.CreateClient(uid, secret); // a personal access token as the docker password
        using var withBearer = server.CreateClient();
        withBearer.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        using (var before = await withToken.GetAsync(MeUri))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        await slapd.DeleteAsync(dn);
        using var admin = server.CreateAdminClient();
        using var sync = await admin.PostAsync(SyncUri, null);

        Assert.Equal(HttpStatusCode.OK, sync.StatusCode);
        var result = await sync.Content.ReadFromJsonAsync<LdapSyncResult>();
        Assert.Equal(new LdapSyncResult(Checked: 2, Deactivated: 1, TeamsAdded: 0, TeamsRemoved: 1, Failed: 0, Error: null), result);
        Assert.False((await server.FindUserAsync(uid))!.IsActive);
        Assert.True((await server.FindUserAsync(stays))!.IsActive);
        Assert.Empty(await server.TeamsOfAsync(uid));
        using (var afterBasic = await withToken.GetAsync(MeUri))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, afterBasic.StatusCode);
        }

        using (var afterBearer = await withBearer.GetAsync(MeUri))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, afterBearer.StatusCode);
        }

        Assert.Null(await server.Server.GetRequiredService<AccessTokenService>().ValidateAsync(secret, CancellationToken.None));

        // Coming back into the directory does not reactivate the account by itself.
        await slapd.AddUserAsync(uid, "Pw-gone-2");
        using var relogin = await server.LoginAsync(uid, "Pw-gone-2");
        Assert.Equal(HttpStatusCode.Unauthorized, relogin.StatusCode);
    }

    [Fact]
    public async Task Sync_DirectoryUnreachable_DeactivatesNobody()
    {
        var uid = LdapTestServer.Unique("keep");
        await slapd.AddUserAsync(uid, "Pw-keep-1");
        await using var server = await LdapTestServer.StartAsync(LdapTestServer.OpenLdapSettings(slapd));
        using (var login = await server.LoginAsync(uid, "Pw-keep-1"))
        {
            Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        }

        var store = server.Server.GetRequiredService<LdapSettingsStore>();
        await store.SaveAsync(LdapTestServer.OpenLdapSettings(slapd) with { Url = "ldap://127.0.0.1:1", Timeout = TimeSpan.FromSeconds(3) }, CancellationToken.None);
        using var admin = server.CreateAdminClient();
        using (var unreachable = await admin.PostAsync(SyncUri, null))
        {
            Assert.Equal(HttpStatusCode.BadGateway, unreachable.StatusCode);
        }

        // A search base that does not exist is a configuration error, not "everyone is gone".
        await store.SaveAsync(LdapTestServer.OpenLdapSettings(slapd) with { UserSearchBase = "ou=nowhere," + SlapdFixture.OpenLdapBase }, CancellationToken.None);
        using (var badBase = await admin.PostAsync(SyncUri, null))
        {
            Assert.Equal(HttpStatusCode.OK, badBase.StatusCode);
            var result = await badBase.Content.ReadFromJsonAsync<LdapSyncResult>();
            Assert.Equal(1, result!.Failed);
            Assert.Equal(0, result.Deactivated);
        }

        Assert.True((await server.FindUserAsync(uid))!.IsActive);
    }

    [Fact]
    public async Task Settings_SeededFromConfiguration_AreUsedForLogin()
    {
        var uid = LdapTestServer.Unique("seed");
        var dn = await slapd.AddUserAsync(uid, "Pw-seed-1");
        var devs = await slapd.AddGroupAsync(SlapdFixture.GroupsDn, LdapTestServer.Unique("devs"), dn);
        var configuration = new Dictionary<string, string?>
        {
            ["Dockyard:Ldap:Enabled"] = "true",
            ["Dockyard:Ldap:Url"] = slapd.Url,
            ["Dockyard:Ldap:BindDn"] = SlapdFixture.BindDn,
            ["Dockyard:Ldap:BindPassword"] = SlapdFixture.BindPassword,
            ["Dockyard:Ldap:UserSearchBase"] = SlapdFixture.PeopleDn,
            ["Dockyard:Ldap:UserGroupsAttribute"] = "memberOf",
            ["Dockyard:Ldap:GroupMappings:0:GroupDn"] = devs,
            ["Dockyard:Ldap:GroupMappings:0:Organization"] = "prod",
            ["Dockyard:Ldap:GroupMappings:0:Team"] = "developers",
            ["Dockyard:Ldap:SyncInterval"] = "00:30:00",
        };
        await using var server = await LdapTestServer.StartAsync(settings: null, extraSettings: configuration);
        await server.CreateTeamAsync("prod", "developers");

        using var response = await server.LoginAsync(uid, "Pw-seed-1");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["developers:ldap"], await server.TeamsOfAsync(uid));
        var stored = await server.Server.GetRequiredService<LdapSettingsStore>().GetAsync(CancellationToken.None);
        Assert.Equal(TimeSpan.FromMinutes(30), stored.SyncInterval);
        Assert.Equal("(&(objectClass=inetOrgPerson)(uid={0}))", stored.UserFilter); // default kept
    }
}
