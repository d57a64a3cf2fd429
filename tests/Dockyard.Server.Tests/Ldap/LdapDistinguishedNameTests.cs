using Dockyard.Server.Ldap;

namespace Dockyard.Server.Tests.Ldap;

public sealed class LdapDistinguishedNameTests
{
    [Theory]
    [InlineData("CN=Devs, OU=Groups,DC=corp", "cn=devs,ou=groups,dc=corp")]
    [InlineData("cn = devs , ou=groups", "cn=devs,ou=groups")]
    [InlineData(@"cn=Smith\, John,dc=corp", @"cn=smith\, john,dc=corp")]
    public void Normalize_CaseAndBlanks_AreIgnored(string dn, string expected) =>
        Assert.Equal(expected, LdapDistinguishedName.Normalize(dn));

    [Fact]
    public void AreEqual_EscapedCommaIsNotASeparator() =>
        Assert.False(LdapDistinguishedName.AreEqual(@"cn=a\,b,dc=x", "cn=a,cn=b,dc=x"));
}
