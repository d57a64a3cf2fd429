using System.Net;
using System.Net.Http.Json;
using Dockyard.Server.Data.Entities;
using Dockyard.Server.Identity;
using Dockyard.Server.Ldap;
using Dockyard.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Dockyard.Server.Tests.Ldap;

[Collection(LdapCollection.Name)]
public sealed class LdapLoginTests(SlapdFixture slapd)
{
    [Fact]
    public async Task Login_ValidCredentials_CreatesLdapUserJustInTime()
    {
        var uid = LdapTestServer.Unique("jit");
        var dn = await slapd.AddUserAsync(uid, "Pw-jit-1", mail: $"{uid}@example.org", displayName: "Jit User");
        await using var server = await LdapTestServer.StartAsync(LdapTestServer.OpenLdapSettings(slapd));
        Assert.Null(await server.FindUserAsync(uid));

        using var response = await server.LoginAsync(uid, "Pw-jit-1");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var me = await response.Content.ReadFromJsonAsync<Dictionary<string, object>>();
        Assert.Equal(uid, me!["name"].ToString());
        Assert.Equal("ldap", me["authMethod"].ToString());
        var user = await server.FindUserAsync(uid);
        Assert.NotNull(user);
        Assert.Equal(AccountSource.Ldap, user.Source);
        Assert.Equal(dn, user.ExternalId);
        Assert.Equal($"{uid}@example.org", user.Email);
        Assert.Equal("Jit User", user.DisplayName);
        Assert.Null(user.PasswordHash);
        Assert.True(user.IsActive);
        Assert.False(user.IsAdmin);
        Assert.NotNull(user.LastLoginAt);
        await using var db = await server.CreateDbContextAsync();

        // The just-in-time creation is audited, by the system, before the login it made possible.
        var entries = await db.AuditEntries.AsNoTracking().OrderBy(e => e.Id).ToListAsync();
        var create = Assert.Single(entries, e => e.Action == "user.create" && e.Resource == $"users/{uid}");
        Assert.Equal(("system", "ldap", "success"), (create.ActorKind, create.AuthMethod, create.Outcome));
        Assert.Contains("\"justInTime\":true", create.Details, StringComparison.Ordinal);
        var login = Assert.Single(entries, e => e.Action == "auth.login.success" && e.ActorName == uid);
        Assert.True(create.Id < login.Id);
    }

    [Fact]
    public async Task Login_UppercaseUsername_MapsToTheSameLowercaseUser()
    {
        var uid = LdapTestServer.Unique("case");
        await slapd.AddUserAsync(uid, "Pw-case-1");
        await using var server = await LdapTestServer.StartAsync(LdapTestServer.OpenLdapSettings(slapd));

        using var first = await server.LoginAsync(uid.ToUpperInvariant(), "Pw-case-1");
        using var second = await server.LoginAsync(uid, "Pw-case-1");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        await using var db = await server.CreateDbContextAsync();
        Assert.Equal(1, await db.Users.CountAsync(u => u.Source == AccountSource.Ldap));
    }

