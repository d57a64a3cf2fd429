using System.Net;
using Dockyard.Server.Data.Entities;
using Dockyard.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Dockyard.Server.Tests.Ldap;

/// <summary>
/// A directory sync says on the record <i>who</i> lost access: one <c>user.deactivate</c> per deactivated user and one
/// <c>team.member.remove</c> per membership it dropped (and <c>team.member.add</c> per membership a login added),
/// besides the run's own <c>ldap.sync</c> entry with its counts and its caller.
/// </summary>
[Collection(LdapCollection.Name)]
public sealed class LdapSyncAuditTests(SlapdFixture slapd)
{
    [Fact]
    public async Task Sync_DeactivatesAndRemovesMemberships_RecordsAnEntryPerUserAndMembership()
    {
        var gone = LdapTestServer.Unique("gone");
        var goneDn = await slapd.AddUserAsync(gone, "Pw-gone-1");
        var moved = LdapTestServer.Unique("moved");
        var movedDn = await slapd.AddUserAsync(moved, "Pw-moved-1");
        var stays = LdapTestServer.Unique("stays");
        var staysDn = await slapd.AddUserAsync(stays, "Pw-stays-1");
        var devs = await slapd.AddGroupAsync(SlapdFixture.GroupsDn, LdapTestServer.Unique("devs"), goneDn, movedDn, staysDn);
        await using var server = await LdapTestServer.StartAsync(LdapTestServer.OpenLdapSettings(slapd));
        await server.CreateTeamAsync("prod", "developers", ldapGroup: devs);
        foreach (var (name, password) in new[] { (gone, "Pw-gone-1"), (moved, "Pw-moved-1"), (stays, "Pw-stays-1") })
        {
            using var login = await server.LoginAsync(name, password);
            Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        }

        long before;
        await using (var db = await server.CreateDbContextAsync())
        {
            var added = await db.AuditEntries.AsNoTracking().Where(e => e.Action == "team.member.add").Select(e => e.Resource).ToListAsync();
            Assert.Equal(
                new[] { gone, moved, stays }.Select(u => $"orgs/prod/teams/developers/members/{u}").Order(StringComparer.Ordinal),
                added.Order(StringComparer.Ordinal));
            before = await db.AuditEntries.MaxAsync(e => e.Id);
        }

        await slapd.DeleteAsync(goneDn);
        await slapd.RemoveMemberAsync(devs, movedDn);
        using var admin = server.CreateAdminClient();
        using (var sync = await admin.PostAsync(new Uri("/api/v1/ldap/sync", UriKind.Relative), null))
        {
            Assert.Equal(HttpStatusCode.OK, sync.StatusCode);
        }

        await using (var db = await server.CreateDbContextAsync())
        {
            var entries = await db.AuditEntries.AsNoTracking().Where(e => e.Id > before && !e.Action.StartsWith("auth.")).OrderBy(e => e.Id).ToListAsync();
            var described = string.Join("; ", entries.Select(Describe));
            Assert.Equal(
                new[]
                {
                    $"user.deactivate success system users/{gone}",
                    $"team.member.remove success system orgs/prod/teams/developers/members/{gone}",
                    $"team.member.remove success system orgs/prod/teams/developers/members/{moved}",
                    $"ldap.sync success {LdapTestServer.AdminName} ldap",
                }.Order(StringComparer.Ordinal),
                entries.Select(Describe).Order(StringComparer.Ordinal));
            Assert.DoesNotContain(stays, described, StringComparison.Ordinal);
            var run = entries.Single(e => e.Action == "ldap.sync");
            Assert.Contains("\"deactivated\":1", run.Details, StringComparison.Ordinal);
            Assert.Contains("\"teamsRemoved\":2", run.Details, StringComparison.Ordinal);
            Assert.All(entries.Where(e => e.Action != "ldap.sync"), e => Assert.Equal("ldap", e.AuthMethod));
            Assert.Equal("prod", entries.First(e => e.Action == "team.member.remove").Organization);
        }
    }

    private static string Describe(AuditEntryEntity e) => $"{e.Action} {e.Outcome} {e.ActorName} {e.Resource}";
}
