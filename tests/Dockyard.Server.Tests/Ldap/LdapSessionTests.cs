using Dockyard.Server.Ldap;
using Dockyard.Server.Tests.Infrastructure;

namespace Dockyard.Server.Tests.Ldap;

/// <summary>The directory client against the real slapd, below the login flow.</summary>
[Collection(LdapCollection.Name)]
public sealed class LdapSessionTests(SlapdFixture slapd)
{
    [Theory]
    [InlineData("*")]
    [InlineData("admin)(|(uid=*")]
    [InlineData(@"\2a")]
    [InlineData("*)(objectClass=*")]
    public async Task FindUser_FilterMetacharacters_MatchLiterallyNotAsWildcards(string username)
    {
        // Unescaped, each of these would match every user (the search would report "more than one"); escaped, none.
        await slapd.AddUserAsync(LdapTestServer.Unique("bystander"), "Pw-bystander-1");
        await slapd.AddUserAsync(LdapTestServer.Unique("bystander"), "Pw-bystander-1");
        using var session = LdapSession.Open(LdapTestServer.OpenLdapSettings(slapd));

        Assert.Null(session.FindUser(username));
    }

    [Fact]
    public async Task FindUser_NonAsciiName_IsFoundThroughTheEscapedFilter()
    {
        var uid = "jörg" + LdapTestServer.Unique("u");
        var dn = await slapd.AddUserAsync(uid, "Pw-jorg-1");
        using var session = LdapSession.Open(LdapTestServer.OpenLdapSettings(slapd));

        var entry = session.FindUser(uid.ToUpperInvariant());

        Assert.NotNull(entry);
        Assert.Equal(dn, entry.Dn);
        Assert.Equal(uid, entry.Username);
    }

    [Fact]
    public async Task FindUser_FilterMatchingSeveralEntries_IsAnErrorNotAGuess()
    {
        var uid = LdapTestServer.Unique("twin");
        await slapd.AddUserAsync(uid, "Pw-twin-1");
        await slapd.AddAsync($"""
            dn: cn={uid},{SlapdFixture.PeopleDn}
            objectClass: inetOrgPerson
            cn: {uid}
            sn: twin
            uid: {uid}
            """);
        using var session = LdapSession.Open(LdapTestServer.OpenLdapSettings(slapd));

        Assert.Throws<LdapDirectoryException>(() => session.FindUser(uid));
    }

    [Fact]
    public void VerifyPassword_EmptyPassword_IsFalseWithoutAsking()
    {
        var settings = LdapTestServer.OpenLdapSettings(slapd);

        Assert.False(LdapSession.VerifyPassword(settings, SlapdFixture.BindDn, string.Empty));
        Assert.True(LdapSession.VerifyPassword(settings, SlapdFixture.BindDn, SlapdFixture.BindPassword));
        Assert.False(LdapSession.VerifyPassword(settings, SlapdFixture.BindDn, "not-it"));
    }
}
