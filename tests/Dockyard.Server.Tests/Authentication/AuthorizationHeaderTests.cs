using System.Text;
using Dockyard.Server.Authentication;

namespace Dockyard.Server.Tests.Authentication;

/// <summary>Basic credentials as <c>/api/v1</c> and <c>/auth/token</c> read them (AuthorizationHeader).</summary>
public sealed class AuthorizationHeaderTests
{
    [Theory]
    [InlineData("Basic {0}", "alice", "secret")]
    [InlineData("basic {0}", "alice", "secret")]
    [InlineData("  BASIC   {0}  ", "alice", "secret")]
    [InlineData("Basic {0}", "alice", "pass:with:colons")]
    [InlineData("Basic {0}", "alice", "")]
    [InlineData("Basic {0}", "zoë", "pässwörd")]
    public void TryBasic_BasicCredentials_ReturnsUsernameAndPassword(string format, string username, string password)
    {
        var header = string.Format(System.Globalization.CultureInfo.InvariantCulture, format, Encode($"{username}:{password}"));

        Assert.True(AuthorizationHeader.TryBasic(header, out var readUsername, out var readPassword));
        Assert.Equal(username, readUsername);
        Assert.Equal(password, readPassword);
    }

    [Theory]
    [InlineData("")]
    [InlineData("Basic")]
    [InlineData("Basic    ")]
    [InlineData("Basic not*base64")]
    [InlineData("Basic YWxpY2U")] // base64 without its padding
    [InlineData("Basicabc")]
    [InlineData("Bearer YWxpY2U6c2VjcmV0")]
    public void TryBasic_NotBasicCredentials_IsFalse(string header) =>
        Assert.False(AuthorizationHeader.TryBasic(header, out _, out _));

    [Theory]
    [InlineData("alice")] // no colon
    [InlineData(":secret")] // no username
    public void TryBasic_NoUsernameBeforeAColon_IsFalse(string decoded) =>
        Assert.False(AuthorizationHeader.TryBasic("Basic " + Encode(decoded), out _, out _));

    private static string Encode(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));
}
