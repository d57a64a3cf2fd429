using System.Net;
using System.Text;

namespace Dockyard.Server.Tests.Cli.Stacks;

/// <summary>
/// A scripted /api/v1 for the stack verbs: answers each request from <see cref="Respond"/> (method, path → status,
/// JSON) and records what was sent, so tests see the exact requests the CLI made.
/// </summary>
internal sealed class FakeStackServer : HttpMessageHandler
{
    public List<RecordedRequest> Requests { get; } = [];

    public Func<HttpMethod, string, (HttpStatusCode Status, string Json)> Respond { get; set; } = (_, _) => (HttpStatusCode.NotFound, "{}");

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        var path = request.RequestUri!.AbsolutePath;
        lock (Requests)
        {
            Requests.Add(new RecordedRequest(request.Method, path, body, request.Headers.Authorization?.ToString()));
        }

        var (status, json) = Respond(request.Method, path);
        var mediaType = (int)status >= 400 ? "application/problem+json" : "application/json";
        return new HttpResponseMessage(status) { Content = new StringContent(json, Encoding.UTF8, mediaType) };
    }
}
