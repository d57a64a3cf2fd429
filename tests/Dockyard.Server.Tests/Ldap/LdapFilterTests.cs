using Dockyard.Server.Ldap;

namespace Dockyard.Server.Tests.Ldap;

public sealed class LdapFilterTests
{
    [Theory]
    [InlineData("alice", "alice")]
    [InlineData("john.doe-2_x", "john.doe-2_x")]
    [InlineData("*", @"\2a")]
    [InlineData("(", @"\28")]
    [InlineData(")", @"\29")]
    [InlineData(@"\", @"\5c")]
    [InlineData("\0", @"\00")]
    [InlineData(@"\2a", @"\5c2a")]
    [InlineData("admin)(|(uid=*", @"admin\29\28|\28uid=\2a")]
    [InlineData("*)(objectClass=*", @"\2a\29\28objectClass=\2a")]
    [InlineData("é", @"\c3\a9")]
    [InlineData("日本", @"\e6\97\a5\e6\9c\ac")]
    [InlineData("a\nb\u007f", @"a\0ab\7f")]
    public void EscapeValue_SpecialAndNonAsciiCharacters_AreHexEscaped(string value, string expected) =>
        Assert.Equal(expected, LdapFilter.EscapeValue(value));

    [Fact]
    public void EscapeValue_Output_HasNoUnescapedFilterMetacharacters()
    {
        var all = new string([.. Enumerable.Range(0, 256).Select(i => (char)i)]);
        var escaped = LdapFilter.EscapeValue(all);
        Assert.DoesNotContain('*', escaped);
        Assert.DoesNotContain('(', escaped);
        Assert.DoesNotContain(')', escaped);
        Assert.DoesNotContain('\0', escaped);
        Assert.All(escaped, c => Assert.InRange(c, (char)0x20, (char)0x7e));
        // Every backslash starts a two-digit hex escape.
        for (var i = escaped.IndexOf('\\', StringComparison.Ordinal); i >= 0; i = escaped.IndexOf('\\', i + 1))
        {
            Assert.True(Uri.IsHexDigit(escaped[i + 1]) && Uri.IsHexDigit(escaped[i + 2]), $"bad escape at {i}");
        }
    }

    [Fact]
    public void Format_EveryPlaceholder_GetsTheEscapedValue() =>
        Assert.Equal(@"(|(uid=a\2a)(mail=a\2a))", LdapFilter.Format("(|(uid={0})(mail={0}))", "a*"));

    [Fact]
    public void AndEquals_FilterWithoutParentheses_IsWrapped() =>
        Assert.Equal(@"(&(objectClass=groupOfNames)(member=cn=x\28y\29,dc=org))", LdapFilter.AndEquals("objectClass=groupOfNames", "member", "cn=x(y),dc=org"));
}
