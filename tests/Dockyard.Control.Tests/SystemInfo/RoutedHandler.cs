using System.Net;
using System.Text;

namespace Dockyard.Control.Tests.SystemInfo;

/// <summary>Answers each request path (below <c>/v1.41/</c>) with a canned status and body; anything else is 404.</summary>
internal sealed class RoutedHandler(IReadOnlyDictionary<string, (HttpStatusCode Status, string Body)> routes) : HttpMessageHandler
{
    public List<string> Paths { get; } = [];

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var path = request.RequestUri!.AbsolutePath;
        Paths.Add(path);
        var (status, body) = routes.TryGetValue(path, out var route) ? route : (HttpStatusCode.NotFound, """{"message":"page not found"}""");
        return Task.FromResult(new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") });
    }
}
