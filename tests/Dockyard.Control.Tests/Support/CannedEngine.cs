using System.Net;
using Dockyard.Control.Engines;

namespace Dockyard.Control.Tests.Support;

/// <summary>An <see cref="EngineClient"/> whose answers come from a function of the request (path and query).</summary>
internal sealed class CannedEngine(Func<HttpRequestMessage, HttpResponseMessage> answer) : HttpMessageHandler
{
    public static readonly EngineEndpoint Endpoint = new("test", new Uri("unix:///run/test/docker.sock"));

    public List<HttpRequestMessage> Requests { get; } = [];

    public List<byte[]?> Bodies { get; } = [];

    public EngineClient Client() => new(Endpoint, this);

    public static HttpResponseMessage Answer(HttpStatusCode status, byte[] body) => new(status) { Content = new ByteArrayContent(body) };

    public static HttpResponseMessage Answer(HttpStatusCode status, Stream body) => new(status) { Content = new StreamContent(body) };

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Requests.Add(request);
        Bodies.Add(request.Content is null ? null : await request.Content.ReadAsByteArrayAsync(cancellationToken));
        return answer(request);
    }
}
