using System.Net;
using System.Text;
using Dockyard.Control.Engines;

namespace Dockyard.Control.Tests.Engines;

public sealed class EngineClientTests
{
    private static readonly EngineEndpoint Local = new("local", new Uri("unix:///run/test/docker.sock"));

    [Fact]
    public async Task SendAsync_EngineErrorBody_ThrowsClassifiedExceptionWithEngineMessage()
    {
        using var client = new EngineClient(Local, new CannedHandler(HttpStatusCode.NotFound, """{"message":"No such container: abc"}"""));

        var ex = await Assert.ThrowsAsync<EngineApiException>(() => client.PingAsync(CancellationToken.None));

        Assert.Equal(EngineErrorKind.NotFound, ex.Kind);
        Assert.Equal(404, ex.Status);
        Assert.Equal("No such container: abc", ex.EngineMessage);
        Assert.Equal("engine local: No such container: abc", ex.Message);
    }

    [Theory]
    [InlineData(HttpStatusCode.Conflict, EngineErrorKind.Conflict)]
    [InlineData(HttpStatusCode.BadRequest, EngineErrorKind.BadRequest)]
    [InlineData(HttpStatusCode.ServiceUnavailable, EngineErrorKind.NotManager)]
    [InlineData(HttpStatusCode.InternalServerError, EngineErrorKind.Failed)]
    public async Task SendAsync_FailureStatus_MapsToKind(HttpStatusCode status, EngineErrorKind kind)
    {
        using var client = new EngineClient(Local, new CannedHandler(status, "plain text"));

        var ex = await Assert.ThrowsAsync<EngineApiException>(() => client.PingAsync(CancellationToken.None));

        Assert.Equal(kind, ex.Kind);
        Assert.Equal("plain text", ex.EngineMessage);
    }

    [Fact]
    public async Task SendAsync_PinsApiVersionInPath()
    {
        var handler = new CannedHandler(HttpStatusCode.OK, "OK");
        using var client = new EngineClient(Local, handler);

        await client.PingAsync(CancellationToken.None);

        Assert.Equal("/v1.41/_ping", handler.LastRequest!.RequestUri!.AbsolutePath);
    }

    [Fact]
    public async Task PingAsync_MissingSocket_ThrowsUnavailable()
    {
        var path = Path.Combine(Path.GetTempPath(), "dockyard-no-engine-" + Guid.NewGuid().ToString("N")[..8] + ".sock");
        using var client = new EngineClient(new EngineEndpoint("gone", new Uri("unix://" + path)));

        var ex = await Assert.ThrowsAsync<EngineApiException>(() => client.PingAsync(CancellationToken.None));

        Assert.Equal(EngineErrorKind.Unavailable, ex.Kind);
        Assert.Null(ex.Status);
        Assert.StartsWith("engine gone: not reachable", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("tcp://10.1.2.3:2375")]
    [InlineData("http://127.0.0.1:2375")]
    [InlineData("unix://")]
    public void Constructor_UnsafeOrMalformedAddress_Refused(string address)
    {
        Assert.Throws<ArgumentException>(() => new EngineClient(new EngineEndpoint("bad", new Uri(address))));
    }

    [Fact]
    public void Constructor_PlainTcpOnLoopback_Accepted()
    {
        using var client = new EngineClient(new EngineEndpoint("lo", new Uri("tcp://127.0.0.1:2375")));
        Assert.Equal("lo", client.Name);
    }

    private sealed class CannedHandler(HttpStatusCode status, string body) : HttpMessageHandler
    {
        public HttpRequestMessage? LastRequest { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            LastRequest = request;
            return Task.FromResult(new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8) });
        }
    }
}
