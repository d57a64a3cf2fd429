using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Options;

namespace Dockyard.Server.Webhooks;

/// <summary>
/// Sends one signed POST. Redirects are not followed (a 3xx is a failed attempt), only the first
/// <see cref="MaxResponseExcerpt"/> bytes of the response body are read (shown in the delivery history, so a receiver's
/// error message reaches the webhook's owner), and the whole attempt is bounded by <see cref="WebhookOptions.RequestTimeout"/>. Connections go straight to the
/// destination (no proxy) through <see cref="WebhookConnector"/>, which refuses denied addresses. A failed connection
/// is recorded with a generic reason only: the delivery history is visible to webhook owners, and socket errors
/// (address, port, "refused" versus "timed out") would make it a port scanner. The details go to the log.
/// </summary>
internal sealed partial class WebhookSender : IDisposable
{
    public const string DestinationNotAllowed = "destination not allowed";
    public const string CouldNotConnect = "could not connect";
    public const string InvalidResponse = "invalid response";

    /// <summary>How much of a response body is kept with the attempt.</summary>
    public const int MaxResponseExcerpt = 2048;

    private static readonly ProductInfoHeaderValue UserAgent = new("Dockyard-Webhooks", "1");
    private static readonly MediaTypeHeaderValue Json = new("application/json") { CharSet = "utf-8" };

    private readonly HttpClient _http;
    private readonly TimeProvider _time;
    private readonly WebhookOptions _options;
    private readonly ILogger<WebhookSender> _logger;

    public WebhookSender(TimeProvider time, IOptions<WebhookOptions> options, WebhookConnector connector, ILogger<WebhookSender> logger)
    {
        _time = time;
        _options = options.Value;
        _logger = logger;
        _http = new HttpClient(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseProxy = false,
            ConnectCallback = connector.ConnectAsync,
            ConnectTimeout = _options.RequestTimeout,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        })
        {
            // The per-attempt token below is the timeout.
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    public async Task<WebhookAttemptResult> SendAsync(string url, string secret, string eventType, string deliveryId, string payload, CancellationToken cancellationToken)
    {
        var body = Encoding.UTF8.GetBytes(payload);
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = Json;
        request.Headers.UserAgent.Add(UserAgent);
        request.Headers.Add(WebhookSignature.EventHeader, eventType);
        request.Headers.Add(WebhookSignature.DeliveryHeader, deliveryId);
        request.Headers.Add(WebhookSignature.Header, WebhookSignature.Compute(secret, body));

        using var timeout = new CancellationTokenSource(_options.RequestTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        var started = _time.GetTimestamp();
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token);
            var status = (int)response.StatusCode;
            var excerpt = await ReadExcerptAsync(response, linked.Token);
            var result = new WebhookAttemptResult(status, _time.GetElapsedTime(started), null, excerpt);
            return result.Succeeded ? result : result with { Error = $"HTTP {status} {response.ReasonPhrase}".TrimEnd() };
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new WebhookAttemptResult(null, _time.GetElapsedTime(started), $"Timed out after {_options.RequestTimeout.TotalSeconds:0.###} s.");
        }
        catch (HttpRequestException error)
        {
            var reason = Reason(error);
            LogAttemptFailed(error, deliveryId, reason);
            return new WebhookAttemptResult(null, _time.GetElapsedTime(started), reason);
        }
    }

    /// <summary>
    /// The start of the body as text (invalid UTF-8 replaced), "…" appended when there is more; null when there is none
    /// or it cannot be read in time. The status already decided the attempt, so a body that fails is not an error.
    /// </summary>
    private static async Task<string?> ReadExcerptAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var buffer = new byte[MaxResponseExcerpt + 1];
        int read;
        try
        {
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            read = await body.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken);
        }
        catch (Exception error) when (error is HttpRequestException or IOException or OperationCanceledException)
        {
            // A reset or the attempt's time running out while reading: the status stands, the body is not shown.
            return null;
        }

        if (read == 0)
        {
            return null;
        }

        var text = Encoding.UTF8.GetString(buffer, 0, Math.Min(read, MaxResponseExcerpt));
        return read > MaxResponseExcerpt ? text + "…" : text;
    }

    private static string Reason(HttpRequestException error)
    {
        for (Exception? inner = error; inner is not null; inner = inner.InnerException)
        {
            if (inner is WebhookDestinationDeniedException)
            {
                return DestinationNotAllowed;
            }
        }

        return error.HttpRequestError is HttpRequestError.InvalidResponse or HttpRequestError.ResponseEnded
            or HttpRequestError.ConfigurationLimitExceeded or HttpRequestError.HttpProtocolError
            ? InvalidResponse
            : CouldNotConnect;
    }

    [LoggerMessage(EventId = 4204, Level = LogLevel.Information, Message = "Webhook delivery {DeliveryId}: attempt failed ({Reason})")]
    private partial void LogAttemptFailed(Exception error, string deliveryId, string reason);

    public void Dispose() => _http.Dispose();
}
