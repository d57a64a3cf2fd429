using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Dockyard.Control.Engines;

namespace Dockyard.Control.Logs;

/// <summary>
/// Container and service logs from one engine, streamed line by line: nothing is buffered beyond one read and one
/// pending line per stream. Cancelling the caller's token ends the enumeration and closes the engine connection.
/// </summary>
public sealed class LogsClient(EngineClient engine)
{
    /// <summary>
    /// <c>GET containers/{id}/logs</c>. When <see cref="LogOptions.Tty"/> is null the container is inspected first
    /// (<c>Config.Tty</c>) to know whether its output is raw or multiplexed.
    /// </summary>
    /// <exception cref="EngineApiException">The engine refused (no such container, …) or the stream broke.</exception>
    public async IAsyncEnumerable<LogLine> ReadContainerLogsAsync(
        string containerId, LogOptions options, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(containerId);
        var id = Uri.EscapeDataString(containerId);
        var tty = options.Tty ??
            (await engine.GetAsync($"containers/{id}/json", LogsJsonContext.Default.TtyContainerInspect, cancellationToken)).Config?.Tty ?? false;
        await foreach (var line in ReadAsync($"containers/{id}/logs?{Query(options)}", tty, options, cancellationToken))
        {
            yield return line;
        }
    }

    /// <summary>
    /// <c>GET services/{id}/logs</c> (a swarm manager; the service's log driver must be json-file, local or journald).
    /// Same framing as container logs; raw when the service's container spec has a TTY.
    /// </summary>
    /// <exception cref="EngineApiException">The engine refused (not a manager, no such service, …) or the stream broke.</exception>
    public async IAsyncEnumerable<LogLine> ReadServiceLogsAsync(
        string serviceId, LogOptions options, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(serviceId);
        var id = Uri.EscapeDataString(serviceId);
        var tty = options.Tty ??
            (await engine.GetAsync($"services/{id}", LogsJsonContext.Default.TtyServiceInspect, cancellationToken)).Spec?.TaskTemplate?.ContainerSpec?.Tty ?? false;
        await foreach (var line in ReadAsync($"services/{id}/logs?{Query(options)}", tty, options, cancellationToken))
        {
            yield return line;
        }
    }

    private async IAsyncEnumerable<LogLine> ReadAsync(string path, bool tty, LogOptions options, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        using var response = await engine.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        await foreach (var line in LogStreamReader.ReadLinesAsync(stream, tty, options.Timestamps, options.MaxLineBytes, engine.Name, cancellationToken))
        {
            yield return line;
        }
    }

    internal static string Query(LogOptions options)
    {
        var query = new StringBuilder()
            .Append("stdout=").Append(options.Stdout ? '1' : '0')
            .Append("&stderr=").Append(options.Stderr ? '1' : '0');
        if (options.Follow)
        {
            query.Append("&follow=1");
        }

        if (options.Tail is { } tail)
        {
            query.Append("&tail=").Append(Math.Max(0, tail).ToString(CultureInfo.InvariantCulture));
        }

        if (options.Since is { } since)
        {
            query.Append("&since=").Append(EngineTimestamps.ToQuery(since));
        }

        if (options.Until is { } until)
        {
            query.Append("&until=").Append(EngineTimestamps.ToQuery(until));
        }

        if (options.Timestamps)
        {
            query.Append("&timestamps=1");
        }

        return query.ToString();
    }
}
