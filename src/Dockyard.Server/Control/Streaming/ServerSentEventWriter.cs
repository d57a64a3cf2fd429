using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;

namespace Dockyard.Server.Control.Streaming;

/// <summary>
/// Writes Server-Sent Events straight into the response's <see cref="PipeWriter"/>: <c>event:</c>/<c>data:</c> frames
/// whose data is one line of JSON written by a reused <see cref="Utf8JsonWriter"/> (JSON escapes newlines, so one
/// <c>data:</c> line always holds the whole value), and <c>:</c> comment lines as heartbeats. Nothing is flushed until
/// <see cref="FlushAsync"/>, so a burst of events leaves in few writes.
/// </summary>
internal sealed class ServerSentEventWriter : IDisposable
{
    public const string ContentType = "text/event-stream";

    private readonly PipeWriter _pipe;
    private readonly Utf8JsonWriter _json;

    public ServerSentEventWriter(HttpResponse response)
    {
        _pipe = response.BodyWriter;
        _json = new Utf8JsonWriter(_pipe);
    }

    /// <summary>Bytes written since the last flush.</summary>
    public long Unflushed => _pipe.CanGetUnflushedBytes ? _pipe.UnflushedBytes : 0;

    /// <summary>True when the request's <c>Accept</c> header asks for <c>text/event-stream</c>.</summary>
    public static bool IsRequested(HttpRequest request)
    {
        foreach (var accept in request.Headers.Accept)
        {
            if (accept is not null && accept.Contains(ContentType, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Status 200 and the headers of an event stream: not cached, not buffered by the server or a proxy.</summary>
    public static void Start(HttpResponse response)
    {
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = ContentType + "; charset=utf-8";
        response.Headers.CacheControl = "no-cache, no-store";
        response.Headers["X-Accel-Buffering"] = "no";
        response.HttpContext.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
    }

    /// <summary>Begins an event (named unless <paramref name="name"/> is empty) and returns the writer for its one JSON value.</summary>
    public Utf8JsonWriter BeginEvent(ReadOnlySpan<byte> name)
    {
        if (!name.IsEmpty)
        {
            _pipe.Write("event: "u8);
            _pipe.Write(name);
            _pipe.Write("\n"u8);
        }

        _pipe.Write("data: "u8);
        _json.Reset(_pipe);
        return _json;
    }

    /// <summary>Ends the event begun by <see cref="BeginEvent"/>.</summary>
    public void EndEvent()
    {
        _json.Flush();
        _pipe.Write("\n\n"u8);
    }

    /// <summary>A comment line (<c>: text</c>): ignored by EventSource, it keeps proxies and the connection alive.</summary>
    public void Comment(ReadOnlySpan<byte> text)
    {
        _pipe.Write(": "u8);
        _pipe.Write(text);
        _pipe.Write("\n\n"u8);
    }

    /// <summary>Sends what was written; false when the client has gone.</summary>
    public async ValueTask<bool> FlushAsync(CancellationToken cancellationToken)
    {
        var result = await _pipe.FlushAsync(cancellationToken);
        return !result.IsCompleted && !result.IsCanceled;
    }

    public void Dispose() => _json.Dispose();
}
