using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Dockyard.Control.Engines;

/// <summary>
/// The raw HTTP channel to one engine, pinned to <c>/v1.41/</c>. Every failure surfaces as an
/// <see cref="EngineApiException"/>, so the feature facades (nodes, containers, logs, …) never see sockets or
/// statuses. Calls without their own cancellation are bounded by <see cref="RequestTimeout"/>; streams (logs follow,
/// stats, events, exec) are read with <see cref="HttpCompletionOption.ResponseHeadersRead"/> and live as long as the
/// caller's token.
/// </summary>
public sealed class EngineClient : IDisposable
{
    /// <summary>Upper bound for one plain REST call; streams are not bounded by it.</summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    private const int MaxErrorBodyBytes = 16 * 1024;
    private readonly HttpClient _http;

    public EngineClient(EngineEndpoint endpoint)
        : this(endpoint, EngineConnection.CreateHandler(endpoint))
    {
    }

    /// <summary>For tests: talk through <paramref name="handler"/> instead of a socket.</summary>
    internal EngineClient(EngineEndpoint endpoint, HttpMessageHandler handler)
    {
        Endpoint = endpoint;
        _http = new HttpClient(handler, disposeHandler: true)
        {
            BaseAddress = EngineConnection.BaseAddress(endpoint),
            // Streams run for hours; plain calls get RequestTimeout through their token instead.
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    /// <summary>The engine this client talks to.</summary>
    public EngineEndpoint Endpoint { get; }

    /// <summary>The engine's name, for messages and audit.</summary>
    public string Name => Endpoint.Name;

    /// <summary>
    /// Sends <paramref name="request"/> (path relative to <c>/v1.41/</c>) and returns the successful response; the
    /// caller disposes it. Non-success statuses and connection failures throw <see cref="EngineApiException"/>.
    /// </summary>
    public async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, HttpCompletionOption completion, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, completion, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            throw new EngineApiException(Name, EngineErrorKind.Unavailable, null, "not reachable: " + (ex.InnerException?.Message ?? ex.Message), ex);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new EngineApiException(Name, EngineErrorKind.Unavailable, null, "did not answer in time", ex);
        }

        if (response.IsSuccessStatusCode || response.StatusCode is HttpStatusCode.SwitchingProtocols or HttpStatusCode.NotModified)
        {
            return response;
        }

        using (response)
        {
            var message = await ReadErrorMessageAsync(response, cancellationToken);
            throw new EngineApiException(Name, Classify(response.StatusCode), (int)response.StatusCode, message);
        }
    }

    /// <summary>GETs <paramref name="path"/> and deserializes the JSON body.</summary>
    public async Task<T> GetAsync<T>(string path, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        using var timeout = Bounded(cancellationToken);
        using var response = await SendAsync(new HttpRequestMessage(HttpMethod.Get, path), HttpCompletionOption.ResponseContentRead, timeout.Token);
        return await ReadJsonAsync(response, type, timeout.Token);
    }

    /// <summary>POSTs <paramref name="body"/> (JSON, or no body when null) and returns the response status.</summary>
    public Task<HttpStatusCode> PostAsync(string path, HttpContent? body, CancellationToken cancellationToken) =>
        SendForStatusAsync(HttpMethod.Post, path, body, cancellationToken);

    /// <summary>POSTs <paramref name="body"/> and deserializes the JSON answer.</summary>
    public async Task<TResult> PostAsync<TResult>(string path, HttpContent? body, JsonTypeInfo<TResult> type, CancellationToken cancellationToken)
    {
        using var timeout = Bounded(cancellationToken);
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = body };
        using var response = await SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token);
        return await ReadJsonAsync(response, type, timeout.Token);
    }

    /// <summary>DELETEs <paramref name="path"/>.</summary>
    public Task<HttpStatusCode> DeleteAsync(string path, CancellationToken cancellationToken) =>
        SendForStatusAsync(HttpMethod.Delete, path, null, cancellationToken);

    /// <summary>JSON request content for <paramref name="value"/> with a source-generated serializer.</summary>
    public static HttpContent Json<T>(T value, JsonTypeInfo<T> type) => JsonContent.Create(value, type);

    /// <summary><c>GET /_ping</c>: succeeds when the engine answers.</summary>
    public async Task PingAsync(CancellationToken cancellationToken)
    {
        using var timeout = Bounded(cancellationToken);
        using var response = await SendAsync(new HttpRequestMessage(HttpMethod.Get, "_ping"), HttpCompletionOption.ResponseContentRead, timeout.Token);
    }

    public void Dispose() => _http.Dispose();

    private async Task<HttpStatusCode> SendForStatusAsync(HttpMethod method, string path, HttpContent? body, CancellationToken cancellationToken)
    {
        using var timeout = Bounded(cancellationToken);
        using var request = new HttpRequestMessage(method, path) { Content = body };
        using var response = await SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token);
        return response.StatusCode;
    }

    private async Task<T> ReadJsonAsync<T>(HttpResponseMessage response, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        try
        {
            var value = await response.Content.ReadFromJsonAsync(type, cancellationToken);
            return value ?? throw new EngineApiException(Name, EngineErrorKind.Failed, (int)response.StatusCode, "answered with an empty body");
        }
        catch (JsonException ex)
        {
            throw new EngineApiException(Name, EngineErrorKind.Failed, (int)response.StatusCode, "answered with JSON that could not be read: " + ex.Message, ex);
        }
    }

    private static CancellationTokenSource Bounded(CancellationToken cancellationToken)
    {
        var source = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        source.CancelAfter(RequestTimeout);
        return source;
    }

    internal static EngineErrorKind Classify(HttpStatusCode status) => status switch
    {
        HttpStatusCode.NotFound => EngineErrorKind.NotFound,
        HttpStatusCode.Conflict => EngineErrorKind.Conflict,
        HttpStatusCode.BadRequest => EngineErrorKind.BadRequest,
        HttpStatusCode.ServiceUnavailable => EngineErrorKind.NotManager,
        _ => EngineErrorKind.Failed,
    };

    /// <summary>dockerd answers errors as <c>{"message":"…"}</c>; anything else is shown as bounded text.</summary>
    private static async Task<string> ReadErrorMessageAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        byte[] body;
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            var buffer = new byte[MaxErrorBodyBytes];
            var length = await stream.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken);
            body = buffer.AsSpan(0, length).ToArray();
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            return $"answered {(int)response.StatusCode} (body unreadable)";
        }

        try
        {
            var error = JsonSerializer.Deserialize(body, EngineJsonContext.Default.EngineErrorBody);
            if (!string.IsNullOrWhiteSpace(error?.Message))
            {
                return error.Message.Trim();
            }
        }
        catch (JsonException)
        {
            // Not JSON: fall through to the raw text.
        }

        var text = System.Text.Encoding.UTF8.GetString(body).Trim();
        return text.Length > 0 ? text : $"answered {(int)response.StatusCode}";
    }
}
