using System.Buffers;
using System.Text;

namespace Dockyard.Server.Control.Logs;

/// <summary>
/// A container log as <c>text/plain</c>, one line per line (with its RFC 3339 timestamp first when asked), every
/// byte kept: the pieces of a very long line are written back together. Each flush waits for the client, and the
/// engine is read only as fast as the client takes the text, so a download of any size holds one read buffer.
/// A followed log is flushed line by line (for <c>curl -N</c>). <c>download=true</c> adds <c>Content-Disposition: attachment</c>.
/// </summary>
internal static class LogTextStream
{
    private const int FlushThreshold = 32 * 1024;

    public static async Task RunAsync(HttpResponse response, ContainerLogSource source, CancellationToken aborted)
    {
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/plain; charset=utf-8";
        response.Headers.CacheControl = "no-cache, no-store";
        response.Headers.XContentTypeOptions = "nosniff";
        if (source.Query.Download)
        {
            response.Headers.ContentDisposition = $"attachment; filename=\"{source.Target.Name}.log\"";
        }

        var pipe = response.BodyWriter;
        var continuing = false;
        try
        {
            await foreach (var line in source.ReadAsync(aborted))
            {
                if (!continuing && line.Timestamp is { } timestamp)
                {
                    var span = pipe.GetSpan(40);
                    timestamp.UtcDateTime.TryFormat(span, out var written, "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", System.Globalization.CultureInfo.InvariantCulture);
                    span[written++] = (byte)' ';
                    pipe.Advance(written);
                }

                Encoding.UTF8.GetBytes(line.Text.AsSpan(), pipe);
                if (!line.Continues)
                {
                    pipe.Write("\n"u8);
                }

                continuing = line.Continues;
                if ((source.Query.Follow || pipe.UnflushedBytes >= FlushThreshold) && (await pipe.FlushAsync(aborted)).IsCompleted)
                {
                    return;
                }
            }
        }
        catch (Dockyard.Control.Engines.EngineApiException error) when (response.HasStarted)
        {
            // Too late for a status: say so at the end of the text.
            Encoding.UTF8.GetBytes($"\n[dockyard: the log stream broke: {error.Message}]\n", pipe);
        }

        await pipe.FlushAsync(aborted);
    }
}
