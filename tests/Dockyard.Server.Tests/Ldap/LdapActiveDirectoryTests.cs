using System.Net;
using System.Net.Http.Json;
using Dockyard.Server.Data.Entities;
using Dockyard.Server.Ldap;
using Dockyard.Server.Tests.Infrastructure;

namespace Dockyard.Server.Tests.Ldap;

/// <summary>The AD-shaped suffix: login by sAMAccountName (case-insensitive), groups from the user's memberOf.</summary>
[Collection(LdapCollection.Name)]
public sealed class LdapActiveDirectoryTests(SlapdFixture slapd)
{
    [Fact]
    public async Task Login_BySamAccountName_CreatesUserAndSyncsMemberOfGroups()
    {
        var sam = LdapTestServer.Unique("ad");
        var samMixedCase = char.ToUpperInvariant(sam[0]) + sam[1..];
        var dn = await slapd.AddAdUserAsync($"AD Person {sam}", samMixedCase, "Pw-ad-1", mail: $"{sam}@corp.example.com");
        var developers = await slapd.AddGroupAsync(SlapdFixture.AdGroupsDn, LdapTestServer.Unique("Developers"), dn);
        await slapd.AddGroupAsync(SlapdFixture.AdGroupsDn, LdapTestServer.Unique("Unmapped"), dn);
        var settings = LdapTestServer.ActiveDirectorySettings(slapd) with
        {
            GroupMappings = [new LdapGroupMapping(developers, "prod", "developers")],
        };
        await using var server = await LdapTestServer.StartAsync(settings);
        await server.CreateTeamAsync("prod", "developers");

        using var response = await server.LoginAsync(sam, "Pw-ad-1");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var user = await server.FindUserAsync(sam);
        Assert.NotNull(user);
        Assert.Equal(AccountSource.Ldap, user.Source);
        Assert.Equal(dn, user.ExternalId);
        Assert.Equal($"{sam}@corp.example.com", user.Email);
        Assert.Equal($"AD Person {sam}", user.DisplayName);
        Assert.Equal(["developers:ldap"], await server.TeamsOfAsync(sam));
    }

    [Fact]
    public async Task Login_AdUserWrongPassword_IsRefused()
    {
        var sam = LdapTestServer.Unique("adwrong");
        await slapd.AddAdUserAsync($"AD Wrong {sam}", sam, "Pw-adwrong-1");
        await using var server = await LdapTestServer.StartAsync(LdapTestServer.ActiveDirectorySettings(slapd));

        using var response = await server.LoginAsync(sam, "Pw-adwrong-2");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Null(await server.FindUserAsync(sam));
    }

    [Fact]
    public async Task Sync_RemovedFromAdGroup_LeavesTeam()
    {
        var sam = LdapTestServer.Unique("adsync");
        var dn = await slapd.AddAdUserAsync($"AD Sync {sam}", sam, "Pw-adsync-1");
        var developers = await slapd.AddGroupAsync(SlapdFixture.AdGroupsDn, LdapTestServer.Unique("Developers"), dn);
        await using var server = await LdapTestServer.StartAsync(LdapTestServer.ActiveDirectorySettings(slapd));
        await server.CreateTeamAsync("prod", "developers", ldapGroup: developers);
        using (var login = await server.LoginAsync(sam, "Pw-adsync-1"))
        {
            Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        }

        Assert.Equal(["developers:ldap"], await server.TeamsOfAsync(sam));

        await slapd.RemoveMemberAsync(developers, dn);
        using var admin = server.CreateAdminClient();
        using var sync = await admin.PostAsync(new Uri("/api/v1/ldap/sync", UriKind.Relative), null);

        Assert.Equal(HttpStatusCode.OK, sync.StatusCode);
        var result = await sync.Content.ReadFromJsonAsync<LdapSyncResult>();
        Assert.Equal(1, result!.Checked);
        Assert.Equal(1, result.TeamsRemoved);
        Assert.Empty(await server.TeamsOfAsync(sam));
        Assert.True((await server.FindUserAsync(sam))!.IsActive);
    }
}
