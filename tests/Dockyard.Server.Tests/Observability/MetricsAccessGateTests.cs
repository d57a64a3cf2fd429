using System.Net;
using Dockyard.Server.Observability;
using Microsoft.AspNetCore.Http;

namespace Dockyard.Server.Tests.Observability;

/// <summary>
/// The <c>Loopback</c> and <c>Anyone</c> decisions of <see cref="MetricsAccessGate"/> on the connection's own remote
/// address (a test cannot connect from a non-loopback address: every local one is the host's). A forwarding header
/// names whatever the client likes, so it never counts.
/// </summary>
public sealed class MetricsAccessGateTests
{
    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.3.2.1")]
    [InlineData("::1")]
    [InlineData("::ffff:127.0.0.1")]
    public async Task Loopback_LoopbackConnection_Admitted(string remote)
    {
        var context = Request(remote);

        Assert.True(await MetricsAccessGate.AdmitAsync(context, MetricsAccess.Loopback));
        Assert.Equal(StatusCodes.Status200OK, context.Response.StatusCode);
    }

    [Theory]
    [InlineData("10.1.2.3")]
    [InlineData("192.168.0.7")]
    [InlineData("::ffff:10.1.2.3")]
    [InlineData("fe80::1")]
    [InlineData(null)]
    public async Task Loopback_OtherConnectionEvenWithForwardedForLoopback_403PlainText(string? remote)
    {
        var context = Request(remote);
        context.Request.Headers["X-Forwarded-For"] = "127.0.0.1";
        context.Request.Headers["Forwarded"] = "for=127.0.0.1";

        Assert.False(await MetricsAccessGate.AdmitAsync(context, MetricsAccess.Loopback));
        Assert.Equal(StatusCodes.Status403Forbidden, context.Response.StatusCode);
        Assert.StartsWith("text/plain", context.Response.ContentType, StringComparison.Ordinal);
        context.Response.Body.Position = 0;
        Assert.Contains("Dockyard:Metrics:Access", await new StreamReader(context.Response.Body).ReadToEndAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Anyone_OtherConnection_Admitted()
    {
        var context = Request("10.1.2.3");

        Assert.True(await MetricsAccessGate.AdmitAsync(context, MetricsAccess.Anyone));
    }

    private static DefaultHttpContext Request(string? remote)
    {
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = remote is null ? null : IPAddress.Parse(remote);
        context.Response.Body = new MemoryStream();
        return context;
    }
}
