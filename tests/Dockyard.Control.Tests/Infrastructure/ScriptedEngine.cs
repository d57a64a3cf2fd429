using System.Net;
using System.Text;
using Dockyard.Control.Engines;

namespace Dockyard.Control.Tests.Infrastructure;

/// <summary>
/// An <see cref="EngineClient"/> whose engine is a script: each request is recorded (with its body) and answered by
/// <c>respond</c>, so tests see exactly what the facades send without a socket.
/// </summary>
internal sealed class ScriptedEngine : HttpMessageHandler
{
    private readonly Func<HttpRequestMessage, (HttpStatusCode Status, string Body)> _respond;

    private ScriptedEngine(Func<HttpRequestMessage, (HttpStatusCode, string)> respond) => _respond = respond;

    public List<RecordedRequest> Requests { get; } = [];

    public static (EngineClient Client, ScriptedEngine Engine) Create(Func<HttpRequestMessage, (HttpStatusCode, string)> respond)
    {
        var engine = new ScriptedEngine(respond);
        return (new EngineClient(new EngineEndpoint("test", new Uri("unix:///run/test.sock")), engine), engine);
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        // PathAndQuery keeps the escaping as sent on the wire.
        Requests.Add(new RecordedRequest(request.Method.Method, request.RequestUri!.PathAndQuery, body, request.Headers.ToDictionary(h => h.Key, h => string.Join(",", h.Value))));
        var (status, text) = _respond(request);
        return new HttpResponseMessage(status) { Content = new StringContent(text, Encoding.UTF8, "application/json") };
    }
}