    [Fact]
    public async Task Login_ConcurrentFirstLogins_CreateOneUser()
    {
        var uid = LdapTestServer.Unique("race");
        await slapd.AddUserAsync(uid, "Pw-race-1");
        await using var server = await LdapTestServer.StartAsync(LdapTestServer.OpenLdapSettings(slapd));

        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => server.LoginAsync(uid, "Pw-race-1")));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        foreach (var response in responses)
        {
            response.Dispose();
        }

        await using var db = await server.CreateDbContextAsync();
        Assert.Equal(1, await db.Users.CountAsync(u => u.Username == uid));
        Assert.Equal(1, await db.AuditEntries.CountAsync(e => e.Action == "user.create" && e.Resource == $"users/{uid}"));
    }

    [Fact]
    public async Task Login_WrongPassword_IsRefusedAndCreatesNoUser()
    {
        var uid = LdapTestServer.Unique("wrong");
        await slapd.AddUserAsync(uid, "Pw-right-1");
        await using var server = await LdapTestServer.StartAsync(LdapTestServer.OpenLdapSettings(slapd));

        using var response = await server.LoginAsync(uid, "Pw-wrong-1");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Null(await server.FindUserAsync(uid));
        var result = await server.Server.GetRequiredService<ICredentialAuthenticator>().AuthenticateAsync(uid, "Pw-wrong-1", CancellationToken.None);
        Assert.False(result.Succeeded);
    }

    [Fact]
    public async Task Login_EmptyPassword_IsRefused()
    {
        // To LDAP a bind with a DN and no password is an "unauthenticated" bind that can succeed; it must not log in.
        var uid = LdapTestServer.Unique("empty");
        await slapd.AddUserAsync(uid, "Pw-empty-1");
        await using var server = await LdapTestServer.StartAsync(LdapTestServer.OpenLdapSettings(slapd));

        using var response = await server.LoginAsync(uid, string.Empty);
        var direct = await server.Server.GetRequiredService<ICredentialAuthenticator>().AuthenticateAsync(uid, string.Empty, CancellationToken.None);
        var ldapOnly = await server.Server.GetRequiredService<IEnumerable<IExternalPasswordAuthenticator>>()
            .OfType<LdapPasswordAuthenticator>().Single().AuthenticateAsync(uid, string.Empty, CancellationToken.None);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.False(direct.Succeeded);
        Assert.False(ldapOnly?.Succeeded ?? false);
        Assert.Null(await server.FindUserAsync(uid));
    }

    [Theory]
    [InlineData("*")]
    [InlineData("admin)(|(uid=*")]
    [InlineData(@"\2a")]
    [InlineData("*)(uid=*))(|(uid=*")]
    [InlineData("VICTIM*")]
    [InlineData("victim)(objectClass=*")]
    public async Task Login_InjectionInUsername_CannotLogInAsSomeoneElse(string attack)
    {
        // The only user the filter could be tricked into matching has the password the attacker sends.
        var victim = LdapTestServer.Unique("victim");
        await slapd.AddUserAsync(victim, "Pw-victim-1");
        await using var server = await LdapTestServer.StartAsync(LdapTestServer.OpenLdapSettings(slapd));
        var username = attack.Replace("victim", victim, StringComparison.OrdinalIgnoreCase);

        using var response = await server.LoginAsync(username, "Pw-victim-1");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        await using var db = await server.CreateDbContextAsync();
        Assert.Equal(0, await db.Users.CountAsync(u => u.Source == AccountSource.Ldap));
    }

    [Fact]
    public async Task Login_GroupMembership_SyncsMappedTeams()
    {
        var uid = LdapTestServer.Unique("grp");
        var dn = await slapd.AddUserAsync(uid, "Pw-grp-1");
        var devs = await slapd.AddGroupAsync(SlapdFixture.GroupsDn, LdapTestServer.Unique("devs"), dn);
        var ops = await slapd.AddGroupAsync(SlapdFixture.GroupsDn, LdapTestServer.Unique("ops"), dn);
        await slapd.AddGroupAsync(SlapdFixture.GroupsDn, LdapTestServer.Unique("unmapped"), dn);
        var settings = LdapTestServer.OpenLdapSettings(slapd) with
        {
            // Mapped through settings, with a DN spelled differently from the server's.
            GroupMappings = [new LdapGroupMapping(devs.ToUpperInvariant().Replace(",", ", ", StringComparison.Ordinal), "prod", "developers")],
        };
        await using var server = await LdapTestServer.StartAsync(settings);
        await server.CreateTeamAsync("prod", "developers");
        await server.CreateTeamAsync("prod", "operators", ldapGroup: ops); // mapped through the team itself
        await server.CreateTeamAsync("prod", "others");

        using var response = await server.LoginAsync(uid, "Pw-grp-1");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["developers:ldap", "operators:ldap"], await server.TeamsOfAsync(uid));
    }

    [Fact]
    public async Task Login_RemovedFromGroup_LeavesTeamOnNextLoginButKeepsManualMemberships()
    {
        var uid = LdapTestServer.Unique("rm");
        var dn = await slapd.AddUserAsync(uid, "Pw-rm-1");
        var devs = await slapd.AddGroupAsync(SlapdFixture.GroupsDn, LdapTestServer.Unique("devs"), dn);
        var ops = await slapd.AddGroupAsync(SlapdFixture.GroupsDn, LdapTestServer.Unique("ops"), dn);
        var audit = await slapd.AddGroupAsync(SlapdFixture.GroupsDn, LdapTestServer.Unique("audit"));
        await using var server = await LdapTestServer.StartAsync(LdapTestServer.OpenLdapSettings(slapd));
        await server.CreateTeamAsync("prod", "developers", ldapGroup: devs);
        await server.CreateTeamAsync("prod", "operators", ldapGroup: ops);
        var auditors = await server.CreateTeamAsync("prod", "auditors", ldapGroup: audit);
        using (var first = await server.LoginAsync(uid, "Pw-rm-1"))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        // An administrator adds the user to a mapped team by hand: sync must not undo that.
        await using (var db = await server.CreateDbContextAsync())
        {
            var user = await db.Users.SingleAsync(u => u.Username == uid);
            db.TeamMembers.Add(new TeamMemberEntity { TeamId = auditors, UserId = user.Id, Source = AccountSource.Local, CreatedAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync();
        }

        Assert.Equal(["auditors:local", "developers:ldap", "operators:ldap"], await server.TeamsOfAsync(uid));

        await slapd.RemoveMemberAsync(devs, dn);
        using var second = await server.LoginAsync(uid, "Pw-rm-1");

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(["auditors:local", "operators:ldap"], await server.TeamsOfAsync(uid));
    }

    [Fact]
    public async Task Login_DeactivatedLdapUser_IsRefused()
    {
        var uid = LdapTestServer.Unique("off");
        await slapd.AddUserAsync(uid, "Pw-off-1");
        await using var server = await LdapTestServer.StartAsync(LdapTestServer.OpenLdapSettings(slapd));
        using (var first = await server.LoginAsync(uid, "Pw-off-1"))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        await using (var db = await server.CreateDbContextAsync())
        {
            var user = await db.Users.SingleAsync(u => u.Username == uid);
            user.IsActive = false;
            await db.SaveChangesAsync();
        }

        using var second = await server.LoginAsync(uid, "Pw-off-1");

        Assert.Equal(HttpStatusCode.Unauthorized, second.StatusCode);
        Assert.False((await server.FindUserAsync(uid))!.IsActive);
    }

    [Fact]
    public async Task Login_NameOfLocalUser_DirectoryCannotTakeItOver()
    {
        var uid = LdapTestServer.Unique("local");
        await slapd.AddUserAsync(uid, "Pw-directory-1");
        await using var server = await LdapTestServer.StartAsync(LdapTestServer.OpenLdapSettings(slapd));
        await using (var db = await server.CreateDbContextAsync())
        {
            db.Users.Add(new UserEntity { Username = uid, PasswordHash = PasswordHasher.Hash("Pw-local-1"), CreatedAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync();
        }

        using var withDirectoryPassword = await server.LoginAsync(uid, "Pw-directory-1");
        using var withLocalPassword = await server.LoginAsync(uid, "Pw-local-1");

        Assert.Equal(HttpStatusCode.Unauthorized, withDirectoryPassword.StatusCode);
        Assert.Equal(HttpStatusCode.OK, withLocalPassword.StatusCode);
        Assert.Equal(AccountSource.Local, (await server.FindUserAsync(uid))!.Source);
    }

    [Fact]
    public async Task Login_LdapDisabled_IsRefused()
    {
        var uid = LdapTestServer.Unique("disabled");
        await slapd.AddUserAsync(uid, "Pw-disabled-1");
        await using var server = await LdapTestServer.StartAsync(LdapTestServer.OpenLdapSettings(slapd) with { Enabled = false });

        using var response = await server.LoginAsync(uid, "Pw-disabled-1");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Null(await server.FindUserAsync(uid));
    }

    [Fact]
    public async Task Login_DirectoryUnreachable_IsRefusedQuickly()
    {
        var settings = LdapTestServer.OpenLdapSettings(slapd) with { Url = "ldap://127.0.0.1:1", Timeout = TimeSpan.FromSeconds(3) };
        await using var server = await LdapTestServer.StartAsync(settings);
        var started = DateTime.UtcNow;

        using var response = await server.LoginAsync("someone", "Pw-someone-1");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(20));
    }
}
