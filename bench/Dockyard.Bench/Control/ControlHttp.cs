using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;

namespace Dockyard.Bench.Control;

/// <summary>HTTP plumbing of the control passes: a Bearer client for /api/v1, answer checks, and an SSE reader.</summary>
internal static class ControlHttp
{
    public static HttpClient Client(string baseUrl, string? token, int connections = 64)
    {
        var client = new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = connections,
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
        })
        { BaseAddress = new Uri(baseUrl), Timeout = Timeout.InfiniteTimeSpan };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    /// <summary>Throws with the status and the start of the body; a 404/405 says the endpoint is probably not merged yet.</summary>
    public static async Task EnsureAsync(HttpResponseMessage response, string what)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var body = await response.Content.ReadAsStringAsync();
        if (body.Length > 300)
        {
            body = body[..300] + "…";
        }

        var hint = response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed
            ? " (endpoint missing? it is built by another issue #16 helper: measured once it is merged)"
            : "";
        throw new InvalidOperationException($"{what} answered {(int)response.StatusCode} {response.ReasonPhrase}{hint}: {body.ReplaceLineEndings(" ")}");
    }

    /// <summary>
    /// GET <paramref name="path"/> as Server-Sent Events; yields each event's data (data lines joined by \n) as soon
    /// as its terminating blank line has arrived.
    /// </summary>
    public static async IAsyncEnumerable<string> ReadSseAsync(HttpClient client, string path, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        await EnsureAsync(response, "GET " + path);
        if (response.Content.Headers.ContentType?.MediaType != "text/event-stream")
        {
            throw new InvalidOperationException($"GET {path} answered {response.Content.Headers.ContentType} instead of text/event-stream");
        }

        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var data = new StringBuilder();
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Length == 0)
            {
                if (data.Length > 0)
                {
                    yield return data.ToString();
                    data.Clear();
                }

                continue;
            }

            if (line.StartsWith("data:", StringComparison.Ordinal))
            {
                if (data.Length > 0)
                {
                    data.Append('\n');
                }

                data.Append(line.AsSpan(line.Length > 5 && line[5] == ' ' ? 6 : 5));
            }
        }
    }
}
