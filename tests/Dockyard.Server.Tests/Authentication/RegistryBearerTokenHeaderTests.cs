using Dockyard.Server.Authentication;
using Microsoft.AspNetCore.Http;

namespace Dockyard.Server.Tests.Authentication;

/// <summary>Reading the <c>/v2</c> bearer token from the Authorization header (RegistryBearerCredentials).</summary>
public sealed class RegistryBearerTokenHeaderTests
{
    [Theory]
    [InlineData("Bearer abc.def.ghi", "abc.def.ghi")]
    [InlineData("bearer abc.def.ghi", "abc.def.ghi")]
    [InlineData("BEARER   abc.def.ghi  ", "abc.def.ghi")]
    [InlineData("  Bearer abc", "abc")]
    public void BearerToken_BearerScheme_ReturnsTheToken(string header, string expected) =>
        Assert.Equal(expected, RegistryBearerCredentials.BearerToken(With(header)));

    [Theory]
    [InlineData("")]
    [InlineData("Bearer")]
    [InlineData("Bearer    ")]
    [InlineData("Bearerabc")]
    [InlineData("Basic YWxpY2U6c2VjcmV0")]
    [InlineData("Beare abc")]
    public void BearerToken_NoBearerToken_ReturnsNull(string header) =>
        Assert.Null(RegistryBearerCredentials.BearerToken(With(header)));

    [Fact]
    public void BearerToken_TwoAuthorizationHeaders_ReturnsNull()
    {
        var context = new DefaultHttpContext();
        context.Request.Headers.Authorization = new Microsoft.Extensions.Primitives.StringValues(["Bearer a", "Bearer b"]);
        Assert.Null(RegistryBearerCredentials.BearerToken(context));
    }

    private static DefaultHttpContext With(string header)
    {
        var context = new DefaultHttpContext();
        context.Request.Headers.Authorization = header;
        return context;
    }
}
