using System.Net;
using Dockyard.Server.Identity;
using Dockyard.Server.Tests.Infrastructure;

namespace Dockyard.Server.Tests.Ldap;

/// <summary>
/// Issue #14 item 12: a directory user's wrong password was refused by a fast failed bind, an unknown user after a
/// dummy hash, so response time told which usernames exist. Every failed path must pay the same equalizing hash;
/// asserted on <see cref="PasswordHashing.EqualizingVerifications"/>, not on wall-clock time.
/// </summary>
[Collection(LdapCollection.Name)]
public sealed class LdapSignInCostTests(SlapdFixture slapd)
{
    [Fact]
    public async Task FailedSignIns_DirectoryUserAndUnknownUser_PayTheSameEqualizingHash()
    {
        var uid = LdapTestServer.Unique("cost");
        await slapd.AddUserAsync(uid, "Pw-cost-1");
        await using var server = await LdapTestServer.StartAsync(LdapTestServer.OpenLdapSettings(slapd));
        var hashing = server.Server.GetRequiredService<PasswordHashing>();

        var before = hashing.EqualizingVerifications;
        using var wrongPassword = await server.LoginAsync(uid, "wrong-password");
        var afterDirectoryUser = hashing.EqualizingVerifications;
        using var unknown = await server.LoginAsync(LdapTestServer.Unique("nobody"), "wrong-password");
        var afterUnknownUser = hashing.EqualizingVerifications;

        Assert.Equal(HttpStatusCode.Unauthorized, wrongPassword.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode);
        Assert.Equal(1, afterDirectoryUser - before);
        Assert.Equal(1, afterUnknownUser - afterDirectoryUser);
    }

    [Fact]
    public async Task SuccessfulDirectorySignIn_PaysNoEqualizingHash()
    {
        var uid = LdapTestServer.Unique("costok");
        await slapd.AddUserAsync(uid, "Pw-cost-2");
        await using var server = await LdapTestServer.StartAsync(LdapTestServer.OpenLdapSettings(slapd));
        var hashing = server.Server.GetRequiredService<PasswordHashing>();

        var before = hashing.EqualizingVerifications;
        using var response = await server.LoginAsync(uid, "Pw-cost-2");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(before, hashing.EqualizingVerifications);
    }
}
