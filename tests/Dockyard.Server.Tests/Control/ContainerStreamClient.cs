using System.Net.Http.Headers;

namespace Dockyard.Server.Tests.Control;

/// <summary>Opens a container's logs or stats as an event stream over real HTTP (headers first, body as it comes).</summary>
internal static class ContainerStreamClient
{
    public static async Task<HttpResponseMessage> OpenEventsAsync(HttpClient client, string path, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        return await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
    }
}
