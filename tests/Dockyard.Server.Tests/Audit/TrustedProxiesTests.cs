using System.Net;
using Dockyard.Server.Audit;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Dockyard.Server.Tests.Audit;

public sealed class TrustedProxiesTests
{
    [Theory]
    [InlineData("203.0.113.5", "198.51.100.7", "203.0.113.5")]
    [InlineData("10.0.0.2", "198.51.100.7", "198.51.100.7")]
    [InlineData("10.0.0.2", "1.2.3.4, 198.51.100.7", "198.51.100.7")]
    [InlineData("10.0.0.2", "198.51.100.7, 10.0.0.9", "198.51.100.7")]
    [InlineData("10.0.0.2", "not-an-ip", "10.0.0.2")]
    [InlineData("10.0.0.2", null, "10.0.0.2")]
    [InlineData("::ffff:10.0.0.2", "198.51.100.7", "198.51.100.7")]
    public void ClientAddress_ForwardedFor_BelievedOnlyFromTrustedProxies(string remote, string? forwarded, string expected)
    {
        var proxies = new TrustedProxies(Options.Create(new AuditOptions { TrustedProxies = ["10.0.0.0/8", "192.0.2.1"] }));
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Parse(remote);
        if (forwarded is not null)
        {
            context.Request.Headers["X-Forwarded-For"] = forwarded;
        }

        Assert.Equal(IPAddress.Parse(expected), proxies.ClientAddress(context));
    }

    [Fact]
    public void Constructor_Garbage_Throws() =>
        Assert.Throws<InvalidOperationException>(() => new TrustedProxies(Options.Create(new AuditOptions { TrustedProxies = ["nope"] })));
}
